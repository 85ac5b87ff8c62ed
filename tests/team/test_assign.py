"""Inbox assignment in team mode: ``inbox --json`` prints each item's id and who has it,
``assign ITEM --to NAME`` gives it to a member, ``inbox --assigned-to-me`` shows theirs on
their own workstation. Real PostgreSQL, the Mastodon sandbox's seeded notifications."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from cli_run import cli

from team.pgcluster import Cluster


def test_assign_an_item_to_a_colleague_who_sees_it_as_hers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    pg_cluster: Cluster, pg_database: str, mastodon_sandbox: Any,
) -> None:
    suffix = uuid.uuid4().hex[:6]
    admin, marie = f"camille_{suffix}", f"marie_{suffix}"
    homes = {who: tmp_path / who for who in (admin, marie)}
    token = mastodon_sandbox.accounts[0]["access_token"]

    def at(who: str) -> None:
        homes[who].mkdir(exist_ok=True)
        monkeypatch.setenv("PARIS_DESK_HOME", str(homes[who]))
        assert cli(capsys, monkeypatch, "account", "add", "mastodon", "--instance",
                   mastodon_sandbox.base_url, "--token-stdin", stdin=token)[0] in (0, 1)

    at(admin)
    assert cli(capsys, monkeypatch, "team", "init", pg_cluster.dsn(dbname=pg_database),
               "--admin", admin, "--password-stdin", stdin="pw-admin")[0] == 0
    assert cli(capsys, monkeypatch, "team", "add-member", marie, "--role", "redacteur",
               "--password-stdin", stdin="pw-marie")[0] == 0

    code, out, err = cli(capsys, monkeypatch, "inbox", "--json")
    assert code == 0, err
    items = json.loads(out)
    assert items and all(i["assigned_to"] is None for i in items)
    first = items[0]
    assert first["id"].startswith(first["account"] + "/")

    code, _, err = cli(capsys, monkeypatch, "assign", first["id"], "--to", "personne")
    assert (code, err) == (1, "Erreur : personne n'est pas membre de l'équipe.\n")
    code, _, err = cli(capsys, monkeypatch, "assign", first["id"], "--to", marie)
    assert (code, err) == (0, f"Assigné à {marie} : {first['id']}.\n")
    code, out, _ = cli(capsys, monkeypatch, "inbox", "--json")
    assert {i["id"]: i["assigned_to"] for i in json.loads(out)}[first["id"]] == marie
    code, _, err = cli(capsys, monkeypatch, "assign", first["id"], "--nobody")
    assert (code, err) == (0, f"Assigné à personne : {first['id']}.\n")
    code, _, err = cli(capsys, monkeypatch, "assign", first["id"], "--nobody")
    assert (code, err) == (0, f"Cet élément n'était assigné à personne : {first['id']}.\n")
    code, out, _ = cli(capsys, monkeypatch, "inbox", "--json")
    assert {i["id"]: i["assigned_to"] for i in json.loads(out)}[first["id"]] is None
    code, out, _ = cli(capsys, monkeypatch, "audit", "--json")
    assert [(e["action"], e["detail"]) for e in json.loads(out)][-2:] == [
        ("assign", f"{first['id']} to {marie}"), ("assign", f"{first['id']} to nobody")]
    code, _, err = cli(capsys, monkeypatch, "assign", first["id"], "--to", marie)  # again
    assert code == 0, err
    code, out, _ = cli(capsys, monkeypatch, "inbox", "--assigned-to-me", "--json")
    assert (code, json.loads(out)) == (0, [])

    at(marie)
    assert cli(capsys, monkeypatch, "team", "join",
               f"postgresql://127.0.0.1:{pg_cluster.port}/{pg_database}", "--user", marie,
               "--password-stdin", stdin="pw-marie")[0] == 0
    code, out, err = cli(capsys, monkeypatch, "inbox", "--assigned-to-me", "--json")
    assert code == 0, err
    assert [i["id"] for i in json.loads(out)] == [first["id"]]

    code, out, _ = cli(capsys, monkeypatch, "audit", "--json")
    last = json.loads(out)[-2]  # (then marie's join)
    assert (last["actor"], last["action"], last["detail"]) == (
        admin, "assign", f"{first['id']} to {marie}")


def test_outside_a_team_items_have_an_id_and_nobody_assigned(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], mastodon_sandbox: Any,
) -> None:
    token = mastodon_sandbox.accounts[0]["access_token"]
    assert cli(capsys, monkeypatch, "account", "add", "mastodon", "--instance",
               mastodon_sandbox.base_url, "--token-stdin", stdin=token)[0] == 0
    code, out, _ = cli(capsys, monkeypatch, "inbox", "--json")
    items = json.loads(out)
    assert code == 0 and items
    assert all(i["assigned_to"] is None and "/" in i["id"] for i in items)
    code, _, err = cli(capsys, monkeypatch, "inbox", "--assigned-to-me")
    assert (code, err) == (1, "Erreur : --assigned-to-me : ce profil n'est dans aucune "
                              "équipe.\n")
    code, _, err = cli(capsys, monkeypatch, "assign", items[0]["id"], "--to", "marie")
    assert code == 1
    assert "aucune équipe" in err


def test_traite_par_is_the_teams_and_announced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    pg_cluster: Cluster, pg_database: str, mastodon_sandbox: Any,
) -> None:
    from paris_desk.services.desk import Desk
    from paris_desk.services.team import TeamService
    from paris_desk.store.profile import Profile

    suffix = uuid.uuid4().hex[:6]
    camille, marie = f"camille_{suffix}", f"marie_{suffix}"
    token = mastodon_sandbox.accounts[0]["access_token"]
    public = f"postgresql://127.0.0.1:{pg_cluster.port}/{pg_database}"
    for who in (camille, marie):
        (tmp_path / who).mkdir()
        monkeypatch.setenv("PARIS_DESK_HOME", str(tmp_path / who))
        if who == camille:
            assert cli(capsys, monkeypatch, "team", "init", pg_cluster.dsn(dbname=pg_database),
                       "--admin", camille, "--password-stdin", stdin="pw-c")[0] == 0
            assert cli(capsys, monkeypatch, "team", "add-member", marie, "--role",
                       "redacteur", "--password-stdin", stdin="pw-m")[0] == 0
        else:
            assert cli(capsys, monkeypatch, "team", "join", public, "--user", marie,
                       "--password-stdin", stdin="pw-m")[0] == 0
        assert cli(capsys, monkeypatch, "account", "add", "mastodon", "--instance",
                   mastodon_sandbox.base_url, "--token-stdin", stdin=token)[0] == 0

    listener = TeamService(Profile.default()).listen()  # marie's screen
    try:
        monkeypatch.setenv("PARIS_DESK_HOME", str(tmp_path / camille))
        desk = Desk.open(Profile.default())
        try:
            snapshot = desk.inbox.load([a.id for a in desk.accounts.list()], per_account=20)
            item = next(i for i in snapshot.items if i.group.needs_action)
            mark = desk.inbox.set_handled(item, True)  # "Traité", in camille's window
        finally:
            desk.close()
        assert mark is not None
        changes = listener.wait(30.0)
    finally:
        listener.close()
    assert [(c.kind, c.data["handled_by"]) for c in changes] == [("handled", camille)]

    monkeypatch.setenv("PARIS_DESK_HOME", str(tmp_path / marie))
    code, out, err = cli(capsys, monkeypatch, "inbox", "--json", "--limit", "20")
    assert code == 0, err
    key = f"{item.account_id}/{item.latest.id}"
    handled = {i["id"]: i["handled"] for i in json.loads(out)}[key]
    assert (handled["how"], handled["by"]) == ("dismissed", camille)

    code, out, _ = cli(capsys, monkeypatch, "audit", "--json")
    last = json.loads(out)[-1]
    assert (last["actor"], last["action"]) == (camille, "handle")
