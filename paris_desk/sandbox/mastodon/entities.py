"""JSON shapes of the Mastodon REST entities (``app/serializers/rest/*.rb``, 4.5)."""

from __future__ import annotations

import math
from typing import Any

from .core import Core
from .state import Account, Media, Notification, Scheduled, Status, iso

JSON = dict[str, Any]

SMALL_PIXELS = 640 * 360  # Mastodon's "small" style: at most 230,400 pixels, only shrinking
STATUS_TYPES = ("favourite", "reblog", "status", "mention", "poll", "update", "quote",
                "quoted_update")


class Entities(Core):
    """Serialisers, each taking the viewing account (None = anonymous)."""

    def profile_urls(self, acc: Account) -> tuple[str, str]:
        """(url, uri) of an account."""
        host = self.base_url if acc.local else f"https://{acc.domain}"
        return f"{host}/@{acc.username}", f"{host}/users/{acc.username}"

    def account_json(self, acc: Account) -> JSON:
        url, uri = self.profile_urls(acc)
        avatar = f"{self.base_url}/avatars/{acc.id}.png"
        header = f"{self.base_url}/headers/original/missing.png"
        created = acc.created_at.replace(hour=0, minute=0, second=0, microsecond=0)
        data: JSON = {
            "id": acc.id, "username": acc.username, "acct": acc.acct,
            "display_name": acc.display_name, "locked": False, "bot": acc.bot,
            "discoverable": True, "indexable": True, "group": acc.group,
            "created_at": iso(created), "note": acc.note, "url": url, "uri": uri,
            "avatar": avatar, "avatar_static": avatar, "header": header, "header_static": header,
            "followers_count": len(acc.followers) + acc.extra_followers,
            "following_count": len(acc.following) + acc.extra_following,
            "statuses_count": acc.statuses_count,
            "last_status_at": acc.last_status_at.strftime("%Y-%m-%d")
            if acc.last_status_at else None,
            "hide_collections": False, "emojis": [], "fields": acc.fields,
        }
        if acc.local:
            data["noindex"] = False
            data["roles"] = []
        return data

    def credential_account_json(self, acc: Account) -> JSON:
        data = self.account_json(acc)
        plain_note = acc.note.replace("<p>", "").replace("</p>", "")
        data["source"] = {
            "privacy": acc.privacy, "sensitive": False, "language": "fr", "note": plain_note,
            "fields": [{"name": f["name"], "value": f["value"], "verified_at": None}
                       for f in acc.fields],
            "follow_requests_count": 0, "hide_collections": False, "discoverable": True,
            "indexable": True, "attribution_domains": [], "quote_policy": "public",
        }
        data["role"] = {"id": "-99", "name": "", "permissions": "0", "color": "",
                        "highlighted": False}
        return data

    def relationship_json(self, owner: Account, target: Account) -> JSON:
        mute = self.mutes.get(owner.id, {}).get(target.id)
        muting = self.muted(owner.id, target.id)
        return {
            "id": target.id, "following": target.id in owner.following,
            "showing_reblogs": target.id in owner.following, "notifying": False,
            "languages": None, "followed_by": owner.id in target.following,
            "blocking": self.blocked(owner.id, target.id),
            "blocked_by": self.blocked(target.id, owner.id),
            "muting": muting, "muting_notifications": bool(muting and mute and mute.notifications),
            "muting_expires_at": iso(mute.expires_at) if muting and mute and mute.expires_at
            else None,
            "requested": False, "requested_by": False, "domain_blocking": False,
            "endorsed": False, "note": "",
        }

    def media_json(self, m: Media) -> JSON:
        ready = m.ready_at <= self.clock()
        ext = m.extension
        base = f"{self.base_url}/media/{m.id}"
        meta: JSON = {"original": _size(m.width, m.height)}
        if m.kind == "image":
            scale = min(1.0, math.sqrt(SMALL_PIXELS / max(1, m.width * m.height)))
            meta["small"] = _size(round(m.width * scale), round(m.height * scale))
        if m.focus is not None:
            meta["focus"] = {"x": m.focus[0], "y": m.focus[1]}
        return {
            "id": m.id, "type": m.kind,
            "url": f"{base}/original.{ext}" if ready else None,
            "preview_url": (f"{base}/small.{ext}" if m.kind == "image"
                            else f"{base}/small.png" if ready else None),
            "remote_url": None, "preview_remote_url": None, "text_url": None,
            "meta": meta, "description": m.description, "blurhash": m.blurhash,
        }

    def status_json(self, st: Status, viewer: Account | None, shallow: bool = False,
                    source: bool = False) -> JSON:
        author = self.users[st.account_id]
        vid = viewer.id if viewer else None
        reblog = self.statuses[st.reblog_of] if st.reblog_of else None
        data: JSON = {
            "id": st.id, "created_at": iso(st.created_at),
            "in_reply_to_id": st.in_reply_to_id,
            "in_reply_to_account_id": st.in_reply_to_account_id,
            "sensitive": st.sensitive, "spoiler_text": st.spoiler_text,
            "visibility": st.visibility, "language": st.language, "uri": st.uri, "url": st.url,
            "replies_count": st.replies + st.extra_replies,
            "reblogs_count": len(st.reblogged_by) + st.extra_reblogs,
            "favourites_count": len(st.favourited_by) + st.extra_favourites,
            "quotes_count": st.quotes,
            "edited_at": iso(st.edited_at) if st.edited_at else None,
        }
        if vid is not None:
            data.update(favourited=vid in st.favourited_by, reblogged=vid in st.reblogged_by,
                        muted=False, bookmarked=False)
            if vid == st.account_id and reblog is None and st.visibility != "direct":
                data["pinned"] = False
            data["filtered"] = []
        if source:
            data["text"] = st.text
        else:
            data["content"] = st.content
        data["reblog"] = self.status_json(reblog, viewer) if reblog else None
        if author.local or vid == st.account_id:
            data["application"] = st.application
        data["account"] = self.account_json(author)
        data["media_attachments"] = [self.media_json(self.media[m]) for m in st.media_ids]
        data["mentions"] = [self._mention_json(self.users[a]) for a in st.mention_ids]
        data["tags"] = [{"name": t, "url": f"{self.base_url}/tags/{t}"} for t in st.tags]
        data["emojis"] = []
        data["quote"] = self._quote_json(st, viewer, shallow)
        data["card"] = st.card
        data["poll"] = None
        data["quote_approval"] = self._quote_approval(st, vid)
        return data

    def _mention_json(self, acc: Account) -> JSON:
        return {"id": acc.id, "username": acc.username, "url": self.profile_urls(acc)[0],
                "acct": acc.acct}

    def _quote_json(self, st: Status, viewer: Account | None, shallow: bool) -> JSON | None:
        if st.quote_of is None:
            return None
        if st.quote_revoked:
            return {"state": "revoked", ("quoted_status_id" if shallow else "quoted_status"): None}
        quoted = self.statuses.get(st.quote_of)
        if quoted is None or quoted.deleted:
            return {"state": "deleted", ("quoted_status_id" if shallow else "quoted_status"): None}
        if not self.can_see(quoted, viewer):
            return {"state": "unauthorized",
                    ("quoted_status_id" if shallow else "quoted_status"): None}
        if shallow:
            return {"state": "accepted", "quoted_status_id": quoted.id}
        return {"state": "accepted", "quoted_status": self.status_json(quoted, viewer, True)}

    def _quote_approval(self, st: Status, vid: str | None) -> JSON:
        policy = st.quote_policy
        if st.reblog_of is not None or st.visibility in ("private", "direct"):
            policy = "nobody"
        allowed = {"public": ["public"], "followers": ["followers"], "nobody": []}[policy]
        if vid is None:
            current = "unknown"
        elif vid == st.account_id or policy == "public" or (
                policy == "followers" and vid in self.users[st.account_id].followers):
            current = "automatic"
        else:
            current = "denied"
        return {"automatic": allowed, "manual": [], "current_user": current}

    def notification_json(self, n: Notification, viewer: Account) -> JSON:
        data: JSON = {"id": str(n.id), "type": n.type, "created_at": iso(n.created_at),
                      "group_key": n.group_key,
                      "account": self.account_json(self.users[n.from_id])}
        if n.type in STATUS_TYPES:
            st = self.statuses.get(n.status_id or "")
            data["status"] = self.status_json(st, viewer) if st else None
        return data

    def scheduled_json(self, item: Scheduled) -> JSON:
        return {"id": item.id, "scheduled_at": iso(item.scheduled_at), "params": item.params,
                "media_attachments": [self.media_json(self.media[m]) for m in item.media_ids]}


def _size(width: int, height: int) -> JSON:
    return {"width": width, "height": height, "size": f"{width}x{height}",
            "aspect": width / height if height else 1.0}
