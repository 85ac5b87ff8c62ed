"""The timeline views."""
