"""The Mastodon sandbox behaves like a Mastodon 4.5 server, as seen by the unmodified
Mastodon.py client over real HTTP. OAuth has its own file (test_mastodon_oauth.py)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
import requests
from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonUnauthorizedError,
)
from mastodon.errors import MastodonDeprecationWarning

from paris_desk.sandbox import corpus
from paris_desk.sandbox import http as sandbox_http
from paris_desk.sandbox.http import Fault
from paris_desk.sandbox.mastodon import MastodonSandbox

NOTIFICATION_KINDS = {"mention", "favourite", "reblog", "follow", "quote"}


def client(server: MastodonSandbox, acct: str = "ville") -> Mastodon:
    return Mastodon(api_base_url=server.base_url, access_token=server.token_for(acct),
                    ratelimit_method="throw", request_timeout=10)


def walk(first: Any, m: Mastodon, direction: str = "next") -> list[Any]:
    """Every item from ``first`` on, following the Link header until an empty page."""
    items: list[Any] = []
    page = first
    while page:
        items.extend(page)
        page = m.fetch_next(page) if direction == "next" else m.fetch_previous(page)
    return items


# -- seed -------------------------------------------------------------------------------------
def test_seed_is_rich_and_deterministic() -> None:
    # How long seeding takes: bench/timeline_bench.py --only core.
    one = MastodonSandbox(seed=3)
    two = MastodonSandbox(seed=3)
    try:
        assert one.status_count() >= 300
        texts = [s["content"].replace(one.base_url, "") for s in one.statuses_by("ville")]
        assert texts == [s["content"].replace(two.base_url, "")
                         for s in two.statuses_by("ville")]
        assert [a["acct"] for a in one.accounts][:2] == ["ville", "culture"]
        for entry in one.accounts:
            kinds = Counter(n["type"] for n in one.notifications_for(entry["acct"]))
            assert sum(kinds.values()) >= 60
            assert set(kinds) >= NOTIFICATION_KINDS
    finally:
        one.stop()
        two.stop()


def test_home_holds_threads_boosts_quotes_images_and_hostile_html(
        mastodon_sandbox: MastodonSandbox) -> None:
    items = walk(client(mastodon_sandbox).timeline_home(limit=40), client(mastodon_sandbox))
    assert any(s.in_reply_to_id for s in items)
    assert any(s.reblog and s.reblog.account.acct != s.account.acct for s in items)
    quotes = [s for s in items if s.get("quote")]
    assert quotes and quotes[0].quote.state == "accepted"
    assert quotes[0].quote.quoted_status.uri
    images = [m for s in items for m in s.media_attachments]
    assert any(m.description for m in images) and all(m.preview_url for m in images)
    png = requests.get(images[0].url, timeout=10)
    assert png.headers["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    contents = " ".join(s.content for s in items)
    assert "<script>" in contents and "javascript:" in contents and "<img src=" in contents
    assert 'class="mention hashtag" rel="tag">#<span>' in contents
    assert '<span class="h-card" translate="no"><a href=' in contents
    assert '<span class="invisible">https://www.</span>' in contents
    assert all(s.uri.startswith(("http://", "https://")) and s.created_at.tzinfo for s in items)


# -- account and instance ---------------------------------------------------------------------
def test_verify_credentials_is_a_credential_account(mastodon_sandbox: MastodonSandbox) -> None:
    me = client(mastodon_sandbox, "culture").account_verify_credentials()
    assert me.acct == "culture" and me.id == mastodon_sandbox.account_id("culture")
    assert me.source.privacy == "public"
    assert me.avatar.startswith(mastodon_sandbox.base_url + "/avatars/")
    assert requests.get(me.avatar, timeout=10).content.startswith(b"\x89PNG")


def test_instance_v2_advertises_mastodon_limits(mastodon_sandbox: MastodonSandbox) -> None:
    config = client(mastodon_sandbox).instance_v2().configuration
    assert config.statuses.max_characters == 500
    assert config.statuses.characters_reserved_per_url == 23
    assert config.statuses.max_media_attachments == 4
    assert config.media_attachments.image_size_limit == 16_777_216
    assert config.media_attachments.image_matrix_limit == 33_177_600
    assert config.media_attachments.description_limit == 1500
    assert "image/png" in config.media_attachments.supported_mime_types


def test_instance_v1_gives_version_and_is_deprecated(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    assert m.retrieve_mastodon_version() == "4.5.0"
    assert m.verify_minimum_version("4.3.0")
    with pytest.warns(MastodonDeprecationWarning):
        assert m.instance_v1().configuration.statuses.max_characters == 500


# -- timelines and notifications --------------------------------------------------------------
def test_home_pagination_has_no_gaps_and_no_duplicates(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    by_20 = [s.id for s in walk(m.timeline_home(limit=20), m)]
    by_40 = [s.id for s in walk(m.timeline_home(limit=40), m)]
    assert by_20 == by_40
    assert len(set(by_20)) == len(by_20) > 250
    assert by_20 == sorted(by_20, reverse=True)
    first = m.timeline_home()
    assert [s.id for s in first] == by_20[:20]


def test_home_link_header_is_mastodons(mastodon_sandbox: MastodonSandbox) -> None:
    base = mastodon_sandbox.base_url
    reply = requests.get(f"{base}/api/v1/timelines/home", params={"limit": 20}, timeout=10,
                         headers={"Authorization": "Bearer " + mastodon_sandbox.token_for("ville")})
    ids = [s["id"] for s in reply.json()]
    assert reply.headers["Link"] == (
        f'<{base}/api/v1/timelines/home?limit=20&max_id={ids[-1]}>; rel="next", '
        f'<{base}/api/v1/timelines/home?limit=20&min_id={ids[0]}>; rel="prev"')


def test_fetch_previous_walks_back_up_without_gaps(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    first = m.timeline_home(limit=10)
    third = m.fetch_next(m.fetch_next(first))
    back = m.fetch_previous(third)
    assert [s.id for s in back] == [s.id for s in m.fetch_next(first)]
    assert m.fetch_previous(first) == []
    fresh = mastodon_sandbox.post_as("marie.dupont@piaille.example", "Nouvelle info #Paris")
    newer = m.fetch_previous(first)
    assert [s.id for s in newer] == [fresh["id"]]


def test_notifications_filter_by_types_and_exclude_types(
        mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    mentions = walk(m.notifications(types=["mention"], limit=15), m)
    assert mentions and {n.type for n in mentions} == {"mention"}
    assert all(n.status and "ville" in {a.acct for a in n.status.mentions} for n in mentions)
    rest = walk(m.notifications(exclude_types=["favourite", "mention"], limit=15), m)
    assert {"reblog", "follow", "quote"} <= {n.type for n in rest}
    assert not {"favourite", "mention"} & {n.type for n in rest}
    everything = walk(m.notifications(limit=80), m)
    ids = [n.id for n in everything]
    assert len(set(ids)) == len(ids) == len(mastodon_sandbox.notifications_for("ville"))
    assert ids == sorted(ids, key=int, reverse=True)
    assert all(n.created_at.tzinfo for n in everything)
    one = m.notifications(id=everything[5].id)
    assert one.id == everything[5].id and one.type == everything[5].type


def test_markers_are_set_read_and_versioned(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    assert m.markers_get(["home", "notifications"]) == {}
    top = m.timeline_home(limit=1)[0]
    note = m.notifications(limit=1)[0]
    m.markers_set(["home", "notifications"], [top, note])
    first = m.markers_get(["home", "notifications"])
    assert first.home.last_read_id == top.id and first.home.version == 0
    assert first.notifications.last_read_id == note.id
    m.markers_set(["home"], [m.timeline_home(limit=2)[1]])
    second = m.markers_get(["home"])
    assert second.home.version == 1 and "notifications" not in second


# -- posting ----------------------------------------------------------------------------------
def test_status_with_media_and_alt_text_reads_back(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    picture = corpus.png_image(64, 48, 9)
    media = m.media_post(picture, mime_type="image/png", file_name="affiche.png",
                         description="Affiche de la fête de la musique", focus=(0.2, -0.4))
    assert media.type == "image" and media.url and media.meta.original.width == 64
    assert mastodon_sandbox.uploaded_media(media.id) == picture
    posted = m.status_post("Programme de ce soir #FeteDeLaMusique", media_ids=[media],
                           language="fr", visibility="unlisted")
    read = m.status(posted.id)
    attached = read.media_attachments[0]
    assert attached.id == media.id and attached.description == "Affiche de la fête de la musique"
    assert attached.meta.focus.x == pytest.approx(0.2)
    assert read.visibility == "unlisted" and read.language == "fr"
    assert read.application.name == "Paris Desk"
    assert requests.get(attached.url, timeout=10).content == picture
    with pytest.raises(MastodonAPIError) as refused:
        m.status_post("Encore", media_ids=[media])  # already attached
    assert refused.value.args[1] == 422


def test_media_limits_are_enforced(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    with pytest.raises(MastodonAPIError) as too_long:
        m.media_post(corpus.png_image(8, 8, 1), mime_type="image/png", file_name="a.png",
                     description="x" * 1501)
    assert too_long.value.args[1] == 422
    huge = b"\x89PNG\r\n\x1a\n" + bytes(16 * 1024 * 1024)
    with pytest.raises(MastodonAPIError) as too_big:
        m.media_post(huge, mime_type="image/png", file_name="huge.png")
    assert too_big.value.args[1] == 422 and "16 MB" in too_big.value.args[3]


def test_same_idempotency_key_gives_one_status(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    before = mastodon_sandbox.status_count()
    first = m.status_post("Fermeture exceptionnelle de la piscine", idempotency_key="outbox-1")
    again = m.status_post("Fermeture exceptionnelle de la piscine", idempotency_key="outbox-1")
    assert again.id == first.id and mastodon_sandbox.status_count() == before + 1
    other = client(mastodon_sandbox, "culture").status_post("Autre compte",
                                                            idempotency_key="outbox-1")
    assert other.id != first.id  # keys are per account
    mastodon_sandbox.advance_time(3601)
    late = m.status_post("Fermeture exceptionnelle de la piscine", idempotency_key="outbox-1")
    assert late.id != first.id  # after an hour the key is forgotten, as on Mastodon


@pytest.mark.parametrize(("text", "spoiler", "accepted"), [
    ("a" * 500, "", True),
    ("a" * 501, "", False),
    ("🇫🇷" * 100 + "e\u0301" * 100 + "👍🏽" * 300, "", True),
    ("🇫🇷" * 501, "", False),
    ("https://www.paris.fr/" + "x" * 200 + " " + "a" * 476, "", True),
    ("https://www.paris.fr/" + "x" * 200 + " " + "a" * 477, "", False),
    ("@marie.dupont@piaille.example " + "a" * 486, "", True),
    ("a" * 499, "CW", False),
])
def test_length_rule_matches_the_server(mastodon_sandbox: MastodonSandbox, text: str,
                                        spoiler: str, accepted: bool) -> None:
    m = client(mastodon_sandbox)
    if accepted:
        assert m.status_post(text, spoiler_text=spoiler or None).id
        return
    with pytest.raises(MastodonAPIError) as refused:
        m.status_post(text, spoiler_text=spoiler or None)
    assert refused.value.args[1] == 422
    assert refused.value.args[3] == "Validation failed: Text character limit of 500 exceeded"


def test_empty_status_and_unknown_media_are_rejected(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    with pytest.raises(MastodonAPIError) as empty:
        m.status_post("")
    assert empty.value.args[1:] == (422, "Unprocessable Entity",
                                    "Validation failed: Text can't be blank")
    with pytest.raises(MastodonAPIError) as unknown:
        m.status_post("Avec image", media_ids=["123456"])
    assert unknown.value.args[1] == 422


def test_scheduled_status_needs_five_minutes(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    now = mastodon_sandbox.now()
    with pytest.raises(MastodonAPIError) as too_soon:
        m.status_post("Bientôt", scheduled_at=now + timedelta(minutes=2))
    assert too_soon.value.args[1] == 422
    later = m.status_post("Rappel : conseil municipal", scheduled_at=now + timedelta(minutes=10))
    assert later.params.text == "Rappel : conseil municipal"
    assert [s.id for s in m.scheduled_statuses()] == [later.id]
    mastodon_sandbox.advance_time(11 * 60)
    assert m.scheduled_statuses() == []
    assert mastodon_sandbox.statuses_by("ville")[0]["content"] == \
        "<p>Rappel : conseil municipal</p>"


def test_delete_returns_the_source_then_404(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    posted = m.status_post("Erreur de date, on corrige #Agenda")
    gone = m.status_delete(posted)
    assert gone.text == "Erreur de date, on corrige #Agenda"  # source, for delete & redraft
    assert gone.content is None
    with pytest.raises(MastodonNotFoundError):
        m.status(posted.id)
    assert posted.id not in {s["id"] for s in mastodon_sandbox.statuses_by("ville")}


def test_edit_keeps_media_and_tells_boosters(mastodon_sandbox: MastodonSandbox) -> None:
    ville, culture = client(mastodon_sandbox), client(mastodon_sandbox, "culture")
    media = ville.media_post(corpus.png_image(16, 16, 2), mime_type="image/png",
                             file_name="plan.png", description="Plan du quartier")
    posted = ville.status_post("Travaux rue de Rivoli jusqu'au 12", media_ids=[media])
    culture.status_reblog(posted)
    edited = ville.status_update(posted.id, "Travaux rue de Rivoli jusqu'au 14")
    assert edited.edited_at is not None and "14" in edited.content
    assert [m.id for m in edited.media_attachments] == [media.id]
    update = culture.notifications(types=["update"], limit=1)[0]
    assert update.status.id == posted.id


def test_context_gives_ancestors_and_descendants(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    root = m.status_post("Question du jour : vos idées pour le parc ?")
    them = client(mastodon_sandbox, "culture")
    answer = them.status_post("@ville Plus de bancs !", in_reply_to_id=root.id)
    follow_up = m.status_post("@culture Bonne idée", in_reply_to_id=answer.id)
    context = m.status_context(answer)
    assert [s.id for s in context.ancestors] == [root.id]
    assert [s.id for s in context.descendants] == [follow_up.id]
    assert m.status(root.id).replies_count == 1


def test_favourite_and_reblog_counts_and_notifications(mastodon_sandbox: MastodonSandbox) -> None:
    ville, culture = client(mastodon_sandbox), client(mastodon_sandbox, "culture")
    posted = ville.status_post("Ouverture du marché de Noël")
    faved = culture.status_favourite(posted.id)
    assert faved.favourited and faved.favourites_count == 1
    boost = culture.status_reblog(posted.id)
    assert boost.reblog.id == posted.id and boost.reblog.reblogs_count == 1
    kinds = [n.type for n in ville.notifications(limit=2)]
    assert sorted(kinds) == ["favourite", "reblog"]
    assert ville.status(posted.id).favourites_count == 1
    undone = culture.status_unreblog(posted.id)
    assert not undone.reblogged and undone.reblogs_count == 0
    assert culture.status_unfavourite(posted.id).favourites_count == 0


def test_search_by_uri_lets_another_account_act(mastodon_sandbox: MastodonSandbox) -> None:
    ville, culture = client(mastodon_sandbox), client(mastodon_sandbox, "culture")
    seen = ville.timeline_home(limit=40)
    remote = next(s for s in seen if s.reblog is None and "piaille" in s.uri)
    found = culture.search_v2(remote.uri, resolve=True, result_type="statuses")
    assert [s.id for s in found.statuses] == [remote.id]
    assert culture.search_v2(remote.url, resolve=True).statuses[0].uri == remote.uri
    assert culture.status_favourite(found.statuses[0]).favourited


def test_mute_block_and_report(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    troll_acct = next(a for a in mastodon_sandbox.by_acct if a.startswith("karim.benali@"))
    troll = m.account_lookup(troll_acct)
    assert troll.acct == troll_acct
    assert m.account_mute(troll, notifications=True).muting
    assert all(s.account.id != troll.id for s in walk(m.timeline_home(limit=40), m))
    assert m.account_block(troll).blocking
    assert troll.id not in {n.account.id for n in walk(m.notifications(limit=80), m)}
    status_ids = [s.id for s in m.account_statuses(troll, limit=2)]
    report = m.report(troll, status_ids=status_ids, comment="Propos injurieux",
                      category="other")
    assert report.target_account.id == troll.id and report.comment == "Propos injurieux"
    assert mastodon_sandbox.reports[-1]["status_ids"] == status_ids


# -- errors and faults ------------------------------------------------------------------------
def test_revoked_token_is_unauthorized(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    mastodon_sandbox.revoke_token(mastodon_sandbox.token_for("ville"))
    with pytest.raises(MastodonUnauthorizedError):
        m.timeline_home()
    anonymous = Mastodon(api_base_url=mastodon_sandbox.base_url, request_timeout=10)
    with pytest.raises(MastodonUnauthorizedError) as missing:
        anonymous.account_verify_credentials()
    assert missing.value.args[3] == "The access token is invalid"


def test_unknown_status_is_not_found(mastodon_sandbox: MastodonSandbox) -> None:
    with pytest.raises(MastodonNotFoundError) as missing:
        client(mastodon_sandbox).status("999999999999")
    assert missing.value.args[3] == "Record not found"


def test_rate_limit_fault_raises_in_throw_mode(mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    mastodon_sandbox.add_fault(Fault("429", method="GET", path=r"/api/v1/timelines/home"))
    with pytest.raises(MastodonRatelimitError):
        m.timeline_home()
    assert m.ratelimit_remaining == 0
    assert len(m.timeline_home()) == 20


def test_dropped_answer_leaves_status_and_retry_is_safe(
        mastodon_sandbox: MastodonSandbox) -> None:
    m = client(mastodon_sandbox)
    mastodon_sandbox.add_fault(Fault("drop_after_commit", method="POST",
                                     path=r"^/api/v1/statuses$"))
    with pytest.raises(MastodonNetworkError):
        m.status_post("Alerte canicule : salles rafraîchies ouvertes", idempotency_key="k-42")
    stored = mastodon_sandbox.statuses_by("ville")[0]
    assert "Alerte canicule" in stored["content"]
    retried = m.status_post("Alerte canicule : salles rafraîchies ouvertes",
                            idempotency_key="k-42")
    assert retried.id == stored["id"]
    entry = mastodon_sandbox.wait_for_request("POST", r"^/api/v1/statuses$")
    assert entry.fault == "drop_after_commit" and entry.account == "ville"


class SleepLog:
    """Stands for the ``time`` module in paris_desk.sandbox.http: records every sleep."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        time.sleep(seconds)

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


def test_latency_knob_delays_every_request(
    mastodon_sandbox: MastodonSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What was delayed, and by how much, as the server decided it (not as a clock saw it)."""
    log = SleepLog()
    monkeypatch.setattr(sandbox_http, "time", log)
    m = client(mastodon_sandbox)

    m.account_verify_credentials()
    assert log.sleeps == []  # no latency set: nothing delayed

    requests.post(f"{mastodon_sandbox.base_url}/_sandbox/latency", json={"latency_ms": 300},
                  timeout=10)
    m.account_verify_credentials()
    m.timeline_home(limit=5)
    requests.get(f"{mastodon_sandbox.base_url}/_sandbox/requests", timeout=10)

    assert log.sleeps == [0.3, 0.3]  # both API calls, not the sandbox's own endpoints

    # Seen from the client, a delayed call takes at least the knob: the clock only ever adds.
    start = time.perf_counter()
    m.account_verify_credentials()
    assert time.perf_counter() - start >= mastodon_sandbox.latency_ms / 1000
