"""The text of a post as it is posted, and atproto datetimes: pure, shared by the read path
(``convert``) and the write path (``records``), which imports the SDK.

Content warnings: Bluesky has no free-text CW (API_NOTES §2.7). With media, a CW becomes the
``graphic-media`` self-label (the app blurs the media; the CW wording is not sent). Without
media, the text is prefixed with the CW on its own first line, ``⚠️ CW: <warning>``, which the
reader side (``convert.split_content_warning``) turns back into ``Post.content_warning``. The
prefix counts toward the 300 graphemes: count ``compose_text(...)``, not the bare text.
"""

from __future__ import annotations

from datetime import UTC, datetime

CW_PREFIX = "⚠️ CW: "
CW_LABEL = "graphic-media"


def iso(moment: datetime) -> str:
    """atproto datetime: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def compose_text(text: str, content_warning: str = "", has_media: bool = False) -> str:
    """The text as posted: with the CW line when there is a CW and no media."""
    warning = " ".join(content_warning.split())
    if warning and not has_media:
        return f"{CW_PREFIX}{warning}\n{text}"
    return text
