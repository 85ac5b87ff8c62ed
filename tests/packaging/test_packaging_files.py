"""The files the installers are made of: desktop entry, AppStream metainfo, icons, what the
PyInstaller spec bundles, the Flatpak manifest and the Linux install script.

Fast checks on the sources; the build itself is ``packaging/build_linux.sh`` (about a minute).
Where the distribution's own validators are installed (desktop-file-validate from
desktop-file-utils, appstreamcli from appstream), they are run too.
"""

from __future__ import annotations

import configparser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image

import paris_desk

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = ROOT / "resources" / "linux"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _load_build_config() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_config", PACKAGING / "build_config.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cfg = _load_build_config()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DESKTOP = LINUX / f"{cfg.APP_ID}.desktop"
METAINFO = LINUX / f"{cfg.APP_ID}.metainfo.xml"


def _run(cmd: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=90, check=False, env=env
    )


def _xml(path: Path) -> ET.Element:
    return ET.parse(path).getroot()  # noqa: S314 - our own files


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    assert parser.sections() == ["Desktop Entry"]
    return parser["Desktop Entry"]


# -- desktop entry ------------------------------------------------------------------------------


def test_desktop_entry_starts_the_installed_command_with_the_app_icon() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == cfg.NAME
    assert cfg.NAME in PYPROJECT["project"]["scripts"]
    assert entry["Icon"] == cfg.APP_ID
    assert entry["Terminal"] == "false"
    categories = entry["Categories"]
    assert categories.endswith(";") and "Network" in categories.split(";")
    validator = shutil.which("desktop-file-validate")
    assert validator, "desktop-file-validate missing: scripts/setup.sh test installs it"
    result = _run([validator, str(DESKTOP)])
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_desktop_entry_reads_in_french_and_english() -> None:
    entry = _desktop_entry()
    for key in ("GenericName", "Comment", "Keywords"):
        assert entry[key].strip() and entry[f"{key}[fr]"].strip()
        assert entry[key] != entry[f"{key}[fr]"]


# -- AppStream metainfo ---------------------------------------------------------------------------


def test_metainfo_has_what_software_centres_require() -> None:
    root = _xml(METAINFO)
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == cfg.APP_ID
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == PYPROJECT["project"]["license"]["text"]
    assert root.findtext("name") == "paris_desk"
    launchable = root.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    assert root.findtext("provides/binary") == cfg.NAME
    assert root.find("content_rating") is not None
    validator = shutil.which("appstreamcli")
    assert validator, "appstreamcli missing: scripts/setup.sh test installs it"
    result = _run([validator, "validate", "--no-net", str(METAINFO)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_metainfo_latest_release_is_the_package_version() -> None:
    root = _xml(METAINFO)
    release = root.find("releases/release")
    assert release is not None
    assert release.get("version") == paris_desk.__version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", release.get("date", ""))


def test_metainfo_says_everything_in_french_and_english() -> None:
    root = _xml(METAINFO)
    for tag in ("summary", "description/p", "description/ul/li", "releases/release/description/p"):
        elements = root.findall(tag)
        english = [e for e in elements if e.get(XML_LANG) is None]
        french = [e for e in elements if e.get(XML_LANG) == "fr"]
        assert english, tag
        assert len(english) == len(french), f"{tag}: {len(english)} en, {len(french)} fr"


# -- icons --------------------------------------------------------------------------------------


def test_app_icon_exists_at_every_size_with_its_dimensions() -> None:
    for size in cfg.ICON_SIZES:
        with Image.open(cfg.icon_png(size)) as image:
            assert image.format == "PNG"
            assert image.size == (size, size)
            assert image.mode == "RGBA"
            corner, centre = image.getpixel((0, 0)), image.getpixel((size // 2, size // 2))
            assert isinstance(corner, tuple) and isinstance(centre, tuple)
            assert corner[3] == 0, "the corners around the bubble are transparent"
            assert centre[3] == 255, "the bubble is drawn"
    assert set(cfg.ICO_SIZES) <= set(cfg.ICON_SIZES)
    assert set(cfg.ICNS_SIZES) <= set(cfg.ICON_SIZES)


def test_svg_icon_is_square_and_well_formed() -> None:
    root = _xml(cfg.SVG_ICON)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 512 512"
    assert root.get("width") == root.get("height") == "512"


# -- what the PyInstaller spec bundles ----------------------------------------------------------


def test_spec_reads_its_lists_from_build_config() -> None:
    spec = (PACKAGING / "paris_desk.spec").read_text(encoding="utf-8")
    for name in ("HIDDEN_IMPORTS", "COLLECT_SUBMODULES", "EXCLUDES", "resource_datas", "ENTRY"):
        assert f"cfg.{name}" in spec, name


def test_spec_paths_exist() -> None:
    assert cfg.ENTRY.is_file()
    assert (cfg.HOOKS / "hook-PySide6.QtGui.py").is_file()
    assert (PACKAGING / "frozen_check.py").is_file()
    datas = cfg.resource_datas()
    sources = {Path(source).name for source, _ in datas}
    assert {"paris_desk_fr.qm", "paris_desk_en.qm", f"{cfg.APP_ID}.svg"} <= sources
    for source, dest in datas:
        assert Path(source).is_file(), source
        assert dest.startswith("resources/") and not source.endswith(".ts")


def test_spec_hidden_imports_name_installed_modules() -> None:
    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    names = [
        *cfg.COLLECT_SUBMODULES,
        *cfg.HIDDEN_IMPORTS,
        *cfg.PLATFORM_HIDDEN_IMPORTS[platform],
        *cfg.PLATFORM_COLLECT_SUBMODULES[platform],
    ]
    sys.path.insert(0, str(PACKAGING))  # frozen_check lives there, as in the spec's pathex
    try:
        missing = [name for name in names if importlib.util.find_spec(name) is None]
    finally:
        sys.path.remove(str(PACKAGING))
    assert not missing
    assert not set(names) & set(cfg.EXCLUDES)


def test_spec_keeps_only_french_and_english_qt_catalogues() -> None:
    kept = [
        f"PySide6/Qt/translations/{name}"
        for name in ("qtbase_fr.qm", "qtbase_en.qm", "qtbase_de.qm", "qt_help_fr.qm", "qt_fr.qm")
        if not cfg.is_unwanted_qt_file(f"PySide6/Qt/translations/{name}")
    ]
    assert kept == ["PySide6/Qt/translations/qtbase_fr.qm", "PySide6/Qt/translations/qtbase_en.qm"]
    assert not cfg.is_unwanted_qt_file("resources/i18n/paris_desk_de.qm")


def test_entry_point_runs_the_command_line() -> None:
    result = _run([sys.executable, str(cfg.ENTRY), "--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"paris-desk {paris_desk.__version__}"


def test_frozen_self_check_passes_in_the_source_tree(tmp_path: Path) -> None:
    env = {**os.environ, "PARIS_DESK_FROZEN_CHECK": "1", "PARIS_DESK_HOME": str(tmp_path)}
    env["PYTHONPATH"] = str(PACKAGING)
    result = _run([sys.executable, str(cfg.ENTRY)], env=env)
    report = json.loads(result.stdout.splitlines()[-1])
    failed = {name: c["detail"] for name, c in report["checks"].items() if not c["ok"]}
    assert not failed and result.returncode == 0
    assert set(report["checks"]) >= {"resources", "qt", "keyring", "atproto", "tls"}


# -- build scripts, Flatpak, install.sh ---------------------------------------------------------


def test_build_scripts_pin_the_same_pyinstaller() -> None:
    pins = {
        "build_linux.sh": r"PYINSTALLER_VERSION=(\S+)",
        "build_macos.sh": r"PYINSTALLER_VERSION=(\S+)",
        "build_windows.ps1": r'\$PyInstallerVersion = "([^"]+)"',
    }
    versions = set()
    for script, pattern in pins.items():
        text = (PACKAGING / script).read_text(encoding="utf-8")
        match = re.search(pattern, text)
        assert match, script
        versions.add(match.group(1))
        assert "packaging/paris_desk.spec" in text.replace("\\", "/"), script
    assert len(versions) == 1 and re.fullmatch(r"\d+\.\d+\.\d+", versions.pop())


def test_flatpak_manifest_installs_the_linux_files_with_keychain_access() -> None:
    manifest = (PACKAGING / "flatpak" / f"{cfg.APP_ID}.yml").read_text(encoding="utf-8")
    assert re.search(rf"^id: {re.escape(cfg.APP_ID)}$", manifest, re.M)
    assert re.search(rf"^command: {cfg.NAME}$", manifest, re.M)
    assert "runtime-version: '24.08'" in manifest
    for arg in (
        "--talk-name=org.freedesktop.secrets",
        "--share=network",
        "--socket=wayland",
        "--socket=fallback-x11",
    ):
        assert f"- {arg}" in manifest, arg
    for path in (DESKTOP, METAINFO):
        assert str(path.relative_to(ROOT)) in manifest
    assert "share/applications" in manifest and "share/metainfo" in manifest
    assert "resources/icons/hicolor ${FLATPAK_DEST}/share/icons/" in manifest


def test_flatpak_requirements_pin_every_dependency() -> None:
    lines = (PACKAGING / "flatpak" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = dict(line.split("==") for line in lines if line and not line.startswith("#"))

    def norm(name: str) -> str:
        return re.sub(r"[-_.]+", "-", name).lower()

    pinned = {norm(name) for name in pins}
    for requirement in PYPROJECT["project"]["dependencies"]:
        name = re.match(r"[A-Za-z0-9._-]+", requirement)
        assert name and norm(name.group(0)) in pinned, requirement
    assert {"secretstorage", "jeepney", "setuptools"} <= pinned


def test_install_script_installs_and_removes_the_app(tmp_path: Path) -> None:
    release = tmp_path / "release"
    (release / "paris-desk").mkdir(parents=True)
    binary = release / "paris-desk" / "paris-desk"
    binary.write_text("#!/bin/sh\necho paris-desk test\n")
    binary.chmod(0o755)
    shutil.copy(DESKTOP, _mkdir(release / "share/applications"))
    shutil.copy(METAINFO, _mkdir(release / "share/metainfo"))
    shutil.copytree(ROOT / "resources/icons/hicolor", release / "share/icons/hicolor")
    shutil.copy(PACKAGING / "linux" / "install.sh", release / "install.sh")
    prefix = tmp_path / "prefix"
    install = ["bash", str(release / "install.sh"), "--prefix", str(prefix)]

    assert _run(install).returncode == 0
    launched = _run([str(prefix / "bin/paris-desk")])
    assert launched.stdout == "paris-desk test\n"
    desktop = (prefix / "share/applications" / DESKTOP.name).read_text(encoding="utf-8")
    assert f"Exec={prefix}/bin/paris-desk\n" in desktop
    assert (prefix / f"share/icons/hicolor/256x256/apps/{cfg.APP_ID}.png").is_file()
    assert (prefix / "share/metainfo" / METAINFO.name).is_file()

    assert _run([*install, "--uninstall"]).returncode == 0
    assert not (prefix / "bin/paris-desk").exists()
    assert not (prefix / "lib/paris-desk").exists()
    assert not [p for p in (prefix / "share").rglob("*") if cfg.APP_ID in p.name]


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- the emoji font -------------------------------------------------------------------------------


def test_the_linux_build_bundles_the_emoji_font_with_its_licence(tmp_path: Path) -> None:
    spec = (PACKAGING / "paris_desk.spec").read_text(encoding="utf-8")
    assert "cfg.emoji_font_datas(PLATFORM)" in spec
    assert cfg.emoji_font_datas("win32") == [] and cfg.emoji_font_datas("darwin") == []
    fonts, doc = tmp_path / "fonts", tmp_path / "doc" / "copyright"
    fonts.mkdir()
    (fonts / cfg.EMOJI_FONT).write_bytes(b"font")
    doc.parent.mkdir()
    doc.write_text("SIL Open Font License, Version 1.1", encoding="utf-8")

    datas = cfg.emoji_font_datas("linux", (tmp_path / "elsewhere", fonts), (doc,))

    assert datas == [(str(fonts / cfg.EMOJI_FONT), "resources/fonts"),
                     (str(doc), "resources/fonts/NotoColorEmoji-licence")]
    for places, licences in (((tmp_path / "elsewhere",), (doc,)), ((fonts,), ())):
        with pytest.raises(FileNotFoundError, match="fonts-noto-color-emoji"):
            cfg.emoji_font_datas("linux", places, licences)  # no font, or no licence: stop


def test_this_build_machine_has_the_emoji_font_and_its_licence() -> None:
    """scripts/setup.sh installs fonts-noto-color-emoji: the spec finds both files."""
    if not sys.platform.startswith("linux"):
        return
    (font, font_dest), (licence, _) = cfg.emoji_font_datas("linux")
    assert Path(font).stat().st_size > 1_000_000 and font_dest == "resources/fonts"
    assert "Open Font License" in Path(licence).read_text(encoding="utf-8")
