"""The shell views."""
