"""Masking secrets in text: the second net under "never log a secret".

Known shapes (bearer tokens, JWTs, ``access_token=…``, ``password=…``, Bluesky app passwords)
are masked by pattern; every secret the keychain reads or writes is also registered here at
run time and masked wherever it appears. ``paris_desk.services.logging_setup`` applies this to
every log record. It lives in ``store`` because the keychain (store) registers secrets and
must not import the services layer.
"""

from __future__ import annotations

import json
import re
import threading

MASK = "***"
_MIN_SECRET_LENGTH = 4  # shorter strings would mask ordinary words

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer|basic|dpop)(\s+)[A-Za-z0-9._~+/=-]+"), rf"\1\2{MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}"), f"eyJ{MASK}"),
    (
        re.compile(
            r"(?i)(\b(?:access_token|refresh_token|client_secret|password|app_password|token"
            r"|authorization|access_jwt|refresh_jwt|accessjwt|refreshjwt|code_verifier"
            r"|session_string|secret)[\"']?\s*[:=]\s*[\"']?)([^\s&\"',;}]+)"
        ),
        rf"\1{MASK}",
    ),
    (re.compile(r"(?i)([?&]code=)[^\s&\"']+"), rf"\1{MASK}"),
    (re.compile(r"\b[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}\b"), "****-****-****-****"),
)

_lock = threading.Lock()
_secrets: set[str] = set()
_ordered: tuple[str, ...] = ()  # longest first, so a secret containing another is masked whole


def register_secret(secret: str | None) -> None:
    """Mask ``secret`` (and the tokens inside a JSON or ``:::``-joined session) from now on."""
    if not secret:
        return
    global _ordered
    parts = {secret, *_inner_parts(secret)}
    with _lock:
        _secrets.update(p for p in parts if len(p) >= _MIN_SECRET_LENGTH)
        _ordered = tuple(sorted(_secrets, key=len, reverse=True))


def redact(text: str) -> str:
    """``text`` with every known secret and secret-shaped string masked."""
    for secret in _ordered:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def forget_registered_secrets() -> None:
    """For tests: start from an empty registry."""
    global _ordered
    with _lock:
        _secrets.clear()
        _ordered = ()


def _inner_parts(secret: str) -> list[str]:
    """Token-like pieces of a composite secret: a JSON object's secret values, or the JWTs of
    an atproto session string (``handle:::did:::access:::refresh:::pds``)."""
    parts: list[str] = []
    if secret.startswith("{"):
        try:
            data = json.loads(secret)
        except ValueError:
            data = None
        if isinstance(data, dict):
            parts += [
                v
                for k, v in data.items()
                if isinstance(v, str) and re.search(r"(?i)token|secret|password|jwt|session", k)
            ]
    if ":::" in secret:
        parts += [p for p in secret.split(":::") if p.startswith("eyJ")]
    return parts
