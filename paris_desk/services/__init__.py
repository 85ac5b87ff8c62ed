"""paris_desk.services."""
