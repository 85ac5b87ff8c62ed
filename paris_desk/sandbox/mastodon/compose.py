"""Creating and removing statuses with their side effects (counts, notifications), as the
server's services do (PostStatusService, ReblogService, FavouriteService, RemoveStatusService).
Used by the seed and by the endpoints alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .entities import Entities
from .state import Account, Status
from .text import render

WEB_APP = {"name": "Web", "website": None}


@dataclass
class Draft:
    """What a new status is made of (the parameters of PostStatusService)."""

    text: str
    at: datetime | None = None
    spoiler_text: str = ""
    sensitive: bool = False
    visibility: str = "public"
    language: str | None = "fr"
    reply_to: Status | None = None
    quote_of: Status | None = None
    media_ids: list[str] = field(default_factory=list)
    application: dict[str, Any] | None = None
    content: str | None = None  # raw HTML (remote or hostile content), bypasses rendering
    card: dict[str, Any] | None = None


class Composer(Entities):
    def status_urls(self, author: Account, sid: str,
                    reblog: bool = False) -> tuple[str, str | None]:
        """(uri, url) of a status, on this server or on the author's remote one."""
        host = self.base_url if author.local else f"https://{author.domain}"
        uri = f"{host}/users/{author.username}/statuses/{sid}"
        if reblog:
            return uri + "/activity", (uri + "/activity" if author.local else None)
        return uri, f"{host}/@{author.username}/{sid}"

    def _resolve_mention(self, user: str, domain: str | None) -> tuple[str, str] | None:
        acct = user if domain is None else f"{user}@{domain}"
        found = self.by_acct.get(acct.lower())
        if found is None and domain is not None and self.base_url.endswith(domain):
            found = self.by_acct.get(user.lower())
        if found is None:
            return None
        acc = self.users[found]
        return self.profile_urls(acc)[0], acc.username

    def rendered(self, text: str) -> tuple[str, list[str], list[str]]:
        """(HTML content, mentioned account ids, hashtags) of a text posted here."""
        out = render(text, self.base_url, self._resolve_mention)
        mention_ids: list[str] = []
        for acct in out.mention_accts:
            found = self.by_acct.get(acct.lower())
            if found and found not in mention_ids:
                mention_ids.append(found)
        return out.html, mention_ids, list(dict.fromkeys(out.tags))

    def create_status(self, author: Account, draft: Draft) -> Status:
        at = draft.at or self.now()
        sid = self.new_id(at)
        content, mention_ids, tags = self.rendered(draft.text)
        uri, url = self.status_urls(author, sid)
        st = Status(
            id=sid, account_id=author.id, created_at=at, text=draft.text,
            content=draft.content if draft.content is not None else content,
            uri=uri, url=url, spoiler_text=draft.spoiler_text,
            sensitive=draft.sensitive or bool(draft.spoiler_text),
            visibility=draft.visibility, language=draft.language,
            media_ids=list(draft.media_ids), mention_ids=mention_ids, tags=tags,
            card=draft.card, application=draft.application,
        )
        if draft.reply_to is not None:
            st.in_reply_to_id = draft.reply_to.id
            st.in_reply_to_account_id = draft.reply_to.account_id
            draft.reply_to.replies += 1
        if draft.quote_of is not None:
            st.quote_of = draft.quote_of.id
            draft.quote_of.quotes += 1
        self.statuses[sid] = st
        self.count_status(st, +1)
        for media_id in st.media_ids:
            self.media[media_id].status_id = sid
        for target in mention_ids:
            self.notify(target, "mention", author.id, st, at)
        if draft.quote_of is not None:
            self.notify(draft.quote_of.account_id, "quote", author.id, st, at)
        return st

    def create_reblog(self, booster: Account, original: Status, at: datetime | None = None,
                      visibility: str = "public") -> Status:
        """ReblogService: boosting twice returns the first boost."""
        if original.reblog_of is not None:
            original = self.statuses[original.reblog_of]
        for st in self.statuses.values():
            if st.reblog_of == original.id and st.account_id == booster.id and not st.deleted:
                return st
        when = at or self.now()
        sid = self.new_id(when)
        uri, url = self.status_urls(booster, sid, reblog=True)
        st = Status(id=sid, account_id=booster.id, created_at=when, text="", content="",
                    uri=uri, url=url, visibility=visibility, language=None,
                    reblog_of=original.id, application=WEB_APP if booster.local else None)
        self.statuses[sid] = st
        self.count_status(st, +1)
        original.reblogged_by.add(booster.id)
        self.notify(original.account_id, "reblog", booster.id, original, when)
        return st

    def favourite(self, account: Account, st: Status, at: datetime | None = None) -> None:
        if account.id in st.favourited_by:
            return
        st.favourited_by.add(account.id)
        self.notify(st.account_id, "favourite", account.id, st, at)

    def remove_status(self, st: Status) -> None:
        """RemoveStatusService: the status, its boosts and their notifications go."""
        if st.deleted:
            return
        st.deleted = True
        self.count_status(st, -1)
        if st.reblog_of is not None:
            original = self.statuses[st.reblog_of]
            original.reblogged_by.discard(st.account_id)
        else:
            for other in list(self.statuses.values()):
                if other.reblog_of == st.id and not other.deleted:
                    self.remove_status(other)
        if st.in_reply_to_id is not None and st.in_reply_to_id in self.statuses:
            self.statuses[st.in_reply_to_id].replies -= 1
        if st.quote_of is not None and st.quote_of in self.statuses:
            self.statuses[st.quote_of].quotes -= 1
        if st.reblog_of is None:
            gone = {n.id for n in self.notifications if n.status_id == st.id}
        else:
            gone = {n.id for n in self.notifications if n.type == "reblog"
                    and n.from_id == st.account_id and n.status_id == st.reblog_of}
        self.notifications = [n for n in self.notifications if n.id not in gone]
