"""Saved replies: the answers comms staff give all day, with placeholders. Pure.

``{auteur}`` is the name of the person answered (display name, else handle), ``{pseudo}``
their handle with its @, ``{compte}`` the name of the city account that answers. Any other
``{…}`` is left as written, so a brace in the text never breaks it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from paris_desk.core.model import Account, Author

PLACEHOLDER = re.compile(r"\{(auteur|pseudo|compte)\}")
MAX_TITLE = 80


@dataclass(frozen=True, slots=True)
class SavedReply:
    id: str
    title: str
    text: str


def render(text: str, author: Author, account: Account | None = None) -> str:
    """``text`` with its placeholders filled for a reply to ``author`` as ``account``."""
    handle = author.handle if author.handle.startswith("@") else f"@{author.handle}"
    values = {
        "auteur": author.display_name.strip() or author.handle.lstrip("@"),
        "pseudo": handle if author.handle else "",
        "compte": (account.label or account.display_name or account.handle) if account else "",
    }
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], text)
