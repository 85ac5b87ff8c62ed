"""POST/PUT /api/v1/statuses and scheduled statuses, as PostStatusService and the statuses
controller behave: idempotency per account for an hour, media checks, the length rule,
scheduling at least five minutes ahead (a past date posts at once)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..http import Request, Response
from .compose import Composer, Draft
from .core import limit_param, parse_time
from .state import Account, ApiError, Media, Scheduled, Status, not_found
from .text import MAX_CHARS, countable_length

VISIBILITIES = ("public", "unlisted", "private", "direct")
MEDIA_LIMIT = 4
SCHEDULE_OFFSET = timedelta(minutes=5)
SCHEDULED_DAILY_LIMIT = 25
SCHEDULED_TOTAL_LIMIT = 300


class PostingRoutes(Composer):
    def register_posting(self) -> None:
        self.api("POST", r"/api/v1/statuses", self._h_post)
        self.api("PUT", r"/api/v1/statuses/(?P<id>\d+)", self._h_edit)
        self.api("GET", r"/api/v1/scheduled_statuses", self._h_scheduled_list)
        self.api("GET", r"/api/v1/scheduled_statuses/(?P<id>\d+)", self._h_scheduled_get)
        self.api("PUT", r"/api/v1/scheduled_statuses/(?P<id>\d+)", self._h_scheduled_update)
        self.api("DELETE", r"/api/v1/scheduled_statuses/(?P<id>\d+)", self._h_scheduled_delete)

    # -- posting ------------------------------------------------------------------------------
    def _h_post(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        key = req.header("idempotency-key")
        if key:
            known = self.idempotency.get((me.id, key))
            if known is not None and known[2] > self.clock():
                return Response(200, self._idempotent_answer(me, known[0], known[1]))
        draft = self._draft(req, me)
        when = req.param("scheduled_at")
        scheduled_at = parse_time(when) if when else None
        if scheduled_at is not None and scheduled_at > self.now():
            # Mastodon ignores Idempotency-Key for scheduled posts (mastodon#30039): the key
            # maps to a ScheduledStatus id that the duplicate check never finds.
            item = self._schedule(req, me, draft, scheduled_at)
            return Response(200, self.scheduled_json(item))
        st = self.create_status(me, draft)
        if key:
            self.idempotency[(me.id, key)] = ("status", st.id, self.clock() + self.idempotency_ttl)
        return Response(200, self.status_json(st, me))

    def _idempotent_answer(self, me: Account, kind: str, ident: str) -> dict[str, Any]:
        if kind == "scheduled":
            item = self.scheduled.get(ident)
            if item is None:
                raise not_found()
            return self.scheduled_json(item)
        st = self.statuses.get(ident)
        if st is None or st.deleted:
            raise not_found()
        return self.status_json(st, me)

    def _draft(self, req: Request, me: Account) -> Draft:
        draft = Draft(req.param("status"), spoiler_text=req.param("spoiler_text"),
                      sensitive=req.param("sensitive").lower() in ("1", "true"),
                      visibility=req.param("visibility") or me.privacy,
                      language=_language(req.param("language")),
                      application=self._application(req))
        if draft.visibility not in VISIBILITIES:
            raise ApiError(422, "Validation failed: Visibility is not included in the list")
        reply_id = req.param("in_reply_to_id")
        if reply_id:
            draft.reply_to = self._target(reply_id, me, "The post you are trying to reply to "
                                                        "does not appear to exist.")
        quote_id = req.param("quoted_status_id")
        if quote_id:
            draft.quote_of = self._target(quote_id, me, "The post you are trying to quote "
                                                        "does not appear to exist.")
        media = self._validate_media(me, req.params("media_ids"))
        draft.media_ids = [m.id for m in media]
        if not draft.text.strip() and draft.spoiler_text and draft.quote_of is None:
            draft.text = "🖼" if media else "."
        self._validate_text(draft)
        return draft

    def _target(self, status_id: str, me: Account, message: str) -> Status:
        st = self.statuses.get(status_id)
        if st is None or not self.can_see(st, me) or st.reblog_of is not None:
            raise ApiError(404, message)
        return st

    def _application(self, req: Request) -> dict[str, Any] | None:
        token = self.token_of(req, ())
        for app in self.apps.values():
            if token is not None and token.app_id == app.id:
                return {"name": app.name, "website": app.website}
        return None

    def _validate_media(self, me: Account, ids: list[str]) -> list[Media]:
        if not ids:
            return []
        if len(ids) > MEDIA_LIMIT:
            raise ApiError(422, "Cannot attach more than 4 files")
        found = [self.media[i] for i in ids[:MEDIA_LIMIT] if i in self.media
                 and self.media[i].account_id == me.id and self.media[i].status_id is None]
        missing = [i for i in ids if i not in {m.id for m in found}]
        if missing:
            raise ApiError(422, f"Media {', '.join(missing)} not found or already attached "
                                "to another post")
        if len(found) > 1 and any(m.kind in ("video", "gifv", "audio") for m in found):
            raise ApiError(422, "Cannot attach a video to a post that already contains images")
        if any(m.ready_at > self.clock() for m in found):
            raise ApiError(422, "Cannot attach files that have not finished processing. "
                                "Try again in a moment!")
        return found

    @staticmethod
    def _validate_text(draft: Draft) -> None:
        if not draft.text.strip() and not draft.media_ids and draft.quote_of is None:
            raise ApiError(422, "Validation failed: Text can't be blank")
        if countable_length(draft.text, draft.spoiler_text) > MAX_CHARS:
            raise ApiError(422, f"Validation failed: Text character limit of {MAX_CHARS} "
                                "exceeded")

    # -- editing ------------------------------------------------------------------------------
    def _h_edit(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        st = self.statuses.get(req.match["id"])
        if st is None or st.deleted or st.account_id != me.id or st.reblog_of is not None:
            raise not_found()
        draft = Draft(req.param("status"), spoiler_text=req.param("spoiler_text"),
                      sensitive=req.param("sensitive").lower() in ("1", "true"),
                      language=_language(req.param("language") or st.language or ""))
        given = req.params("media_ids") or st.media_ids  # absent: attachments unchanged
        new = self._validate_media(me, [m for m in given if m not in st.media_ids])
        draft.media_ids = [m for m in given if m in st.media_ids] + [m.id for m in new]
        self._validate_text(draft)
        content, mention_ids, tags = self.rendered(draft.text)
        st.text, st.content, st.tags, st.mention_ids = draft.text, content, tags, mention_ids
        st.spoiler_text = draft.spoiler_text
        st.sensitive = draft.sensitive or bool(draft.spoiler_text)
        st.language, st.edited_at = draft.language, self.now()
        for media_id in st.media_ids:
            if media_id not in draft.media_ids:
                self.media[media_id].status_id = None
        st.media_ids = draft.media_ids
        for media in new:
            media.status_id = st.id
        for booster in st.reblogged_by:
            self.notify(booster, "update", me.id, st)
        return Response(200, self.status_json(st, me))

    # -- scheduled ----------------------------------------------------------------------------
    def _schedule(self, req: Request, me: Account, draft: Draft, at: datetime) -> Scheduled:
        if at <= self.now() + SCHEDULE_OFFSET:
            raise ApiError(422, "Validation failed: Scheduled at The scheduled date must be "
                                "in the future")
        mine = [s for s in self.scheduled.values() if s.account_id == me.id]
        if len(mine) >= SCHEDULED_TOTAL_LIMIT:
            raise ApiError(422, "Validation failed: Scheduled at You have exceeded the limit "
                                f"of {SCHEDULED_TOTAL_LIMIT} scheduled posts")
        if sum(s.scheduled_at.date() == at.date() for s in mine) >= SCHEDULED_DAILY_LIMIT:
            raise ApiError(422, "Validation failed: Scheduled at You have exceeded the limit "
                                f"of {SCHEDULED_DAILY_LIMIT} scheduled posts for today")
        token = self.token_of(req, ())
        params = {
            "poll": None, "text": draft.text, "language": draft.language,
            "media_ids": draft.media_ids or None, "sensitive": req.param("sensitive") or None,
            "visibility": req.param("visibility") or None, "with_rate_limit": False,
            "idempotency": None, "scheduled_at": None,
            "spoiler_text": draft.spoiler_text or None,
            "application_id": int(token.app_id) if token and token.app_id else None,
            "in_reply_to_id": draft.reply_to.id if draft.reply_to else None,
            "allowed_mentions": None,
            "quoted_status_id": draft.quote_of.id if draft.quote_of else None,
            "quote_approval_policy": None,
        }
        item = Scheduled(self.new_id(), me.id, at, params, list(draft.media_ids))
        for media_id in item.media_ids:
            self.media[media_id].status_id = "scheduled:" + item.id
        self.scheduled[item.id] = item
        return item

    def publish_due(self) -> None:
        now = self.now()
        for item in sorted(self.scheduled.values(), key=lambda s: s.scheduled_at):
            if item.scheduled_at > now:
                continue
            del self.scheduled[item.id]
            p = item.params
            for media_id in item.media_ids:
                self.media[media_id].status_id = None
            reply = self.statuses.get(p["in_reply_to_id"] or "")
            quote = self.statuses.get(p["quoted_status_id"] or "")
            self.create_status(self.users[item.account_id], Draft(
                p["text"], item.scheduled_at, spoiler_text=p["spoiler_text"] or "",
                sensitive=str(p["sensitive"]).lower() in ("1", "true"),
                visibility=p["visibility"] or "public", language=p["language"],
                reply_to=reply if reply and not reply.deleted else None,
                quote_of=quote if quote and not quote.deleted else None,
                media_ids=item.media_ids))

    def _own_scheduled(self, req: Request, me: Account) -> Scheduled:
        item = self.scheduled.get(req.match["id"])
        if item is None or item.account_id != me.id:
            raise not_found()
        return item

    def _h_scheduled_list(self, req: Request) -> Response:
        me = self.user(req, "read", "read:statuses")
        mine = sorted((s for s in self.scheduled.values() if s.account_id == me.id),
                      key=lambda s: -int(s.id))
        page = self.page(mine, lambda s: int(s.id), req, 20)
        headers = self.link_header("/api/v1/scheduled_statuses", req, ("limit",),
                                   page[-1].id if len(page) == limit_param(req, 20) else None,
                                   page[0].id if page else None)
        return Response(200, [self.scheduled_json(s) for s in page], headers)

    def _h_scheduled_get(self, req: Request) -> Response:
        me = self.user(req, "read", "read:statuses")
        return Response(200, self.scheduled_json(self._own_scheduled(req, me)))

    def _h_scheduled_update(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        item = self._own_scheduled(req, me)
        at = parse_time(req.param("scheduled_at"))
        if at < self.now() + SCHEDULE_OFFSET:
            raise ApiError(422, "Validation failed: Scheduled at The scheduled date must be "
                                "in the future")
        item.scheduled_at = at
        return Response(200, self.scheduled_json(item))

    def _h_scheduled_delete(self, req: Request) -> Response:
        me = self.user(req, "write", "write:statuses")
        item = self._own_scheduled(req, me)
        del self.scheduled[item.id]
        for media_id in item.media_ids:
            self.media[media_id].status_id = None
        return Response(200, {})


def _language(value: str) -> str:
    value = value.strip().lower()
    return value if value.isalpha() and 2 <= len(value) <= 3 else "fr"
