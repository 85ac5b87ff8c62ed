"""From a composer draft to what each account publishes: counts, thread parts, requests.

Qt-free and, apart from ``load_rules``/``prepare_media`` (worker threads), pure. The composer
widget calls these on the GUI thread on every keystroke, so they never touch the network or
the disk.

- ``Rules``: how one account counts (its ``Limits``) and the text its network actually posts
  (Bluesky adds a content-warning line: ``compose_text``); loaded off the GUI thread because
  Mastodon limits come from the instance and the Bluesky adapter import is slow.
- ``counters``: one live count per network (per instance limit when they differ).
- ``requests_for``: the ``PostRequest``s of one account, split into a numbered thread when asked
  and needed; the first part carries the images, the reply/quote and the options; the Bluesky
  link card goes to the part that holds the link.
- ``plan``: which accounts publish now and which wait in the outbox until the scheduled time
  (Mastodon schedules natively only a single post at least ``NATIVE_SCHEDULE_MARGIN`` ahead).
"""

from __future__ import annotations

import enum
import logging
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol, runtime_checkable

from paris_desk import channels
from paris_desk.core.accessibility import Issue as A11yIssue
from paris_desk.core.accessibility import check_alt, check_text
from paris_desk.core.counting import Count, count_for
from paris_desk.core.errors import ParisDeskError
from paris_desk.core.facets import detect
from paris_desk.core.model import (
    Account,
    Draft,
    Limits,
    Network,
    PostRequest,
    PreparedMedia,
)
from paris_desk.core.split import SplitError, split_thread
from paris_desk.services import images
from paris_desk.services.linkcard import FetchedCard

log = logging.getLogger(__name__)

PostedText = Callable[[str, str, bool], str]  # (text, content warning, has media) -> as posted
NATIVE_SCHEDULE_MARGIN = timedelta(minutes=6)  # Mastodon refuses less than 5 minutes ahead

DEFAULT_LIMITS = {
    Network.BLUESKY: Limits(max_characters=300, counting="graphemes", max_bytes=3000,
                            image_size_limit=1_000_000, description_limit=2000,
                            supports_threadgate=True),
    Network.MASTODON: Limits(max_characters=500, counting="mastodon",
                             supports_visibility=True, supports_scheduling=True),
}


def _as_typed(text: str, _warning: str, _has_media: bool) -> str:
    return text


@dataclass(frozen=True, slots=True)
class Rules:
    limits: Limits
    posted: PostedText = _as_typed
    known: bool = True  # False: defaults, the account's own limits could not be read


@runtime_checkable
class ResolvesHandles(Protocol):
    """A channel that can tell whether a handle exists (Bluesky)."""

    def resolve_handle(self, handle: str) -> str | None: ...


class ChannelSource(Protocol):
    def channel(self, account_id: str) -> object: ...


def default_rules(network: Network) -> Rules:
    return Rules(DEFAULT_LIMITS[network], known=False)


def load_rules(accounts: Sequence[Account], source: ChannelSource) -> dict[str, Rules]:
    """Each account's rules (worker thread: may hit the network). An account whose channel or
    limits cannot be read gets its network's defaults, marked ``known=False``."""
    found: dict[str, Rules] = {}
    for account in accounts:
        module = channels.adapter_module(account.network)
        posted: PostedText = getattr(module, "compose_text", _as_typed)
        try:
            channel = source.channel(account.id)
            limits = channel.limits()  # type: ignore[attr-defined]
        except ParisDeskError as exc:  # no secret, locked keychain, unreachable instance…
            log.info("limits of %s unavailable (%s): defaults", account.id, type(exc).__name__)
            found[account.id] = replace(default_rules(account.network), posted=posted)
            continue
        found[account.id] = Rules(limits, posted)
    return found


def normalized(text: str) -> str:
    """NFC, as counted and as sent (API_NOTES §3.1)."""
    return unicodedata.normalize("NFC", text)


def text_for(draft: Draft, network: Network) -> str:
    """The network's variant when the user wrote one, else the common text (NFC)."""
    return normalized(draft.variants.get(network.value, draft.text))


# -- counting -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Counter:
    network: Network
    count: Count
    account_ids: tuple[str, ...]
    host: str = ""  # set when one network has several limits (instances) among the targets
    parts: tuple[str, ...] = ()  # the thread, when split


