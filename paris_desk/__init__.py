"""paris_desk: one workstation for a city's comms team on Mastodon and Bluesky."""

__version__ = "0.1.0"
