"""Mastodon adapter (Mastodon.py 2.3.3): sign-in, the ``Channel`` of one account, converters.

Reads, favourites, boosts and deletions go as plain JSON over ``requests`` (``reads.Api``);
Mastodon.py (~15 MiB) is imported by sign-in and by a channel's first other write (a post,
media, filters, moderation…), not by importing this package.

``paris_desk.channels.restore`` imports this package and calls :func:`restore`.
"""

from paris_desk.channels.mastodon.client import MastodonChannel, restore
from paris_desk.channels.mastodon.convert import (
    limits_from_instance,
    notification_from,
    post_from_status,
)
from paris_desk.channels.mastodon.errors import ConversionError
from paris_desk.channels.mastodon.oauth import (
    SCOPES,
    AppCredentials,
    AuthRequest,
    account_from_token,
    authorization_request,
    exchange_code,
    normalize_instance,
    register_app,
)

__all__ = [
    "SCOPES",
    "AppCredentials",
    "AuthRequest",
    "ConversionError",
    "MastodonChannel",
    "account_from_token",
    "authorization_request",
    "exchange_code",
    "limits_from_instance",
    "normalize_instance",
    "notification_from",
    "post_from_status",
    "register_app",
    "restore",
]
