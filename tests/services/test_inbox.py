"""InboxService over HTTP against both sandboxes: two Mastodon and two Bluesky accounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from paris_desk.core.errors import AuthExpired, ServerError
from paris_desk.core.model import Network, NotificationKind, PostRequest
from paris_desk.core.tid import next_tid
from paris_desk.sandbox.http import Fault
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.inbox import InboxItem, InboxService, InboxSnapshot, reply_prefix
from paris_desk.services.outbox import RetryPolicy
from paris_desk.store.inbox import Handling, InboxStore
from paris_desk.store.keychain import account_key
from paris_desk.store.profile import Profile


@pytest.fixture
def accounts(mastodon_sandbox: Any, bluesky_sandbox: Any) -> Iterator[AccountService]:
    service = AccountService(Profile.default())
    for acct in ("ville", "culture"):
        service.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for(acct))
    for who in bluesky_sandbox.accounts:
        service.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    yield service
    service.close()


@pytest.fixture
def ids(accounts: AccountService) -> list[str]:
    return [a.id for a in accounts.list()]


@pytest.fixture
def desk(accounts: AccountService) -> Desk:
    return Desk(accounts, retry_policy=RetryPolicy(max_attempts=4, base_delay=0.05))


@pytest.fixture
def inbox(accounts: AccountService) -> InboxService:
    return InboxService(accounts, InboxStore(accounts.db))


def by_network(accounts: AccountService, network: Network) -> list[str]:
    return [a.id for a in accounts.list() if a.network is network]


def first(snapshot: InboxSnapshot, account_id: str, kind: NotificationKind) -> InboxItem:
    return next(i for i in snapshot.items
                if i.account_id == account_id and i.group.kind is kind and i.post is not None)


def test_refresh_merges_every_account_newest_first_and_groups(
    inbox: InboxService, ids: list[str]
) -> None:
    snapshot = inbox.refresh(ids)

    assert snapshot.failures == {}
    assert {i.account_id for i in snapshot.items} == set(ids)
    times = [i.latest.created_at for i in snapshot.items]
    assert times == sorted(times, reverse=True)
    likes = [i for i in snapshot.items if i.group.kind is NotificationKind.LIKE]
    assert any(i.group.count > 1 for i in likes)  # "Marie and 3 others liked your post"
    assert all(len({n.subject_uri for n in i.group.notifications}) == 1 for i in likes)
    mentions = [i for i in snapshot.items if i.group.kind is NotificationKind.MENTION]
    assert mentions and all(i.group.count == 1 and i.to_handle for i in mentions)
    assert snapshot.counts.to_handle == sum(i.to_handle for i in snapshot.items) > 0
    assert snapshot.has_older


def test_older_pages_come_per_account_until_the_end(
    accounts: AccountService, ids: list[str]
) -> None:
    inbox = InboxService(accounts, InboxStore(accounts.db), page_size=80)
    snapshot = inbox.refresh(ids)
    sizes = [sum(i.group.count for i in snapshot.items)]
    for _ in range(10):
        if not snapshot.has_older:
            break
        snapshot = inbox.load_older(ids)
        sizes.append(sum(i.group.count for i in snapshot.items))

    assert not snapshot.has_older
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0]
    keys = [(n.account_id, n.id) for i in snapshot.items for n in i.group.notifications]
    assert len(keys) == len(set(keys))
    assert sizes[-1] == 258 + 187 + 304 + 278  # everything each sandbox account has


def test_one_failing_account_is_reported_and_the_others_arrive(
    inbox: InboxService, ids: list[str], accounts: AccountService, mastodon_sandbox: Any,
    memory_keyring: Any,
) -> None:
    mastodon_sandbox.add_fault(Fault("503", "GET", r"/api/v1/notifications$", count=None))
    lost = by_network(accounts, Network.BLUESKY)[1]
    del memory_keyring.items[(accounts.keychain.service,
                              accounts.keychain.entry_name(account_key(lost)))]

    snapshot = inbox.refresh(ids)

    masto = by_network(accounts, Network.MASTODON)
    assert set(snapshot.failures) == {*masto, lost}
    assert all(isinstance(snapshot.failures[a], ServerError) for a in masto)
    assert isinstance(snapshot.failures[lost], AuthExpired)
    assert {i.account_id for i in snapshot.items} == set(ids) - {*masto, lost}


def test_mark_read_moves_the_servers_watermarks_for_the_accounts_shown(
    inbox: InboxService, accounts: AccountService, ids: list[str], mastodon_sandbox: Any,
    bluesky_sandbox: Any,
) -> None:
    snapshot = inbox.refresh(ids)
    masto_ville = by_network(accounts, Network.MASTODON)[0]
    bsky_ville = by_network(accounts, Network.BLUESKY)[0]
    assert snapshot.counts.by_account[masto_ville][0] > 0

    assert inbox.mark_read([masto_ville, bsky_ville]) == {}

    newest_masto = max((i.latest for i in snapshot.items if i.account_id == masto_ville),
                       key=lambda n: n.created_at)
    markers = mastodon_sandbox.markers[mastodon_sandbox.account_id("ville")]
    assert markers["notifications"]["last_read_id"] == newest_masto.id
    newest_bsky = max((i.latest for i in snapshot.items if i.account_id == bsky_ville),
                      key=lambda n: n.created_at)
    did = accounts.get(bsky_ville).user_id
    assert bluesky_sandbox.seen_at(did) > newest_bsky.created_at
    assert bluesky_sandbox.seen_at(bluesky_sandbox.accounts[1]["did"]) is None  # not shown

    after = InboxService(accounts, InboxStore(accounts.db)).refresh(ids)  # from the servers
    assert after.counts.by_account[masto_ville][0] == 0
    assert after.counts.by_account[bsky_ville][0] == 0
    assert after.counts.by_account[ids[1]][0] > 0


def test_a_reply_goes_out_as_the_mentioned_mastodon_account_in_the_thread(
    inbox: InboxService, desk: Desk, accounts: AccountService, ids: list[str],
    mastodon_sandbox: Any,
) -> None:
    culture = by_network(accounts, Network.MASTODON)[1]
    snapshot = inbox.refresh(ids)
    item = first(snapshot, culture, NotificationKind.MENTION)
    assert item.post is not None
    text = reply_prefix(item, accounts.get(culture)) + "Merci, c'est noté !"

    outcome = desk.answer(item, text)

    assert outcome.sent
    sent = outcome.first_post

    status = next(s for s in mastodon_sandbox.statuses_by("culture") if s["uri"] == sent.uri)
    assert status["in_reply_to_id"] == item.post.native_id
    assert [m["id"] for m in status["mentions"]] == [item.post.author.user_id]
    after = inbox.snapshot(ids)
    done = next(i for i in after.items if i.key == item.key)
    assert not done.to_handle and done.handled is not None
    assert (done.handled.how, done.handled.reply_uri) == (Handling.ANSWERED, sent.uri)
    assert after.counts.to_handle == snapshot.counts.to_handle - 1


def test_a_reply_goes_out_as_the_mentioned_bluesky_account_in_the_thread(
    inbox: InboxService, desk: Desk, accounts: AccountService, ids: list[str],
    bluesky_sandbox: Any,
) -> None:
    culture = by_network(accounts, Network.BLUESKY)[1]
    snapshot = inbox.refresh(ids)
    item = first(snapshot, culture, NotificationKind.REPLY)
    post = item.post
    assert post is not None and post.reply_root_uri
    assert reply_prefix(item, accounts.get(culture)) == f"@{post.author.handle.lstrip('@')} "

    sent = desk.answer(item, "Merci pour votre message.").first_post
    assert sent is not None

    record = bluesky_sandbox.stored_record(sent.uri)
    assert record.did == accounts.get(culture).user_id
    parent, root = record.value["reply"]["parent"], record.value["reply"]["root"]
    assert (parent["uri"], parent["cid"]) == (post.uri, post.cid)
    assert (root["uri"], root["cid"]) == (post.reply_root_uri, post.reply_root_cid)
    assert not next(i for i in inbox.snapshot(ids).items if i.key == item.key).to_handle


def test_a_reply_whose_answer_is_lost_is_posted_once(
    inbox: InboxService, desk: Desk, accounts: AccountService, ids: list[str],
    mastodon_sandbox: Any,
) -> None:
    ville = by_network(accounts, Network.MASTODON)[0]
    item = first(inbox.refresh(ids), ville, NotificationKind.MENTION)
    mastodon_sandbox.add_fault(Fault("drop_after_commit", "POST", r"/api/v1/statuses$"))
    before = mastodon_sandbox.status_count()

    outcome = desk.answer(item, "Bien reçu.")  # the post is stored, its first answer lost

    assert outcome.sent and mastodon_sandbox.status_count() == before + 1
    sent = outcome.first_post
    assert sent is not None
    assert next(i for i in inbox.snapshot(ids).items if i.key == item.key).handled.reply_uri \
        == sent.uri


def test_dismissing_empties_a_handle_and_undo_brings_it_back(
    inbox: InboxService, ids: list[str]
) -> None:
    snapshot = inbox.refresh(ids)
    todo = [i for i in snapshot.items if i.to_handle]

    for item in todo[:3]:
        assert inbox.set_handled(item, True) is not None
    after = inbox.snapshot(ids)
    assert after.counts.to_handle == snapshot.counts.to_handle - 3
    assert all(i.handled and i.handled.how is Handling.DISMISSED
               for i in after.items if i.key in {t.key for t in todo[:3]})

    inbox.set_handled(todo[0], False)
    assert inbox.snapshot(ids).counts.to_handle == snapshot.counts.to_handle - 2


def test_handled_and_kept_unread_survive_a_restart_without_network(
    accounts: AccountService, ids: list[str], mastodon_sandbox: Any
) -> None:
    inbox = InboxService(accounts, InboxStore(accounts.db))
    snapshot = inbox.refresh(ids)
    item = next(i for i in snapshot.items if i.to_handle)
    inbox.set_handled(item, True)
    inbox.mark_read(ids)
    inbox.set_unread(item, True)

    mastodon_sandbox.add_fault(Fault("503", count=None))  # offline from now on
    again = InboxService(accounts, InboxStore(accounts.db))
    cached = again.snapshot(ids)

    same = next(i for i in cached.items if i.key == item.key)
    assert same.unread and not same.to_handle
    assert cached.counts.unread == 1
    assert len(cached.items) == len(snapshot.items)


def test_an_answer_made_elsewhere_is_seen_in_the_thread(
    inbox: InboxService, accounts: AccountService, ids: list[str]
) -> None:
    ville = by_network(accounts, Network.BLUESKY)[0]
    item = first(inbox.refresh(ids), ville, NotificationKind.MENTION)
    assert item.post is not None
    channel = accounts.channel(ville)
    request = PostRequest("Réponse depuis l'application officielle.", reply_to=item.post,
                          idempotency_key=next_tid())
    answer = channel.post(request)  # not through paris_desk

    mark = inbox.note_thread(item, inbox.thread(ville, item.post))

    assert mark is not None and mark.reply_uri == answer.uri
    assert not next(i for i in inbox.snapshot(ids).items if i.key == item.key).to_handle


def test_mute_and_block_through_the_inbox_hide_the_author(
    inbox: InboxService, accounts: AccountService, ids: list[str], mastodon_sandbox: Any
) -> None:
    ville = by_network(accounts, Network.MASTODON)[0]
    item = first(inbox.refresh(ids), ville, NotificationKind.MENTION)
    author = item.latest.author

    def from_author(snapshot: InboxSnapshot) -> list[InboxItem]:
        return [i for i in snapshot.items if i.account_id == ville
                and any(n.author.user_id == author.user_id for n in i.group.notifications)]

    assert inbox.supports_moderation(ville)
    inbox.mute(ville, author)
    assert from_author(inbox.snapshot(ids)) == []  # gone from the stored inbox at once
    assert from_author(inbox.refresh(ids)) == []  # and the server no longer sends them

    inbox.mute(ville, author, on=False)
    assert from_author(inbox.load(ids, per_account=300))

    inbox.block(ville, author)
    me = mastodon_sandbox.account_id("ville")
    assert mastodon_sandbox.blocks[me] == {author.user_id}
    assert from_author(inbox.snapshot(ids)) == []
    inbox.block(ville, author, on=False)
    assert mastodon_sandbox.blocks[me] == set()


def test_load_reads_pages_up_to_the_count_asked(
    inbox: InboxService, ids: list[str]
) -> None:
    snapshot = inbox.load(ids, per_account=150)

    counts: dict[str, int] = {}
    for item in snapshot.items:
        counts[item.account_id] = counts.get(item.account_id, 0) + item.group.count
    assert counts == dict.fromkeys(ids, 150)
    assert replace(snapshot.items[0], unread=False).key == snapshot.items[0].key
    assert isinstance(snapshot.items[0].latest.created_at, datetime)
