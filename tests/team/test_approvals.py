"""Approval before publication, across three workstations (three profiles) of one team:
a redacteur submits, a validateur approves or rejects, the author's workstation sends. The
database refuses a decision to a redacteur even when paris-desk's own check is skipped."""

from __future__ import annotations

import functools
import io
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from cli_run import cli

from paris_desk.cli.main import main
from paris_desk.store.team.approvals import ApprovalStore
from paris_desk.store.team.database import TeamDatabase
from paris_desk.store.team.errors import TeamRefused
from paris_desk.store.team.outbox import TeamOutboxStore
from team.pgcluster import Cluster

Run = Callable[..., tuple[int, str, str]]


@dataclass
class Team:
    run: Run
    homes: dict[str, Path]
    names: dict[str, str]
    passwords: dict[str, str]
    account_id: str
    server: Any
    dsn: str

    def be(self, who: str, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("PARIS_DESK_HOME", str(self.homes[who]))

    def connect(self, who: str) -> TeamDatabase:
        base, _, db = self.dsn.rpartition("/")
        host = base.split("@")[1]
        return TeamDatabase(f"postgresql://{self.names[who]}:{self.passwords[who]}@{host}/{db}")


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
         pg_cluster: Cluster, pg_database: str, mastodon_sandbox: Any) -> Iterator[Team]:
    run = functools.partial(cli, capsys, monkeypatch)

    suffix = uuid.uuid4().hex[:6]
    names = {who: f"{who}_{suffix}" for who in ("admin", "redac", "valid")}
    passwords = {who: f"pw-{who}-{suffix}" for who in names}
    homes = {who: tmp_path / who for who in names}
    for home in homes.values():
        home.mkdir()
    public = f"postgresql://127.0.0.1:{pg_cluster.port}/{pg_database}"
    t = Team(run, homes, names, passwords, "", mastodon_sandbox,
             pg_cluster.dsn(dbname=pg_database))
    t.be("admin", monkeypatch)
    assert run("team", "init", t.dsn, "--admin", names["admin"], "--password-stdin",
               stdin=passwords["admin"])[0] == 0
    for who, role in (("redac", "redacteur"), ("valid", "validateur")):
        assert run("team", "add-member", names[who], "--role", role, "--password-stdin",
                   stdin=passwords[who])[0] == 0
    token = mastodon_sandbox.accounts[0]["access_token"]
    for who in ("redac", "valid"):
        t.be(who, monkeypatch)
        assert run("team", "join", public, "--user", names[who], "--password-stdin",
                   stdin=passwords[who])[0] == 0
        code, out, err = run("account", "add", "mastodon", "--instance",
                             mastodon_sandbox.base_url, "--token-stdin", stdin=token)
        assert code == 0, err
        t.account_id = out.split(" : ", 1)[1].strip()
    yield t


def submit(team: Team, monkeypatch: pytest.MonkeyPatch, who: str, text: str) -> int:
    team.be(who, monkeypatch)
    code, out, err = team.run("post", "--to", team.account_id, "--submit", "--json", text)
    assert code == 0, err
    answer = json.loads(out)
    assert answer["state"] == "pending"
    return int(answer["approval"])


def copies(team: Team, needle: str) -> list[dict[str, Any]]:
    acct = team.server.accounts[0]["acct"]
    return [s for s in team.server.statuses_by(acct) if needle in s["content"]]


def test_submit_approve_then_the_authors_workstation_sends_it_once(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    tag = f"a{uuid.uuid4().hex[:8]}"
    approval = submit(team, monkeypatch, "redac", f"Concert au kiosque dimanche #{tag}")
    assert copies(team, tag) == []  # nothing queued, nothing sent

    code, _, err = team.run("approve", str(approval))  # the author, a redacteur
    assert (code, err) == (1, "Erreur : Refusé par la base de l'équipe : seul un validateur "
                              "décide. Rien n'a été modifié.\n")

    team.be("valid", monkeypatch)
    code, out, _ = team.run("approvals", "--json")
    (listed,) = json.loads(out)
    assert listed["id"] == approval and listed["author"] == team.names["redac"]
    assert listed["targets"] == [team.account_id] and listed["schedule"] is None
    assert tag in listed["text"] and set(listed) == {"id", "author", "submitted_at", "text",
                                                     "targets", "schedule"}
    code, _, err = team.run("approve", str(approval))
    assert code == 0, err
    code, _, err = team.run("approve", str(approval))
    assert code == 1
    assert f"déjà approuvée (par {team.names['valid']})" in err

    team.be("redac", monkeypatch)
    assert team.run("worker", "--once")[0] == 0
    assert len(copies(team, tag)) == 1
    code, out, _ = team.run("audit", "--json")
    actions = [(e["actor"], e["action"]) for e in json.loads(out)][-3:]
    assert actions == [(team.names["redac"], "submit"), (team.names["valid"], "approve"),
                       (team.names["redac"], "publish")]


def test_reject_with_a_comment_and_never_ones_own(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused = submit(team, monkeypatch, "redac", "Brouillon à revoir")
    team.be("valid", monkeypatch)
    code, _, err = team.run("reject", str(refused), "--comment", "Ajoutez l'horaire")
    assert code == 0, err
    own = submit(team, monkeypatch, "valid", "Ma propre annonce")
    code, _, err = team.run("approve", str(own))
    assert code == 1
    assert "sa propre publication" in err
    code, out, _ = team.run("approvals", "--all", "--json")
    states = {a["id"]: (a["state"], a["comment"]) for a in json.loads(out)}
    assert states == {refused: ("rejected", "Ajoutez l'horaire"), own: ("pending", None)}
    db = team.connect("valid")
    try:
        assert TeamOutboxStore(db).jobs() == []  # nothing was queued
    finally:
        db.close()


def test_the_database_refuses_a_redacteurs_decision_without_the_apps_check(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    approval = submit(team, monkeypatch, "redac", "Tentative de contournement")
    db = team.connect("redac")
    try:
        store = ApprovalStore(db, TeamOutboxStore(db))
        with pytest.raises(TeamRefused, match="permission denied"):
            store.approve(approval, uuid.uuid4().hex)
        assert store.get(approval).state.value == "pending"
        assert TeamOutboxStore(db).jobs() == []
    finally:
        db.close()


def test_submit_outside_a_team_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str],
                                       mastodon_sandbox: Any) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(mastodon_sandbox.accounts[0]["access_token"]))
    assert main(["account", "add", "mastodon", "--instance", mastodon_sandbox.base_url,
                 "--token-stdin"]) == 0
    capsys.readouterr()
    assert main(["post", "--to", "all", "--submit", "Bonjour"]) == 1
    assert "aucune équipe" in capsys.readouterr().err


