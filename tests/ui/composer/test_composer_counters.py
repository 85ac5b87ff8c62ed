"""Live counters on tricky text: each network counts as its server does (graphemes, URLs at
the instance's reserved length on Mastodon, the content-warning line on Bluesky)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Network
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]

FAMILY = "👨\u200d👩\u200d👧\u200d👦"  # 7 code points, 1 grapheme
ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"  # tag flag, 1 grapheme
NFD_HOTEL = "Ho\u0302tel de Ville"  # decomposed: 15 code points, 14 graphemes
URL = "https://www.paris.fr/pages/la-fete-de-la-musique-2026-quartier-par-quartier"


@pytest.fixture
def checked(composer: ComposerWidget, both: tuple[Account, Account]) -> ComposerWidget:
    composer.targets_panel.set_checked([a.id for a in both])
    return composer


@pytest.mark.parametrize(
    ("text", "mastodon", "bluesky"),
    [
        ("Fête 🇫🇷", 6, 6),
        (f"{FAMILY} en famille", 12, 12),
        (f"Match {ENGLAND} ce soir", 15, 15),
        ("👍🏽 1️⃣", 3, 3),
        (NFD_HOTEL, 14, 14),
        (f"Programme : {URL}", 12 + 23, 12 + len(URL)),
        ("Voir www.paris.fr", 17, 17),  # no scheme: literal on Mastodon
        ("Merci @culture@paris.social !", 16, 29),  # Mastodon counts @culture only
    ],
)
def test_counters_count_like_each_network(checked: ComposerWidget, type_text: Type, text: str,
                                          mastodon: int, bluesky: int) -> None:
    type_text(checked, text)
    assert checked.editor.counter_texts() == [f"{mastodon} / 500 — Mastodon",
                                              f"{bluesky} / 300 — Bluesky"]


def test_content_warning_counts_on_both_networks_their_own_way(
        qtbot: QtBot, checked: ComposerWidget, type_text: Type) -> None:
    type_text(checked, "Travaux rue de Rivoli")  # 21
    checked.options.warning.setText("Bruit")  # 5
    qtbot.wait(150)
    # Mastodon: spoiler + text; Bluesky: the "⚠️ CW: Bruit" line + newline + text.
    assert checked.editor.counter_texts() == ["26 / 500 — Mastodon", "33 / 300 — Bluesky"]


def test_only_checked_networks_have_a_counter(composer: ComposerWidget, bluesky_account: Account,
                                              type_text: Type) -> None:
    composer.targets_panel.set_checked([bluesky_account.id])
    type_text(composer, "Bonjour")
    assert composer.editor.counter_texts() == ["7 / 300 — Bluesky"]


def test_over_the_limit_is_red_blocks_and_offers_split_and_variant(
        checked: ComposerWidget, type_text: Type) -> None:
    type_text(checked, "é" * 301)
    assert checked.editor.counter_texts() == ["301 / 500 — Mastodon", "301 / 300 — Bluesky"]
    labels = {label.objectName(): label for label in checked.editor._counter_labels}
    assert "b3261e" in labels["counter_bluesky"].styleSheet()
    assert "b3261e" not in labels["counter_mastodon"].styleSheet()
    assert not checked.publish_button.isEnabled()
    assert "Too long for Bluesky" in checked.blocking_reasons()
    assert checked.editor.thread_button.isVisible()
    assert checked.editor.adapt_buttons[Network.BLUESKY].isVisible()
    assert not checked.editor.adapt_buttons[Network.MASTODON].isVisible()


def test_bluesky_byte_limit_is_shown(checked: ComposerWidget, type_text: Type) -> None:
    type_text(checked, "é" * 1600)  # 1600 graphemes, 3200 bytes
    assert checked.editor.counter_texts()[1] == (
        "1600 / 300 — Bluesky, too many bytes (3200 / 3000)")


def test_variant_tab_starts_from_the_common_text_and_counts_alone(
        qtbot: QtBot, checked: ComposerWidget, type_text: Type) -> None:
    long_text = "La Ville organise une grande consultation sur les mobilités. " * 6  # 366
    type_text(checked, long_text.strip())
    checked.editor.adapt_buttons[Network.BLUESKY].click()
    variant = checked.editor.editor(Network.BLUESKY)
    assert variant.toPlainText() == long_text.strip()
    assert checked.editor.tabs.count() == 2
    assert checked.editor.tabs.tabText(1) == "For Bluesky"
    variant.setPlainText("Grande consultation sur les mobilités : donnez votre avis !")
    qtbot.wait(150)
    assert checked.editor.counter_texts() == ["365 / 500 — Mastodon", "59 / 300 — Bluesky"]
    assert checked.publish_button.isEnabled()
    assert checked.current_draft().variants == {
        "bluesky": "Grande consultation sur les mobilités : donnez votre avis !"}
    checked.editor.tabs.tabCloseRequested.emit(1)  # close the variant tab
    qtbot.wait(150)
    assert checked.editor.tabs.count() == 1
    assert checked.editor.counter_texts()[1] == "365 / 300 — Bluesky"
