"""The accounts views."""
