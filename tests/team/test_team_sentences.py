"""The window's sentences for the team's database (``services.sentences``, context "errors"):
each says what happened and what to do, never "Internal error"."""

from __future__ import annotations

import pytest

from paris_desk.services.sentences import Sentences
from paris_desk.store.team import errors


@pytest.mark.parametrize(("exc", "words"), [
    (errors.TeamInsecure("db.mairie.example", "require"),
     "The team's server (db.mairie.example) is on another machine and sslmode=require"),
    (errors.TeamSchemaTooNew(11, 10), "update paris_desk"),
    (errors.TeamSchemaTooOld(9, 10), "team init"),
    (errors.TeamRefused("permission denied"), "your role does not allow it"),
    (errors.TeamAuthFailed("password authentication failed"), "name or password"),
    (errors.TeamUnreachable("connection refused"), "does not answer"),
    (errors.NotInTeam("no"), "in no team"),
    (errors.TeamNotInitialised("no schema"), "no paris_desk schema"),
    (errors.TeamConflict("taken"), "already exists"),
])
def test_each_team_failure_has_its_sentence(exc: errors.TeamError, words: str) -> None:
    sentence = Sentences().describe(exc)
    assert words in sentence
    assert "Internal error" not in sentence
