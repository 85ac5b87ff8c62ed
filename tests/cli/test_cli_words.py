"""The command line writes no French literal: its sentences are English sources in
``translate("cli", …)`` or ``QT_TRANSLATE_NOOP("cli", …)`` (French in resources/i18n), so that
``--lang en`` never prints a French one. Found by Python's parser, like
tests/ui/test_translations_complete.py finds the calls."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRENCH = re.compile(r"[éèêàùçœ«»ÉÈÀ]| [:;!?](?=\s|$)")  # accents, quotes, French spacing
ALLOWED = {
    "argparse_fr.py",  # argparse's own messages in French: its catalogue, by design
}
ALLOWED_WORDS = {
    "RÉSEAU",  # a metavar (metavars are not translated yet)
    "rédacteur",  # a role's name, the same in every language
}


def french_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))  # a docstring
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in ("translate", "QT_TRANSLATE_NOOP"):
                skipped.update(id(arg) for arg in node.args)
    return [f"{path.name}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in skipped and node.value not in ALLOWED_WORDS
            and FRENCH.search(node.value)]


def test_the_cli_writes_no_french_literal() -> None:
    paths = sorted((ROOT / "paris_desk" / "cli").glob("*.py"))
    assert len(paths) > 10
    found = [hit for path in paths if path.name not in ALLOWED for hit in french_literals(path)]
    assert found == [], "write the sentence in English in translate(\"cli\", …)"


def test_a_french_literal_is_found(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""Un module."""\nprint("Rien à envoyer.")\n'
                      'print(translate("cli", "Nothing to send."))\n', encoding="utf-8")
    assert french_literals(sample) == ["sample.py:2: 'Rien à envoyer.'"]
