"""Publishing a draft: the one use case behind the composer, replies, quotes, the CLI and
scheduled posts.

``Publisher.submit(draft)`` runs, in order, and nothing reaches a network before step 5:

1. **Targets.** The draft's account ids become accounts, each with its rules (its limits).
2. **Checks.** Every blocking finding (blank text, a text over a target's limit when no split
   or variant was asked for, a missing alt text, an image file that is not a regular readable
   file or is too big, an unknown Bluesky mention…) refuses the draft with ``Refused``, which
   lists them all. Nothing is saved or queued.
3. **Media.** Each image is read once and re-encoded once per distinct network limits
   (``images.prepare``: EXIF/XMP/GPS dropped, neutral file name). Only that function builds a
   ``PreparedMedia``, so a file's raw bytes cannot reach a request.
4. **Plan.** NFC text, link card (fetched here unless the caller brings one or asks for none),
   thread split or per-network variant, native or outbox scheduling (``composition.plan``).
5. **Write.** The draft (marked with its batch id) and every job, in one durable transaction.

Sending is the outbox's work (``OutboxService``); a caller that waits (the CLI) follows its
own batch there. Qt-free and blocking: the window calls ``submit`` on a worker thread.
"""

from __future__ import annotations

import enum
import logging
import os
import stat
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from paris_desk.core.channel import Channel
from paris_desk.core.errors import ChannelError, ParisDeskError
from paris_desk.core.model import Account, Draft, Limits, Network, PreparedMedia
from paris_desk.services import composition, images
from paris_desk.services.composition import Block, Rules
from paris_desk.services.linkcard import FetchedCard, LinkCardError, fetch_card
from paris_desk.services.outbox import OutboxService
from paris_desk.store.drafts import DraftStore
from paris_desk.store.outbox import Job

log = logging.getLogger(__name__)

MAX_IMAGE_FILE_BYTES = 50_000_000  # larger source files are refused before being read


class Problem(enum.StrEnum):
    """Why a draft is refused. The composer's ``Block`` reasons, and what only a submission
    can find (the image files, the mentions on the network)."""

    NO_TARGET = Block.NO_TARGET.value
    EMPTY = Block.EMPTY.value
    OVER_LIMIT = Block.OVER_LIMIT.value
    ALT_MISSING = Block.ALT_MISSING.value
    ALT_TOO_LONG = Block.ALT_TOO_LONG.value
    FANCY_LETTERS = Block.FANCY_LETTERS.value
    TOO_MANY_IMAGES = Block.TOO_MANY_IMAGES.value
    SCHEDULE_PAST = Block.SCHEDULE_PAST.value
    PUBLISHED = Block.PUBLISHED.value
    IMAGE_MISSING = "image_missing"
    IMAGE_NOT_FILE = "image_not_file"
    IMAGE_FILE_TOO_BIG = "image_file_too_big"
    IMAGE_UNREADABLE = "image_unreadable"
    UNKNOWN_MENTION = "unknown_mention"


@dataclass(frozen=True, slots=True)
class Finding:
    """One blocking reason. ``subject``: the file or the handle concerned; for OVER_LIMIT,
    ``network`` with its ``count`` and ``limit``; ``detail``: more, in English (logs)."""

    problem: Problem
    subject: str = ""
    network: Network | None = None
    count: int = 0
    limit: int = 0
    detail: str = ""