def test_a_redacteurs_post_to_an_account_that_needs_approval_is_submitted(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    team.be("valid", monkeypatch)
    code, _, err = team.run("team", "require-approval", team.account_id)
    assert (code, err) == (1, "Erreur : Refusé par la base de l'équipe : seul un admin change "
                              "les réglages de l'équipe. Rien n'a été modifié.\n")
    team.be("admin", monkeypatch)
    assert team.run("account", "add", "mastodon", "--instance", team.server.base_url,
                    "--token-stdin", stdin=team.server.accounts[0]["access_token"])[0] == 0
    code, _, err = team.run("team", "require-approval", team.account_id)
    assert code == 0, err
    code, out, _ = team.run("team", "accounts", "--json")
    assert [(a["id"], a["requires_approval"]) for a in json.loads(out)] == [
        (team.account_id, True)]

    tag = f"r{uuid.uuid4().hex[:8]}"
    team.be("redac", monkeypatch)
    code, out, err = team.run("post", "--to", team.account_id, "--json", f"Annonce #{tag}")
    assert code == 0, err
    assert json.loads(out)["state"] == "pending"
    assert "demande une validation" in err
    assert copies(team, tag) == []

    team.be("valid", monkeypatch)  # a validateur publishes directly
    code, out, err = team.run("post", "--to", team.account_id, "--json", f"Direct #{tag}")
    assert code == 0, err
    assert [r["status"] for r in json.loads(out)] == ["sent"]
    assert len(copies(team, tag)) == 1


def test_a_reply_is_routed_by_the_same_rule_and_not_submitted_from_the_cli_yet(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``post --reply-to`` asks the core (``Desk.needs_approval``, the rule ``Desk.publish``
    follows) before it looks the post up: a redacteur's reply to an account that needs
    approval is refused (exit 2) with nothing looked up or queued; a validateur's goes out."""
    team.be("admin", monkeypatch)
    assert team.run("account", "add", "mastodon", "--instance", team.server.base_url,
                    "--token-stdin", stdin=team.server.accounts[0]["access_token"])[0] == 0
    assert team.run("team", "require-approval", team.account_id)[0] == 0
    city = team.server.accounts[0]["acct"]
    other = next(a["acct"] for a in team.server.accounts if a["acct"] != city)
    parent = team.server.statuses_by(other)[0]
    tag = f"r{uuid.uuid4().hex[:8]}"

    team.be("redac", monkeypatch)
    for submit in ([], ["--submit"]):
        before = len(team.server.requests)
        code, out, err = team.run("post", "--to", team.account_id, "--reply-to", parent["url"],
                                  *submit, "--json", f"Réponse #{tag}")
        assert (code, out) == (2, "")
        assert err == "Erreur : --submit ne s'utilise pas (encore) avec --reply-to.\n"
        assert team.server.requests[before:] == []  # the post was not even looked up
    assert copies(team, tag) == []
    db = team.connect("admin")
    try:
        assert ApprovalStore(db, TeamOutboxStore(db)).list() == []
        assert TeamOutboxStore(db).jobs() == []
    finally:
        db.close()

    team.be("valid", monkeypatch)  # may publish directly: the reply goes out
    code, out, err = team.run("post", "--to", team.account_id, "--reply-to", parent["url"],
                              "--json", f"Réponse #{tag}")
    assert code == 0, err
    assert [r["status"] for r in json.loads(out)] == ["sent"]
    (reply,) = copies(team, tag)
    assert reply["in_reply_to_id"] == parent["id"]


def test_account_list_shows_the_teams_accounts_and_where_they_are(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fixture's workstations added the account: the team knows it (no secret).
    team.be("admin", monkeypatch)  # a workstation without it
    code, out, _ = team.run("team", "accounts", "--json")
    assert [(a["id"], a["requires_approval"]) for a in json.loads(out)] == [
        (team.account_id, False)]
    code, out, err = team.run("account", "list", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == [{"id": team.account_id, "network": "mastodon",
                                "handle": team.account_id.split(":", 1)[1], "here": False}]
    code, out, _ = team.run("account", "list")
    assert out == f"{team.account_id}  (équipe ; identifiants sur un autre poste)\n"
    code, out, err = team.run("post", "--to", "all", "--json", "Bonjour")
    assert code == 0, err  # queued for a workstation that holds it (test_team_accounts.py)
    assert f"identifiants sont sur un autre poste : {team.account_id} ;" in err
    assert [r["status"] for r in json.loads(out)] == ["queued"]

    team.be("valid", monkeypatch)  # a workstation that holds it
    code, out, _ = team.run("account", "list", "--json")
    (entry,) = json.loads(out)
    assert (entry["id"], entry["here"]) == (team.account_id, True)
