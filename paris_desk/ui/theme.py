"""Light and dark themes with WCAG 2.1 AA contrast, a visible keyboard focus, system fonts.

The theme follows the system colour scheme (``QGuiApplication.styleHints().colorScheme()``,
and its ``colorSchemeChanged`` signal) unless the user picked light or dark in the
preferences. Both palettes are ours, so their contrast is known: every text/background pair
reaches 4.5:1 and the focus outline 3:1 against what surrounds it (``tests/ui/test_theme.py``
computes the ratios). The Fusion style is used on every OS because it draws with the palette
(native Windows styles ignore parts of it).

Fonts are never set here: Qt takes the system font and its size, so the user's text-size
setting applies. Colours for status text (errors, warnings, success) that need to stay readable
in both themes are in ``Colours`` (``current_colours()``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from paris_desk.ui.settings.prefs import THEME_KEY, Settings, Theme

log = logging.getLogger(__name__)

STYLE = "Fusion"
FOCUS_WIDTH_PX = 2
Role = QPalette.ColorRole
Group = QPalette.ColorGroup


@dataclass(frozen=True, slots=True)
class Colours:
    """One theme's colours, as #rrggbb."""

    name: str
    window: str
    window_text: str
    base: str
    alternate_base: str
    text: str
    button: str
    button_text: str
    highlight: str
    highlighted_text: str
    link: str
    link_visited: str
    placeholder: str
    tooltip_base: str
    tooltip_text: str
    disabled_text: str
    bright_text: str
    focus: str
    control_border: str  # check box and radio button edges: 3:1 on windows and fields
    error: str
    warning: str
    success: str
    mark: str  # a background that marks one item among others (the post being read)
    light: str
    midlight: str
    mid: str
    dark: str
    shadow: str


LIGHT = Colours(
    name="light",
    window="#f3f3f3",
    window_text="#1f1f1f",
    base="#ffffff",
    alternate_base="#f5f7fa",
    text="#1f1f1f",
    button="#e9e9e9",
    button_text="#1f1f1f",
    highlight="#0b57d0",
    highlighted_text="#ffffff",
    link="#0b57d0",
    link_visited="#6b2fa6",
    placeholder="#5f6368",
    tooltip_base="#1f1f1f",
    tooltip_text="#ffffff",
    disabled_text="#6e6e6e",
    bright_text="#ffffff",
    focus="#0b57d0",
    control_border="#767676",
    error="#b3261e",
    warning="#7a4f00",
    success="#176b31",
    mark="#fff8c5",
    light="#ffffff",
    midlight="#e3e3e3",
    mid="#a0a0a0",
    dark="#6b6b6b",
    shadow="#4d4d4d",
)

DARK = Colours(
    name="dark",
    window="#1e1e1e",
    window_text="#e8e8e8",
    base="#121212",
    alternate_base="#1a1c1f",
    text="#e8e8e8",
    button="#2d2d2d",
    button_text="#e8e8e8",
    highlight="#8ab4f8",
    highlighted_text="#0b1a33",
    link="#8ab4f8",
    link_visited="#c58af9",
    placeholder="#a8a8a8",
    tooltip_base="#f1f1f1",
    tooltip_text="#1f1f1f",
    disabled_text="#8f8f8f",
    bright_text="#ffffff",
    focus="#8ab4f8",
    control_border="#8f8f8f",
    error="#f2b8b5",
    warning="#f9d27d",
    success="#7ee2a8",
    mark="#3b3417",
    light="#4a4a4a",
    midlight="#3a3a3a",
    mid="#5c5c5c",
    dark="#101010",
    shadow="#000000",
)

# (role, attribute) for the three colour groups; disabled text is set apart below.
_ROLES: tuple[tuple[Role, str], ...] = (
    (Role.Window, "window"),
    (Role.WindowText, "window_text"),
    (Role.Base, "base"),
    (Role.AlternateBase, "alternate_base"),
    (Role.Text, "text"),
    (Role.Button, "button"),
    (Role.ButtonText, "button_text"),
    (Role.BrightText, "bright_text"),
    (Role.Highlight, "highlight"),
    (Role.HighlightedText, "highlighted_text"),
    (Role.Link, "link"),
    (Role.LinkVisited, "link_visited"),
    (Role.PlaceholderText, "placeholder"),
    (Role.ToolTipBase, "tooltip_base"),
    (Role.ToolTipText, "tooltip_text"),
    (Role.Accent, "highlight"),
    (Role.Light, "light"),
    (Role.Midlight, "midlight"),
    (Role.Mid, "mid"),
    (Role.Dark, "dark"),
    (Role.Shadow, "shadow"),
)
_FOCUSABLE = (
    "QAbstractButton", "QLineEdit", "QAbstractSpinBox", "QComboBox", "QAbstractItemView",
    "QPlainTextEdit", "QTextEdit", "QTabBar", "QSlider", "QScrollArea",
)  # fmt: skip


