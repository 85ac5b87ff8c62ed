"""What moderation labels and sensitive flags do to a post on screen. Pure.

Bluesky (social-app's defaults with adult content off, ``@atproto/api`` moderation
``LABELS``):
- ``!hide``: the post is hidden (a moderator's decision; the app shows a notice, no content);
- ``!warn``: the whole post is collapsed behind a warning, shown on demand;
- ``porn``, ``sexual``, ``nudity``, ``graphic-media`` (and the older ``gore``): its media are
  blurred with the reason, shown on demand ("Voir"). These labels are about media: on a post
  without media they change nothing.
Mastodon: ``sensitive`` media are blurred the same way (reason: sensitive media).

The most severe treatment wins; for media the first reason in ``MEDIA_LABELS`` order is given.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from paris_desk.core.model import Post

HIDE_LABEL = "!hide"
WARN_LABEL = "!warn"
MEDIA_LABELS = ("porn", "sexual", "nudity", "graphic-media", "gore")
SENSITIVE = "sensitive"  # the reason given for Mastodon's sensitive flag


class LabelAction(enum.IntEnum):
    """Ordered by severity."""

    BLUR_MEDIA = 1
    WARN = 2
    HIDE = 3


@dataclass(frozen=True, slots=True)
class LabelVerdict:
    action: LabelAction
    reason: str  # a label value, or ``SENSITIVE``


def label_verdict(post: Post) -> LabelVerdict | None:
    """How ``post`` must be shown, or None when as is."""
    labels = set(post.labels)
    if HIDE_LABEL in labels:
        return LabelVerdict(LabelAction.HIDE, HIDE_LABEL)
    if WARN_LABEL in labels:
        return LabelVerdict(LabelAction.WARN, WARN_LABEL)
    if not post.media:
        return None
    reason = next((value for value in MEDIA_LABELS if value in labels), "")
    if reason:
        return LabelVerdict(LabelAction.BLUR_MEDIA, reason)
    if post.sensitive:
        return LabelVerdict(LabelAction.BLUR_MEDIA, SENSITIVE)
    return None


def blurs_media(post: Post) -> LabelVerdict | None:
    """The verdict when it blurs the post's media (media labels or sensitive), else None."""
    verdict = label_verdict(post)
    return verdict if verdict is not None and verdict.action is LabelAction.BLUR_MEDIA else None
