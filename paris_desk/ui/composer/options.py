"""Options of a post: content warning, visibility (Mastodon), language, who can reply (Bluesky
thread gate) and scheduling.

Scheduling differs per network: Mastodon keeps a native scheduled status on the server;
Bluesky has none, so the post waits in paris_desk's outbox and goes out when due, only while
the application runs — the panel says so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from paris_desk.core.model import Draft, Network, Visibility

LANGUAGES = (  # each in its own language, as a screen reader should say it
    ("fr", "Français"), ("en", "English"), ("es", "Español"), ("de", "Deutsch"),
    ("it", "Italiano"), ("pt", "Português"), ("ar", "العربية"), ("zh", "中文"),
)
DEFAULT_DELAY = timedelta(hours=1)


class OptionsPanel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.warning = QLineEdit()
        self.warning.setPlaceholderText(self.tr("Optional: e.g. “Road works”, “Noise”"))
        self.warning.setAccessibleName(self.tr("Content warning"))
        self.warning.textChanged.connect(self.changed)
        self.visibility = QComboBox()
        self.visibility.setAccessibleName(self.tr("Visibility on Mastodon"))
        for value, text in (
            (Visibility.PUBLIC, self.tr("Public")),
            (Visibility.UNLISTED, self.tr("Unlisted")),
            (Visibility.PRIVATE, self.tr("Followers only")),
            (Visibility.DIRECT, self.tr("Mentioned people only")),
        ):
            self.visibility.addItem(text, value.value)
        self.visibility.currentIndexChanged.connect(self.changed)
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language of the post"))
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language.currentIndexChanged.connect(self.changed)
        self.reply_gate = QComboBox()
        self.reply_gate.setAccessibleName(self.tr("Who can reply on Bluesky"))
        for gate, text in (
            ("everyone", self.tr("Everyone")),
            ("mentioned", self.tr("Mentioned people")),
            ("followers", self.tr("Followers")),
            ("nobody", self.tr("Nobody")),
        ):
            self.reply_gate.addItem(text, gate)
        self.reply_gate.currentIndexChanged.connect(self.changed)

        self.schedule = QCheckBox(self.tr("Schedule"))
        self.schedule.setAccessibleName(self.tr("Publish later, at a date and time"))
        self.schedule.toggled.connect(self._on_schedule_toggled)
        self.when = QDateTimeEdit()
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.when.setAccessibleName(self.tr("Date and time of publication"))
        self.when.dateTimeChanged.connect(self.changed)
        self.when.setEnabled(False)
        self.when.setDateTime(QDateTime.currentDateTime().addSecs(
            int(DEFAULT_DELAY.total_seconds())))
        self.schedule_note = QLabel()
        self.schedule_note.setWordWrap(True)
        self.schedule_note.setAccessibleName(self.tr("How scheduling works"))
        when_row = QHBoxLayout()
        when_row.addWidget(self.schedule)
        when_row.addWidget(self.when, 1)

        form = QFormLayout()
        form.addRow(self.tr("Content warning:"), self.warning)
        form.addRow(self.tr("Visibility (Mastodon):"), self.visibility)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow(self.tr("Who can reply (Bluesky):"), self.reply_gate)
        form.addRow(self.tr("Publication:"), when_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.schedule_note)
        self._networks: set[Network] = set()
        self._threaded = False
        self.set_networks(set(), threaded=False)

    # -- values ------------------------------------------------------------------------------

    def scheduled_at(self) -> datetime | None:
        if not self.schedule.isChecked():
            return None
        return datetime.fromtimestamp(self.when.dateTime().toSecsSinceEpoch(), UTC)

    def set_scheduled_at(self, moment: datetime | None) -> None:
        self.schedule.setChecked(moment is not None)
        if moment is not None:
            self.when.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))

    def values(self) -> dict[str, object]:
        """The draft fields this panel holds."""
        return {
            "content_warning": self.warning.text(),
            "visibility": Visibility(self.visibility.currentData()),
            "language": self.language.currentData() or "fr",
            "reply_gate": self.reply_gate.currentData() or "everyone",
            "scheduled_at": self.scheduled_at(),
        }

    def load(self, draft: Draft) -> None:
        """Show ``draft``'s options (the caller ignores ``changed`` meanwhile)."""
        if self.warning.text() != draft.content_warning:
            self.warning.setText(draft.content_warning)
        self._select(self.visibility, draft.visibility.value)
        self._select(self.language, draft.language or "fr")
        self._select(self.reply_gate, draft.reply_gate)
        self.set_scheduled_at(draft.scheduled_at)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    # -- networks ----------------------------------------------------------------------------

    def set_networks(self, networks: set[Network], threaded: bool) -> None:
        self._networks, self._threaded = set(networks), threaded
        self.visibility.setEnabled(Network.MASTODON in networks)
        self.reply_gate.setEnabled(Network.BLUESKY in networks)
        self._update_note()

    def _on_schedule_toggled(self, on: bool) -> None:
        self.when.setEnabled(on)
        if on and self.when.dateTime() <= QDateTime.currentDateTime():
            start = QDateTime.currentDateTime().addSecs(int(DEFAULT_DELAY.total_seconds()))
            self.when.setDateTime(start)
        self._update_note()
        self.changed.emit()

    def _update_note(self) -> None:
        lines = []
        if self.schedule.isChecked():
            if Network.MASTODON in self._networks:
                lines.append(self.tr("Mastodon: a thread is sent by paris_desk at the set time, "
                                     "the application must stay open.") if self._threaded else
                             self.tr("Mastodon: scheduled on the server."))
            if Network.BLUESKY in self._networks:
                lines.append(self.tr("Bluesky: sent by paris_desk at the set time, "
                                     "the application must stay open."))
        self.schedule_note.setText("\n".join(lines))
        self.schedule_note.setVisible(bool(lines))
