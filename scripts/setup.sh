#!/usr/bin/env bash
# Install what paris_desk needs on a Debian/Ubuntu machine: the system libraries Qt loads,
# a virtual environment in .venv and the package itself. Idempotent and quiet when done.
#   scripts/setup.sh          -> the app
#   scripts/setup.sh test     -> the app, test dependencies and the reference Bluesky PDS (npm)
set -euo pipefail
cd "$(dirname "$0")/.."
want="${1:-app}"

apt_packages=(libegl1 libgl1 libopengl0 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3
  libglib2.0-0)
# Colour emoji (posts are full of them; without a font they show as empty boxes).
apt_packages+=(fonts-noto-color-emoji)
# For a real window on X11/Wayland (not needed offscreen, cheap to have).
apt_packages+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
  libxcb-render-util0 libxcb-image0 libx11-xcb1 libwayland-client0 libwayland-cursor0 libwayland-egl1)

python_bin="${PYTHON:-python3}"
if ! "$python_bin" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt_packages+=(python3-venv)
fi
if [ "$want" = test ]; then
  command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
  # Validators for the desktop entry and AppStream metainfo (tests/packaging).
  apt_packages+=(desktop-file-utils appstream)
  # Team mode's tests make a private PostgreSQL cluster (tests/team/conftest.py): Debian's
  # server binaries under /usr/lib/postgresql/<major>/bin, and the `postgres` user they run as.
  apt_packages+=(postgresql)
  # The team worker's headless keychain (packaging/systemd/paris-desk-worker-session, tested
  # in tests/packaging): its own D-Bus session and gnome-keyring's Secret Service.
  apt_packages+=(dbus-daemon gnome-keyring)
fi

missing=()
if command -v dpkg >/dev/null 2>&1; then
  for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  "$python_bin" -m venv .venv
fi
# Every dependency from the lock file, each file checked against its sha256 (a tampered or
# substituted download fails the install); then paris_desk itself, built with the locked
# setuptools. The locks are made by scripts/lock.sh from pyproject.toml's ranges.
lock="requirements/$want.lock"
stamp=".venv/.installed-$want"
if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
  "${pip[@]}" --require-hashes -r "$lock"
  "${pip[@]}" --no-deps --no-build-isolation -e .
  touch "$stamp"
fi

if [ "$want" = test ]; then
  bash .ci/pds/install.sh
fi
