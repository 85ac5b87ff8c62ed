"""A hostile reply is hidden in the inbox while a plain question in the same thread stays in
view, on both networks, in the core and in ``paris-desk inbox`` (issue 15)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from mastodon import Mastodon

from paris_desk.channels import bluesky as bsky
from paris_desk.cli.main import main
from paris_desk.core.filters import FilterAction
from paris_desk.core.model import Network, PostRequest
from paris_desk.core.tid import next_tid
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.store.profile import Profile

HOSTILE = "Vous êtes des INCAPABLES, démissionnez !"
QUESTION = "Bonjour, la piscine Pontoise rouvre-t-elle lundi ? Merci"


@pytest.fixture
def desk(mastodon_sandbox: Any, bluesky_sandbox: Any) -> Iterator[Desk]:
    accounts = AccountService(Profile.default())
    accounts.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    who = bluesky_sandbox.accounts[0]
    accounts.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    desk = Desk(accounts)
    yield desk
    desk.close()


def mastodon_thread(sandbox: Any) -> str:
    """The city posts; a citizen answers twice (abuse, then a real question), each through
    Mastodon.py as its own account. Returns the city post's id (a notification's post names
    its parent by id)."""
    def client(acct: str) -> Mastodon:
        return Mastodon(access_token=sandbox.token_for(acct), api_base_url=sandbox.base_url,
                        version_check_mode="none")

    city = client("ville").status_post("Travaux de la piscine Pontoise : point d'étape.")
    citizen = client("culture")
    for text in (HOSTILE, QUESTION):
        citizen.status_post(f"@ville {text}", in_reply_to_id=city["id"])
    return str(city["id"])


def bluesky_thread(sandbox: Any, desk: Desk) -> str:
    city_id = next(a.id for a in desk.accounts.list() if a.network is Network.BLUESKY)
    city = desk.accounts.channel(city_id).post(PostRequest("Travaux de la piscine Pontoise.",
                                                                  idempotency_key=next_tid()))
    author = sandbox.authors[3]
    account, secret = bsky.login(author["handle"], author["password"], service=sandbox.base_url)
    citizen = bsky.restore(account, secret, lambda _s: None)
    for text in (HOSTILE, QUESTION):
        citizen.post(PostRequest(text, reply_to=city, idempotency_key=next_tid()))
    return city.uri


def test_the_hostile_reply_is_hidden_and_the_question_stays(
    desk: Desk, mastodon_sandbox: Any, bluesky_sandbox: Any,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    roots = {mastodon_thread(mastodon_sandbox), bluesky_thread(bluesky_sandbox, desk)}
    rule = desk.filters.add("incapables", action=FilterAction.HIDE)
    ids = [a.id for a in desk.accounts.list()]

    snapshot = desk.inbox.refresh(ids)
    replies = [(item, verdict) for item, verdict
               in zip(snapshot.items, desk.filters.judge_items(snapshot.items), strict=True)
               if item.post is not None
               and roots & {item.post.reply_to_uri, item.post.reply_to_native_id}]
    seen = {(item.account_id, item.post.text.endswith(QUESTION), verdict)  # type: ignore[union-attr]
            for item, verdict in replies}
    assert {(a, q) for a, q, _ in seen} == {(a, q) for a in ids for q in (True, False)}
    for account_id, question, verdict in seen:
        if question:
            assert verdict is None, account_id  # the citizen's question stays in view
        else:
            assert verdict is not None and verdict.hidden and verdict.filter_id == rule.id

    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["inbox", "--json", "--limit", "200"]) == 0
    out, err = capsys.readouterr()
    texts = [i["post"]["text"] for i in json.loads(out) if i["post"]]
    assert sum(t.endswith(QUESTION) for t in texts) == 2
    assert not any("INCAPABLES" in t for t in texts)
    assert "masqué" in err