def measure(rules: Rules, text: str, warning: str, has_media: bool) -> Count:
    return count_for(rules.limits, rules.posted(text, warning, has_media), warning)


def fits(rules: Rules, warning: str) -> Callable[[str], bool]:
    """Whether a thread part fits; later parts carry no media, so Bluesky repeats the warning
    line in each of them: count that worst case for every part."""
    return lambda part: not measure(rules, part, warning, False).over


def thread_parts(rules: Rules, text: str, warning: str) -> list[str]:
    try:
        return split_thread(text, fits(rules, warning))
    except SplitError:
        return [text]


def counters(draft: Draft, targets: Sequence[tuple[Account, Rules]], has_media: bool
             ) -> list[Counter]:
    """One counter per (network, limits) among the targets, in target order."""
    groups: dict[tuple[Network, Limits], list[Account]] = {}
    for account, rules in targets:
        groups.setdefault((account.network, rules.limits), []).append(account)
    per_network: dict[Network, int] = {}
    for network, _limits in groups:
        per_network[network] = per_network.get(network, 0) + 1
    rules_of = {account.id: rules for account, rules in targets}
    out = []
    for (network, _limits), accounts in groups.items():
        rules = rules_of[accounts[0].id]
        text = text_for(draft, network)
        count = measure(rules, text, draft.content_warning, has_media)
        parts = tuple(thread_parts(rules, text, draft.content_warning)) if (
            draft.as_thread and count.over) else ()
        host = _host(accounts[0]) if per_network[network] > 1 else ""
        out.append(Counter(network, count, tuple(a.id for a in accounts), host, parts))
    return out


def _host(account: Account) -> str:
    return account.base_url.split("://", 1)[-1].rstrip("/")


# -- checks ---------------------------------------------------------------------------------------


class Block(enum.StrEnum):
    """Why Publish is disabled (the UI says it in French)."""

    NO_TARGET = "no_target"
    EMPTY = "empty"
    OVER_LIMIT = "over_limit"
    ALT_MISSING = "alt_missing"
    ALT_TOO_LONG = "alt_too_long"
    FANCY_LETTERS = "fancy_letters"
    TOO_MANY_IMAGES = "too_many_images"
    SCHEDULE_PAST = "schedule_past"
    PUBLISHED = "published"


@dataclass(frozen=True, slots=True)
class Checks:
    text_issues: tuple[A11yIssue, ...] = ()
    alt_issues: tuple[tuple[A11yIssue, ...], ...] = ()  # per image, in order
    blocks: tuple[Block, ...] = ()
    over: tuple[Network, ...] = field(default=())  # networks over their limit


def check(draft: Draft, targets: Sequence[tuple[Account, Rules]], now: datetime) -> Checks:
    """Accessibility findings and the reasons Publish is disabled (first is the most urgent)."""
    blocks: list[Block] = []
    if draft.batch_id:
        blocks.append(Block.PUBLISHED)
    if not targets:
        blocks.append(Block.NO_TARGET)
    if not draft.text.strip() and not draft.images and not any(draft.variants.values()):
        blocks.append(Block.EMPTY)
    counts = counters(draft, targets, bool(draft.images))
    over = tuple(dict.fromkeys(c.network for c in counts if c.count.over and not c.parts))
    if over:
        blocks.append(Block.OVER_LIMIT)
    max_media = min((rules.limits.max_media for _a, rules in targets), default=4)
    if len(draft.images) > max_media:
        blocks.append(Block.TOO_MANY_IMAGES)
    alt_limit = min((rules.limits.description_limit for _a, rules in targets), default=0)
    alt_issues = tuple(tuple(check_alt(image.alt, image.path, max_length=alt_limit))
                       for image in draft.images)
    codes = {issue.code.value for issues in alt_issues for issue in issues if issue.blocking}
    if "alt_missing" in codes:
        blocks.append(Block.ALT_MISSING)
    if "alt_too_long" in codes:
        blocks.append(Block.ALT_TOO_LONG)
    texts = [draft.text, *draft.variants.values()]
    text_issues = tuple(check_text(normalized(draft.text)))
    if any(i.blocking for t in texts for i in check_text(normalized(t))):
        blocks.append(Block.FANCY_LETTERS)
    if draft.scheduled_at is not None and draft.scheduled_at <= now:
        blocks.append(Block.SCHEDULE_PAST)
    return Checks(text_issues, alt_issues, tuple(blocks), over)


