"""Plain XRPC shared by the channel, its mixins and the publisher (``session.query`` and
``procedure``): posts by URI, a handle's DID, a profile; and the small records (likes,
reposts, blocks) written and deleted as JSON. No SDK here (see ``xrpc``)."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from paris_desk.core.errors import NotFound, Rejected, ServerError
from paris_desk.core.model import Post

from .convert import post_from_view, rkey_of
from .errors import NETWORK
from .session import SessionCaller
from .text import iso

log = logging.getLogger(__name__)

Json = dict[str, Any]
GET_POSTS = "app.bsky.feed.getPosts"
GET_POSTS_BATCH = 25  # app.bsky.feed.getPosts takes at most 25 URIs


def post_views(api: SessionCaller, uris: list[str]) -> list[Json]:
    """The ``postView``s of ``uris`` (at most 25), missing posts left out."""
    answer = api.query(GET_POSTS, {"uris": uris})
    views = answer.get("posts") if isinstance(answer, dict) else None
    return [v for v in views if isinstance(v, dict)] if isinstance(views, list) else []


def post_view(api: SessionCaller, uri: str) -> Json:
    """The ``postView`` of ``uri``; ``NotFound`` when it was deleted."""
    views = post_views(api, [uri])
    if not views:
        raise NotFound("post deleted", account_id=api.account.id, network=NETWORK)
    return views[0]


def posts_by_uri(api: SessionCaller, uris: list[str]) -> dict[str, Post]:
    """Posts for ``uris`` (getPosts, in batches of 25, sent at the same time: a page of 100
    notifications costs one round trip, not four); missing posts are absent."""
    batches = [uris[i:i + GET_POSTS_BATCH] for i in range(0, len(uris), GET_POSTS_BATCH)]
    if len(batches) <= 1:
        return _posts(api, batches[0]) if batches else {}
    out: dict[str, Post] = {}
    with ThreadPoolExecutor(len(batches), thread_name_prefix="bluesky-posts") as pool:
        for part in pool.map(lambda batch: _posts(api, batch), batches):
            out.update(part)
    return out


def _posts(api: SessionCaller, uris: list[str]) -> dict[str, Post]:
    posts = (post_from_view(view) for view in post_views(api, uris))
    return {post.uri: post for post in posts if post.uri}


def did_of(api: SessionCaller, handle: str) -> str | None:
    """A handle's DID; None when it does not resolve."""
    try:
        answer = api.query("com.atproto.identity.resolveHandle", {"handle": handle})
    except (Rejected, NotFound):
        log.info("handle did not resolve")
        return None
    did = answer.get("did") if isinstance(answer, dict) else None
    return did if isinstance(did, str) and did else None


def profile(api: SessionCaller, actor: str) -> Json:
    """``app.bsky.actor.getProfile`` (a ``profileViewDetailed``)."""
    answer = api.query("app.bsky.actor.getProfile", {"actor": actor})
    return answer if isinstance(answer, dict) else {}


def strong_ref(uri: str, cid: str) -> Json:
    return {"$type": "com.atproto.repo.strongRef", "uri": uri, "cid": cid}


def create_record(api: SessionCaller, collection: str, fields: Json) -> str:
    """Write a record of ``collection`` (``createdAt`` now) in the account's repository, at a
    key the PDS picks (likes, reposts, blocks: no retry makes a second one, see the channel);
    its URI. The PDS validates it against the lexicon."""
    record = {"$type": collection, **fields, "createdAt": iso(datetime.now(UTC))}
    answer = api.procedure("com.atproto.repo.createRecord",
                           {"repo": api.did, "collection": collection, "record": record})
    uri = answer.get("uri") if isinstance(answer, dict) else None
    if not isinstance(uri, str) or not uri:
        raise ServerError("createRecord: unexpected answer", account_id=api.account.id,
                          network=NETWORK)
    return uri


def delete_record(api: SessionCaller, collection: str, uri: str) -> None:
    """Delete the account's record at ``uri`` (no error when it is already gone)."""
    api.procedure("com.atproto.repo.deleteRecord",
                  {"repo": api.did, "collection": collection, "rkey": rkey_of(uri)})
