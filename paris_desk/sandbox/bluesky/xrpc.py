"""XRPC plumbing shared by the PDS and AppView halves: errors, timestamps, TIDs, params."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from paris_desk.sandbox.http import Request, Response

S32 = "234567abcdefghijklmnopqrstuvwxyz"
TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")
DATETIME_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
)


class XrpcError(Exception):
    """Raised by a handler; becomes ``{"error": ..., "message": ...}`` with ``status``."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error}: {message}")
        self.status = status
        self.error = error
        self.message = message

    def response(self) -> Response:
        return Response(self.status, {"error": self.error, "message": self.message})


def invalid(message: str, error: str = "InvalidRequest") -> XrpcError:
    return XrpcError(400, error, message)


def internal() -> XrpcError:
    """What the PDS says for any unexpected failure: no details."""
    return XrpcError(500, "InternalServerError", "Internal Server Error")


def iso(when: datetime) -> str:
    """RFC 3339 UTC with milliseconds, as the reference servers write it."""
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


def parse_datetime(text: str) -> datetime | None:
    if not isinstance(text, str) or not DATETIME_RE.match(text):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else None


def now() -> datetime:
    return datetime.now(UTC)


def tid_for(when: datetime, clock_id: int = 0) -> str:
    """A TID: base32-sortable of (unix microseconds << 10 | clock id)."""
    micros = int(when.timestamp() * 1_000_000)
    n = (micros << 10) | (clock_id & 0x3FF)
    chars = []
    for _ in range(13):
        chars.append(S32[n & 31])
        n >>= 5
    return "".join(reversed(chars))


def int_param(req: Request, name: str, default: int, low: int, high: int) -> int:
    raw = req.param(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise invalid(f"{name} must be an integer") from None
    if value < low:
        raise invalid(f"{name} can not be less than {low}")
    if value > high:
        raise invalid(f"{name} can not be greater than {high}")
    return value


def required(req: Request, name: str) -> str:
    value = req.param(name, "")
    if not value:
        raise invalid(f'Params must have the property "{name}"')
    return value


def body(req: Request) -> dict[str, Any]:
    """The JSON input of a procedure (400 if it is not a JSON object)."""
    try:
        data = req.json()
    except ValueError:
        raise invalid("Request body is not valid JSON") from None
    if not isinstance(data, dict):
        raise invalid("Input must be an object")
    return data
