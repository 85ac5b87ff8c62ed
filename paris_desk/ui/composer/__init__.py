"""The composer views."""
