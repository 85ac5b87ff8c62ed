"""paris_desk.store."""
