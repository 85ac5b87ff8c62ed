"""Who a reply addresses: the text a reply starts with, as each network's apps write it.

- Bluesky: the author, ``@handle`` (the reply reference notifies them; the mention makes the
  text read as an answer to them and is a real mention facet once published).
- Mastodon: the author, then the other people mentioned in the post, each ``@user@domain``
  (``@user`` on the replying account's server), as Mastodon's own apps pre-fill it: a reply
  without them does not reach them.

The acting account is never mentioned, and nobody twice.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from paris_desk.core.model import Network, Post


def mention(handle: str) -> str:
    """``handle`` written as a mention: ``@`` + the handle, whichever network."""
    handle = handle.strip()
    return "" if not handle else handle if handle.startswith("@") else "@" + handle


def handle_from_profile(url: str, text: str = "") -> str:
    """A Mastodon mention's full address from its link (``https://host/@user`` or
    ``https://host/users/user``) and its text (``@user`` or ``@user@host``)."""
    shown = text.strip().lstrip("@")
    if "@" in shown:
        return "@" + shown
    parts = urlsplit(url)
    if not parts.netloc:
        return mention(shown)
    last = parts.path.rstrip("/").rsplit("/", 1)[-1].lstrip("@")
    user = last or shown
    return f"@{user}@{parts.netloc}" if user else ""


def _short(handle: str, own_host: str) -> str:
    """A Mastodon address as its server writes it: ``@user`` on the replying account's own
    server (Mastodon does not read a host with a port as its own), else ``@user@domain``."""
    user, _, host = handle.lstrip("@").partition("@")
    return f"@{user}" if host and host.lower() == own_host.lower() else handle


def reply_mentions(post: Post, own_handle: str = "") -> list[str]:
    """The mentions a reply to ``post`` starts with, the author first."""
    found = [mention(post.author.handle)]
    own = mention(own_handle)
    if post.network is Network.MASTODON:
        found += [handle_from_profile(span.link, span.text)
                  for span in post.spans if span.kind == "mention"]
        own_host = own.lstrip("@").partition("@")[2]
        found = [_short(h, own_host) for h in found] if own_host else found
        own = _short(own, own_host) if own_host else own
    out: list[str] = []
    for handle in found:
        if handle and handle.lower() != own.lower() and handle.lower() not in (
                h.lower() for h in out):
            out.append(handle)
    return out


def reply_text(post: Post, own_handle: str = "") -> str:
    """What a reply to ``post`` starts with: its mentions and a space, or ""."""
    mentions = reply_mentions(post, own_handle)
    return " ".join(mentions) + " " if mentions else ""