def colours_for(theme: Theme, system: Qt.ColorScheme) -> Colours:
    """The palette to use: the chosen one, or the system's scheme for ``Theme.SYSTEM``
    (light when the system does not say)."""
    if theme is Theme.DARK:
        return DARK
    if theme is Theme.LIGHT:
        return LIGHT
    return DARK if system == Qt.ColorScheme.Dark else LIGHT


def build_palette(colours: Colours) -> QPalette:
    palette = QPalette()
    for group in (Group.Active, Group.Inactive, Group.Disabled):
        for role, attribute in _ROLES:
            palette.setColor(group, role, QColor(getattr(colours, attribute)))
    for role in (Role.WindowText, Role.Text, Role.ButtonText):
        palette.setColor(Group.Disabled, role, QColor(colours.disabled_text))
    return palette


def stylesheet(colours: Colours) -> str:
    """A focus outline drawn on every control that can take the keyboard focus."""
    selectors = ", ".join(f"{name}:focus" for name in _FOCUSABLE)
    return f"{selectors} {{ border: {FOCUS_WIDTH_PX}px solid {colours.focus}; }}\n"


_current: list[Colours] = [LIGHT]
_STYLED = "paris_desk_style"


def current_colours() -> Colours:
    """The colours applied last (light before any theme is applied)."""
    return _current[0]


def tone_colour(tone: str) -> str:
    """The current theme's colour for status text: "error", "warning", "success", "link" or
    "muted" (secondary text); all reach 4.5:1 on windows and fields in both themes."""
    return colours_tone(current_colours(), tone)


def colours_tone(colours: Colours, tone: str) -> str:
    return colours.placeholder if tone == "muted" else str(getattr(colours, tone))


def tone_style(tone: str, *, bold: bool = False) -> str:
    """A widget style sheet for status text in ``tone`` (see ``tone_colour``). Apply it when the
    text is shown: a label keeps the colour of the theme current at that time."""
    weight = " font-weight: bold;" if bold else ""
    return f"color: {tone_colour(tone)};{weight}"


class AccessibleStyle(QProxyStyle):
    """Fusion, with check box and radio button edges that stand out (WCAG 1.4.11: 3:1);
    Fusion draws them a shade darker than the window, under 2:1 in both themes."""

    _BOXES = (QStyle.PrimitiveElement.PE_IndicatorCheckBox,
              QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck)  # fmt: skip

    def __init__(self) -> None:
        super().__init__(STYLE)

    def drawPrimitive(  # noqa: N802 - Qt API
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        round_ = element == QStyle.PrimitiveElement.PE_IndicatorRadioButton
        if element not in self._BOXES and not round_:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, round_)
        painter.setPen(QPen(QColor(current_colours().control_border), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        box = option.rect.adjusted(0, 0, -1, -1)
        if round_:
            painter.drawEllipse(box)
        else:
            painter.drawRect(box)
        painter.restore()


def apply(app: QApplication, colours: Colours) -> None:
    _current[0] = colours  # before the style draws with it
    if app.property(_STYLED) != STYLE:  # (a style sheet hides the base style's name)
        app.setStyle(AccessibleStyle())
        app.setProperty(_STYLED, STYLE)
    app.setPalette(build_palette(colours))
    app.setStyleSheet(stylesheet(colours))
    log.debug("theme: %s", colours.name)


class ThemeFollower(QObject):
    """Applies the preferred theme, and again when the preference or the system scheme
    changes."""

    def __init__(self, app: QApplication, settings: Settings) -> None:
        super().__init__(app)
        self._app = app
        self._settings = settings
        self._system = QGuiApplication.styleHints().colorScheme()
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_system_scheme)
        settings.changed.connect(self._on_setting)
        self.apply()

    @property
    def colours(self) -> Colours:
        return colours_for(self._settings.theme, self._system)

    def apply(self) -> None:
        apply(self._app, self.colours)

    @Slot(Qt.ColorScheme)
    def _on_system_scheme(self, scheme: Qt.ColorScheme) -> None:
        self._system = scheme
        if self._settings.theme is Theme.SYSTEM:
            self.apply()

    @Slot(str)
    def _on_setting(self, key: str) -> None:
        if key == THEME_KEY:
            self.apply()


def contrast_ratio(foreground: QColor | str, background: QColor | str) -> float:
    """WCAG 2.1 contrast ratio between two opaque colours (1.0 to 21.0)."""
    lighter, darker = sorted(
        (_luminance(QColor(foreground)), _luminance(QColor(background))), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )
