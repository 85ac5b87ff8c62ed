"""``paris-desk inbox`` on the inbox service: the same read and handled state as the app."""

from __future__ import annotations

from typing import Any

import pytest
from cli_run import cli_json

from paris_desk.services.accounts import AccountService
from paris_desk.services.inbox import InboxService
from paris_desk.store.inbox import InboxStore
from paris_desk.store.profile import Profile


@pytest.fixture
def service(bluesky_sandbox: Any, mastodon_sandbox: Any) -> Any:
    accounts = AccountService(Profile.default())
    accounts.add_mastodon_token(mastodon_sandbox.base_url, mastodon_sandbox.token_for("ville"))
    for who in bluesky_sandbox.accounts:
        accounts.add_bluesky(who["handle"], who["password"], service=bluesky_sandbox.base_url)
    yield accounts
    accounts.close()


def test_account_and_limit_select_the_newest_of_one_account(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, service: Any
) -> None:
    code, items, err = cli_json(capsys, monkeypatch, "inbox", "--json", "--account",
                                "culture.sandbox.test", "--limit", "5")

    assert (code, err) == (0, "")
    assert len(items) == 5
    assert {i["account"] for i in items} == {"bluesky:culture.sandbox.test"}
    assert [i["created_at"] for i in items] == sorted((i["created_at"] for i in items),
                                                      reverse=True)


def test_the_cli_sees_the_read_state_set_by_the_app(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, service: Any
) -> None:
    ville = "bluesky:ville.sandbox.test"
    inbox = InboxService(service, InboxStore(service.db))
    snapshot = inbox.refresh([ville])
    assert inbox.mark_read([ville]) == {}  # the app opened the inbox: read on the server
    kept = next(i for i in snapshot.items if i.group.count == 1)
    inbox.set_unread(kept, True)  # and the user kept one unread ("u")

    code, items, _ = cli_json(capsys, monkeypatch, "inbox", "--json", "--unread", "--account",
                              "ville.sandbox.test", "--limit", "50")

    assert code == 0
    assert [(i["account"], i["unread"]) for i in items] == [(ville, True)]
    assert items[0]["author"]["handle"] == kept.latest.author.handle


def test_a_failing_account_is_reported_and_the_others_listed(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, service: Any,
    mastodon_sandbox: Any,
) -> None:
    from paris_desk.sandbox.http import Fault

    mastodon_sandbox.add_fault(Fault("503", "GET", r"/api/v1/notifications$", count=None))

    code, items, err = cli_json(capsys, monkeypatch, "inbox", "--json", "--limit", "10")

    assert code == 1
    assert err.count("Erreur : ") == 1 and "ville" in err
    assert items and all(i["account"].startswith("bluesky:") for i in items)
