"""Where file dialogs open: the user's Pictures folder for images (never the program's own
folder, which is where Qt opens without a directory)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths


def pictures_folder() -> str:
    """The Pictures folder (``~/Pictures``, ``~/Images`` in French…), else the home folder."""
    for location in (QStandardPaths.StandardLocation.PicturesLocation,
                     QStandardPaths.StandardLocation.HomeLocation):
        for folder in QStandardPaths.standardLocations(location):
            if Path(folder).is_dir():
                return folder
    return str(Path.home())
