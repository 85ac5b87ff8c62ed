#!/usr/bin/env bash
# Install (or remove) the paris_desk Linux build from the unpacked release tarball.
#
#   ./install.sh                    for the current user: ~/.local (no root needed)
#   sudo ./install.sh --prefix /usr/local    for every user of the machine
#   ./install.sh --uninstall [--prefix DIR]
#
# Puts the app folder in PREFIX/lib/paris-desk, a `paris-desk` link in PREFIX/bin, and the
# desktop entry, AppStream metainfo and icons under PREFIX/share, so the app shows up in the
# desktop's application menu.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
app_id=fr.paris.ParisDesk
prefix="$HOME/.local"
action=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="$2"; shift 2 ;;
    --uninstall) action=uninstall; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

icons=(share/icons/hicolor/scalable/apps/$app_id.svg)
for n in 16 24 32 48 64 128 256 512; do icons+=("share/icons/hicolor/${n}x${n}/apps/$app_id.png"); done
files=(bin/paris-desk "share/applications/$app_id.desktop" "share/metainfo/$app_id.metainfo.xml" "${icons[@]}")

refresh_caches() {
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$prefix/share/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$prefix/share/icons/hicolor" || true
}

if [ "$action" = uninstall ]; then
  for f in "${files[@]}"; do rm -f "$prefix/$f"; done
  rm -rf "$prefix/lib/paris-desk"
  refresh_caches
  echo "paris_desk removed from $prefix (your accounts and settings are kept)."
  exit 0
fi

mkdir -p "$prefix/lib" "$prefix/bin"
rm -rf "$prefix/lib/paris-desk"
cp -a "$here/paris-desk" "$prefix/lib/paris-desk"
ln -sfn "$prefix/lib/paris-desk/paris-desk" "$prefix/bin/paris-desk"
for f in "${files[@]}"; do
  [ "$f" = bin/paris-desk ] && continue
  install -D -m 644 "$here/$f" "$prefix/$f"
done
# The menu may not have PREFIX/bin on its PATH: point the entry at the installed binary.
sed -i "s|^Exec=paris-desk|Exec=$prefix/bin/paris-desk|" "$prefix/share/applications/$app_id.desktop"
refresh_caches
echo "paris_desk installed in $prefix (start it from the menu, or run $prefix/bin/paris-desk)."
