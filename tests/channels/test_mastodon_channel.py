"""``MastodonChannel`` against the Mastodon sandbox over real HTTP: reading, posting (media,
CW, visibility, language, idempotent retry, find_sent), actions, threads, resolution."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from mastodon import Mastodon

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.errors import NotFound, Unreachable
from paris_desk.core.model import (
    NotificationKind,
    Post,
    PostRequest,
    PreparedMedia,
    Visibility,
)
from paris_desk.sandbox.corpus import png_image
from paris_desk.sandbox.http import Fault

Sandbox = Any  # paris_desk.sandbox.mastodon.MastodonSandbox


def channel_for(server: Sandbox, acct: str) -> MastodonChannel:
    token = server.token_for(acct)
    return MastodonChannel(account_from_token(server.base_url, token), token)


@pytest.fixture
def ville(mastodon_sandbox: Sandbox) -> MastodonChannel:
    return channel_for(mastodon_sandbox, "ville")


@pytest.fixture
def culture(mastodon_sandbox: Sandbox) -> MastodonChannel:
    return channel_for(mastodon_sandbox, "culture")


def server_status(server: Sandbox, acct: str, status_id: str) -> dict[str, Any]:
    return next(s for s in server.statuses_by(acct) if s["id"] == status_id)


# -- reading --------------------------------------------------------------------------------------
def test_limits_come_from_the_instance(ville: MastodonChannel, mastodon_sandbox: Sandbox) -> None:
    limits = ville.limits()
    again = ville.limits()

    assert limits.max_characters == 500
    assert limits.characters_reserved_per_url == 23
    assert limits.max_media == 4
    assert limits.description_limit == 1500
    assert limits.counting == "mastodon"
    assert limits.supports_visibility and limits.supports_scheduling
    assert again is limits
    mastodon_sandbox.wait_for_request("GET", r"^/api/v2/instance")  # the log lags the answer
    assert sum(1 for r in mastodon_sandbox.requests if "instance" in r.path) == 1  # cached


def test_home_timeline_pages_until_the_end(ville: MastodonChannel) -> None:
    first = ville.home_timeline(limit=20)
    seen = list(first.items)
    cursor = first.cursor
    pages = 1
    while cursor is not None:
        page = ville.home_timeline(cursor=cursor, limit=40)
        assert page.items or page.cursor is None
        seen += page.items
        cursor = page.cursor
        pages += 1
        assert pages < 50

    assert len(first.items) == 20
    assert pages > 2
    keys = [(p.uri, p.repost_by.handle if p.repost_by else "") for p in seen]
    assert len(keys) == len(set(keys))  # pages neither overlap nor repeat
    times = [p.sort_time for p in seen]
    assert times == sorted(times, reverse=True)
    assert any(p.repost_by is not None for p in seen)
    assert all(p.seen_by == (ville.account.id,) for p in seen)


def test_timeline_replies_within_a_page_get_their_parent_uri(ville: MastodonChannel) -> None:
    page = ville.home_timeline(limit=40)
    by_id = {p.native_id: p for p in page.items}

    linked = [p for p in page.items if p.reply_to_native_id in by_id]

    assert linked
    for post in linked:
        assert post.reply_to_uri == by_id[post.reply_to_native_id].uri


def test_notifications_of_each_kind_and_the_read_marker(
    ville: MastodonChannel, culture: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    mine = ville.post(
        PostRequest(text="Collecte des sapins jusqu'au 20 janvier.", idempotency_key="n-1")
    )
    seen_by_culture = culture.resolve(mine)
    culture.like(seen_by_culture)
    culture.repost(seen_by_culture)
    culture.post(
        PostRequest(
            text="@ville Et les sapins floqués ?", reply_to=seen_by_culture, idempotency_key="n-2"
        )
    )
    culture.post(PostRequest(text="Merci @ville pour l'info", idempotency_key="n-3"))

    page = ville.notifications(limit=10)
    fresh = {n.kind: n for n in reversed(page.items) if n.created_at >= mine.created_at}

    assert set(fresh) >= {
        NotificationKind.LIKE,
        NotificationKind.REPOST,
        NotificationKind.REPLY,
        NotificationKind.MENTION,
    }
    assert fresh[NotificationKind.LIKE].subject_uri == mine.uri
    assert fresh[NotificationKind.REPOST].subject_uri == mine.uri
    assert fresh[NotificationKind.LIKE].author.handle == culture.account.handle
    reply = fresh[NotificationKind.REPLY].post
    assert reply is not None and reply.text == "@ville Et les sapins floqués ?"
    assert all(n.unread for n in fresh.values())
    kinds_seeded = {n.kind for n in ville.notifications(limit=80).items}
    assert NotificationKind.FOLLOW in kinds_seeded

    newest = page.items[0]
    ville.mark_notifications_read(newest)

    m = Mastodon(
        access_token=mastodon_sandbox.token_for("ville"), api_base_url=mastodon_sandbox.base_url
    )
    assert str(m.markers_get(["notifications"])["notifications"]["last_read_id"]) == newest.id
    assert not any(n.unread for n in ville.notifications(limit=10).items)
    mastodon_sandbox.post_as("culture", "@ville Nouvelle question")
    after = ville.notifications(limit=10).items
    assert after[0].unread and not after[1].unread


def test_notifications_page_with_a_cursor(ville: MastodonChannel) -> None:
    first = ville.notifications(limit=5)
    second = ville.notifications(cursor=first.cursor, limit=5)

    assert first.cursor is not None
    assert not {n.id for n in first.items} & {n.id for n in second.items}
    assert min(n.created_at for n in first.items) >= max(n.created_at for n in second.items)


# -- posting --------------------------------------------------------------------------------------
def test_post_with_image_alt_cw_visibility_and_language(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    image = png_image(320, 200, 7)
    request = PostRequest(
        text="Fermeture du pont d'Iéna samedi. Détails : https://www.paris.fr/pages/pont-iena",
        idempotency_key="post-1",
        media=(
            PreparedMedia(
                image, "image/png", "Plan des déviations autour du pont.", 320, 200, "plan.png"
            ),
        ),
        content_warning="Travaux",
        visibility=Visibility.UNLISTED,
        language="fr",
    )

    post = ville.post(request)

    on_server = server_status(mastodon_sandbox, "ville", post.native_id)
    assert on_server["spoiler_text"] == "Travaux"
    assert on_server["visibility"] == "unlisted"
    assert on_server["language"] == "fr"
    assert on_server["sensitive"] is True
    (media,) = on_server["media_attachments"]
    assert media["description"] == "Plan des déviations autour du pont."
    assert mastodon_sandbox.uploaded_media(media["id"]) == image
    upload = next(r for r in mastodon_sandbox.requests if "media" in r.path and r.method == "POST")
    assert upload.path == "/api/v2/media"
    assert post.text == request.text
    assert post.content_warning == "Travaux"
    assert post.media[0].alt == "Plan des déviations autour du pont."
    assert post.author.handle == ville.account.handle
    assert post.origin_account == ville.account.id


def test_video_is_posted_once_the_server_has_processed_it(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    mastodon_sandbox.media_processing_seconds = 1.0  # 202 without url, then 206, then 200
    clip = PreparedMedia(
        b"\x00\x00\x00\x18ftypmp42" + bytes(2048),
        "video/mp4",
        "Visite du chantier en vidéo.",
        file_name="chantier.mp4",
    )

    post = ville.post(
        PostRequest(text="Le chantier en images", media=(clip,), idempotency_key="video-1")
    )

    assert post.media[0].kind == "video"
    assert post.media[0].alt == "Visite du chantier en vidéo."
    polls = [
        r
        for r in mastodon_sandbox.requests
        if r.method == "GET" and r.path.startswith("/api/v1/media/")
    ]
    assert polls  # waited for processing instead of getting a 422 "not finished processing"


def test_quote_post(ville: MastodonChannel, culture: MastodonChannel) -> None:
    original = ville.post(
        PostRequest(text="Le budget participatif est ouvert.", idempotency_key="q1")
    )

    quoting = culture.post(PostRequest(text="À vos idées !", quote=original, idempotency_key="q2"))

    assert quoting.quote is not None
    assert quoting.quote.uri == original.uri
    notes = ville.notifications(limit=5).items
    assert any(n.kind is NotificationKind.QUOTE and n.subject_uri == original.uri for n in notes)


def test_retry_after_a_drop_after_commit_makes_one_status(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    request = PostRequest(
        text="Alerte canicule : salles rafraîchies ouvertes (test 4242).",
        idempotency_key="outbox-42",
        created_at=datetime.now(UTC),
    )
    mastodon_sandbox.add_fault(
        Fault(kind="drop_after_commit", method="POST", path=r"^/api/v1/statuses$", count=1)
    )

    with pytest.raises(Unreachable) as caught:
        ville.post(request)
    assert caught.value.maybe_applied is True
    assert caught.value.account_id == ville.account.id

    again = ville.post(request)

    same = [s for s in mastodon_sandbox.statuses_by("ville") if "test 4242" in s["content"]]
    assert len(same) == 1
    assert again.native_id == same[0]["id"]


def test_find_sent_after_an_ambiguous_failure(
    ville: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    request = PostRequest(
        text="Réunion publique jeudi à 19 h\n\nOrdre du jour : @culture",
        idempotency_key="outbox-43",
        content_warning="Politique locale",
        created_at=datetime.now(UTC),
    )
    mastodon_sandbox.add_fault(
        Fault(kind="drop_after_commit", method="POST", path=r"^/api/v1/statuses$", count=1)
    )
    with pytest.raises(Unreachable):
        ville.post(request)

    found = ville.find_sent(request)

    assert found is not None
    assert found.native_id == mastodon_sandbox.statuses_by("ville")[0]["id"]
    assert ville.find_sent(dataclasses.replace(request, text="Autre chose")) is None
    assert ville.find_sent(dataclasses.replace(request, content_warning="")) is None


def test_find_sent_when_nothing_was_sent(ville: MastodonChannel, mastodon_sandbox: Sandbox) -> None:
    mastodon_sandbox.add_fault(
        Fault(kind="drop_before", method="POST", path=r"^/api/v1/statuses$", count=1)
    )
    request = PostRequest(text="Jamais arrivé", idempotency_key="outbox-44")

    with pytest.raises(Unreachable):
        ville.post(request)

    assert ville.find_sent(request) is None


def test_scheduled_post_and_its_lookup(ville: MastodonChannel) -> None:
    when = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    request = PostRequest(
        text="Nuit Blanche : programme demain.", idempotency_key="sch-1", scheduled_at=when
    )

    post = ville.post(request)
    found = ville.find_sent(request)

    assert post.created_at == when
    assert found is not None and found.native_id == post.native_id
    assert (
        ville.find_sent(dataclasses.replace(request, scheduled_at=when + timedelta(hours=1)))
        is None
    )


# -- actions --------------------------------------------------------------------------------------
def test_like_and_repost_are_reflected(
    ville: MastodonChannel, culture: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    original = culture.post(PostRequest(text="Exposition au Petit Palais", idempotency_key="a"))
    target = ville.resolve(original)

    liked = ville.like(target)
    reposted = ville.repost(liked)

    on_server = server_status(mastodon_sandbox, "culture", original.native_id)
    assert liked.liked and liked.like_count == 1
    assert reposted.reposted and reposted.repost_count == 1
    assert reposted.uri == original.uri
    assert on_server["favourites_count"] == 1 and on_server["reblogs_count"] == 1
    assert any(
        s.get("reblog") and s["reblog"]["id"] == original.native_id
        for s in mastodon_sandbox.statuses_by("ville")
    )

    unliked = ville.unlike(reposted)
    unreposted = ville.unrepost(unliked)

    on_server = server_status(mastodon_sandbox, "culture", original.native_id)
    assert not unliked.liked and not unreposted.reposted
    assert on_server["favourites_count"] == 0 and on_server["reblogs_count"] == 0


def test_acting_on_a_post_seen_by_another_server_resolves_it_first(
    ville: MastodonChannel, culture: MastodonChannel, mastodon_sandbox: Sandbox
) -> None:
    original = culture.post(PostRequest(text="Marché de Noël", idempotency_key="b"))
    from_elsewhere = dataclasses.replace(
        original,
        native_id="1",
        origin_account="mastodon:@ville@autre.example",
        seen_by=("mastodon:@ville@autre.example",),
    )

    liked = ville.like(from_elsewhere)

    assert liked.native_id == original.native_id
    assert liked.liked
    assert any(r.path == "/api/v2/search" for r in mastodon_sandbox.requests)


def test_reply_resolves_the_parent_and_links_the_thread(
    ville: MastodonChannel, culture: MastodonChannel
) -> None:
    root = ville.post(PostRequest(text="Budget participatif : votez !", idempotency_key="t1"))
    answer = culture.post(
        PostRequest(text="@ville C'est jusqu'à quand ?", reply_to=root, idempotency_key="t2")
    )
    follow_up = ville.post(
        PostRequest(text="@culture Jusqu'au 30.", reply_to=answer, idempotency_key="t3")
    )

    thread = ville.thread(answer)

    assert answer.reply_to_native_id == root.native_id  # same server: ids are shared
    assert thread.post.uri == answer.uri
    assert [p.uri for p in thread.ancestors] == [root.uri]
    assert [p.uri for p in thread.replies] == [follow_up.uri]
    assert thread.post.reply_to_uri == root.uri
    assert thread.replies[0].reply_to_uri == answer.uri
    assert thread.replies[0].reply_to_handle == culture.account.handle


def test_delete_removes_the_status(ville: MastodonChannel, mastodon_sandbox: Sandbox) -> None:
    post = ville.post(PostRequest(text="Message erroné", idempotency_key="d"))

    ville.delete(post)

    assert all(s["id"] != post.native_id for s in mastodon_sandbox.statuses_by("ville"))
    with pytest.raises(NotFound):
        ville.resolve(post)


def test_resolve_an_unknown_uri_is_not_found(ville: MastodonChannel) -> None:
    post: Post = ville.home_timeline(limit=1).items[0]
    ghost = dataclasses.replace(
        post,
        uri="https://nulle-part.example/statuses/1",
        origin_account="mastodon:@x@nulle-part.example",
    )

    with pytest.raises(NotFound):
        ville.resolve(ghost)


@pytest.mark.parametrize(
    ("parent", "asked", "sent"),
    [("direct", "public", "direct"), ("private", "public", "private"),
     ("unlisted", "public", "unlisted"), ("public", "unlisted", "unlisted")],
)
def test_a_reply_never_goes_out_wider_than_its_parent(
    ville: MastodonChannel, culture: MastodonChannel, mastodon_sandbox: Sandbox,
    parent: str, asked: str, sent: str,
) -> None:
    # A citizen writes to the city privately: answering must not publish the exchange.
    question = culture.post(PostRequest(
        text="@ville Mon dossier de logement est bloqué, à qui écrire ?",
        visibility=Visibility(parent), idempotency_key=f"q-{parent}-{asked}",
    ))
    assert question.visibility == parent

    answer = ville.post(PostRequest(
        text="@culture Écrivez-nous en message privé, nous regardons.", reply_to=question,
        visibility=Visibility(asked), idempotency_key=f"a-{parent}-{asked}",
    ))

    assert server_status(mastodon_sandbox, "ville", answer.native_id)["visibility"] == sent
