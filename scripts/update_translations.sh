#!/usr/bin/env bash
# Refresh the translation catalogues from the UI code, then compile them.
#
#   scripts/update_translations.sh
#
# 1. pyside6-lupdate collects every tr()/translate() string of paris_desk/ui into
#    resources/i18n/paris_desk_{fr,en}.ts (strings gone from the code are dropped);
# 2. English is the source language: new English messages get their source as translation
#    (identity); plural (%n) messages must be written by hand, in both files;
# 3. pyside6-lrelease compiles each .ts into the .qm the app loads.
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

mapfile -t sources < <(find paris_desk/ui -name '*.py' | sort)
for lang in fr en; do
  "$lupdate" -locations relative -no-obsolete -source-language en -target-language "$lang" \
    "${sources[@]}" -ts "resources/i18n/paris_desk_$lang.ts"
done

"$python" - resources/i18n/paris_desk_en.ts <<'PY'
import sys
import xml.etree.ElementTree as ET

path = sys.argv[1]
tree = ET.parse(path)
for message in tree.iter("message"):
    translation = message.find("translation")
    if message.get("numerus") == "yes" or translation.get("type") != "unfinished":
        continue
    translation.text = message.findtext("source")
    del translation.attrib["type"]
with open(path, "wb") as out:
    out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
    tree.write(out, encoding="utf-8", xml_declaration=False)
    out.write(b"\n")
PY

"$lrelease" -nounfinished resources/i18n/paris_desk_fr.ts resources/i18n/paris_desk_en.ts
