#!/usr/bin/env bash
# Refresh the translation catalogues from the UI code, then compile them.
#
#   scripts/update_translations.sh
#
# 1. pyside6-lupdate collects every tr()/translate() string of paris_desk/ui, of
#    paris_desk/services/sentences.py (the error catalogue the CLI shares) and of
#    paris_desk/cli (the command line's own sentences, context "cli") into
#    resources/i18n/paris_desk_{fr,en}.ts (strings gone from the code are dropped);
# 2. every message with %n is a plural: pyside6-lupdate marks only self.tr(text, "", n) so,
#    not QCoreApplication.translate(ctx, text, None, n), and would cut the plural forms of
#    those down to one; they are marked again and their forms restored from the catalogues
#    as they were before this run;
# 3. English is the source language: new English messages get their source as translation
#    (identity); new plural (%n) messages must be written by hand, in both files;
# 4. pyside6-lrelease compiles each .ts into the .qm the app loads.
# New French messages stay "unfinished" until translated (Qt Linguist: pyside6-linguist);
# tests/ui/test_translations.py fails while any is left.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin="${PYSIDE6_BIN:-$root/.venv/bin}"
python="$bin/python"
lupdate="$bin/pyside6-lupdate"
lrelease="$bin/pyside6-lrelease"
for tool in "$python" "$lupdate" "$lrelease"; do
  [ -x "$tool" ] || { echo "missing $tool (set PYSIDE6_BIN to the venv's bin directory)" >&2; exit 1; }
done

# The UI's strings, the catalogue of sentences the window and the CLI share (Qt-free), and
# the CLI's own sentences.
mapfile -t sources < <({ find paris_desk/ui paris_desk/cli -name '*.py'
                         echo paris_desk/services/sentences.py; } | sort)
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT
cp resources/i18n/paris_desk_fr.ts resources/i18n/paris_desk_en.ts "$before/"
for lang in fr en; do
  "$lupdate" -locations relative -no-obsolete -source-language en -target-language "$lang" \
    "${sources[@]}" -ts "resources/i18n/paris_desk_$lang.ts"
done

"$python" - "$before" <<'PY'
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

before = Path(sys.argv[1])


def plural_forms(path):
    """(context, source) -> (forms, finished) of the plural messages of a catalogue."""
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            if message.get("numerus") == "yes":
                forms = [f.text or "" for f in translation.iter("numerusform")]
                found[(name, message.findtext("source"))] = (forms, not translation.get("type"))
    return found


for lang in ("fr", "en"):
    path = Path(f"resources/i18n/paris_desk_{lang}.ts")
    old = plural_forms(before / path.name)
    tree = ET.parse(path)
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if "%n" in source and message.get("numerus") != "yes":
                message.set("numerus", "yes")
                forms, finished = old.get((name, source), (["", ""], False))
                translation.text = None
                for child in list(translation):
                    translation.remove(child)
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
                if finished:
                    translation.attrib.pop("type", None)
                else:
                    translation.set("type", "unfinished")
            elif (lang == "en" and message.get("numerus") != "yes"
                  and translation.get("type") == "unfinished"):
                translation.text = source  # English: the source is the translation
                del translation.attrib["type"]
    with open(path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")
PY

"$lrelease" -nounfinished resources/i18n/paris_desk_fr.ts resources/i18n/paris_desk_en.ts
