"""Quote controls of Mastodon 4.5: who may quote a status, and revoking a quote
(api/v1/statuses/interaction_policies_controller.rb, statuses/quotes_controller.rb).

- ``PUT /api/v1/statuses/:id/interaction_policy`` with ``quote_approval_policy`` public,
  followers or nobody (else 422); only the author (else 403); a private or direct status stays
  ``nobody``. Answers the status; its ``quote_approval`` follows.
- ``GET /api/v1/statuses/:id/quotes``: the author's view of the statuses quoting it.
- ``POST /api/v1/statuses/:id/quotes/:quoting_id/revoke``: only the quoted status's author
  (else 403); the quoting status must quote it (else 404). Answers the quoting status, its
  ``quote.state`` now ``revoked``.
"""

from __future__ import annotations

from ..http import Request, Response
from .compose import Composer
from .state import ApiError, not_found

POLICIES = ("public", "followers", "nobody")


class QuoteRoutes(Composer):
    def register_quotes(self) -> None:
        sid = r"/api/v1/statuses/(?P<id>\d+)"
        self.api("PUT", sid + "/interaction_policy", self._h_interaction_policy)
        self.api("GET", sid + "/quotes", self._h_quotes)
        self.api("POST", sid + r"/quotes/(?P<quoting>\d+)/revoke", self._h_revoke_quote)

    def _h_interaction_policy(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        st = self.find_status(req.match["id"], me)
        if st.account_id != me.id:
            raise ApiError(403, "This action is not allowed")
        policy = req.param("quote_approval_policy")
        if policy not in POLICIES:
            raise ApiError(422, "Validation failed: Quote approval policy is invalid")
        st.quote_policy = "nobody" if st.visibility in ("private", "direct") else policy
        return Response(200, self.status_json(st, me))

    def _h_quotes(self, req: Request) -> Response:
        me = self.user(req, "read", "read:statuses")
        st = self.find_status(req.match["id"], me)
        if st.account_id != me.id:
            raise ApiError(403, "This action is not allowed")
        quoting = sorted((q for q in self.statuses.values() if q.quote_of == st.id
                          and not q.deleted and not q.quote_revoked and self.can_see(q, me)),
                         key=lambda q: q.num, reverse=True)
        return Response(200, [self.status_json(q, me) for q in quoting])

    def _h_revoke_quote(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        st = self.find_status(req.match["id"], me)
        if st.account_id != me.id:
            raise ApiError(403, "This action is not allowed")
        quoting = self.statuses.get(req.match["quoting"])
        if quoting is None or quoting.quote_of != st.id or quoting.deleted:
            raise not_found()
        if not quoting.quote_revoked:
            quoting.quote_revoked = True
            st.quotes = max(0, st.quotes - 1)
        return Response(200, self.status_json(quoting, me))
