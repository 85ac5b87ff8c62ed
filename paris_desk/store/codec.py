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
from collections.abc import Callable
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
    kwargs = {
        name: decode(data[name], f"{path}.{name}")
        for name, decode in _plan(cls)
        if name in data  # missing: written before the field existed, use its default
    }
    try:
        return cls(**kwargs)
    except TypeError as exc:  # a required field is missing
        raise CodecError(path, str(exc)) from exc


Decoder = Callable[[Any, str], Any]  # (value, path for errors) -> the field's value


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, Decoder], ...]:
    """Each field of ``cls`` with the decoder of its type, worked out once per class (reading
    the type hints for every value was most of the cost of reading the cache back)."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls))


@functools.cache
def _decoder(hint: Any) -> Decoder:
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        some = _decoder(inner)
        return lambda value, path: None if value is None else some(value, path)
    if origin is tuple:
        return _tuple_decoder(typing.get_args(hint)[0])
    if origin is dict:
        return _dict_decoder(typing.get_args(hint)[1])
    if dataclasses.is_dataclass(hint):
        return lambda value, path: from_dict(hint, value, path)  # type: ignore[arg-type]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return functools.partial(_enum, hint)
    if hint is datetime:
        return _datetime
    return functools.partial(_check_scalar, hint)  # an unsupported type raises when used


def _tuple_decoder(item: Any) -> Decoder:
    decode = _decoder(item)

    def tuple_of(value: Any, path: str) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise CodecError(path, "expected a list")
        if item is str and all(type(v) is str for v in value):
            return tuple(value)
        return tuple(decode(v, f"{path}[{i}]") for i, v in enumerate(value))

    return tuple_of


def _dict_decoder(item: Any) -> Decoder:
    decode = _decoder(item)

    def dict_of(value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise CodecError(path, "expected an object")
        return {k: decode(v, f"{path}.{k}") for k, v in value.items()}

    return dict_of


def _enum(hint: type[enum.Enum], value: Any, path: str) -> enum.Enum:
    try:
        return hint(value)
    except ValueError as exc:
        raise CodecError(path, f"unknown {hint.__name__} {value!r}") from exc


def _datetime(value: Any, path: str) -> datetime:
    if not isinstance(value, str):
        raise CodecError(path, "expected an ISO 8601 string")
    try:
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise CodecError(path, f"bad datetime {value!r}") from exc


def _check_scalar(hint: Any, value: Any, path: str) -> Any:
    if type(value) is hint:  # the common case first
        return value
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint in (str, int, float, bool):
        raise CodecError(path, f"expected {hint.__name__}, got {type(value).__name__}")
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
