"""Bluesky sandbox: a local PDS + AppView speaking XRPC, seeded with French sample content."""

from paris_desk.sandbox.bluesky.server import BlueskySandbox

__all__ = ["BlueskySandbox"]
