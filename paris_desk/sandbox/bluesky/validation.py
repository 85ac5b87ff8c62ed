"""Lexicon checks the PDS applies before writing a record, with its wording.

Messages follow ``@atproto/lex-schema``: ``Invalid app.bsky.feed.post record: grapheme too big
(maximum 300, got 301) at $.record.text``. Only the collections the city staff write are
described; any other ``$type`` is "unknown" (or refused when the client asks ``validate=true``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import regex

from paris_desk.sandbox.bluesky.xrpc import TID_RE, invalid, parse_datetime

RKEY_RE = re.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
NSID_RE = re.compile(r"^[a-zA-Z]([a-zA-Z0-9-]*)(\.[a-zA-Z0-9-]+)+$")
DID_RE = re.compile(r"^did:[a-z]+:[a-zA-Z0-9._:%-]*[a-zA-Z0-9._-]$")
AT_URI_RE = re.compile(r"^at://[^/\s]+(/[a-zA-Z0-9.-]+(/[A-Za-z0-9._:~-]+)?)?$")
CID_RE = re.compile(r"^[A-Za-z0-9+]{8,}$")
URI_RE = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")

IMAGE_MAX_SIZE = 2_000_000  # app.bsky.embed.images since atproto #4823 (1,000,000 before)
THUMB_MAX_SIZE = 1_000_000
AVATAR_MAX_SIZE = 1_000_000
TID_KEYED = {"app.bsky.feed.post", "app.bsky.feed.like", "app.bsky.feed.repost",
             "app.bsky.graph.follow", "app.bsky.graph.block", "app.bsky.feed.threadgate",
             "app.bsky.feed.postgate"}
SELF_KEYED = {"app.bsky.actor.profile"}
KNOWN = TID_KEYED | SELF_KEYED


class LexiconError(Exception):
    """One lexicon violation; ``path`` like ``$.record.text``."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(f"{message} at {path}")


def graphemes(text: str) -> int:
    return len(regex.findall(r"\X", text))


def blob_refs(value: Any) -> Iterator[dict[str, Any]]:
    """Every blob ref inside a record, in document order."""
    if isinstance(value, dict):
        if value.get("$type") == "blob":
            yield value
            return
        for item in value.values():
            yield from blob_refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from blob_refs(item)


def check_write(collection: str, rkey: str, record: Any, validate: bool | None) -> str | None:
    """Raise 400 InvalidRequest like ``prepareWrite``; return the validationStatus."""
    if not isinstance(record, dict):
        raise invalid("Input/record must be an object")
    if not NSID_RE.match(collection):
        raise invalid(f"Invalid collection: {collection}")
    rtype = record.get("$type", collection)
    if rtype != collection:
        raise invalid(f"Invalid $type: expected {collection}, got {rtype}")
    if not RKEY_RE.match(rkey) or rkey in (".", ".."):
        raise invalid(f"Invalid record key: {rkey}")
    for ref in _legacy_blobs(record):
        raise invalid(f"Legacy blobs are not allowed ({ref})")
    if validate is False:
        return None
    if collection not in KNOWN:
        if validate is True:
            raise invalid(f"Unknown lexicon type: {collection}")
        return "unknown"
    if collection in TID_KEYED and not TID_RE.match(rkey):
        raise invalid(f'Invalid record key for {collection}: Invalid TID string (got "{rkey}")')
    if collection in SELF_KEYED and rkey != "self":
        raise invalid(f'Invalid record key for {collection}: Expected "self" (got "{rkey}")')
    try:
        _CHECKS[collection](record, "$.record")
    except LexiconError as exc:
        raise invalid(f"Invalid {collection} record: {exc}") from None
    return "valid"


def _legacy_blobs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        if set(value) == {"cid", "mimeType"} and isinstance(value.get("cid"), str):
            yield value["cid"]
            return
        for item in value.values():
            yield from _legacy_blobs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _legacy_blobs(item)


# -- primitives ----------------------------------------------------------------------------
def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LexiconError(f"Expected object value type (got {_kind(value)})", path)
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    return {str: "string", list: "array", dict: "object", type(None): "null"}.get(
        type(value), type(value).__name__)


def _required(data: dict[str, Any], key: str, path: str) -> Any:
    if key not in data:
        raise LexiconError(f'Missing required key "{key}"', path)
    return data[key]


