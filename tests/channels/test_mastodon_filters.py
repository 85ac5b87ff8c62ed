"""Filters v2 through Mastodon.py against the sandbox: what the channel writes is what the
server holds, and filters made elsewhere (several keywords, other contexts) read back right."""

from __future__ import annotations

from typing import Any

import pytest
from mastodon import Mastodon

from paris_desk.channels.mastodon import MastodonChannel, account_from_token
from paris_desk.core.filters import FilterAction, RemoteFilter, SupportsFilterSync

Sandbox = Any  # paris_desk.sandbox.mastodon.MastodonSandbox


@pytest.fixture
def token(mastodon_sandbox: Sandbox) -> str:
    return str(mastodon_sandbox.token_for("ville"))


@pytest.fixture
def ville(mastodon_sandbox: Sandbox, token: str) -> MastodonChannel:
    return MastodonChannel(account_from_token(mastodon_sandbox.base_url, token), token)


@pytest.fixture
def phone(mastodon_sandbox: Sandbox, token: str) -> Mastodon:
    """Another app of the same account (the city's phone), on the plain library."""
    return Mastodon(access_token=token, api_base_url=mastodon_sandbox.base_url,
                    version_check_mode="none")


def test_add_list_remove(ville: MastodonChannel, phone: Mastodon) -> None:
    assert isinstance(ville, SupportsFilterSync)
    assert ville.server_filters() == []
    made = ville.add_server_filter("insulte", FilterAction.HIDE)

    [held] = phone.filters_v2()
    assert (held["title"], held["filter_action"]) == ("insulte", "hide")
    assert sorted(held["context"]) == ["home", "notifications", "thread"]
    assert [(k["keyword"], k["whole_word"]) for k in held["keywords"]] == [("insulte", True)]
    assert made.remote_id == f"{held['id']}/{held['keywords'][0]['id']}"
    assert ville.server_filters() == [made]

    ville.remove_server_filter(made.remote_id)
    assert phone.filters_v2() == []
    ville.remove_server_filter(made.remote_id)  # already gone: no error


def test_filters_made_elsewhere(ville: MastodonChannel, phone: Mastodon) -> None:
    two = phone.create_filter_v2("Grossièretés", ["home", "public"], "warn", keywords_attributes=[
        {"keyword": "nul", "whole_word": True}, {"keyword": "débile", "whole_word": False}])
    phone.create_filter_v2("Public seulement", ["public"], "hide",
                           keywords_attributes=[{"keyword": "foot"}])
    phone.create_filter_v2("Flou", ["home"], "blur", keywords_attributes=[{"keyword": "gore"}])

    held = ville.server_filters()
    k1, k2 = two["keywords"]
    assert held == [RemoteFilter(f"{two['id']}/{k1['id']}", "nul", FilterAction.WARN),
                    RemoteFilter(f"{two['id']}/{k2['id']}", "débile", FilterAction.WARN)]

    ville.remove_server_filter(held[0].remote_id)  # one keyword of two: the filter stays
    left = phone.filter_v2(two["id"])
    assert [k["keyword"] for k in left["keywords"]] == ["débile"]
    ville.remove_server_filter(held[1].remote_id)  # the last one: the filter goes
    assert "Grossièretés" not in {f["title"] for f in phone.filters_v2()}
