"""Core dataclasses <-> JSON, with an exact round trip.

Driven by the dataclasses' type hints, so a field added to ``core/model.py`` (always with a
default) is stored without touching this file, and a row written before the field existed
decodes with the default. Datetimes are ISO 8601 with their offset; enums are their values;
tuples are lists. A value of the wrong shape raises ``CodecError`` naming the field.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import types
import typing
from datetime import datetime
from typing import Any, TypeVar

from paris_desk.core.model import Notification, Post

T = TypeVar("T")


class CodecError(ValueError):
    """A stored value does not fit its field (``path`` says which, e.g. ``Post.quote.author``)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path


# -- encoding -------------------------------------------------------------------------------


def to_dict(obj: Any) -> dict[str, Any]:
    """A dataclass instance as JSON-ready data."""
    if not dataclasses.is_dataclass(obj) or isinstance(obj, type):
        raise TypeError(f"not a dataclass instance: {type(obj).__name__}")
    encoded: dict[str, Any] = _encode(obj)
    return encoded


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _encode(value: Any) -> Any:
    """Exact types first: most fields are plain strings and numbers, and this runs for every
    field of every post the store writes (``is_dataclass``/``fields`` per value cost 4x more)."""
    cls = type(value)
    if cls in _PLAIN:
        return value
    names = _field_names(cls)
    if names is not None:
        return {name: _encode(getattr(value, name)) for name in names}
    if cls is datetime:
        return value.isoformat()
    if cls is tuple or cls is list:
        return [_encode(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    return value


@functools.cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type (None for any other type)."""
    if not dataclasses.is_dataclass(cls):
        return None
    return tuple(f.name for f in dataclasses.fields(cls))


# -- decoding -------------------------------------------------------------------------------


def from_dict(cls: type[T], data: Any, path: str = "") -> T:
    """Rebuild a ``cls`` instance from ``to_dict`` output."""
    path = path or cls.__name__
    if not isinstance(data, dict):
        raise CodecError(path, f"expected an object, got {type(data).__name__}")
    hints = _hints(cls)  # type: ignore[arg-type]  # classes are hashable
    kwargs = {
        f.name: _decode(hints[f.name], data[f.name], f"{path}.{f.name}")
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data  # missing: written before the field existed, use its default
    }
    try:
        return cls(**kwargs)
    except TypeError as exc:  # a required field is missing
        raise CodecError(path, str(exc)) from exc


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(hint: Any, value: Any, path: str) -> Any:  # noqa: C901 - one branch per type shape
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        if value is None:
            return None
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return _decode(inner, value, path)
    if origin is tuple:
        if not isinstance(value, list):
            raise CodecError(path, "expected a list")
        item = typing.get_args(hint)[0]
        return tuple(_decode(item, v, f"{path}[{i}]") for i, v in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise CodecError(path, "expected an object")
        _, item = typing.get_args(hint)
        return {k: _decode(item, v, f"{path}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value, path)  # type: ignore[arg-type]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError as exc:
            raise CodecError(path, f"unknown {hint.__name__} {value!r}") from exc
    if hint is datetime:
        if not isinstance(value, str):
            raise CodecError(path, "expected an ISO 8601 string")
        try:
            return datetime.fromisoformat(value)
        except ValueError as exc:
            raise CodecError(path, f"bad datetime {value!r}") from exc
    return _check_scalar(hint, value, path)


def _check_scalar(hint: Any, value: Any, path: str) -> Any:
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint in (str, int, float, bool):
        if type(value) is not hint:
            raise CodecError(path, f"expected {hint.__name__}, got {type(value).__name__}")
        return value
    if hint is Any:
        return value
    raise CodecError(path, f"unsupported field type {hint!r}")


# -- the shapes the store keeps -------------------------------------------------------------


def dumps(obj: Any) -> str:
    return json.dumps(to_dict(obj), ensure_ascii=False, separators=(",", ":"))


def post_to_json(post: Post) -> str:
    return dumps(post)


def post_from_json(text: str) -> Post:
    return from_dict(Post, json.loads(text))


def notification_to_json(notification: Notification) -> str:
    return dumps(notification)


def notification_from_json(text: str) -> Notification:
    return from_dict(Notification, json.loads(text))
