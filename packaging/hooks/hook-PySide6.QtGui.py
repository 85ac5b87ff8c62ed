"""Replaces PyInstaller's hook for PySide6.QtGui: the same collection, minus Qt plugins that a
desktop workstation never loads (about 25 MB with the libraries they drag in).

Dropped on Linux: the embedded-device platforms (eglfs, linuxfb, vnc, vkkhrdisplay,
minimalegl) and their input plugins (``generic``: evdev, tuio), and the GTK 3 platform theme,
which pulls a whole GTK/cairo/pango stack into the build. Kept: xcb and wayland (with their GL
and decoration plugins), offscreen and minimal (tests, smoke test), the xdg-desktop-portal
theme (native file dialogs and the system's light/dark setting on GNOME and KDE, also inside a
Flatpak), input methods (compose, ibus), image formats and the SVG icon engine.
"""

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

DROPPED_DIRS = {"egldeviceintegrations", "generic"}
DROPPED_FILES = {
    "libqeglfs.so",
    "libqlinuxfb.so",
    "libqminimalegl.so",
    "libqvkkhrdisplay.so",
    "libqvnc.so",
    "libqgtk3.so",
}


def _wanted(source: str) -> bool:
    path = PurePath(source)
    return path.name not in DROPPED_FILES and path.parent.name not in DROPPED_DIRS


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [entry for entry in binaries if _wanted(entry[0])]
