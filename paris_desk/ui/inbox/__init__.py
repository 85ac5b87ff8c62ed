"""The inbox views."""
