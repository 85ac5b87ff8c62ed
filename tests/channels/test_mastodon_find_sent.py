"""``MastodonChannel.find_sent`` against the Mastodon sandbox: it pages back through the
account's own statuses until they are older than the request (or a bound), and a status only
matches with the same text, parent and media count, created after the request; and the
``timeout`` of ``restore``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from paris_desk.channels import mastodon
from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.channels.mastodon.client import FIND_SENT_PAGES
from paris_desk.core.errors import Unreachable
from paris_desk.core.model import PostRequest, PreparedMedia
from paris_desk.sandbox.corpus import png_image
from paris_desk.sandbox.http import Fault

Sandbox = Any  # paris_desk.sandbox.mastodon.MastodonSandbox
STATUSES = r"^/api/v1/statuses$"


@pytest.fixture
def ville(mastodon_sandbox: Sandbox) -> MastodonChannel:
    token = mastodon_sandbox.token_for("ville")
    return MastodonChannel(account_from_token(mastodon_sandbox.base_url, token), token)


def lost_answer(server: Sandbox, channel: MastodonChannel, request: PostRequest) -> None:
    """The status is stored, but the connection drops before the answer arrives."""
    server.add_fault(Fault(kind="drop_after_commit", method="POST", path=STATUSES))
    with pytest.raises(Unreachable):
        channel.post(request)


def never_arrived(server: Sandbox, channel: MastodonChannel, request: PostRequest) -> None:
    server.add_fault(Fault(kind="drop_before", method="POST", path=STATUSES))
    with pytest.raises(Unreachable):
        channel.post(request)


def pages_read(server: Sandbox, channel: MastodonChannel, start: int) -> int:
    path = f"/api/v1/accounts/{channel.account.user_id}/statuses"
    return sum(1 for r in server.requests[start:] if r.method == "GET" and r.path == path)


def test_a_post_buried_under_newer_statuses_is_found_on_a_later_page(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    request = PostRequest(
        text="Collecte des encombrants lundi (réf. 5501)",
        idempotency_key="outbox-5501",
        created_at=datetime.now(UTC),
    )
    lost_answer(mastodon_sandbox, ville, request)
    for n in range(45):  # other staff kept posting from the web before the retry
        mastodon_sandbox.post_as("ville", f"Point travaux n° {n}")
    start = len(mastodon_sandbox.requests)

    found = ville.find_sent(request)

    assert found is not None
    wanted = [s for s in mastodon_sandbox.statuses_by("ville") if "5501" in s["content"]]
    assert [found.native_id] == [s["id"] for s in wanted]
    assert pages_read(mastodon_sandbox, ville, start) == 2


def test_the_search_stops_at_statuses_older_than_the_request(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    yesterday = datetime.now(UTC) - timedelta(days=1)
    for n in range(50):
        mastodon_sandbox.post_as("ville", f"Archive n° {n}", at=yesterday)
    request = PostRequest(
        text="Jamais arrivé", idempotency_key="outbox-5502", created_at=datetime.now(UTC)
    )
    never_arrived(mastodon_sandbox, ville, request)
    for n in range(45):
        mastodon_sandbox.post_as("ville", f"Point travaux n° {n}")
    start = len(mastodon_sandbox.requests)

    assert ville.find_sent(request) is None
    # page 1: 40 recent statuses; page 2: 5 recent, then yesterday's: no page 3
    assert pages_read(mastodon_sandbox, ville, start) == 2


def test_the_search_is_bounded_when_the_request_has_no_date(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    for n in range(250):
        mastodon_sandbox.post_as("ville", f"Point travaux n° {n}")
    start = len(mastodon_sandbox.requests)

    assert ville.find_sent(PostRequest(text="Jamais arrivé", idempotency_key="k")) is None
    assert pages_read(mastodon_sandbox, ville, start) == FIND_SENT_PAGES


def test_the_same_text_posted_earlier_on_purpose_is_another_post(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    text = "Rappel : la mairie est fermée ce samedi."
    earlier = mastodon_sandbox.post_as("ville", text, at=datetime.now(UTC) - timedelta(minutes=30))
    request = PostRequest(text=text, idempotency_key="outbox-5503", created_at=datetime.now(UTC))
    never_arrived(mastodon_sandbox, ville, request)

    assert ville.find_sent(request) is None

    sent = ville.post(request)
    found = ville.find_sent(request)
    assert found is not None
    assert found.native_id == sent.native_id != earlier["id"]


def test_a_reply_matches_only_under_its_own_parent(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    first = ville.post(PostRequest(text="Travaux rue de Rivoli", idempotency_key="p1"))
    second = ville.post(PostRequest(text="Travaux quai de la Seine", idempotency_key="p2"))
    text = "Mise à jour : fin prévue vendredi."
    ville.post(PostRequest(text=text, reply_to=first, idempotency_key="r1"))
    request = PostRequest(
        text=text, reply_to=second, idempotency_key="r2", created_at=datetime.now(UTC)
    )
    never_arrived(mastodon_sandbox, ville, request)

    assert ville.find_sent(request) is None

    lost_answer(mastodon_sandbox, ville, request)
    found = ville.find_sent(request)
    assert found is not None
    assert found.reply_to_native_id == second.native_id


def test_a_post_with_other_media_does_not_match(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    image = PreparedMedia(png_image(16, 16, seed=3), "image/png", "Plan du quartier")
    text = "Plan des travaux"
    now = datetime.now(UTC)
    ville.post(PostRequest(text=text, media=(image,), idempotency_key="m1", created_at=now))

    assert ville.find_sent(PostRequest(text=text, idempotency_key="m2", created_at=now)) is None
    found = ville.find_sent(
        PostRequest(text=text, media=(image,), idempotency_key="m1", created_at=now)
    )
    assert found is not None and len(found.media) == 1


def test_restore_takes_a_timeout(
    mastodon_sandbox: Sandbox, ville: MastodonChannel, request_gate: Any
) -> None:
    token = mastodon_sandbox.token_for("ville")
    channel = mastodon.restore(ville.account, token, lambda s: None, timeout=0.5)

    # The server holds the request for up to 10 s, then answers: a third of the default read
    # timeout (30 s), 20 times the one given.
    with request_gate(mastodon_sandbox, method="GET", path=r"^/api/v1/timelines/home$",
                      guard=10) as held:
        with pytest.raises(Unreachable):
            channel.home_timeline(limit=5)
        assert held.waiting == 1, "the client gave up only once the server answered"