def mentioned_handles(draft: Draft) -> list[str]:
    """Handles @mentioned in the Bluesky text, to resolve before sending."""
    text = text_for(draft, Network.BLUESKY)
    return list(dict.fromkeys(f.value.lower() for f in detect(text) if f.kind == "mention"))


def first_link(text: str) -> str:
    """The first http(s) link of ``text`` (Bluesky's rules), or ""."""
    return next((f.value for f in detect(normalized(text)) if f.kind == "link"), "")


# -- requests -------------------------------------------------------------------------------------


def requests_for(draft: Draft, account: Account, rules: Rules, media: tuple[PreparedMedia, ...],
                 card: FetchedCard | None, native_schedule: bool) -> list[PostRequest]:
    """The requests of one account: one, or the parts of a thread in order."""
    text = text_for(draft, account.network)
    count = measure(rules, text, draft.content_warning, bool(media))
    parts = thread_parts(rules, text, draft.content_warning) if (
        draft.as_thread and count.over) else [text]
    common = PostRequest(
        text="", content_warning=draft.content_warning, visibility=draft.visibility,
        language=draft.language or "fr", reply_gate=draft.reply_gate,
        scheduled_at=draft.scheduled_at if native_schedule else None,
    )
    out = [replace(common, text=part) for part in parts]
    out[0] = replace(out[0], media=media, reply_to=draft.reply_to, quote=draft.quote)
    if card is not None and account.network is Network.BLUESKY and not media:
        index = next((i for i, part in enumerate(parts) if card.card.url in part
                      or first_link(part) == card.card.url), 0)
        out[index] = replace(out[index], link_card=card.card, link_card_thumb=card.thumb)
    return out


@dataclass(frozen=True, slots=True)
class Plan:
    """Who publishes now (or natively scheduled) and who waits in the outbox until ``later``."""

    now: tuple[tuple[Account, tuple[PostRequest, ...]], ...] = ()
    later: tuple[tuple[Account, tuple[PostRequest, ...]], ...] = ()
    when: datetime | None = None


def native_schedule(rules: Rules, parts: int, when: datetime | None, now: datetime) -> bool:
    return (when is not None and rules.limits.supports_scheduling and parts == 1
            and when - now >= NATIVE_SCHEDULE_MARGIN)


def plan(draft: Draft, targets: Sequence[tuple[Account, Rules]],
         media: dict[Limits, tuple[PreparedMedia, ...]], card: FetchedCard | None,
         now: datetime) -> Plan:
    """Every target's requests. ``media``: the images prepared for each distinct limits."""
    later_ok = draft.scheduled_at is not None
    now_items: list[tuple[Account, tuple[PostRequest, ...]]] = []
    later_items: list[tuple[Account, tuple[PostRequest, ...]]] = []
    for account, rules in targets:
        uploads = media.get(rules.limits, ())
        single = requests_for(draft, account, rules, uploads, card, native_schedule=False)
        native = native_schedule(rules, len(single), draft.scheduled_at, now)
        requests = requests_for(draft, account, rules, uploads, card, native) if native else single
        item = (account, tuple(requests))
        (later_items if later_ok and not native else now_items).append(item)
    return Plan(tuple(now_items), tuple(later_items), draft.scheduled_at if later_items else None)


def prepare_media(draft: Draft, limits: Iterable[Limits]
                  ) -> dict[Limits, tuple[PreparedMedia, ...]]:
    """Read the draft's images from disk and re-encode them once per distinct limits (worker
    thread). Raises ``images.ImageError`` or ``OSError`` for a missing or broken file."""
    sources = [(image.path, Path(image.path).read_bytes(), image.alt.strip())
               for image in draft.images]
    out: dict[Limits, tuple[PreparedMedia, ...]] = {}
    for each in dict.fromkeys(limits):
        prepared = []
        for path, data, alt in sources:
            try:
                prepared.append(images.prepare(data, each, alt))
            except images.ImageError as exc:
                exc.path = path
                raise
        out[each] = tuple(prepared)
    return out
