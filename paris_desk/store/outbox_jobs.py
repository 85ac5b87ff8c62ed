"""The outbox's jobs as values: their states, the ``Job`` and ``Lock`` records, their keys, and
how a job's request is stored (the JSON of ``outbox_jobs.request_json``, the bytes of
``outbox_media``) and read back (``decode_job``). Shared by the profile's outbox
(``store.outbox``, SQLite) and the team's (``store.team.outbox``, PostgreSQL); the state
machine itself is described in ``store.outbox``.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from paris_desk.core.model import Network, Post, PostRequest, PreparedMedia
from paris_desk.core.tid import next_tid
from paris_desk.store import codec
from paris_desk.store.owner import Owner

INTERRUPTED = "Interrupted"  # error_kind of a job recovered from a stale SENDING state
MAX_ERROR_CHARS = 500


class JobState(enum.IntEnum):
    PENDING = 0
    SENDING = 1
    SENT = 2
    FAILED = 3
    CANCELLED = 4


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    batch_id: str
    account_id: str
    part: int
    network: Network
    idempotency_key: str
    request: PostRequest
    state: JobState
    attempts: int = 0
    not_before_us: int = 0
    locked_at_us: int = 0
    last_error: str = ""
    error_kind: str = ""  # the type name of the last failure ("" = never failed)
    result_uri: str = ""
    result_url: str = ""
    result: Post | None = None
    owner: Owner | None = None  # who holds the SENDING lock (None: no owner recorded)

    @property
    def failed_before(self) -> bool:
        """An earlier attempt failed or was interrupted: it may have reached the server."""
        return self.attempts > 1 or bool(self.error_kind)


@dataclass(frozen=True, slots=True)
class Lock:
    """Who holds a SENDING job, and since when."""

    id: int
    locked_at_us: int
    owner: Owner | None


def now_us() -> int:
    return time.time_ns() // 1000


def new_key(network: Network) -> str:
    """The idempotency key of a new job: a TID (the record key) on Bluesky, a UUID elsewhere."""
    if network is Network.BLUESKY:
        return next_tid()
    return uuid.uuid4().hex


# Bytes live in outbox_media, not in the request's JSON: images at positions 0, 1, 2…, the
# link card's thumbnail at CARD_THUMB_POSITION.
CARD_THUMB_POSITION = -1


def _request_json(request: PostRequest) -> str:
    data = codec.to_dict(dataclasses.replace(request, media=(), link_card_thumb=None))
    return json.dumps(data, ensure_ascii=False)


def _blobs(request: PostRequest) -> list[tuple[int, PreparedMedia]]:
    blobs = list(enumerate(request.media))
    if request.link_card_thumb is not None:
        blobs.append((CARD_THUMB_POSITION, request.link_card_thumb))
    return blobs


def decode_job(r: Mapping[str, Any], media_rows: Sequence[Mapping[str, Any]]) -> Job:
    """A ``Job`` from its ``outbox_jobs`` row and its ``outbox_media`` rows (any mapping by
    column name: sqlite3 rows here, PostgreSQL's in ``store.team.outbox``)."""
    blobs = {
        m["position"]: PreparedMedia(
            data=bytes(m["data"]),
            mime_type=m["mime_type"],
            alt=m["alt"],
            width=m["width"],
            height=m["height"],
            file_name=m["file_name"],
        )
        for m in media_rows
    }
    thumb = blobs.pop(CARD_THUMB_POSITION, None)
    request = codec.from_dict(PostRequest, json.loads(r["request_json"]))
    request = dataclasses.replace(
        request, media=tuple(blobs[i] for i in sorted(blobs)), link_card_thumb=thumb
    )
    result = codec.post_from_json(r["result_json"]) if r["result_json"] else None
    return Job(
        id=r["id"],
        batch_id=r["batch_id"],
        account_id=r["account_id"],
        part=r["part"],
        network=Network(r["network"]),
        idempotency_key=r["idempotency_key"],
        request=request,
        state=JobState(r["state"]),
        attempts=r["attempts"],
        not_before_us=r["not_before_us"],
        locked_at_us=r["locked_at_us"],
        last_error=r["last_error"],
        error_kind=r["error_kind"],
        result_uri=r["result_uri"],
        result_url=r["result_url"],
        result=result,
        owner=Owner(r["lock_host"], r["lock_pid"], r["lock_start"]) if r["lock_pid"] else None,
    )
