#!/usr/bin/env bash
# Build the Linux app (PyInstaller, one folder), smoke-test it, pack the release tarball.
#
#   bash packaging/build_linux.sh
#
# Output: dist/paris-desk/ (run dist/paris-desk/paris-desk) and
#         dist/paris-desk-VERSION-linux-ARCH.tar.gz (unpack, then ./install.sh).
# Exits non-zero when the build or any smoke test fails. See packaging/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PYINSTALLER_VERSION=6.22.3  # what requirements/packaging.lock pins (tests/test_lock.py)
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_total=$(now)

# The venv and the system libraries Qt loads (the build bundles the xcb-util ones), then
# binutils (strip) for PyInstaller and, for the smoke test's throwaway Secret Service,
# gnome-keyring and dbus-run-session. Without apt the smoke test uses an in-memory keyring.
bash scripts/setup.sh app
missing=()
for tool in strip:binutils objdump:binutils gnome-keyring-daemon:gnome-keyring \
  dbus-run-session:dbus-daemon; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing+=("${tool##*:}")
done
if [ ${#missing[@]} -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "build: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    $(printf '%s\n' "${missing[@]}" | sort -u) >/dev/null
fi
# PyInstaller and its dependencies from the hashed lock (scripts/lock.sh), like the app's.
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes \
  -r requirements/packaging.lock

version=$(.venv/bin/python -c 'import paris_desk; print(paris_desk.__version__)')
arch=$(uname -m)
t_build=$(now)
rm -rf dist/paris-desk build/pyinstaller
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/paris_desk.spec
build_s=$(since "$t_build")

t_smoke=$(now)
.venv/bin/python packaging/smoke_test.py dist/paris-desk/paris-desk \
  --figures build/smoke-figures.json
smoke_s=$(since "$t_smoke")

# The release tarball: the app folder, the freedesktop files, install.sh.
name="paris-desk-$version-linux-$arch"
stage="build/$name"
rm -rf "$stage"
mkdir -p "$stage/share/applications" "$stage/share/metainfo" "$stage/share/icons"
cp -a dist/paris-desk "$stage/"
cp resources/linux/fr.paris.ParisDesk.desktop "$stage/share/applications/"
cp resources/linux/fr.paris.ParisDesk.metainfo.xml "$stage/share/metainfo/"
cp -a resources/icons/hicolor "$stage/share/icons/"
install -m 755 packaging/linux/install.sh "$stage/install.sh"
tar -C build -czf "dist/$name.tar.gz" "$name"
rm -rf "$stage"

# Install from the tarball into a throwaway prefix, run it, uninstall.
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
tar -C "$check" -xzf "dist/$name.tar.gz"
"$check/$name/install.sh" --prefix "$check/prefix" >/dev/null
"$check/prefix/bin/paris-desk" --version
grep -q "^Exec=$check/prefix/bin/paris-desk$" "$check/prefix/share/applications/fr.paris.ParisDesk.desktop"
"$check/$name/install.sh" --uninstall --prefix "$check/prefix" >/dev/null
[ ! -e "$check/prefix/bin/paris-desk" ] && [ ! -e "$check/prefix/lib/paris-desk" ]
echo "install.sh: installed from the tarball, started, uninstalled"

read -r ready_s version_s < <(.venv/bin/python -c '
import json; f = json.load(open("build/smoke-figures.json"))
print("%.2f %.2f" % (f["gui_ready_s"], f["version_s"]))')
echo "== paris-desk $version, linux-$arch"
echo "build time (PyInstaller):  ${build_s} s"
echo "smoke tests:               ${smoke_s} s"
echo "dist folder size:          $(du -sh dist/paris-desk | cut -f1)  (dist/paris-desk)"
echo "tarball size:              $(du -sh "dist/$name.tar.gz" | cut -f1)  (dist/$name.tar.gz)"
echo "start time (GUI, sandbox): ${ready_s} s to ready and quit; --version ${version_s} s"
echo "total:                     $(since "$t_total") s"
