"""paris_desk.ui."""
