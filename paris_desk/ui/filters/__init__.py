"""Keyword filters in the window: the "Filtres" dialog."""
