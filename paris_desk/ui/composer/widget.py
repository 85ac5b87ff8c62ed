"""The composer: one text, published from any mix of Mastodon and Bluesky accounts.

Left: the accounts to publish from (with saved groups) and the drafts. Centre: the text with
its per-network counters, accessibility checks, images with alt text, the Bluesky link card,
options and scheduling, the Publish button (Ctrl+Enter) and where each target stands.

The widget holds no business rule: counting, splitting, checks and requests come from
``services.composition``; it only gathers the state into a ``Draft`` (``current_draft``),
saves it continuously (``DraftAutosaver``) and hands it to the ``PublishController``.
Timeline and inbox call ``open_reply(post, account_id)`` and ``open_quote(post, account_id)``.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QHideEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QWidget

from paris_desk.core import mentions
from paris_desk.core.accessibility import Issue
from paris_desk.core.model import Account, Draft, Network, Post
from paris_desk.services import composition
from paris_desk.services.api import Job, JobState, TargetGroup
from paris_desk.services.composition import Rules
from paris_desk.services.desk import Desk
from paris_desk.services.team import TeamError, TeamService
from paris_desk.services.team_accounts import TeamAccounts
from paris_desk.ui import accessible
from paris_desk.ui.accounts.model import NETWORK_NAMES, display_text
from paris_desk.ui.composer.card import LinkCardPreview
from paris_desk.ui.composer.checks import ChecksPanel, block_message
from paris_desk.ui.composer.drafts import DraftAutosaver, DraftsPanel
from paris_desk.ui.composer.editor import EditorPanel
from paris_desk.ui.composer.layout import apply_tab_order, build_layout
from paris_desk.ui.composer.media import MediaPanel
from paris_desk.ui.composer.network import NetworkSide
from paris_desk.ui.composer.options import OptionsPanel
from paris_desk.ui.composer.outbox_pump import OutboxPump
from paris_desk.ui.composer.publish import PublishController
from paris_desk.ui.composer.publish_panel import PublishPanel
from paris_desk.ui.composer.targets import TargetsPanel
from paris_desk.ui.errors import describe
from paris_desk.ui.shell.session import Session
from paris_desk.ui.theme import tone_style

if TYPE_CHECKING:
    from paris_desk.services.approvals import Approval

log = logging.getLogger(__name__)

QUIET_STYLE = "color: palette(placeholder-text);"
Loaded = tuple[list[Account], list[TargetGroup], list[Draft], frozenset[str]]
REFRESH_MS = 80  # coalesce keystrokes before recounting
NETWORK_CHECK_MS = 700  # pause in typing before fetching a link card or resolving mentions


def mention_of(handle: str) -> str:
    """``handle`` written as a mention: ``@`` + the handle, whichever network."""
    return mentions.mention(handle)


def publishable(desk: Desk) -> list[Account]:
    """The accounts to publish from: this workstation's, and in team mode the team's others
    (``Desk.publish_accounts``: their jobs wait in the team's outbox for a host that holds their
    credentials). The team's server out of reach: this workstation's only."""
    local = desk.accounts.list()
    source = desk.publish_accounts
    if not isinstance(source, TeamAccounts):
        return local
    try:
        return local + source.elsewhere()
    except TeamError as exc:
        log.info("the team's accounts are out of reach (%s)", exc)
        return local


def needing_approval(desk: Desk) -> frozenset[str]:
    """Team mode: the accounts a publication from here is submitted for approval to (this
    member is a redacteur); none elsewhere, or when the team's server is out of reach (the
    publication then says so itself)."""
    if TeamService(desk.profile).membership() is not None:
        try:
            return frozenset(desk.approvals.requiring_my_approval())
        except TeamError as exc:
            log.info("approval rules out of reach (%s)", exc)
    return frozenset()


def new_draft(**fields: object) -> Draft:
    return Draft(id=uuid.uuid4().hex, **fields)  # type: ignore[arg-type]


class ComposerWidget(QWidget):
    activation_requested = Signal()  # open_reply/open_quote: the window should show us
    replied = Signal(str)  # the uri of the post a reply from here was just published to
    error_occurred = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composer")
        self.setAccessibleName(self.tr("Composer"))
        self.session = session
        tasks = session.tasks
        self.drafts = session.desk.drafts
        self.outbox = session.desk.outbox
        self.pump = OutboxPump(tasks, session.desk, parent=self)
        self.publisher = PublishController(tasks, session.desk, self.pump, self)
        self._accounts: dict[str, Account] = {}
        self._needs_approval: frozenset[str] = frozenset()  # team mode: a validateur decides
        self._rules: dict[str, Rules] = {}
        self._draft = new_draft()
        self._card_dismissed = ""
        self._loading = False
        self.loaded = False  # accounts, groups and drafts have been read once
        self._closed = False
        self._announced = ("", "")  # the publication progress last announced
        self._replies: dict[str, str] = {}  # batch id -> the uri of the post it answers
        self.autosaver = DraftAutosaver(tasks, self.drafts, self.current_draft, parent=self)
        self._build()
        self._refresh_timer = self._single_shot(REFRESH_MS, self._refresh)
        self._network_timer = self._single_shot(NETWORK_CHECK_MS, self._check_network_side)
        self._connect()
        self._refresh()

    # -- building ----------------------------------------------------------------------------

    def _single_shot(self, ms: int, slot: object) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(ms)
        timer.timeout.connect(slot)
        return timer

    def _build(self) -> None:
        self.targets_panel = TargetsPanel()
        self.drafts_panel = DraftsPanel()
        self.editor = EditorPanel()
        self.checks = ChecksPanel()
        self.media = MediaPanel(self.session.tasks)
        self.card_preview = LinkCardPreview()
        self.network = NetworkSide(self.session.tasks, self.session.accounts, self.card_preview,
                                   self)
        self.options = OptionsPanel()
        self.publish_button = QPushButton(self.tr("Publish"))
        self.publish_button.setAccessibleName(self.tr("Publish to the checked accounts"))
        self.publish_button.setToolTip(self.tr("Publish (Ctrl+Enter)"))
        self.publish_button.setDefault(True)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName(self.tr("Why publishing is not possible yet"))
        self.publish_panel = PublishPanel()
        self.reply_banner = QFrame()
        self.reply_label = QLabel()
        self.reply_cancel = QPushButton(self.tr("Cancel the reply"))
        self.reply_cancel.setAccessibleName(self.reply_cancel.text())
        build_layout(self)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.publish)

    def _connect(self) -> None:
        for signal in (self.targets_panel.targets_changed, self.editor.text_changed,
                       self.editor.thread_toggled, self.media.changed, self.options.changed):
            signal.connect(self._on_changed)
        self.targets_panel.group_saved.connect(self._on_group_saved)
        self.targets_panel.group_deleted.connect(self._on_group_deleted)
        self.checks.fix_requested.connect(self._on_fix)
        self.media.error_occurred.connect(self.error_occurred)
        self.card_preview.removed.connect(self._on_card_removed)
        self.network.changed.connect(self._schedule_refresh)
        self.publish_button.clicked.connect(self.publish)
        self.publish_panel.retry_requested.connect(self.publisher.retry)
        self.publish_panel.cancel_requested.connect(self.publisher.cancel)
        self.publisher.jobs_changed.connect(self._on_jobs)
        self.publisher.queued.connect(self._on_queued)
        self.publisher.failed.connect(self._on_publish_failed)
        self.publisher.submitted.connect(self._on_submitted_for_approval)
        self.pump.drafts_deleted.connect(lambda _ids: self.reload_drafts())
        self.drafts_panel.open_requested.connect(self.open_draft)
        self.drafts_panel.new_requested.connect(lambda: self.open_draft(self._fresh_draft()))
        self.drafts_panel.delete_requested.connect(self._on_delete_draft)
        self.autosaver.saved.connect(lambda _d: self.reload_drafts())
        self.autosaver.failed.connect(self.error_occurred)
        self.reply_cancel.clicked.connect(self._on_cancel_reply)

    def focus_target(self) -> QWidget:
        """What takes the keyboard when the window shows this view (Ctrl+<n>): the text."""
        return self.editor.common

    def shutdown(self) -> None:
        """Before the task manager stops: save the draft, stop sending and polling."""
        self.autosaver.flush()
        self.pump.stop()
        self.publisher.watch("")
        self._refresh_timer.stop()
        self._network_timer.stop()
        self._closed = True

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        """Another view or the window closing: save the draft now, not a second later."""
        if not self._closed:
            self.autosaver.flush()
        super().hideEvent(event)

    # -- loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read accounts, groups and drafts (database thread), then each account's limits."""
        desk, drafts = self.session.desk, self.drafts

        def load() -> Loaded:
            return (publishable(desk), drafts.groups(), drafts.list(),
                    needing_approval(desk))

        self.session.tasks.run_db(load, self._on_loaded, self._on_error)

    def _on_loaded(self, loaded: Loaded) -> None:
        accounts, groups, drafts, self._needs_approval = loaded
        first = not self.loaded
        self.loaded = True
        self._accounts = {a.id: a for a in accounts}
        self._loading = True
        self.targets_panel.set_accounts(accounts)  # keeps what is checked
        if first:
            self.targets_panel.set_checked(self._draft.targets)
        self.targets_panel.set_groups(groups)
        self._loading = False
        self.drafts_panel.set_drafts(drafts, self._draft.id)
        service = self.session.accounts
        self.session.tasks.run(lambda: composition.load_rules(accounts, service),
                               self._on_rules, self._on_error)
        self._schedule_refresh()

    def _on_rules(self, rules: dict[str, Rules]) -> None:
        self._rules.update(rules)
        self._schedule_refresh()

    def reload_drafts(self) -> None:
        drafts = self.drafts
        self.session.tasks.run_db(drafts.list, lambda found: self.drafts_panel.set_drafts(
            found, self._draft.id), self._on_error)

    @property
    def rules_loaded(self) -> bool:
        return all(account_id in self._rules for account_id in self._accounts)

    # -- the draft ---------------------------------------------------------------------------

    def current_draft(self) -> Draft:
        """The composer's state as a draft (GUI thread; cheap)."""
        return replace(
            self._draft,
            text=self.editor.text(),
            targets=tuple(self.targets_panel.checked_ids()),
            variants=self.editor.variants(),
            images=tuple(self.media.images()),
            as_thread=self.editor.thread_button.isChecked(),
            card_dismissed=self._card_dismissed,
            **self.options.values(),  # type: ignore[arg-type]
        )

    def open_draft(self, draft: Draft) -> None:
        """Show ``draft`` (saving the current one first)."""
        self.autosaver.flush()
        self._draft = draft
        self._card_dismissed = draft.card_dismissed
        self._loading = True
        self.targets_panel.restrict_to(self._reply_network(draft))
        self.targets_panel.set_checked(draft.targets)
        self.editor.set_text(draft.text)
        self.editor.set_variants(draft.variants)
        self.editor.thread_button.setChecked(draft.as_thread)
        self.media.set_images(list(draft.images))
        self.options.load(draft)
        self.card_preview.clear()
        self._loading = False
        self._show_reply_banner(draft)
        apply_tab_order(self)
        readonly = bool(draft.batch_id)
        self.editor.set_read_only(readonly)
        self.publisher.watch(draft.batch_id)
        if not draft.batch_id:
            self.publish_panel.clear()
        self.drafts_panel.set_drafts(self.drafts_panel.drafts(), draft.id)
        self._refresh()
        self._network_timer.start()

    def _fresh_draft(self, **fields: object) -> Draft:
        """A new draft keeping the checked accounts and the language."""
        base: dict[str, object] = {"targets": tuple(self.targets_panel.checked_ids()),
                                   "language": self.options.values()["language"]}
        base.update(fields)
        return new_draft(**base)

    @staticmethod
    def _reply_network(draft: Draft) -> Network | None:
        post = draft.reply_to or draft.quote
        return post.network if post is not None else None

    def open_reply(self, post: Post, account_id: str) -> None:
        """Start a reply to ``post`` from ``account_id`` (any account of the post's network may
        be checked instead)."""
        own = self._accounts.get(account_id)
        # Real mentions: @handle (Bluesky); @user@domain (Mastodon), the author's then the
        # other people's of the post, as Mastodon's apps write it.
        text = mentions.reply_text(post, own.handle if own is not None else "")
        self.open_draft(self._fresh_draft(targets=(account_id,), reply_to=post, text=text))
        self.editor.common.moveCursor(self.editor.common.textCursor().MoveOperation.End)
        self.editor.common.setFocus()
        self.activation_requested.emit()

    def open_quote(self, post: Post, account_id: str) -> None:
        self.open_draft(self._fresh_draft(targets=(account_id,), quote=post))
        self.editor.common.setFocus()
        self.activation_requested.emit()

    def _show_reply_banner(self, draft: Draft) -> None:
        post = draft.reply_to or draft.quote
        if post is None:
            self.reply_banner.hide()
            return
        excerpt = " ".join(post.text.split())
        excerpt = excerpt[:117] + "…" if len(excerpt) > 120 else excerpt
        template = (self.tr("Reply to {handle}: “{text}”") if draft.reply_to
                    else self.tr("Quote of {handle}: “{text}”"))
        self.reply_label.setText(template.format(handle=post.author.handle, text=excerpt))
        self.reply_label.setAccessibleDescription(self.reply_label.text())
        self.reply_cancel.setText(self.tr("Cancel the reply") if draft.reply_to
                                  else self.tr("Cancel the quote"))
        self.reply_cancel.setAccessibleName(self.reply_cancel.text())
        self.reply_banner.show()

    @Slot()
    def _on_cancel_reply(self) -> None:
        self._draft = replace(self.current_draft(), reply_to=None, quote=None)
        self.targets_panel.restrict_to(None)
        self._show_reply_banner(self._draft)
        self._on_changed()

    # -- reacting to changes -----------------------------------------------------------------

    @Slot()
    def _on_changed(self, *_args: object) -> None:
        apply_tab_order(self)  # images and variants come and go
        if self._loading:
            return
        if not self._draft.batch_id:
            self.autosaver.mark_dirty()
        self._schedule_refresh()
        self._network_timer.start()

    def _schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _targets(self, draft: Draft) -> list[tuple[Account, Rules]]:
        out = []
        for account_id in draft.targets:
            account = self._accounts.get(account_id)
            if account is not None:
                rules = self._rules.get(account_id) or composition.default_rules(account.network)
                out.append((account, rules))
        return out

    @Slot()
    def _refresh(self) -> None:
        """Counters, thread preview, checks and the Publish button, from the current state."""
        draft = self.current_draft()
        targets = self._targets(draft)
        networks = {account.network for account, _rules in targets}
        counters = composition.counters(draft, targets, bool(draft.images))
        self.editor.show_counters(counters, networks, draft.as_thread)
        checks = composition.check(draft, targets, datetime.now(UTC))
        self.media.set_alt_issues(checks.alt_issues)
        self.media.set_max(min((r.limits.max_media for _a, r in targets), default=4))
        bluesky = Network.BLUESKY in networks
        unknown = self.network.unknown_handles(draft) if bluesky else []
        pending = sorted(self.network.resolving) if bluesky else []
        self.checks.show_findings(list(checks.text_issues), composition.normalized(draft.text),
                                  unknown, pending)
        threaded = draft.as_thread and any(c.parts for c in counters)
        self.options.set_networks(networks, threaded)
        self._show_reasons(checks, targets)

    def _show_reasons(self, checks: composition.Checks,
                      targets: list[tuple[Account, Rules]]) -> None:
        over = [NETWORK_NAMES[n] for n in checks.over]
        max_media = min((r.limits.max_media for _a, r in targets), default=4)
        reasons = [block_message(b, over, max_media) for b in checks.blocks]
        busy = self.publisher.busy
        self.publish_button.setEnabled(not reasons and not busy)
        submit = bool(self._needs_approval & {a.id for a, _r in targets})
        self.publish_button.setText(self.tr("Publishing…") if busy
                                    else self.tr("Submit for approval") if submit
                                    else self.tr("Publish"))
        text = ""
        if reasons:
            text = self.tr("Cannot publish yet: {reason}").format(reason=reasons[0])
            if len(reasons) > 1:
                text += "\n" + "\n".join("• " + r for r in reasons[1:])
        self.reason.setText(text)
        self.reason.setVisible(bool(text))
        # Nothing written or no account checked yet is not an error: say it quietly.
        quiet = set(checks.blocks) <= {composition.Block.EMPTY, composition.Block.NO_TARGET}
        self.reason.setStyleSheet(QUIET_STYLE if quiet else tone_style("error"))
        self.publish_button.setAccessibleDescription(text)

    def blocking_reasons(self) -> str:
        return self.reason.text() if self.reason.isVisible() else ""

    def _on_fix(self, issue: Issue) -> None:
        if issue.span and issue.suggestion:
            self.editor.replace_span(issue.span[0], issue.span[1], issue.suggestion)

    # -- link card and mentions (network, off the GUI thread) --------------------------------

    @Slot()
    def _check_network_side(self) -> None:
        draft = self.current_draft()
        bluesky = next(((a, r) for a, r in self._targets(draft)
                        if a.network is Network.BLUESKY), None)
        self.network.check(draft, bluesky, self._card_dismissed)

    def _on_card_removed(self, url: str) -> None:
        self._card_dismissed = url
        self._on_changed()

    # -- publishing --------------------------------------------------------------------------

    @Slot()
    def publish(self) -> None:
        self._refresh()
        if not self.publish_button.isEnabled():
            return
        draft = self.current_draft()
        card = self.network.card_for(self._card_dismissed)
        self.autosaver.discard()
        self.publisher.publish(draft, self._targets(draft), card, datetime.now(UTC))
        self._refresh()

    def _on_queued(self, draft: Draft) -> None:
        """The jobs are in the outbox: the composer moves on to a new draft; the published one
        stays in the list until every target is SENT."""
        if draft.reply_to is not None:
            self._replies[draft.batch_id] = draft.reply_to.uri
        self.open_draft(self._fresh_draft())
        self.publisher.watch(draft.batch_id)
        self.reload_drafts()

    def _on_submitted_for_approval(self, approval: Approval) -> None:
        """Team mode: the post waits for a validateur; the draft stays in the list (it comes
        back with the validateur's comment if rejected)."""
        self.open_draft(self._fresh_draft())
        names = [display_text(self._accounts[i]) if i in self._accounts else i
                 for i in approval.targets]
        panel = self.publish_panel
        panel.clear()
        panel.summary.setText(self.tr(
            "Submitted for approval (no. {id}) to {accounts}: a validateur must approve it "
            "before it is published.").format(id=approval.id, accounts=", ".join(names)))
        panel.summary.setWordWrap(True)
        panel.summary.setAccessibleDescription(panel.summary.text())
        panel.show()
        accessible.announce(panel.summary, panel.summary.text())
        self.reload_drafts()

    def _on_jobs(self, batch_id: str, jobs: list[Job]) -> None:
        if batch_id == self.publisher.watched:
            self.publish_panel.show_jobs(jobs, self._accounts)
            if batch_id in self._replies and any(j.state is JobState.SENT for j in jobs):
                self.replied.emit(self._replies.pop(batch_id))  # the parent's count, at once
            summary = self.publish_panel.summary.text()
            if jobs and (batch_id, summary) != self._announced:
                self._announced = (batch_id, summary)  # "2 of 2 sent": said once
                accessible.announce(self.publish_panel.summary, summary)

    def _on_publish_failed(self, sentence: str) -> None:
        self._refresh()
        self.error_occurred.emit(sentence)

    # -- groups and drafts -------------------------------------------------------------------

    def _on_group_saved(self, group: TargetGroup) -> None:
        drafts = self.drafts
        self.session.tasks.run_db(lambda: (drafts.save_group(group), drafts.groups()),
                                  lambda r: self._after_groups(r[1], group.name), self._on_error)

    def _on_group_deleted(self, name: str) -> None:
        drafts = self.drafts
        self.session.tasks.run_db(lambda: (drafts.delete_group(name), drafts.groups()),
                                  lambda r: self._after_groups(r[1], ""), self._on_error)

    def _after_groups(self, groups: list[TargetGroup], current: str) -> None:
        self.targets_panel.set_groups(groups)
        self.targets_panel.select_group(current)

    def _on_delete_draft(self, draft_id: str) -> None:
        if draft_id == self._draft.id:
            self.autosaver.discard()
            self.open_draft(self._fresh_draft())
        drafts = self.drafts
        self.session.tasks.run_db(lambda: drafts.delete(draft_id),
                                  lambda _ok: self.reload_drafts(), self._on_error)

    def _on_error(self, exc: Exception) -> None:
        self.error_occurred.emit(describe(exc))
