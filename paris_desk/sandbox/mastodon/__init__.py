"""A Mastodon 4.5 server in memory, seeded with French city content (see ``server``)."""

from .server import MastodonSandbox

__all__ = ["MastodonSandbox"]
