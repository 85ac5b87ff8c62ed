"""The preferences in ``<profile>/settings.ini``: typed, defaulted, kept across restarts, the old
``settings.json`` language migrated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from paris_desk.core.model import NotificationKind, Visibility
from paris_desk.store.profile import Profile
from paris_desk.ui.settings.prefs import (
    DEFAULT_NOTIFIED,
    NOTIFY_GROUP,
    REFRESH_CHOICES,
    REFRESH_KEY,
    THEME_KEY,
    Settings,
    Theme,
    ThreadSplit,
)
from paris_desk.ui.timeline import view as timeline_view

ACCOUNTS = ("mastodon:@ville@paris.example", "bluesky:culture.paris.example")


def values(settings: Settings) -> dict[str, object]:
    return {
        "refresh": settings.refresh_interval,
        "notified": sorted(k.value for k in settings.notified_kinds()),
        "language": settings.default_language,
        "visibility": settings.default_visibility.value,
        "targets": list(settings.default_targets),
        "thread": settings.thread_split.value,
        "theme": settings.theme.value,
        "ui_language": settings.ui_language,
        "welcome_seen": settings.welcome_seen,
    }


CHANGED = {
    "refresh": 300,
    "notified": ["follow", "mention"],
    "language": "en",
    "visibility": "unlisted",
    "targets": list(ACCOUNTS),
    "thread": "never",
    "theme": "dark",
    "ui_language": "en",
    "welcome_seen": True,
}


def change_everything(settings: Settings) -> None:
    settings.set_refresh_interval(300)
    settings.set_notified_kinds([NotificationKind.MENTION, NotificationKind.FOLLOW])
    settings.set_default_language("en")
    settings.set_default_visibility(Visibility.UNLISTED)
    settings.set_default_targets(ACCOUNTS)
    settings.set_thread_split(ThreadSplit.NEVER)
    settings.set_theme(Theme.DARK)
    settings.set_ui_language("en")
    settings.set_welcome_seen()


def test_a_new_profile_has_the_defaults(profile_dir: Path) -> None:
    settings = Settings.open(profile_dir)
    assert values(settings) == {
        "refresh": 120,
        "notified": ["mention", "quote", "reply"],
        "language": "fr",
        "visibility": "public",
        "targets": [],
        "thread": "ask",
        "theme": "system",
        "ui_language": None,
        "welcome_seen": False,
    }
    assert not (profile_dir / "settings.ini").exists()  # nothing written until a change


def test_changes_are_kept_when_the_settings_are_opened_again(profile_dir: Path) -> None:
    first = Settings.open(profile_dir)
    change_everything(first)
    del first
    assert values(Settings.open(profile_dir)) == CHANGED
    assert (profile_dir / "settings.ini").is_file()


def test_changes_survive_a_restart_of_the_process(profile_dir: Path) -> None:
    """A new process reads the INI file's text back into the right types."""
    change_everything(Settings.open(profile_dir))
    code = (
        "import json, sys; from pathlib import Path\n"
        "from paris_desk.ui.settings.prefs import Settings\n"
        "from test_settings import values\n"
        "print(json.dumps(values(Settings.open(Path(sys.argv[1])))))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent),
                                                         os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run(
        [sys.executable, "-c", code, str(profile_dir)],
        capture_output=True, text=True, check=True, env=env, timeout=60,
    )  # fmt: skip
    assert json.loads(result.stdout) == CHANGED


def test_one_default_account_and_no_account_read_back(profile_dir: Path) -> None:
    settings = Settings.open(profile_dir)
    settings.set_default_targets(ACCOUNTS[:1])
    assert Settings.open(profile_dir).default_targets == ACCOUNTS[:1]
    settings.set_default_targets([])
    assert Settings.open(profile_dir).default_targets == ()


def test_a_hand_edited_file_falls_back_to_the_defaults(profile_dir: Path) -> None:
    (profile_dir / "settings.ini").write_text(
        "[timeline]\nrefresh_seconds=7\n[notifications]\nmention=peut-etre\nlike=true\n"
        "[composer]\nlanguage=Français\nvisibility=everyone\nthread_split=sometimes\n"
        "[appearance]\ntheme=pink\n[interface]\nlanguage=de\n",
        encoding="utf-8",
    )
    settings = Settings.open(profile_dir)
    assert settings.refresh_interval == 120
    assert settings.notifies(NotificationKind.MENTION)  # unreadable: the default (on)
    assert settings.notifies(NotificationKind.LIKE)  # readable: kept
    assert settings.default_language == "fr"
    assert settings.default_visibility is Visibility.PUBLIC
    assert settings.thread_split is ThreadSplit.ASK
    assert settings.theme is Theme.SYSTEM
    assert settings.ui_language is None


def test_bad_values_are_refused(profile_dir: Path) -> None:
    settings = Settings.open(profile_dir)
    with pytest.raises(ValueError, match="refresh interval"):
        settings.set_refresh_interval(42)
    with pytest.raises(ValueError, match="unsupported language"):
        settings.set_ui_language("de")
    with pytest.raises(ValueError, match="not a language code"):
        settings.set_default_language("Français")
    assert not settings.notifies(NotificationKind.OTHER)


def test_changed_is_emitted_once_per_real_change(qtbot: QtBot, profile_dir: Path) -> None:
    settings = Settings.open(profile_dir)
    seen: list[str] = []
    settings.changed.connect(seen.append)
    settings.set_theme(Theme.SYSTEM)  # the default: no change
    settings.set_notified_kinds(DEFAULT_NOTIFIED)
    settings.set_theme(Theme.LIGHT)
    settings.set_refresh_interval(60)
    settings.set_refresh_interval(60)
    settings.set_notified_kinds([NotificationKind.LIKE])
    assert seen == [THEME_KEY, REFRESH_KEY, NOTIFY_GROUP]


def test_the_interval_choices_are_the_timelines(profile_dir: Path) -> None:
    assert REFRESH_CHOICES == timeline_view.REFRESH_CHOICES
    assert Settings.open(profile_dir).refresh_interval == timeline_view.DEFAULT_REFRESH_S


def test_the_language_saved_in_settings_json_is_migrated(profile_dir: Path) -> None:
    legacy = Profile.default().settings_path
    legacy.write_text(json.dumps({"language": "en", "columns": 3}), encoding="utf-8")
    settings = Settings.open(profile_dir)
    assert settings.ui_language == "en"
    assert json.loads(legacy.read_text(encoding="utf-8")) == {"columns": 3}
    assert Settings.open(profile_dir).ui_language == "en"


def test_a_settings_json_holding_only_the_language_is_removed(profile_dir: Path) -> None:
    legacy = profile_dir / "settings.json"
    legacy.write_text(json.dumps({"language": "fr"}), encoding="utf-8")
    assert Settings.open(profile_dir).ui_language == "fr"
    assert not legacy.exists()


def test_a_choice_already_in_the_ini_file_wins_over_the_old_file(profile_dir: Path) -> None:
    Settings.open(profile_dir).set_ui_language("fr")
    (profile_dir / "settings.json").write_text('{"language": "en"}', encoding="utf-8")
    assert Settings.open(profile_dir).ui_language == "fr"


def test_an_unreadable_settings_json_is_left_alone(profile_dir: Path) -> None:
    legacy = profile_dir / "settings.json"
    legacy.write_text("{not json", encoding="utf-8")
    assert Settings.open(profile_dir).ui_language is None
    assert legacy.read_text(encoding="utf-8") == "{not json"
