"""One profile's application core, and the place where it is put together.

A ``Desk`` is what the window, the command line and any later worker call from below (compare
Anki's ``Collection``): accounts, timeline, inbox, drafts, the publisher and the outbox of one
profile, built here over one database, and nowhere else. ui/ and cli/ never reach the store:
every user action that changes the world is one method of a service held by the desk.

Qt-free and blocking. The window runs each call on a worker (``services.workers``); the CLI
calls it directly. The services are built on first use, so a command that only lists accounts
does not pay for the rest.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from functools import cached_property
from typing import TYPE_CHECKING

from paris_desk.core.model import Draft, Post
from paris_desk.services.accounts import AccountService
from paris_desk.services.audit import record
from paris_desk.services.executors import Executors
from paris_desk.services.filters import FilterService
from paris_desk.services.inbox import InboxItem, InboxService
from paris_desk.services.outbox import OutboxService, RetryPolicy
from paris_desk.services.reactions import PostAction, Reactions
from paris_desk.services.replies import SavedReplies
from paris_desk.services.requests import RequestService
from paris_desk.services.threads import ThreadGuard
from paris_desk.services.timeline import TimelineService
from paris_desk.store.cache import PostCache
from paris_desk.store.drafts import DraftStore
from paris_desk.store.filters import FilterStore
from paris_desk.store.inbox import InboxStore
from paris_desk.store.outbox import Job, JobState, OutboxStore
from paris_desk.store.profile import Profile
from paris_desk.store.replies import SavedReplyStore
from paris_desk.store.requests import RequestDecisionStore

if TYPE_CHECKING:  # imported on first use: composing pulls in counting, facets, link cards
    # and images, about 70 ms of CPU the first paint of a cached timeline does not need
    from paris_desk.services.approvals import Approval, ApprovalService
    from paris_desk.services.composition import Rules
    from paris_desk.services.publisher import CardChoice, Publisher, Submission
    from paris_desk.services.team_accounts import TeamAccounts
    from paris_desk.services.triage import TriageService
    from paris_desk.store.team.database import TeamDatabase
    from paris_desk.store.team.filters import TeamFilterStore

log = logging.getLogger(__name__)

REPLY_WAIT_S = 30.0  # how long an answer from the inbox waits for its send before it says "queued"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A submission after the wait for its own jobs: each job as it ended (or still waits)."""

    submission: Submission
    jobs: tuple[Job, ...]

    @property
    def sent(self) -> bool:
        return bool(self.jobs) and all(job.state is JobState.SENT for job in self.jobs)

    @property
    def first_post(self) -> Post | None:
        """The first published post (the reply, or a thread's first part)."""
        return next((job.result for job in self.jobs if job.result is not None), None)


