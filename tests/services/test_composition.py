"""From a draft to what each account publishes: counters, checks, requests and the schedule
plan (pure functions, no network)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from paris_desk.channels.bluesky import compose_text
from paris_desk.core.model import (
    Account,
    Draft,
    DraftImage,
    LinkCard,
    Network,
    PreparedMedia,
    Visibility,
)
from paris_desk.services import composition
from paris_desk.services.composition import Block, Rules
from paris_desk.services.linkcard import FetchedCard

NOW = datetime(2026, 6, 20, 10, 0, tzinfo=UTC)
MASTO_A = Account("mastodon:@ville@a.example", Network.MASTODON, "@ville@a.example",
                  "https://a.example")
MASTO_B = Account("mastodon:@ville@b.example", Network.MASTODON, "@ville@b.example",
                  "https://b.example")
SKY = Account("bluesky:ville.example.com", Network.BLUESKY, "ville.example.com",
              "https://pds.example")
SKY_RULES = Rules(composition.DEFAULT_LIMITS[Network.BLUESKY], compose_text)
MASTO_RULES = Rules(composition.DEFAULT_LIMITS[Network.MASTODON])
LONG = " ".join(f"Phrase numéro {n} du programme de la fête de quartier." for n in range(12))
IMAGE = PreparedMedia(b"jpeg", "image/jpeg", "Une scène", 10, 5)
CARD = FetchedCard(LinkCard("https://www.paris.fr/fete", "Fête"), None)


def test_one_counter_per_network_and_per_instance_limit() -> None:
    big = Rules(replace(MASTO_RULES.limits, max_characters=5000))
    draft = Draft(id="d", text="Bonjour https://www.paris.fr")
    counters = composition.counters(
        draft, [(MASTO_A, MASTO_RULES), (SKY, SKY_RULES), (MASTO_B, big)], has_media=False)
    assert [(c.network, c.count.used, c.count.limit, c.host) for c in counters] == [
        (Network.MASTODON, 31, 500, "a.example"),
        (Network.BLUESKY, 28, 300, ""),
        (Network.MASTODON, 31, 5000, "b.example"),
    ]


def test_the_bluesky_counter_counts_the_warning_line() -> None:
    draft = Draft(id="d", text="Travaux", content_warning="Bruit")
    (counter,) = composition.counters(draft, [(SKY, SKY_RULES)], has_media=False)
    assert counter.count.used == len("⚠️ CW: Bruit\nTravaux") - 1  # ⚠️ is 2 code points
    (with_media,) = composition.counters(draft, [(SKY, SKY_RULES)], has_media=True)
    assert with_media.count.used == 7  # with media the warning is a label


def test_blocks_in_order_of_urgency() -> None:
    draft = Draft(id="d", images=(DraftImage("/p/a.jpg", ""),) * 5,
                  scheduled_at=NOW - timedelta(minutes=1))
    checks = composition.check(draft, [(SKY, SKY_RULES)], NOW)
    assert checks.blocks == (Block.TOO_MANY_IMAGES, Block.ALT_MISSING, Block.SCHEDULE_PAST)
    assert composition.check(Draft(id="d"), [], NOW).blocks == (Block.NO_TARGET, Block.EMPTY)
    fancy = Draft(id="d", text="𝐁𝐨𝐧𝐣𝐨𝐮𝐫 à tous")
    assert composition.check(fancy, [(SKY, SKY_RULES)], NOW).blocks == (Block.FANCY_LETTERS,)
    over = Draft(id="d", text=LONG)
    assert composition.check(over, [(SKY, SKY_RULES)], NOW).over == (Network.BLUESKY,)
    threaded = Draft(id="d", text=LONG, as_thread=True)
    assert composition.check(threaded, [(SKY, SKY_RULES)], NOW).blocks == ()


def test_thread_requests_put_media_reply_and_options_on_the_first_part() -> None:
    draft = Draft(id="d", text=LONG + " https://www.paris.fr/fete", as_thread=True,
                  visibility=Visibility.UNLISTED, language="en", reply_gate="followers")
    requests = composition.requests_for(draft, SKY, SKY_RULES, (IMAGE,), None, False)
    assert len(requests) == 3
    assert requests[0].media == (IMAGE,) and all(not r.media for r in requests[1:])
    assert [r.text[-6:] for r in requests] == [" (1/3)", " (2/3)", " (3/3)"]
    assert all(r.language == "en" and r.reply_gate == "followers" for r in requests)


def test_the_card_goes_to_the_part_with_the_link_and_only_to_bluesky() -> None:
    draft = Draft(id="d", text=LONG + " https://www.paris.fr/fete", as_thread=True)
    requests = composition.requests_for(draft, SKY, SKY_RULES, (), CARD, False)
    assert [r.link_card is not None for r in requests] == [False, False, True]
    single = Draft(id="d", text="Voir https://www.paris.fr/fete")
    (masto,) = composition.requests_for(single, MASTO_A, MASTO_RULES, (), CARD, False)
    assert masto.link_card is None
    (with_image,) = composition.requests_for(single, SKY, SKY_RULES, (IMAGE,), CARD, False)
    assert with_image.link_card is None  # one embed per post: the images win


def test_plan_schedules_mastodon_natively_and_keeps_bluesky_in_the_outbox() -> None:
    when = NOW + timedelta(hours=2)
    draft = Draft(id="d", text="Conseil de quartier", scheduled_at=when)
    targets = [(MASTO_A, MASTO_RULES), (SKY, SKY_RULES)]
    plan = composition.plan(draft, targets, {}, None, NOW)
    assert [(a.id, [r.scheduled_at for r in rs]) for a, rs in plan.now] == [
        (MASTO_A.id, [when])]
    assert [(a.id, [r.scheduled_at for r in rs]) for a, rs in plan.later] == [(SKY.id, [None])]
    assert plan.when == when

    soon = composition.plan(replace_when(draft, NOW + timedelta(minutes=3)), targets, {}, None,
                            NOW)
    assert [a.id for a, _ in soon.later] == [MASTO_A.id, SKY.id]  # too close for Mastodon
    unscheduled = composition.plan(Draft(id="d", text="Maintenant"), targets, {}, None, NOW)
    assert len(unscheduled.now) == 2 and not unscheduled.later and unscheduled.when is None


def replace_when(draft: Draft, when: datetime) -> Draft:
    return replace(draft, scheduled_at=when)


def test_mentions_and_first_link() -> None:
    draft = Draft(id="d", text="Merci @Culture.Paris.fr et @ville.paris.fr !",
                  variants={"bluesky": "Merci @culture.paris.fr"})
    assert composition.mentioned_handles(draft) == ["culture.paris.fr"]  # the Bluesky variant
    assert composition.first_link("voir paris.fr puis https://a.fr/x") == "https://paris.fr"
    assert composition.first_link("rien") == ""
