"""Filters v2: ``/api/v2/filters`` and their keywords, as Mastodon 4.x answers them
(app/controllers/api/v2/filters_controller.rb, filters/keywords_controller.rb,
app/serializers/rest/filter_serializer.rb, app/models/custom_filter.rb).

- Filter: ``{id, title, context, expires_at, filter_action, keywords, statuses}``; keyword:
  ``{id, keyword, whole_word}``. Ids are strings. ``filter_action`` is ``warn`` (the default),
  ``hide`` or ``blur``.
- Creating needs a title and at least one valid context (home, notifications, public, thread,
  account), else 422 "Validation failed: …". A user may have at most 1,000 filters.
- Unknown or another user's filter or keyword: 404 "Record not found". DELETE answers ``{}``.
- Scopes: ``read:filters`` to read, ``write:filters`` to change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..http import Request, Response
from .core import Core, expires_in
from .state import ApiError, iso, not_found

CONTEXTS = ("home", "notifications", "public", "thread", "account")
ACTIONS = ("warn", "hide", "blur")
MAX_FILTERS = 1000


@dataclass
class Keyword:
    id: str
    keyword: str
    whole_word: bool = True


@dataclass
class CustomFilter:
    id: str
    owner: str
    title: str
    context: list[str]
    action: str = "warn"
    expires_at: datetime | None = None
    keywords: list[Keyword] = field(default_factory=list)


def _bool(value: Any, default: bool = True) -> bool:
    if value is None or value == "":
        return default
    return str(value).lower() not in ("0", "false", "f", "off")


class FilterRoutes(Core):
    def register_filters(self) -> None:
        self.custom_filters: dict[str, CustomFilter] = {}
        base = r"/api/v2/filters"
        fid = base + r"/(?P<id>\d+)"
        kid = base + r"/keywords/(?P<id>\d+)"
        self.api("GET", base, self._h_filters)
        self.api("POST", base, self._h_create_filter)
        self.api("GET", fid, self._h_filter)
        self.api("PUT", fid, self._h_update_filter)
        self.api("DELETE", fid, self._h_delete_filter)
        self.api("GET", fid + "/keywords", self._h_keywords)
        self.api("POST", fid + "/keywords", self._h_add_keyword)
        self.api("GET", kid, self._h_keyword)
        self.api("DELETE", kid, self._h_delete_keyword)

    # -- filters -----------------------------------------------------------------------------
    def _h_filters(self, req: Request) -> Response:
        me = self.user(req, "read", "read:filters")
        mine = [f for f in self.custom_filters.values() if f.owner == me.id]
        return Response(200, [self.filter_json(f) for f in mine])

    def _h_filter(self, req: Request) -> Response:
        me = self.user(req, "read", "read:filters")
        return Response(200, self.filter_json(self._own(me.id, req.match["id"])))

    def _h_create_filter(self, req: Request) -> Response:
        me = self.user(req, "write", "write:filters")
        data = _input(req)
        if sum(f.owner == me.id for f in self.custom_filters.values()) >= MAX_FILTERS:
            raise ApiError(422, "Validation failed: Filters limit reached")
        made = CustomFilter(self.new_id(), me.id, "", [])
        self._apply(made, data, creating=True)
        for attrs in data.get("keywords_attributes") or []:
            made.keywords.append(self._keyword(attrs))
        self.custom_filters[made.id] = made
        return Response(200, self.filter_json(made))

    def _h_update_filter(self, req: Request) -> Response:
        me = self.user(req, "write", "write:filters")
        held = self._own(me.id, req.match["id"])
        data = _input(req)
        self._apply(held, data, creating=False)
        for attrs in data.get("keywords_attributes") or []:
            if attrs.get("id") and _bool(attrs.get("_destroy"), False):
                held.keywords = [k for k in held.keywords if k.id != str(attrs["id"])]
            elif not attrs.get("id"):
                held.keywords.append(self._keyword(attrs))
        return Response(200, self.filter_json(held))

    def _h_delete_filter(self, req: Request) -> Response:
        me = self.user(req, "write", "write:filters")
        del self.custom_filters[self._own(me.id, req.match["id"]).id]
        return Response(200, {})

    # -- keywords ----------------------------------------------------------------------------
    def _h_keywords(self, req: Request) -> Response:
        me = self.user(req, "read", "read:filters")
        held = self._own(me.id, req.match["id"])
        return Response(200, [_keyword_json(k) for k in held.keywords])

    def _h_add_keyword(self, req: Request) -> Response:
        me = self.user(req, "write", "write:filters")
        held = self._own(me.id, req.match["id"])
        made = self._keyword(_input(req))
        held.keywords.append(made)
        return Response(200, _keyword_json(made))

    def _h_keyword(self, req: Request) -> Response:
        me = self.user(req, "read", "read:filters")
        _, keyword = self._own_keyword(me.id, req.match["id"])
        return Response(200, _keyword_json(keyword))

    def _h_delete_keyword(self, req: Request) -> Response:
        me = self.user(req, "write", "write:filters")
        held, keyword = self._own_keyword(me.id, req.match["id"])
        held.keywords.remove(keyword)
        return Response(200, {})

    # -- helpers -----------------------------------------------------------------------------
    def filter_json(self, f: CustomFilter) -> dict[str, Any]:
        return {
            "id": f.id,
            "title": f.title,
            "context": list(f.context),
            "expires_at": iso(f.expires_at) if f.expires_at else None,
            "filter_action": f.action,
            "keywords": [_keyword_json(k) for k in f.keywords],
            "statuses": [],
        }

    def _own(self, owner: str, filter_id: str) -> CustomFilter:
        found = self.custom_filters.get(filter_id)
        if found is None or found.owner != owner:
            raise not_found()
        return found

    def _own_keyword(self, owner: str, keyword_id: str) -> tuple[CustomFilter, Keyword]:
        for f in self.custom_filters.values():
            if f.owner != owner:
                continue
            for k in f.keywords:
                if k.id == keyword_id:
                    return f, k
        raise not_found()

    def _apply(self, f: CustomFilter, data: dict[str, Any], *, creating: bool) -> None:
        if creating or "title" in data:
            f.title = str(data.get("title") or "")
        if creating or "context" in data:
            context = data.get("context") or []
            f.context = [context] if isinstance(context, str) else [str(c) for c in context]
        if "filter_action" in data and data["filter_action"] is not None:
            f.action = str(data["filter_action"])
        if data.get("expires_in") not in (None, ""):
            f.expires_at = expires_in(str(data["expires_in"]), self.now())
        errors = []
        if not f.title:
            errors.append("Title can't be blank")
        if not f.context:
            errors.append("Context can't be blank")
        elif any(c not in CONTEXTS for c in f.context):
            errors.append("Context contains invalid context values")
        if f.action not in ACTIONS:
            raise ApiError(422, f"'{f.action}' is not a valid filter_action")
        if errors:
            raise ApiError(422, "Validation failed: " + ", ".join(errors))

    def _keyword(self, attrs: dict[str, Any]) -> Keyword:
        text = str(attrs.get("keyword") or "")
        if not text:
            raise ApiError(422, "Validation failed: Keyword can't be blank")
        return Keyword(self.new_id(), text, _bool(attrs.get("whole_word")))


def _keyword_json(k: Keyword) -> dict[str, Any]:
    return {"id": k.id, "keyword": k.keyword, "whole_word": k.whole_word}


def _input(req: Request) -> dict[str, Any]:
    """The JSON body (Mastodon.py sends filters v2 as JSON) or the form's first values."""
    if "application/json" in req.header("content-type"):
        data = req.json()
        return data if isinstance(data, dict) else {}
    form = req.form()
    out: dict[str, Any] = {k.removesuffix("[]"): v[0] if len(v) == 1 and not k.endswith("[]")
                           else v for k, v in form.items()}
    for key, value in req.query.items():
        out.setdefault(key.removesuffix("[]"), value if key.endswith("[]") else value[0])
    return out
