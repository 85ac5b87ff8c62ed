"""Content identifiers the way a PDS computes them, with the stdlib only.

A record's CID is CIDv1 / dag-cbor / sha2-256 of its DAG-CBOR encoding; a blob's CID is
CIDv1 / raw / sha2-256 of its bytes. Both are written as base32 multibase ("bafyrei…",
"bafkrei…"). Records arrive as JSON: ``{"$link": cid}`` becomes a CID (tag 42) and
``{"$bytes": b64}`` a byte string, as the atproto data model says.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from typing import Any

DAG_CBOR = 0x71
RAW = 0x55
_SHA256 = b"\x12\x20"


class EncodeError(ValueError):
    """The value cannot be represented in DAG-CBOR (floats, non-string keys...)."""


def cid_for_record(value: Any) -> str:
    return _cid_string(DAG_CBOR, hashlib.sha256(encode(value)).digest())


def cid_for_blob(data: bytes) -> str:
    return _cid_string(RAW, hashlib.sha256(data).digest())


def cid_bytes(cid: str) -> bytes:
    """Binary form of a base32 CIDv1 string (raises EncodeError if it is not one)."""
    if not cid.startswith("b") or len(cid) < 8:
        raise EncodeError(f"not a base32 CIDv1: {cid!r}")
    body = cid[1:].upper()
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except ValueError as exc:
        raise EncodeError(f"not a base32 CIDv1: {cid!r}") from exc
    if raw[:1] != b"\x01":
        raise EncodeError(f"not a CIDv1: {cid!r}")
    return raw


def _cid_string(codec: int, digest: bytes) -> str:
    raw = bytes([0x01, codec]) + _SHA256 + digest
    return "b" + base64.b32encode(raw).decode("ascii").lower().rstrip("=")


def encode(value: Any) -> bytes:
    out = bytearray()
    _encode(value, out)
    return bytes(out)


def _head(major: int, n: int, out: bytearray) -> None:
    if n < 24:
        out.append(major << 5 | n)
    elif n < 0x100:
        out += bytes([major << 5 | 24, n])
    elif n < 0x10000:
        out.append(major << 5 | 25)
        out += struct.pack(">H", n)
    elif n < 0x100000000:
        out.append(major << 5 | 26)
        out += struct.pack(">I", n)
    else:
        out.append(major << 5 | 27)
        out += struct.pack(">Q", n)


def _encode(value: Any, out: bytearray) -> None:
    if value is None:
        out.append(0xF6)
    elif value is True:
        out.append(0xF5)
    elif value is False:
        out.append(0xF4)
    elif isinstance(value, int):
        if value >= 0:
            _head(0, value, out)
        else:
            _head(1, -1 - value, out)
    elif isinstance(value, float):
        raise EncodeError("floats are not allowed in atproto records")
    elif isinstance(value, str):
        data = value.encode("utf-8")
        _head(3, len(data), out)
        out += data
    elif isinstance(value, bytes | bytearray):
        _head(2, len(value), out)
        out += value
    elif isinstance(value, list | tuple):
        _head(4, len(value), out)
        for item in value:
            _encode(item, out)
    elif isinstance(value, dict):
        _encode_map(value, out)
    else:
        raise EncodeError(f"cannot encode {type(value).__name__}")


def _encode_map(value: dict[Any, Any], out: bytearray) -> None:
    if set(value) == {"$link"} and isinstance(value["$link"], str):
        out += b"\xd8\x2a"  # tag 42
        _encode(b"\x00" + cid_bytes(value["$link"]), out)
        return
    if set(value) == {"$bytes"} and isinstance(value["$bytes"], str):
        data = value["$bytes"]
        _encode(base64.b64decode(data + "=" * (-len(data) % 4)), out)
        return
    if not all(isinstance(k, str) for k in value):
        raise EncodeError("map keys must be strings")
    keys = sorted(value, key=lambda k: (len(k.encode("utf-8")), k.encode("utf-8")))
    _head(5, len(keys), out)
    for key in keys:
        _encode(key, out)
        _encode(value[key], out)
