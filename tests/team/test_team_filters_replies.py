"""Team mode: filters and saved replies are the team's (schema version 11), behind the same
services as a lone profile's: one member adds, a colleague on another workstation sees and
uses them. The database signs who added each and refuses a forged author (the real private
PostgreSQL cluster, the Mastodon sandbox)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cli_run import cli

from paris_desk.core.model import Author, Network, Post
from paris_desk.services.accounts import AccountService
from paris_desk.services.desk import Desk
from paris_desk.services.team import TeamService
from paris_desk.store.profile import Profile
from paris_desk.store.team.errors import TeamRefused
from team.test_window_live import homes

__all__ = ["homes"]


def test_a_saved_reply_written_by_one_member_is_offered_to_another(
    homes: dict[str, Path],
) -> None:
    camille = Desk(AccountService(Profile(homes["camille"])))
    try:
        made = camille.saved_replies.save("Merci", "Merci {auteur}, nous transmettons.")
    finally:
        camille.close()
    marie = Desk(AccountService(Profile(homes["marie"])))
    try:
        assert [(r.id, r.title, r.text) for r in marie.saved_replies.list()] == [
            (made.id, "Merci", "Merci {auteur}, nous transmettons.")]
        marie.saved_replies.save("Merci !", made.text, made.id)  # a colleague may change it
        other = marie.saved_replies.save("", "Bonne journée")
        assert [r.title for r in marie.saved_replies.list()] == ["Merci !", "Bonne journée"]
        assert marie.saved_replies.remove(other.id)
    finally:
        marie.close()
    local = Profile(homes["marie"])  # nothing went to the workstation's own database
    assert AccountService(local).db.execute("SELECT id FROM saved_replies") == []


def test_a_filter_added_on_one_workstation_applies_on_the_other(
    homes: dict[str, Path], capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch, mastodon_sandbox: Any,
) -> None:
    window = Desk(AccountService(Profile(homes["camille"])))  # camille's window, open
    try:
        (account,) = window.accounts.list()
        post = Post(uri="u", native_id="1", network=Network.MASTODON,
                    author=Author(handle="x"), created_at=datetime.now(UTC),
                    text="Travaux rue de Rivoli", seen_by=(account.id,))
        assert window.filters.matcher().verdict(post, (account.id,)) is None
        monkeypatch.setenv("PARIS_DESK_HOME", str(homes["marie"]))
        code, out, err = cli(capsys, monkeypatch, "filter", "add", "travaux", "--hide", "--json")
        assert code == 0, err
        made = json.loads(out)
        # its next refresh reads the filters again: marie's applies without a restart
        verdict = window.filters.matcher().verdict(post, (account.id,))
        assert verdict is not None and verdict.filter_id == made["id"]
    finally:
        window.close()
    monkeypatch.setenv("PARIS_DESK_HOME", str(homes["camille"]))
    code, out, err = cli(capsys, monkeypatch, "filter", "list", "--json")
    assert code == 0, err
    assert [(f["id"], f["text"]) for f in json.loads(out)] == [(made["id"], "travaux")]
    assert cli(capsys, monkeypatch, "filter", "remove", made["id"])[0] == 0
    monkeypatch.setenv("PARIS_DESK_HOME", str(homes["marie"]))
    code, out, _ = cli(capsys, monkeypatch, "filter", "list", "--json")
    assert json.loads(out) == []


def test_the_database_signs_the_author_and_refuses_a_forged_one(
    homes: dict[str, Path],
) -> None:
    db = TeamService(Profile(homes["marie"])).open()
    try:
        with pytest.raises(TeamRefused):
            db.execute("INSERT INTO saved_replies (id, title, text, created_us, created_by)"
                       " VALUES ('x', 't', 'u', 0, 'camille')")
        with pytest.raises(TeamRefused):  # the author column cannot be rewritten either
            db.execute("UPDATE saved_replies SET created_by = 'camille'")
        db.execute("INSERT INTO filters (id, text, action, created_us)"
                   " VALUES ('f1', 'mot', 'warn', 0)")
        assert db.scalar("SELECT created_by FROM filters WHERE id = 'f1'").startswith("marie_")
        db.execute("DELETE FROM filters WHERE id = 'f1'")  # not removed: RLS keeps it
        assert db.scalar("SELECT count(*) FROM filters WHERE id = 'f1'") == 1
    finally:
        db.close()