class Desk:
    def __init__(self, accounts: AccountService, *, retry_policy: RetryPolicy | None = None,
                 tz: tzinfo | None = None, executors: Executors | None = None) -> None:
        self.accounts = accounts
        self._owns_executors = executors is None
        self.executors = executors or Executors()
        self._retry_policy = retry_policy
        self._tz = tz or datetime.now().astimezone().tzinfo or UTC
        self._team_db: TeamDatabase | None = None  # team mode: the shared outbox's connection
        self._recovered: list[int] | None = None  # the jobs ``recover`` took back, once done
        self._recovering = threading.Lock()
        self._sent_watchers: list[Callable[[list[Job]], None]] = []

    @classmethod
    def open(cls, profile: Profile, **options: object) -> Desk:
        """The desk of ``profile`` (its database and keychain entries)."""
        return cls(AccountService(profile), **options)  # type: ignore[arg-type]

    @property
    def profile(self) -> Profile:
        return self.accounts.profile

    # -- the services ----------------------------------------------------------------------------

    @cached_property
    def drafts(self) -> DraftStore:
        return DraftStore(self.accounts.db)

    @cached_property
    def outbox(self) -> OutboxService:
        return OutboxService(self._outbox_store(), self.accounts.channel,
                             self._retry_policy, network=self.executors.network,
                             on_sent=self._jobs_sent)

    def watch_sent(self, watcher: Callable[[list[Job]], None]) -> Callable[[], None]:
        """``watcher(jobs)`` is told of the jobs each outbox run of this desk sent (SENT, with
        their posts), on the thread that sent them, whoever asked for the run: the window
        shows its own posts at once. Returns the function that stops the watching."""
        self._sent_watchers.append(watcher)

        def stop() -> None:
            if watcher in self._sent_watchers:
                self._sent_watchers.remove(watcher)

        return stop

    def _jobs_sent(self, jobs: list[Job]) -> None:
        for watcher in list(self._sent_watchers):
            watcher(jobs)

    def _outbox_store(self) -> OutboxStore:
        """The profile's own outbox, or the team's when the profile has joined one (team
        mode: ``services.team``); the services above cannot tell them apart. The team's
        offers this host only the jobs of the accounts it holds credentials for."""
        from paris_desk.services.team import TeamService

        team = TeamService(self.profile)
        if team.membership() is None:
            return OutboxStore(self.accounts.db)
        from paris_desk.store.team.outbox import TeamOutboxStore

        self._team_db = team.open(lazy=True)  # connects on first use, on a worker thread
        return TeamOutboxStore(self._team_db,
                               senders=lambda: [a.id for a in self.accounts.list()])

    @cached_property
    def approvals(self) -> ApprovalService:
        """Approval before publication: team mode only (``NotInTeam`` otherwise)."""
        from paris_desk.services.approvals import ApprovalService
        from paris_desk.store.team.approvals import ApprovalStore
        from paris_desk.store.team.errors import NotInTeam
        from paris_desk.store.team.outbox import TeamOutboxStore

        store = self.outbox.store
        if not isinstance(store, TeamOutboxStore):
            raise NotInTeam("approvals need team mode")
        return ApprovalService(ApprovalStore(store.db, store), self.publisher, self.drafts)

    @cached_property
    def triage(self) -> TriageService:
        """Inbox assignment: team mode only (``NotInTeam`` otherwise)."""
        from paris_desk.services.triage import TriageService
        from paris_desk.store.team.errors import NotInTeam
        from paris_desk.store.team.triage import TriageStore

        team_db = self._team_database()
        if team_db is None:
            raise NotInTeam("inbox assignment needs team mode")
        return TriageService(TriageStore(team_db))

    @cached_property
    def publisher(self) -> Publisher:
        from paris_desk.services.publisher import Publisher

        return Publisher(self.publish_accounts, self.outbox, self.drafts)

    @cached_property
    def publish_accounts(self) -> AccountService | TeamAccounts:
        """What a publication may target: this profile's accounts, and in team mode the
        team's others too (``services.team_accounts``: their jobs wait in the shared outbox
        for a host that holds their credentials)."""
        team_db = self._team_database()
        if team_db is None:
            return self.accounts
        from paris_desk.services.team_accounts import TeamAccounts
        from paris_desk.store.team.members import TeamStore

        return TeamAccounts(self.accounts, TeamStore(team_db).accounts)

    @cached_property
    def timeline(self) -> TimelineService:
        return TimelineService(self.accounts, PostCache(self.accounts.db),
                               executors=self.executors)

    @cached_property
    def reactions(self) -> Reactions:
        return Reactions(self.accounts, PostCache(self.accounts.db), self.executors,
                         audit=self._audit_reaction)

    @cached_property
    def inbox(self) -> InboxService:
        """In team mode the handled state ("traité par …") is the team's
        (``store.team.inbox``); the notifications stay in this profile's cache."""
        store = InboxStore(self.accounts.db)
        team_db = self._team_database()
        if team_db is not None:
            from paris_desk.services.team import workstation
            from paris_desk.store.team.inbox import TeamInboxStore

            store = TeamInboxStore(self.accounts.db, team_db, workstation=workstation())
        return InboxService(self.accounts, store, tz=self._tz, executors=self.executors,
                            audit=self._audit)

    def _team_database(self) -> TeamDatabase | None:
        """The team's connection (the outbox's) when the profile is in a team, else None;
        a lone profile does not build its outbox for this."""
        from paris_desk.services.team import TeamService

        if "outbox" not in self.__dict__ and TeamService(self.profile).membership() is None:
            return None
        self.outbox  # noqa: B018  # builds it, and with it the team's connection
        return self._team_db

    @cached_property
    def filters(self) -> FilterService:
        """In team mode the filters (and which server holds which) are the team's
        (``store.team.filters``): one added anywhere applies on every workstation."""
        store: FilterStore | TeamFilterStore = FilterStore(self.accounts.db)
        team_db = self._team_database()
        if team_db is not None:
            from paris_desk.store.team.filters import TeamFilterStore

            store = TeamFilterStore(team_db)
        return FilterService(self.accounts, store, executors=self.executors,
                             audit=self._audit)

    @cached_property
    def threads(self) -> ThreadGuard:
        return ThreadGuard(self.accounts)

    @cached_property
    def saved_replies(self) -> SavedReplies:
        """In team mode the team's (``store.team.replies``), offered to every member."""
        team_db = self._team_database()
        if team_db is None:
            return SavedReplies(SavedReplyStore(self.accounts.db))
        from paris_desk.store.team.replies import TeamSavedReplyStore

        return SavedReplies(TeamSavedReplyStore(team_db))

    @cached_property
    def requests(self) -> RequestService:
        return RequestService(self.accounts, RequestDecisionStore(self.accounts.db),
                              InboxStore(self.accounts.db), executors=self.executors)

    def close(self) -> None:
        if "timeline" in self.__dict__:
            self.timeline.close()
        if self._team_db is not None:
            self._team_db.close()
            self._team_db = None
        self.accounts.close()
        if self._owns_executors:  # the window's are the TaskManager's: it stops them
            self.executors.shutdown(1.0)

    # -- opening ---------------------------------------------------------------------------------

    def recover(self) -> list[int]:
        """Take back the jobs a dead process left SENDING (``OutboxService.recover``): the
        first thing once a profile is open, in every process (the CLI before each command,
        the window before its outbox pump sends). Done once per desk; a later call returns
        the ids taken back then. In team mode the outbox is the team's server: when it
        cannot be reached, nothing is taken back now, and the next call tries again."""
        from paris_desk.services.team import TeamError

        with self._recovering:
            if self._recovered is None:
                try:
                    self._recovered = self.outbox.recover()
                except TeamError as exc:
                    log.info("outbox not recovered: %s: %s", type(exc).__name__, exc)
                    return []
                if self._recovered:
                    log.info("outbox: %d interrupted job(s) taken back", len(self._recovered))
            return list(self._recovered)

    # -- actions that span services -----------------------------------------------------------

    def publish(self, draft: Draft, *, card: CardChoice,
                rules: Mapping[str, Rules] | None = None, now: datetime | None = None,
                for_approval: bool = False) -> Submission | Approval:
        """Publish ``draft`` as this member may: queued (``Submission``), or, in team mode, a
        redacteur's post to an account that needs approval submitted for it (``Approval``,
        "soumis pour validation"). ``for_approval``: submitted even when not required (the
        CLI's ``post --submit``; ``NotInTeam`` outside a team). ``card``: as
        ``Publisher.submit``. The window's composer and the CLI's ``post`` both call this."""
        if for_approval or self.needs_approval(draft):
            return self.approvals.submit(draft, card=card, rules=rules, now=now)
        return self.publisher.submit(draft, card=card, rules=rules, now=now)

    def needs_approval(self, draft: Draft) -> bool:
        """``publish`` would submit ``draft`` for approval: team mode, a redacteur, and one of
        its targets is set to need approval. Outside a team, False without a connection; in
        a team, a ``TeamError`` when the team's database cannot say."""
        from paris_desk.services.team import TeamService

        return (TeamService(self.profile).membership() is not None
                and self.approvals.needs_approval(draft.targets))

    def publish_and_wait(self, draft: Draft, timeout: float) -> Outcome:
        """Submit ``draft`` and send its jobs now, waiting at most ``timeout`` seconds for
        them; what is not sent by then stays in the outbox (retried later, never twice)."""
        submission = self.publisher.submit(draft)
        jobs = self.outbox.run_batch(submission.batch_id, timeout)
        return Outcome(submission, tuple(jobs))

    def reply(self, account_id: str, post: Post, text: str, *, quote: bool = False,
              draft_id: str = "", timeout: float = REPLY_WAIT_S) -> Outcome:
        """Reply to (or quote) ``post`` as ``account_id``, through the outbox like any post."""
        draft = Draft(id=draft_id or _new_id(), text=text, targets=(account_id,),
                      reply_to=None if quote else post, quote=post if quote else None,
                      updated_at=datetime.now(UTC))
        return self.publish_and_wait(draft, timeout)

    def answer(self, item: InboxItem, text: str, *, draft_id: str = "",
               timeout: float = REPLY_WAIT_S) -> Outcome:
        """Reply to an inbox item as the account it was for, and mark it answered once sent."""
        if item.post is None:
            raise ValueError("this notification has no post to answer")
        outcome = self.reply(item.account_id, item.post, text, draft_id=draft_id,
                             timeout=timeout)
        posted = outcome.first_post
        if outcome.sent and posted is not None:
            self.inbox.mark_answered(item, posted)
        return outcome

    def note_sent_replies(self, jobs: Sequence[Job]) -> list[InboxItem]:
        """Mark answered ("traité") the inbox items that the sent replies among ``jobs``
        answer, after reading those accounts' new notifications: a reply queued from the
        inbox and sent later (by the worker, with the author's window closed) shows as
        answered on every screen, in team mode as the sender's. The items marked."""
        replies = {(job.account_id, job.request.reply_to.uri): job.result for job in jobs
                   if job.state is JobState.SENT and job.result is not None
                   and job.request.reply_to is not None}
        if not replies:
            return []
        snapshot = self.inbox.refresh(sorted({account for account, _ in replies}))
        marked = []
        for item in snapshot.items:
            reply = replies.get((item.account_id, item.post.uri)) if item.post else None
            if reply is not None and item.to_handle:
                self.inbox.mark_answered(item, reply)
                marked.append(item)
        return marked

    def react(self, account_id: str, action: PostAction, post: Post) -> Post:
        """Like, repost or undo ``post`` as ``account_id``, wherever it is shown (the timeline,
        the inbox); returns it with the new counts (``services.reactions``)."""
        return self.reactions.react(account_id, action, post)

    def delete(self, account_id: str, post: Post) -> None:
        """Delete ``post``, one of ``account_id``'s own, on its server; in team mode the team's
        audit log says who deleted what, from which account."""
        self.accounts.channel(account_id).delete(post)
        log.info("%s: deleted %s", account_id, post.uri)
        record(self._audit, "delete", account=account_id, url=post.url or post.uri)

    def _audit_reaction(self, account_id: str, action: PostAction, post: Post) -> None:
        """Team mode: the team's audit log gets one row per like or repost, and per undo
        (the same action, with the detail "undone": the schema's actions)."""
        undone = action in (PostAction.UNLIKE, PostAction.UNREPOST)
        what = "like" if action in (PostAction.LIKE, PostAction.UNLIKE) else "repost"
        self._audit(what, account=account_id, url=post.url or post.uri,
                    detail="undone" if undone else "")

    def _audit(self, action: str, *, account: str = "", url: str = "",
               detail: str = "") -> None:
        """The services' ``AuditTrail`` (``services.audit``): in team mode one row of the
        team's audit log, signed by the database; outside a team, nothing."""
        team_db = self._team_database()
        if team_db is None:
            return
        from paris_desk.services.team import workstation
        from paris_desk.store.team.members import TeamStore

        TeamStore(team_db).audit(action, account=account, url=url, detail=detail,
                                 workstation=workstation())

    def tidy(self) -> list[str]:
        """After a send: drop the drafts whose publication completed; their ids."""
        return self.publisher.forget_published()


def _new_id() -> str:
    return uuid.uuid4().hex
