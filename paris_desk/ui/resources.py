"""Where the ``resources/`` directory is found: ``services.resources``, which the command line
shares (it prints the window's translated sentences)."""

from __future__ import annotations

from paris_desk.services.resources import (
    CHECKOUT,
    ENV_VAR,
    candidates,
    resources_dir,
    translations_dir,
)

__all__ = ["CHECKOUT", "ENV_VAR", "candidates", "resources_dir", "translations_dir"]