class Refused(ParisDeskError):
    """The draft cannot be published as it is; nothing was saved or queued."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = tuple(findings)
        super().__init__("; ".join(_describe(f) for f in self.findings))


def _describe(finding: Finding) -> str:
    where = f" {finding.network.value} {finding.count}/{finding.limit}" if finding.network else ""
    subject = f" ({finding.subject})" if finding.subject else ""
    detail = f": {finding.detail}" if finding.detail else ""
    return f"{finding.problem.value}{where}{subject}{detail}"


@dataclass(frozen=True, slots=True)
class Submission:
    """A draft accepted: saved with its batch id, its jobs written to the outbox."""

    draft: Draft
    jobs: tuple[Job, ...]
    scheduled_for: datetime | None = None  # the time the outbox holds some jobs until

    @property
    def batch_id(self) -> str:
        return self.draft.batch_id


class AccountSource(Protocol):
    def get(self, account_id: str) -> Account: ...

    def channel(self, account_id: str) -> Channel: ...


class _Auto(enum.Enum):
    FETCH = "fetch"


FETCH_CARD = _Auto.FETCH  # ``submit(card=FETCH_CARD)``: fetch the first link's card here
CardChoice = FetchedCard | None | _Auto
CardFetcher = Callable[[str, Limits], FetchedCard]


class Publisher:
    def __init__(self, accounts: AccountSource, outbox: OutboxService, drafts: DraftStore, *,
                 card_fetcher: CardFetcher = fetch_card) -> None:
        self._accounts = accounts
        self._outbox = outbox
        self._drafts = drafts
        self._fetch_card = card_fetcher

    def rules(self, accounts: Sequence[Account]) -> dict[str, Rules]:
        """Each account's rules (may ask the instances for their limits)."""
        return composition.load_rules(accounts, self._accounts)

    def submit(self, draft: Draft, *, card: CardChoice = FETCH_CARD,
               rules: Mapping[str, Rules] | None = None, now: datetime | None = None
               ) -> Submission:
        """Check, prepare and queue ``draft`` (see the module docstring). Raises ``Refused``
        (nothing queued), or a store error (nothing queued either)."""
        the_plan = self.plan(draft, card=card, rules=rules, now=now)
        return self._write(replace(draft, batch_id=uuid.uuid4().hex), the_plan)

    def plan(self, draft: Draft, *, card: CardChoice = FETCH_CARD,
             rules: Mapping[str, Rules] | None = None, now: datetime | None = None
             ) -> composition.Plan:
        """Steps 1 to 4 of ``submit``: what would be queued, nothing written. A submission
        for approval (team mode) keeps this plan until a validateur approves it."""
        now = now or datetime.now(UTC)
        accounts = [self._accounts.get(account_id) for account_id in draft.targets]
        known = dict(rules or {})
        missing = [a for a in accounts if a.id not in known]
        if missing:
            known.update(self.rules(missing))
        targets = [(account, known[account.id]) for account in accounts]
        findings = self.check(draft, targets, now)
        if findings:
            raise Refused(findings)
        media = self._prepare_media(draft, targets)
        chosen = self._card(draft, targets) if isinstance(card, _Auto) else card
        return composition.plan(draft, targets, media, chosen, now)

    def check(self, draft: Draft, targets: Sequence[tuple[Account, Rules]], now: datetime
              ) -> list[Finding]:
        """Every blocking finding of ``draft`` for ``targets`` (network: mentions)."""
        checks = composition.check(draft, targets, now)
        findings = [self._finding(block, draft, targets) for block in checks.blocks]
        findings = [f for group in findings for f in group]
        findings += [f for image in draft.images if (f := _file_finding(Path(image.path)))]
        findings += self._mention_findings(draft, targets)
        return findings

    # -- steps ---------------------------------------------------------------------------------

    @staticmethod
    def _finding(block: Block, draft: Draft, targets: Sequence[tuple[Account, Rules]]
                 ) -> list[Finding]:
        if block is not Block.OVER_LIMIT:
            return [Finding(Problem(block.value))]
        over = []
        counters = composition.counters(draft, targets, bool(draft.images))
        for counter in counters:
            if counter.count.over and not counter.parts:
                over.append(Finding(Problem.OVER_LIMIT, subject=counter.host,
                                    network=counter.network, count=counter.count.used,
                                    limit=counter.count.limit))
        return over

    def _mention_findings(self, draft: Draft, targets: Sequence[tuple[Account, Rules]]
                          ) -> list[Finding]:
        """Bluesky @mentions that name no account. A network failure is not a finding: the
        adapter resolves the mentions again when it sends."""
        bluesky = next((a for a, _r in targets if a.network is Network.BLUESKY), None)
        handles = composition.mentioned_handles(draft) if bluesky else []
        if not handles or bluesky is None:
            return []
        try:
            channel = self._accounts.channel(bluesky.id)
            if not isinstance(channel, composition.ResolvesHandles):
                return []
            unknown = [h for h in handles if channel.resolve_handle(h) is None]
        except ChannelError as exc:
            log.info("mentions not checked before queueing (%s)", type(exc).__name__)
            return []
        return [Finding(Problem.UNKNOWN_MENTION, subject=handle) for handle in unknown]

    @staticmethod
    def _prepare_media(draft: Draft, targets: Sequence[tuple[Account, Rules]]
                       ) -> dict[Limits, tuple[PreparedMedia, ...]]:
        try:
            return composition.prepare_media(draft, [rules.limits for _a, rules in targets])
        except images.ImageError as exc:
            raise Refused([Finding(Problem.IMAGE_UNREADABLE, subject=exc.path,
                                   detail=str(exc))]) from exc
        except OSError as exc:
            raise Refused([Finding(Problem.IMAGE_UNREADABLE, subject=str(exc.filename or ""),
                                   detail=exc.strerror or str(exc))]) from exc

    def _card(self, draft: Draft, targets: Sequence[tuple[Account, Rules]]
              ) -> FetchedCard | None:
        """The first link's card, for the Bluesky targets of a draft without images."""
        bluesky = next((r for a, r in targets if a.network is Network.BLUESKY), None)
        if bluesky is None or draft.images:
            return None
        url = composition.first_link(composition.text_for(draft, Network.BLUESKY))
        if not url or url == draft.card_dismissed:
            return None
        try:
            return self._fetch_card(url, bluesky.limits)
        except LinkCardError as exc:
            log.info("no link card for the post (%s)", exc)
            return None

    def _write(self, draft: Draft, the_plan: composition.Plan) -> Submission:
        outbox = self._outbox
        with outbox.store.db.transaction(durable=True):
            saved = self._drafts.save(draft)
            jobs = outbox.publish(draft.batch_id, the_plan.now) if the_plan.now else []
            if the_plan.later:
                jobs += outbox.publish(draft.batch_id, the_plan.later, not_before=the_plan.when)
        log.info("publication %s queued: %d job(s)", draft.batch_id, len(jobs))
        return Submission(saved, tuple(jobs), the_plan.when if the_plan.later else None)

    def forget_published(self) -> list[str]:
        """Delete the drafts whose publication is complete (every job SENT); their ids."""
        deleted = []
        for draft in self._drafts.list():
            if draft.batch_id and self._outbox.batch_sent(draft.batch_id):
                self._drafts.delete(draft.id)
                deleted.append(draft.id)
        return deleted


def _file_finding(path: Path) -> Finding | None:
    """Refuse what is not a regular file of a sane size before reading it: a FIFO would
    block the reader forever, a device or a 4 GB file would fill the memory."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return Finding(Problem.IMAGE_MISSING, subject=str(path))
    except OSError as exc:
        return Finding(Problem.IMAGE_UNREADABLE, subject=str(path), detail=exc.strerror or "")
    if not stat.S_ISREG(info.st_mode):
        return Finding(Problem.IMAGE_NOT_FILE, subject=str(path))
    if info.st_size > MAX_IMAGE_FILE_BYTES:
        return Finding(Problem.IMAGE_FILE_TOO_BIG, subject=str(path), count=info.st_size,
                       limit=MAX_IMAGE_FILE_BYTES)
    if not os.access(path, os.R_OK):
        return Finding(Problem.IMAGE_UNREADABLE, subject=str(path), detail="permission denied")
    return None
