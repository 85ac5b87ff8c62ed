"""The adapters' edges name certificate and proxy failures (in-process, real clients over
loopback), and the proxy preference is what the clients then read."""

from __future__ import annotations

import ssl
import subprocess
import sys
import urllib.request
from typing import Any

import httpx
import pytest
import requests
from tls_rig import CA_NAME, ConnectProxy, TlsFront

from paris_desk.channels import transport
from paris_desk.channels.bluesky import errors as bsky_errors
from paris_desk.channels.mastodon.errors import edge
from paris_desk.core.errors import CertificateError, ProxyRefused, ProxyUnreachable


@pytest.fixture
def clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def test_bluesky_edge_names_an_unknown_authority(tls_front: TlsFront) -> None:
    with pytest.raises(httpx.ConnectError) as caught:
        httpx.get(tls_front.base_url + "/xrpc/_health", timeout=10)

    error = bsky_errors.translate(caught.value, "bluesky:ville.test")

    assert isinstance(error, CertificateError)
    assert (error.kind, error.issuer, error.host) == (
        CertificateError.UNKNOWN_AUTHORITY, CA_NAME, "127.0.0.1"
    )
    assert error.names == ("localhost", "127.0.0.1")
    assert (error.account_id, error.network, error.retryable) == (
        "bluesky:ville.test", "bluesky", False
    )


def test_mastodon_edge_names_an_expired_certificate(pki: Any, front_for: Any) -> None:
    front = front_for("expired")
    with pytest.raises(CertificateError) as caught, edge("mastodon:@ville@127.0.0.1"):
        requests.get(front.base_url + "/api/v1/instance", timeout=10, verify=str(pki.ca))

    assert caught.value.kind == CertificateError.EXPIRED
    assert caught.value.issuer == CA_NAME and caught.value.not_after  # ISO date


def test_407_through_httpx_is_a_proxy_refusal(
    pki: Any, tls_front: TlsFront, proxy_407: ConnectProxy, clean_proxy_env: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy_407.url)  # httpx reads it (trust_env)
    with pytest.raises(httpx.ProxyError) as caught:
        trusting = ssl.create_default_context(cafile=str(pki.ca))
        httpx.get(tls_front.base_url + "/", verify=trusting, timeout=10)

    error = bsky_errors.translate(caught.value)

    assert isinstance(error, ProxyRefused)
    assert (error.status, error.auth_required, error.proxy) == (407, True, proxy_407.url)
    assert tls_front.handshakes == 0


def test_a_proxy_that_is_down_is_named_and_retried_later(
    tls_front: TlsFront, clean_proxy_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ConnectProxy() as gone:
        url = gone.url
    monkeypatch.setenv("HTTPS_PROXY", url)
    for client in (requests.get, httpx.get):
        with pytest.raises((requests.RequestException, httpx.HTTPError)) as caught:
            client(tls_front.base_url + "/", timeout=10)

        error = transport.network_failure(caught.value)

        assert isinstance(error, ProxyUnreachable)
        assert (error.proxy, error.retryable, error.maybe_applied) == (url, True, False)
    assert tls_front.handshakes == 0


def test_without_a_proxy_a_refused_connection_is_left_to_the_edge(
    clean_proxy_env: None,
) -> None:
    with ConnectProxy() as gone:
        url = gone.url.replace("http://", "https://")  # nothing listens there any more
    with pytest.raises(requests.ConnectionError) as caught:
        requests.get(url, timeout=10)

    assert transport.network_failure(caught.value) is None  # -> Unreachable at the edge


def test_the_proxy_preference_is_what_the_clients_read(
    clean_proxy_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://env-proxy.ville.test:3128")
    try:
        transport.apply_proxy_setting("manual", "agent:pw@manual.ville.test:8080")
        assert urllib.request.getproxies()["https"] == "http://agent:pw@manual.ville.test:8080"
        assert transport.proxy_for("https://mastodon.ville.test/") == (
            "http://agent:pw@manual.ville.test:8080"
        )
        assert transport.proxy_for("https://127.0.0.1:8443/") == ""  # the local sandbox
        info = transport.proxy_info()
        assert (info.url, info.origin) == (
            "http://manual.ville.test:8080", transport.ProxyOrigin.PREFERENCES
        )

        transport.apply_proxy_setting("none")
        assert transport.proxy_for("https://mastodon.ville.test/") == ""
        assert transport.proxy_info().url == ""
    finally:
        transport.apply_proxy_setting("system")

    assert transport.proxy_for("https://mastodon.ville.test/") == (
        "http://env-proxy.ville.test:3128"
    )
    assert transport.proxy_info().origin is transport.ProxyOrigin.ENVIRONMENT


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://agent:s3cret@proxy.ville.test:3128/", "http://proxy.ville.test:3128"),
        ("proxy.ville.test:3128", "http://proxy.ville.test:3128"),
        ("", ""),
    ],
)
def test_redact_drops_credentials(url: str, shown: str) -> None:
    assert transport.redact(url) == shown


PROBE = """
import sys
{before}
from paris_desk.channels import transport
print(transport.install_trust().value, "requests" in sys.modules)
import http.client, ssl, urllib3.util.ssl_ as u3, httpx, requests
contexts = [u3.create_urllib3_context(), httpx.create_ssl_context(),
            ssl.create_default_context(), http.client.HTTPSConnection("x")._context]
print(sorted({{type(c).__module__ for c in contexts}}))
"""


@pytest.mark.parametrize("before", ["", "import urllib3, requests"])
def test_install_trust_reaches_urllib3_httpx_and_urllib(before: str) -> None:
    """Before requests/urllib3 are imported (the GUI's start), only ssl.SSLContext is replaced:
    they bind it when imported. After, truststore patches their references too."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(before=before)],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    first, second = done.stdout.splitlines()
    assert first == f"system {bool(before)}"
    assert second == "['truststore._api']"
