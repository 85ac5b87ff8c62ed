"""Attack: a post or a page makes the app fetch an internal address (SSRF, issue 13).

The "internal network" is a trap server on 127.0.0.1 that must receive no request from the
link-card fetcher in production mode (its address belongs to none of the profile's accounts).
The profile's own servers stay reachable (``safe_fetch.trust_origins``): they play the hostile
page that redirects or points its ``og:image`` inward.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from traps import Redirector, Trap

from paris_desk.core.model import Limits
from paris_desk.services import safe_fetch
from paris_desk.services.accounts import AccountService
from paris_desk.services.linkcard import LinkCardError, fetch_card
from paris_desk.services.safe_fetch import FetchRefused, fetch, is_public
from paris_desk.store.profile import Profile
from tests.photos import png

BLUESKY = Limits(max_characters=300, counting="graphemes", image_size_limit=1_000_000)
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def internal() -> Iterator[Trap]:
    """A host of the internal network: answers anything, must be asked nothing."""
    page = b"<html><head><title>Intranet RH</title></head></html>"
    with Trap(200, HTML, page) as trap:
        yield trap


@pytest.fixture
def trusted() -> Iterator[list[str]]:
    """Origins declared as the profile's own servers for this test."""
    origins: list[str] = []
    yield origins
    safe_fetch.trust_origins("test_fetch_ssrf", [])


def trust(origins: list[str], *urls: str) -> None:
    origins.extend(urls)
    safe_fetch.trust_origins("test_fetch_ssrf", origins)


@pytest.mark.parametrize("address", [
    "127.0.0.1", "127.1.2.3", "10.1.2.3", "172.16.0.1", "192.168.1.10", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.251", "240.0.0.1", "255.255.255.255",  # noqa: S104
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::1", "64:ff9b::a00:1", "2001:db8::1",
])  # fmt: skip
def test_non_public_addresses_are_refused(address: str) -> None:
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(address: str) -> None:
    assert is_public(address)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "127.1", "0.0.0.0", "[::1]",  # noqa: S104
                                  "[::ffff:127.0.0.1]", "2130706433"])
def test_the_link_card_fetcher_never_reaches_the_internal_network(
    internal: Trap, host: str
) -> None:
    for path in ("/", "/admin?x=1"):
        with pytest.raises(LinkCardError, match=r"non-public|resolve"):
            fetch_card(f"http://{host}:{internal.port}{path}", BLUESKY)
    assert internal.seen == []


def test_a_redirect_into_the_internal_network_is_refused(
    internal: Trap, trusted: list[str]
) -> None:
    with Redirector(f"{internal.url}/admin") as own:
        trust(trusted, own.url)
        with pytest.raises(LinkCardError, match="non-public"):
            fetch_card(f"{own.url}/article", BLUESKY)
        assert len(own.seen) == 1
    assert internal.seen == []


def test_an_og_image_in_the_internal_network_is_not_fetched(
    internal: Trap, trusted: list[str]
) -> None:
    page = (f'<html><head><meta property="og:title" content="Travaux">'
            f'<meta property="og:image" content="{internal.url}/camera.jpg"></head></html>')
    with Trap(200, HTML, page.encode()) as own:
        trust(trusted, own.url)
        fetched = fetch_card(f"{own.url}/travaux", BLUESKY)
    assert fetched.card.title == "Travaux" and fetched.thumb is None
    assert internal.seen == []


def test_at_most_three_redirects(trusted: list[str]) -> None:
    with Trap(302) as own:
        trust(trusted, own.url)
        own._state.headers["Location"] = f"{own.url}/again"
        with pytest.raises(FetchRefused) as refused:
            fetch(f"{own.url}/start", max_bytes=1000, accept=("text/html",))
        assert refused.value.reason == FetchRefused.TOO_MANY_REDIRECTS
        assert len(own.seen) == 4  # the first request and 3 redirects


def test_the_checked_address_is_the_one_connected_to(trusted: list[str]) -> None:
    """No second DNS answer: ``own-server.test`` exists only in the resolver the fetch was
    given; the connection reaches it, with the name in ``Host``."""
    with Trap(200, HTML, b"<title>ok</title>") as own:
        trust(trusted, f"http://own-server.test:{own.port}")
        got = fetch(f"http://own-server.test:{own.port}/p", max_bytes=1000,
                    accept=("text/html",), resolver=lambda _host, _port: ["127.0.0.1"])
        assert got.body == b"<title>ok</title>"
        assert own.seen[0].headers["Host"] == f"own-server.test:{own.port}"


def test_one_private_address_in_the_dns_answer_is_enough_to_refuse(internal: Trap) -> None:
    with pytest.raises(FetchRefused) as refused:
        fetch(f"http://rebind.test:{internal.port}/", max_bytes=1000, accept=("text/html",),
              resolver=lambda _h, _p: ["93.184.216.34", "127.0.0.1"])
    assert refused.value.reason == FetchRefused.PRIVATE_ADDRESS
    assert internal.seen == []


def test_through_a_proxy_the_checked_address_is_named(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    with Trap(502) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        with pytest.raises(FetchRefused, match="HTTP 502"):
            fetch("http://public.example/actualites", max_bytes=1000, accept=("text/html",),
                  resolver=lambda _h, _p: ["93.184.216.34"])
        (seen,) = proxy.seen
    assert seen.target == "http://93.184.216.34:80/actualites"
    assert seen.headers["Host"] == "public.example"


def test_content_type_and_size_are_checked(trusted: list[str]) -> None:
    with Trap(200, HTML, b"<html></html>") as own:
        trust(trusted, own.url)
        with pytest.raises(FetchRefused) as wrong:
            fetch(f"{own.url}/avatar.png", max_bytes=1000, accept=safe_fetch.IMAGE_TYPES)
        assert wrong.value.reason == FetchRefused.WRONG_TYPE
    with Trap(200, {"Content-Type": "image/png"}, png()) as own:
        trust(trusted, own.url)
        with pytest.raises(FetchRefused) as large:
            fetch(f"{own.url}/avatar.png", max_bytes=100, accept=safe_fetch.IMAGE_TYPES)
        assert large.value.reason == FetchRefused.TOO_LARGE


def test_the_servers_of_the_profiles_accounts_stay_reachable(
    mastodon_sandbox: Any, bluesky_sandbox: Any
) -> None:
    service = AccountService(Profile.default())
    who = mastodon_sandbox.accounts[0]
    service.add_mastodon_token(mastodon_sandbox.base_url, who["access_token"])
    assert safe_fetch.is_trusted(f"{mastodon_sandbox.base_url}/avatars/1.png")
    assert not safe_fetch.is_trusted(bluesky_sandbox.base_url)
    service.close()
    assert not safe_fetch.is_trusted(mastodon_sandbox.base_url)
