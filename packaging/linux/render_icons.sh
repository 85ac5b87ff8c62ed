#!/usr/bin/env bash
# Render the app icon's PNG sizes from its SVG source (run after editing the SVG; the PNGs are
# committed, so builds need no SVG renderer). Needs rsvg-convert: apt-get install librsvg2-bin
set -euo pipefail
cd "$(dirname "$0")/../.."
icons=resources/icons/hicolor
svg="$icons/scalable/apps/fr.paris.ParisDesk.svg"
for n in 16 24 32 48 64 128 256 512; do
  mkdir -p "$icons/${n}x${n}/apps"
  rsvg-convert --width "$n" --height "$n" --keep-aspect-ratio "$svg" \
    --output "$icons/${n}x${n}/apps/fr.paris.ParisDesk.png"
done
echo "rendered $(ls "$icons"/*x*/apps/fr.paris.ParisDesk.png | wc -l) PNG sizes from $svg"
