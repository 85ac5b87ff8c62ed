"""What goes into the frozen app: read by ``paris_desk.spec`` and checked by
``tests/packaging/test_packaging_files.py`` (no PyInstaller import here, so tests run without it).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"

APP_ID = "fr.paris.ParisDesk"
NAME = "paris-desk"  # the executable, as pyproject's [project.scripts]
ENTRY = PACKAGING / "entry.py"
HOOKS = PACKAGING / "hooks"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # Windows .ico
ICNS_SIZES = (16, 32, 64, 128, 256, 512)  # macOS .icns
SVG_ICON = RESOURCES / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def icon_png(size: int) -> Path:
    return RESOURCES / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


# Qt's own catalogues kept: the app's two languages, loaded by paris_desk/ui/i18n.py
QT_CATALOGUES = ("qtbase_fr.qm", "qtbase_en.qm")

# Packages whose every submodule is bundled: imported by name at run time.
COLLECT_SUBMODULES = (
    "paris_desk",  # channels/__init__.py imports the adapters by name
    # atproto_client imports its generated models lazily, by NSID (models_loader.py,
    # record_registry.py): all of them, or decoding some record type fails at run time
    "atproto_client",
    "atproto_core",
    "atproto_crypto",
    "atproto_identity",
    "atproto_server",
    "mastodon",
)
# keyring finds its backends through entry points (metadata copied): each OS's backend.
HIDDEN_IMPORTS = (
    "keyring.backends.SecretService",
    "keyring.backends.kwallet",
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    "keyring.backends.chainer",
    "keyring.backends.fail",
    "frozen_check",  # PARIS_DESK_FROZEN_CHECK=1 (packaging/frozen_check.py)
    # the OS trust store (channels/transport.py imports it inside install_trust); its
    # per-OS modules (_openssl, _windows, _macos) are picked at import time
    "truststore",
    "truststore._openssl",
    "truststore._windows",
    "truststore._macos",
)
PLATFORM_HIDDEN_IMPORTS = {
    "linux": ("secretstorage", "jeepney", "jeepney.io.blocking"),  # Secret Service over D-Bus
    "win32": (),  # + every win32ctypes submodule (Credential Locker), see PLATFORM_COLLECT
    "darwin": (),  # the macOS backend talks to Security.framework through ctypes
}
PLATFORM_COLLECT_SUBMODULES = {"linux": (), "win32": ("win32ctypes",), "darwin": ()}
METADATA = ("keyring", "atproto")  # entry points; the SDK's version for its User-Agent

EXCLUDES = (
    "tkinter", "_tkinter", "PIL.ImageTk", "PIL._tkinter_finder",
    "pytest", "_pytest", "pytestqt", "pytest_timeout", "mypy", "importlinter", "grimp",
    "PyInstaller", "setuptools", "pip", "pydoc_data", "lib2to3", "ensurepip", "idlelib",
    # the atproto umbrella package and the parts of the SDK the app never imports
    "atproto", "atproto_cli", "atproto_codegen", "atproto_firehose", "atproto_jetstream",
    "atproto_subscription",
    "zstandard",  # optional zstd decoding in httpx: 23 MB; servers answer gzip as well
    "PIL._avif", "PIL.AvifImagePlugin",  # AVIF (libavif, 5 MB): not a format we publish
    # Guard rails: PyInstaller bundles only the Qt modules imported (today QtCore, QtGui,
    # QtWidgets, and QtDBus for the Linux platform plugins); these heavy ones must stay out.
    # Drop a name from here before importing it in paris_desk.
    "PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtQuickWidgets", "PySide6.QtQuickControls2",
    "PySide6.QtQuickTest", "PySide6.QtQmlFeatures", "PySide6.QtLabsStyleKit",
    "PySide6.QtWebEngineCore", "PySide6.QtWebEngineWidgets", "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel", "PySide6.QtDesigner", "PySide6.QtUiTools", "PySide6.QtTest",
    # PySide6/__init__.py imports QtNetwork (for OpenSSL on Windows, ImportError tolerated),
    # which would bring libQt6Network (2 MB): the app does its HTTP with httpx and requests
    "PySide6.QtNetwork",
)  # fmt: skip


# Linux: libraries left to the user's system, as a pip-installed PySide6 does. Every desktop
# distribution has them, and its own copy must win: GPU drivers (Mesa) need the system's
# libstdc++/libgcc_s, and input methods, GIO and D-Bus modules load against the system's GLib,
# D-Bus, fontconfig and X11. The xcb-util and xkbcommon libraries stay bundled (often missing).
LINUX_SYSTEM_LIBRARIES = (
    "libstdc++.so.6", "libgcc_s.so.1",
    "libglib-2.0.so.0", "libgthread-2.0.so.0", "libpcre2-8.so.0",
    "libdbus-1.so.3", "libsystemd.so.0", "libgcrypt.so.20", "libgpg-error.so.0", "liblz4.so.1",
    "libcap.so.2",
    "libfontconfig.so.1", "libfreetype.so.6",
    "libX11.so.6", "libX11-xcb.so.1", "libXau.so.6", "libXdmcp.so.6", "libbsd.so.0", "libmd.so.0",
)  # fmt: skip


def is_system_library(dest: str) -> bool:
    """A top-level shared library in ``LINUX_SYSTEM_LIBRARIES`` (wheels' own renamed copies,
    such as pillow.libs/libfreetype-57f805ba.so.6.20.6, stay)."""
    path = Path(dest)
    return len(path.parts) == 1 and path.name in LINUX_SYSTEM_LIBRARIES


def resource_datas() -> list[tuple[str, str]]:
    """``resources/`` as the app finds it under ``sys._MEIPASS`` (paris_desk/ui/resources.py):
    compiled translations, icons and styles (source ``.ts`` files stay out)."""
    datas = [(str(path), "resources/i18n") for path in sorted(RESOURCES.glob("i18n/*.qm"))]
    for folder in ("icons", "styles"):
        for path in sorted((RESOURCES / folder).rglob("*")):
            if path.is_file():
                datas.append((str(path), path.parent.relative_to(ROOT).as_posix()))
    return datas


# Colour emoji: posts are full of them, and without a colour emoji font Qt draws empty boxes.
# Windows (Segoe UI Emoji) and macOS (Apple Color Emoji) have one; a Linux system may not. The
# Linux build bundles Noto Color Emoji (SIL Open Font License 1.1, which allows bundling it
# with software when its licence goes along) from the build machine's fonts-noto-color-emoji
# package, which scripts/setup.sh installs. paris_desk/ui/shell/fonts.py registers it at start
# when the system has no font of that family. It adds 11.0 MB to the folder and 10.2 MB to the
# tarball (gzip -6 of Debian 12's font, measured Dec 2026).
EMOJI_FONT = "NotoColorEmoji.ttf"
EMOJI_FONT_PLACES = (
    Path("/usr/share/fonts/truetype/noto"),  # Debian, Ubuntu: fonts-noto-color-emoji
    Path("/usr/share/fonts/google-noto-color-emoji"),  # Fedora: google-noto-color-emoji-fonts
    Path("/usr/share/fonts/noto"),  # Arch: noto-fonts-emoji
)
EMOJI_FONT_LICENCES = (  # the OFL text, as each distribution ships it
    Path("/usr/share/doc/fonts-noto-color-emoji/copyright"),
    Path("/usr/share/licenses/google-noto-color-emoji-fonts/OFL.txt"),
    Path("/usr/share/licenses/noto-fonts-emoji/LICENSE"),
)
FONTS_DEST = "resources/fonts"


def _first(paths: Iterable[Path]) -> Path | None:
    return next((path for path in paths if path.is_file()), None)


def emoji_font_datas(platform: str, places: tuple[Path, ...] = EMOJI_FONT_PLACES,
                     licences: tuple[Path, ...] = EMOJI_FONT_LICENCES) -> list[tuple[str, str]]:
    """Linux: the emoji font (``resources/fonts``) and its licence (in a folder beside it) as
    spec datas; nothing on Windows and macOS. A Linux build machine without the font or its
    licence fails here rather than ship boxes, or a font without its licence."""
    if platform != "linux":
        return []
    font = _first(place / EMOJI_FONT for place in places)
    licence = _first(licences)
    if font is None or licence is None:
        missing = EMOJI_FONT if font is None else "the licence of " + EMOJI_FONT
        raise FileNotFoundError(f"{missing} not found: install fonts-noto-color-emoji "
                                "(scripts/setup.sh does)")
    return [(str(font), FONTS_DEST), (str(licence), f"{FONTS_DEST}/NotoColorEmoji-licence")]


def is_unwanted_qt_file(dest: str) -> bool:
    """Qt's catalogues other than ``QT_CATALOGUES`` (about 60 languages, 14 MB)."""
    path = Path(dest)
    return "translations" in path.parts and path.suffix == ".qm" and path.name not in QT_CATALOGUES
