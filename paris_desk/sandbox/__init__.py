"""Local servers speaking the real Mastodon and Bluesky HTTP APIs, with French sample data.

Stands alone: imports nothing from the rest of paris_desk, so it can be trusted as an
independent peer in tests.
"""
