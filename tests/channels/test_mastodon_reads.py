"""The raw read path (``channels/mastodon/reads.py``) against the Mastodon sandbox over HTTP: the
same ``Post``/``Notification`` values as Mastodon.py's typed answers gave, the same pagination,
and failures translated as before."""

from __future__ import annotations

from typing import Any

import pytest

from paris_desk.channels.mastodon import (
    MastodonChannel,
    account_from_token,
    notification_from,
    post_from_status,
)
from paris_desk.channels.mastodon.convert import link_replies
from paris_desk.channels.mastodon.oauth import make_client
from paris_desk.core.errors import AuthExpired, RateLimited, ServerError, Unreachable
from paris_desk.core.model import PostRequest
from paris_desk.sandbox.http import Fault

Sandbox = Any  # paris_desk.sandbox.mastodon.MastodonSandbox


@pytest.fixture
def ville(mastodon_sandbox: Sandbox) -> MastodonChannel:
    token = mastodon_sandbox.token_for("ville")
    return MastodonChannel(
        account_from_token(mastodon_sandbox.base_url, token), token, timeout=(2, 1)
    )


@pytest.fixture
def typed(mastodon_sandbox: Sandbox) -> Any:
    """Mastodon.py's own typed client for the same account: the reference."""
    return make_client(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))


def test_home_timeline_gives_the_posts_the_typed_answer_gave(
    ville: MastodonChannel, typed: Any
) -> None:
    statuses = typed.timeline_home(limit=40)
    expected = link_replies([post_from_status(s, ville.account.id) for s in statuses])

    page = ville.home_timeline(limit=40)

    assert len(page.items) == 40
    assert page.items == tuple(expected)


def test_older_pages_follow_the_link_header(ville: MastodonChannel, typed: Any) -> None:
    first = typed.timeline_home(limit=10)
    second = typed.fetch_next(first)
    expected = link_replies([post_from_status(s, ville.account.id) for s in second])

    page = ville.home_timeline(limit=10)
    older = ville.home_timeline(cursor=page.cursor, limit=10)

    assert page.cursor == str(typed.get_pagination_info(first, "next")["max_id"])
    assert older.items == tuple(expected)
    assert not {p.uri for p in page.items} & {p.uri for p in older.items}


def test_notifications_give_what_the_typed_answer_gave(
    ville: MastodonChannel, typed: Any, mastodon_sandbox: Sandbox
) -> None:
    for n in range(3):
        mastodon_sandbox.post_as("culture", f"@ville question {n} : horaires ?")
    user_id = ville.verify().user_id
    marker = typed.markers_get(["notifications"]).get("notifications")
    last_read = str(marker["last_read_id"]) if marker else ""
    expected = [notification_from(n, ville.account.id, user_id=user_id, last_read_id=last_read)
                for n in typed.notifications(limit=40)]

    page = ville.notifications(limit=40)

    assert page.items == tuple(expected)
    assert len(page.items) >= 3


def test_a_thread_gives_what_the_typed_answers_gave(
    ville: MastodonChannel, typed: Any
) -> None:
    post = next(p for p in ville.home_timeline(limit=40).items if p.reply_to_native_id)
    context = typed.status_context(post.native_id)
    center = post_from_status(typed.status(post.native_id), ville.account.id)
    ancestors = [post_from_status(s, ville.account.id) for s in context["ancestors"]]
    replies = [post_from_status(s, ville.account.id) for s in context["descendants"]]
    expected = link_replies([*ancestors, center, *replies])

    thread = ville.thread(post)

    assert (*thread.ancestors, thread.post, *thread.replies) == tuple(expected)
    assert thread.ancestors  # the seed's replies have their parent in the sandbox


def test_own_statuses_are_read_page_after_page(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    request = PostRequest(text="Réunion publique jeudi à 18 h", idempotency_key="reads-own")
    sent = ville.post(request)

    assert ville.find_sent(request) == sent
    asked = [r.path for r in mastodon_sandbox.requests if r.path.endswith("/statuses")
             and r.method == "GET"]
    assert asked  # found among the account's own statuses


def test_401_on_the_raw_path_is_auth_expired(ville: MastodonChannel) -> None:
    broken = MastodonChannel(ville.account, "revoked-or-wrong")

    with pytest.raises(AuthExpired) as caught:
        broken.notifications()

    assert caught.value.account_id == ville.account.id


def test_429_on_the_raw_path_is_rate_limited_with_the_reset_delay(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    mastodon_sandbox.add_fault(Fault(kind="429", path=r"^/api/v1/notifications$",
                                     retry_after=30))

    with pytest.raises(RateLimited) as caught:
        ville.notifications()

    assert caught.value.retry_after is not None
    assert 25 <= caught.value.retry_after <= 31


@pytest.mark.parametrize("path", [r"^/api/v1/markers$", r"^/api/v1/statuses/\d+/context$"])
def test_5xx_on_the_side_request_is_a_server_error(
    ville: MastodonChannel, mastodon_sandbox: Sandbox, path: str
) -> None:
    post = next(p for p in ville.home_timeline(limit=40).items if p.reply_to_native_id)
    mastodon_sandbox.add_fault(Fault(kind="503", path=path))

    with pytest.raises(ServerError) as caught:
        if "markers" in path:
            ville.notifications()
        else:
            ville.thread(post)

    assert caught.value.retryable
    assert caught.value.account_id == ville.account.id


def test_a_read_that_times_out_is_unreachable(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    mastodon_sandbox.add_fault(Fault(kind="hang", method="GET", path=r"^/api/v1/timelines/home$",
                                     hang_seconds=3))

    with pytest.raises(Unreachable) as caught:
        ville.home_timeline()

    assert "ReadTimeout" in caught.value.message
    assert caught.value.account_id == ville.account.id
