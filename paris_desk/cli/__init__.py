"""paris_desk.cli."""
