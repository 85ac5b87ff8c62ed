"""Bluesky correctness from the composer: a numbered thread, facets at exact UTF-8 byte offsets
on the stored records, mentions resolved to DIDs and unknown handles flagged before sending."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot

from paris_desk.core.counting import grapheme_count
from paris_desk.core.model import Account
from paris_desk.store.outbox import Job
from paris_desk.ui.composer.widget import ComposerWidget

Type = Callable[[ComposerWidget, str], None]
WaitJobs = Callable[..., list[Job]]
POST = "app.bsky.feed.post"

SENTENCES = [
    "La piscine Joséphine-Baker rouvre samedi 14 juin après trois mois de travaux 🏊‍♀️.",
    "Horaires d'été : de 9 h à 21 h tous les jours, nocturne le jeudi jusqu'à 23 h.",
    "Le bassin nordique est chauffé à 27 °C et la plage solarium est de nouveau ouverte.",
    "Tarif réduit pour les moins de 26 ans, gratuité pour les bénéficiaires du RSA.",
    "Merci de votre patience pendant les travaux, et bonne baignade à toutes et à tous !",
]


def span(text: str, part: str) -> dict[str, int]:
    data, needle = text.encode("utf-8"), part.encode("utf-8")
    start = data.index(needle)
    return {"byteStart": start, "byteEnd": start + len(needle)}


def offsets(facet: dict[str, Any]) -> dict[str, int]:
    index = facet["index"]
    return {"byteStart": index["byteStart"], "byteEnd": index["byteEnd"]}


def test_split_into_a_thread_previews_and_publishes_numbered_replies(
        qtbot: QtBot, composer: ComposerWidget, both: tuple[Account, Account], type_text: Type,
        wait_jobs: WaitJobs, bluesky_sandbox: Any, mastodon_sandbox: Any) -> None:
    mastodon, bluesky = both
    composer.targets_panel.set_checked([mastodon.id, bluesky.id])
    text = " ".join(SENTENCES)  # ~410 graphemes: over 300 on Bluesky, fine on Mastodon
    type_text(composer, text)
    assert not composer.publish_button.isEnabled()
    composer.editor.thread_button.click()
    qtbot.wait(150)
    assert composer.publish_button.isEnabled()
    preview = composer.editor.thread_parts_shown()
    assert len(preview) == 2
    assert preview[0].startswith("Bluesky · ") and preview[0].endswith(" (1/2)")
    assert composer.editor.counter_texts()[1].endswith("— Bluesky, thread of 2")
    assert composer.editor.counter_texts()[0] == f"{grapheme_count(text)} / 500 — Mastodon"

    composer.publish_button.click()
    jobs = wait_jobs(composer, count=3)
    parts = sorted((j for j in jobs if j.account_id == bluesky.id), key=lambda j: j.part)
    records = bluesky_sandbox.records(bluesky.user_id, POST)
    first, second = (records[j.idempotency_key] for j in parts)
    assert first["text"].endswith(" (1/2)") and second["text"].endswith(" (2/2)")
    assert first["text"].startswith(SENTENCES[0])
    rebuilt = first["text"].removesuffix(" (1/2)") + " " + second["text"].removesuffix(" (2/2)")
    assert rebuilt == text
    first_uri = f"at://{bluesky.user_id}/{POST}/{parts[0].idempotency_key}"
    assert second["reply"]["parent"]["uri"] == first_uri
    assert second["reply"]["root"]["uri"] == first_uri
    assert "reply" not in first
    statuses = mastodon_sandbox.statuses_by("ville")
    assert "(1/2)" not in statuses[0]["content"]  # Mastodon had room: one post


def test_facets_have_exact_byte_offsets_on_the_stored_record(
        qtbot: QtBot, composer: ComposerWidget, bluesky_account: Account, type_text: Type,
        wait_jobs: WaitJobs, bluesky_sandbox: Any) -> None:
    culture = bluesky_sandbox.accounts[1]
    text = (f"Fête 🇫🇷 à l'Hôtel de Ville avec @{culture['handle']} : "
            "https://www.paris.fr/fete-musique #FêteDeLaMusique")
    composer.targets_panel.set_checked([bluesky_account.id])
    type_text(composer, text)
    composer.publish_button.click()
    (job,) = wait_jobs(composer, count=1)
    record = bluesky_sandbox.records(bluesky_account.user_id, POST)[job.idempotency_key]
    assert record["text"] == text
    facets = sorted(record["facets"], key=lambda f: f["index"]["byteStart"])
    assert [offsets(f) for f in facets] == [
        span(text, "@" + culture["handle"]),
        span(text, "https://www.paris.fr/fete-musique"),
        span(text, "#FêteDeLaMusique"),
    ]
    features = [f["features"][0] for f in facets]
    assert features[0]["did"] == culture["did"]
    assert features[1]["uri"] == "https://www.paris.fr/fete-musique"
    assert features[2]["tag"] == "FêteDeLaMusique"


def test_text_is_normalised_before_offsets_are_computed(
        qtbot: QtBot, composer: ComposerWidget, bluesky_account: Account, type_text: Type,
        wait_jobs: WaitJobs, bluesky_sandbox: Any) -> None:
    decomposed = "Ho\u0302tel de Ville #Ho\u0302tel"  # NFD, as some keyboards and pastes give
    composer.targets_panel.set_checked([bluesky_account.id])
    type_text(composer, decomposed)
    composer.publish_button.click()
    (job,) = wait_jobs(composer, count=1)
    record = bluesky_sandbox.records(bluesky_account.user_id, POST)[job.idempotency_key]
    assert record["text"] == "Hôtel de Ville #Hôtel"
    assert offsets(record["facets"][0]) == span("Hôtel de Ville #Hôtel", "#Hôtel")


def test_unknown_handle_is_flagged_before_sending(
        qtbot: QtBot, composer: ComposerWidget, bluesky_account: Account, type_text: Type,
        bluesky_sandbox: Any) -> None:
    culture = bluesky_sandbox.accounts[1]["handle"]
    composer.targets_panel.set_checked([bluesky_account.id])
    type_text(composer, f"Bravo @{culture} et @personne.sandbox.test pour la fête !")
    flagged = "@personne.sandbox.test: no such Bluesky account, the mention will stay plain text."
    qtbot.waitUntil(lambda: any(flagged in m for m in composer.checks.messages()),
                    timeout=5000)
    assert not any(culture in m for m in composer.checks.messages())
    assert composer.publish_button.isEnabled()  # a warning, not a block
