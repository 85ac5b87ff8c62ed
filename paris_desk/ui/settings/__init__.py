"""The settings views."""