def _string(value: Any, path: str, max_bytes: int | None = None,
            max_graphemes: int | None = None, fmt: re.Pattern[str] | None = None,
            fmt_name: str = "") -> str:
    if not isinstance(value, str):
        raise LexiconError(f"Expected string value type (got {_kind(value)})", path)
    size = len(value.encode("utf-8"))
    if max_bytes is not None and size > max_bytes:
        raise LexiconError(f"string too big (maximum {max_bytes}, got {size})", path)
    if max_graphemes is not None and len(value) > max_graphemes:
        count = graphemes(value)
        if count > max_graphemes:
            raise LexiconError(f"grapheme too big (maximum {max_graphemes}, got {count})", path)
    if fmt is not None and not fmt.match(value):
        raise LexiconError(f'Invalid {fmt_name} (got "{value}")', path)
    return value


def _datetime(value: Any, path: str) -> None:
    if parse_datetime(value) is None:
        raise LexiconError(f"Invalid datetime (got {value!r})", path)


def _int(value: Any, path: str, minimum: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise LexiconError(f"Expected integer value type (got {_kind(value)})", path)
    if minimum is not None and value < minimum:
        raise LexiconError(f"integer too small (minimum {minimum}, got {value})", path)


def _array(value: Any, path: str, max_length: int | None = None) -> list[Any]:
    if not isinstance(value, list):
        raise LexiconError(f"Expected array value type (got {_kind(value)})", path)
    if max_length is not None and len(value) > max_length:
        raise LexiconError(f"array too big (maximum {max_length}, got {len(value)})", path)
    return value


def _blob(value: Any, path: str, accept: str, max_size: int) -> None:
    ref = _obj(value, path)
    link = _obj(_required(ref, "ref", path), f"{path}.ref")
    _string(link.get("$link"), f"{path}.ref", fmt=CID_RE, fmt_name="CID string")
    mime = _string(_required(ref, "mimeType", path), f"{path}.mimeType")
    _int(_required(ref, "size", path), f"{path}.size", 0)
    prefix = accept.removesuffix("*")
    if not (mime == accept or (accept.endswith("/*") and mime.startswith(prefix))):
        raise LexiconError(f'Expected "{accept}" (got "{mime}")', f"{path}.mimeType")
    if ref["size"] > max_size:
        raise LexiconError(f"blob too big (maximum {max_size}, got {ref['size']})", path)


def _strong_ref(value: Any, path: str) -> None:
    ref = _obj(value, path)
    _string(_required(ref, "uri", path), f"{path}.uri", fmt=AT_URI_RE, fmt_name="AT-URI")
    _string(_required(ref, "cid", path), f"{path}.cid", fmt=CID_RE, fmt_name="CID string")


# -- records -------------------------------------------------------------------------------
def _post(record: dict[str, Any], path: str) -> None:
    _string(_required(record, "text", path), f"{path}.text", 3000, 300)
    _datetime(_required(record, "createdAt", path), f"{path}.createdAt")
    for i, facet in enumerate(_array(record.get("facets", []), f"{path}.facets")):
        _facet(facet, f"{path}.facets[{i}]")
    if "reply" in record:
        reply = _obj(record["reply"], f"{path}.reply")
        _strong_ref(_required(reply, "root", f"{path}.reply"), f"{path}.reply.root")
        _strong_ref(_required(reply, "parent", f"{path}.reply"), f"{path}.reply.parent")
    if "embed" in record:
        _embed(record["embed"], f"{path}.embed", with_record=True)
    for i, lang in enumerate(_array(record.get("langs", []), f"{path}.langs", 3)):
        _string(lang, f"{path}.langs[{i}]")
    for i, tag in enumerate(_array(record.get("tags", []), f"{path}.tags", 8)):
        _string(tag, f"{path}.tags[{i}]", 640, 64)


def _facet(value: Any, path: str) -> None:
    facet = _obj(value, path)
    index = _obj(_required(facet, "index", path), f"{path}.index")
    _int(_required(index, "byteStart", f"{path}.index"), f"{path}.index.byteStart", 0)
    _int(_required(index, "byteEnd", f"{path}.index"), f"{path}.index.byteEnd", 0)
    features = _array(_required(facet, "features", path), f"{path}.features")
    for i, feature in enumerate(features):
        fpath = f"{path}.features[{i}]"
        feat = _obj(feature, fpath)
        kind = feat.get("$type")
        if kind == "app.bsky.richtext.facet#mention":
            _string(_required(feat, "did", fpath), f"{fpath}.did", fmt=DID_RE, fmt_name="DID")
        elif kind == "app.bsky.richtext.facet#link":
            _string(_required(feat, "uri", fpath), f"{fpath}.uri", fmt=URI_RE, fmt_name="URI")
        elif kind == "app.bsky.richtext.facet#tag":
            _string(_required(feat, "tag", fpath), f"{fpath}.tag", 640, 64)


def _embed(value: Any, path: str, with_record: bool) -> None:
    embed = _obj(value, path)
    kind = embed.get("$type")
    if kind == "app.bsky.embed.images":
        images = _array(_required(embed, "images", path), f"{path}.images", 4)
        for i, image in enumerate(images):
            ipath = f"{path}.images[{i}]"
            item = _obj(image, ipath)
            _blob(_required(item, "image", ipath), f"{ipath}.image", "image/*", IMAGE_MAX_SIZE)
            _string(_required(item, "alt", ipath), f"{ipath}.alt")
            if "aspectRatio" in item:
                ratio = _obj(item["aspectRatio"], f"{ipath}.aspectRatio")
                _int(_required(ratio, "width", ipath), f"{ipath}.aspectRatio.width", 1)
                _int(_required(ratio, "height", ipath), f"{ipath}.aspectRatio.height", 1)
    elif kind == "app.bsky.embed.external":
        ext = _obj(_required(embed, "external", path), f"{path}.external")
        epath = f"{path}.external"
        _string(_required(ext, "uri", epath), f"{epath}.uri", fmt=URI_RE, fmt_name="URI")
        _string(_required(ext, "title", epath), f"{epath}.title")
        _string(_required(ext, "description", epath), f"{epath}.description")
        if "thumb" in ext:
            _blob(ext["thumb"], f"{epath}.thumb", "image/*", THUMB_MAX_SIZE)
    elif kind == "app.bsky.embed.record" and with_record:
        _strong_ref(_required(embed, "record", path), f"{path}.record")
    elif kind == "app.bsky.embed.recordWithMedia" and with_record:
        inner = _obj(_required(embed, "record", path), f"{path}.record")
        _strong_ref(_required(inner, "record", f"{path}.record"), f"{path}.record.record")
        _embed(_required(embed, "media", path), f"{path}.media", with_record=False)
    elif kind == "app.bsky.embed.video":
        _blob(_required(embed, "video", path), f"{path}.video", "video/mp4", 100_000_000)


def _subject_ref(record: dict[str, Any], path: str) -> None:
    _strong_ref(_required(record, "subject", path), f"{path}.subject")
    _datetime(_required(record, "createdAt", path), f"{path}.createdAt")


def _subject_did(record: dict[str, Any], path: str) -> None:
    _string(_required(record, "subject", path), f"{path}.subject", fmt=DID_RE, fmt_name="DID")
    _datetime(_required(record, "createdAt", path), f"{path}.createdAt")


def _profile(record: dict[str, Any], path: str) -> None:
    if "displayName" in record:
        _string(record["displayName"], f"{path}.displayName", 640, 64)
    if "description" in record:
        _string(record["description"], f"{path}.description", 2560, 256)
    for key in ("avatar", "banner"):
        if key in record:
            _blob(record[key], f"{path}.{key}", "image/*", AVATAR_MAX_SIZE)


def _gate(record: dict[str, Any], path: str) -> None:
    _string(_required(record, "post", path), f"{path}.post", fmt=AT_URI_RE, fmt_name="AT-URI")
    _datetime(_required(record, "createdAt", path), f"{path}.createdAt")


def _uris(record: dict[str, Any], key: str, path: str, max_length: int) -> None:
    if key in record:
        for i, uri in enumerate(_array(record[key], f"{path}.{key}", max_length)):
            _string(uri, f"{path}.{key}/{i}", fmt=AT_URI_RE, fmt_name="AT-URI")


def _threadgate(record: dict[str, Any], path: str) -> None:
    """``allow``: at most 5 rules; ``hiddenReplies``: at most 300 AT-URIs (lexicon)."""
    _gate(record, path)
    if "allow" in record:
        for i, rule in enumerate(_array(record["allow"], f"{path}.allow", 5)):
            _obj(rule, f"{path}.allow/{i}")
    _uris(record, "hiddenReplies", path, 300)


def _postgate(record: dict[str, Any], path: str) -> None:
    """``embeddingRules``: at most 5; ``detachedEmbeddingUris``: at most 50 AT-URIs."""
    _gate(record, path)
    if "embeddingRules" in record:
        for i, rule in enumerate(_array(record["embeddingRules"], f"{path}.embeddingRules", 5)):
            _obj(rule, f"{path}.embeddingRules/{i}")
    _uris(record, "detachedEmbeddingUris", path, 50)


_CHECKS: dict[str, Callable[[dict[str, Any], str], None]] = {
    "app.bsky.feed.post": _post,
    "app.bsky.feed.like": _subject_ref,
    "app.bsky.feed.repost": _subject_ref,
    "app.bsky.graph.follow": _subject_did,
    "app.bsky.graph.block": _subject_did,
    "app.bsky.actor.profile": _profile,
    "app.bsky.feed.threadgate": _threadgate,
    "app.bsky.feed.postgate": _postgate,
}
