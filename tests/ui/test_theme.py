"""Light and dark themes: WCAG AA contrast of every text/background pair (4.5:1) and of the
focus outline (3:1), measured on the palettes the app installs; the system scheme and the
preference are followed; the focus outline is really drawn; fonts keep the system size."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from paris_desk.ui import theme
from paris_desk.ui.settings.prefs import Settings, Theme
from paris_desk.ui.theme import DARK, LIGHT, Colours, ThemeFollower, build_palette, contrast_ratio

Role = QPalette.ColorRole
Group = QPalette.ColorGroup
UI_DIR = Path(theme.__file__).parent

TEXT_PAIRS = [  # (text, background) as a user sees them
    (Role.WindowText, Role.Window),
    (Role.Text, Role.Base),
    (Role.Text, Role.AlternateBase),
    (Role.ButtonText, Role.Button),
    (Role.HighlightedText, Role.Highlight),
    (Role.Link, Role.Base),
    (Role.Link, Role.Window),
    (Role.LinkVisited, Role.Base),
    (Role.PlaceholderText, Role.Base),
    (Role.ToolTipText, Role.ToolTipBase),
    (Role.BrightText, Role.Dark),
]


@pytest.fixture
def restore_app(qapp: QApplication) -> Iterator[QApplication]:
    """The application as it was before the test: palette, style sheet and the theme's current
    colours (which status text reads: left dark, another test's "red" would be pink)."""
    palette, sheet, colours = qapp.palette(), qapp.styleSheet(), theme.current_colours()
    yield qapp
    theme.apply(qapp, colours)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_text_on_its_background_reaches_aa(colours: Colours) -> None:
    palette = build_palette(colours)
    for group in (Group.Active, Group.Inactive):
        for text, background in TEXT_PAIRS:
            ratio = contrast_ratio(palette.color(group, text), palette.color(group, background))
            assert ratio >= 4.5, f"{colours.name} {text.name} on {background.name}: {ratio:.2f}"


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_status_colours_reach_aa_on_windows_and_fields(colours: Colours) -> None:
    for tone in ("error", "warning", "success", "link", "muted"):
        colour = theme.colours_tone(colours, tone)
        for background in (colours.window, colours.base, colours.alternate_base, colours.mark):
            ratio = contrast_ratio(colour, background)
            assert ratio >= 4.5, f"{colours.name} {tone} on {background}: {ratio:.2f}"
    assert contrast_ratio(colours.text, colours.mark) >= 4.5


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_the_focus_outline_stands_out_from_what_surrounds_it(colours: Colours) -> None:
    for background in (colours.window, colours.base, colours.button, colours.alternate_base):
        assert contrast_ratio(colours.focus, background) >= 3.0, (colours.name, background)
    assert f"solid {colours.focus}" in theme.stylesheet(colours)


def test_contrast_ratio_matches_the_wcag_reference_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # AA limit


def test_the_theme_follows_the_system_and_the_preference(
    restore_app: QApplication, profile_dir: Path
) -> None:
    settings = Settings.open(profile_dir)
    follower = ThemeFollower(restore_app, settings)
    system_dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    assert follower.colours is (DARK if system_dark else LIGHT)

    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the user switched the OS to dark
    assert restore_app.palette().color(Role.Window) == QColor(DARK.window)
    assert f"solid {DARK.focus}" in restore_app.styleSheet()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert restore_app.palette().color(Role.Window) == QColor(LIGHT.window)

    settings.set_theme(Theme.DARK)  # the preference wins over the system
    assert restore_app.palette().color(Role.Base) == QColor(DARK.base)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert restore_app.palette().color(Role.Base) == QColor(DARK.base)
    settings.set_theme(Theme.LIGHT)
    assert restore_app.palette().color(Role.Base) == QColor(LIGHT.base)
    assert theme.current_colours() is LIGHT
    follower.deleteLater()


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_the_focused_control_is_outlined(
    qtbot: QtBot, restore_app: QApplication, colours: Colours
) -> None:
    theme.apply(restore_app, colours)
    page = QWidget()
    qtbot.addWidget(page)
    button, field = QPushButton("Publier"), QLineEdit("Mairie de Paris")
    layout = QVBoxLayout(page)
    layout.addWidget(button)
    layout.addWidget(field)
    page.show()
    qtbot.waitExposed(page)
    focus = QColor(colours.focus)
    for widget in (button, field):
        assert not outline_drawn(widget, focus)
        widget.setFocus(Qt.FocusReason.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus)
        assert outline_drawn(widget, focus), type(widget).__name__
        widget.clearFocus()


def outline_drawn(widget: QWidget, colour: QColor) -> bool:
    """The left edge of ``widget`` is painted with ``colour`` from top to bottom."""
    image = widget.grab().toImage()
    middle = image.height() // 2
    return all(image.pixelColor(0, y) == colour for y in (2, middle, image.height() - 3))


def test_the_theme_does_not_set_fonts(restore_app: QApplication) -> None:
    system = QApplication.font()
    theme.apply(restore_app, DARK)
    assert QApplication.font() == system
    assert "font" not in theme.stylesheet(DARK)


ABSOLUTE_SIZE = re.compile(r"setPointSize(?:F)?\(\s*\d|setPixelSize\(|font-size\s*:\s*\d")
ALLOWED = {"tray.py"}  # the unread badge is drawn in a 64 px icon, not text to read


def test_no_hard_coded_font_size_in_the_interface() -> None:
    """Text follows the system size: sizes are only ever relative to the widget's font."""
    found = []
    for path in sorted(UI_DIR.glob("*.py")):
        if path.name in ALLOWED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ABSOLUTE_SIZE.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []


# A literal colour (#hex, a colour name) or a module constant put in an f-string.
TEXT_COLOUR = re.compile(r"""color\s*:\s*(#[0-9a-fA-F]{3,8}\b|white\b|black\b|\{[A-Z_]+\})""")
# Palette roles meant for bevels and shadows: too faint for text on a window (2.4:1 in light).
SHADE_AS_TEXT = re.compile(r"""(?<!-)color\s*:\s*palette\((mid|midlight|light|dark|shadow)\)""")


def test_no_fixed_text_colour_without_its_background() -> None:
    """A fixed text colour is unreadable in one of the two themes unless it comes with its own
    background (a banner): status text uses ``theme.tone_style()`` instead."""
    found = []
    for path in sorted(UI_DIR.glob("*.py")):
        if path.name == "theme.py":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if SHADE_AS_TEXT.search(line):
                found.append(f"{path.name}:{number}: {line.strip()}")
            for _match in TEXT_COLOUR.finditer(line):
                nearby = " ".join(lines[max(0, number - 3):number])  # the rule and its selector
                if "background" not in nearby:
                    found.append(f"{path.name}:{number}: {line.strip()}")
    assert found == []


@pytest.mark.parametrize("colours", [LIGHT, DARK], ids=["light", "dark"])
def test_check_box_edges_stand_out(
    qtbot: QtBot, restore_app: QApplication, colours: Colours
) -> None:
    """WCAG 1.4.11: the edge of an unchecked box reaches 3:1 against the window."""
    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    theme.apply(restore_app, colours)
    box = QCheckBox("Mentions")
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    option = QStyleOptionButton()
    box.initStyleOption(option)
    indicator = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    image = box.grab().toImage()
    y = indicator.center().y()
    window = image.pixelColor(max(0, indicator.left() - 1), y)
    edge = max((image.pixelColor(x, y) for x in range(indicator.left(), indicator.center().x())),
               key=lambda c: contrast_ratio(c, window))
    assert contrast_ratio(edge, window) >= 3.0, (edge.name(), window.name())
