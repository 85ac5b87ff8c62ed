"""The composer in French, as the city's staff use it."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QTranslator
from pytestqt.qtbot import QtBot

from paris_desk.core.model import Account, Network
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]
TEXT = ("La Nuit Blanche revient le samedi 4 octobre 🌙 : 40 œuvres dans tout Paris, "
        "de 19 h à 7 h. Programme : https://www.paris.fr/nuit-blanche #nuitblancheparis "
        "avec @culture.sandbox.test")


def photo(folder: Path) -> Path:
    path = folder / "IMG_4032.jpg"
    image = Image.new("RGB", (900, 600), "#1b2a49")
    image.paste("#f4c430", (300, 150, 600, 450))
    out = io.BytesIO()
    image.save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return path


def test_the_composer_speaks_french(
        qtbot: QtBot, french: list[QTranslator], open_composer: Callable[[], ComposerWidget],
        both: tuple[Account, Account], type_text: Type, tmp_path: Path) -> None:
    composer = open_composer()
    composer.targets_panel.set_checked([a.id for a in both])
    type_text(composer, TEXT)
    composer.media.add_paths([str(photo(tmp_path))])
    qtbot.wait(200)
    assert composer.editor.counter_texts() == ["170 / 500 — Mastodon", "180 / 300 — Bluesky"]
    assert composer.blocking_reasons() == (
        "Publication impossible pour l’instant\u00a0: "
        "Chaque image doit avoir un texte alternatif.")
    assert composer.publish_button.text() == "Publier"
    assert any("#NuitBlancheParis" in m for m in composer.checks.messages())
    composer.options.schedule.setChecked(True)
    assert composer.options.schedule_note.text().splitlines() == [
        "Mastodon\u00a0: publication programmée sur le serveur.",
        "Bluesky\u00a0: envoi par paris_desk à l’heure prévue, l’application doit rester "
        "ouverte.",
    ]
    composer.editor.common.setPlainText(TEXT + " " + "Une phrase de plus pour déborder. " * 4)
    qtbot.wait(200)
    assert composer.editor.adapt_buttons[Network.BLUESKY].text() == "Adapter pour Bluesky"
    assert composer.editor.thread_button.text() == "Découper en fil"
    shot = composer.grab()
    assert not shot.isNull() and shot.save(str(tmp_path / "composer.png"))
