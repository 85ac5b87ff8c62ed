#!/usr/bin/env bash
# Re-resolve the lock files from the ranges in pyproject.toml (and requirements/build.in):
#   requirements/app.lock   the app            (scripts/setup.sh, installers)
#   requirements/test.lock  the app and [test] (scripts/setup.sh test, CI)
#   requirements/packaging.lock  the app and PyInstaller (packaging/build_*)
# Every pin carries the sha256 of every file of that release, for every platform (uv's
# universal resolution with markers), so plain pip installs them with --require-hashes on
# Linux, Windows and macOS. uv itself runs from a throwaway venv (.venv-lock); nothing else
# needs it. Commit the two .lock files with the change that moved them.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.8
if [ ! -x .venv-lock/bin/uv ]; then
  "${PYTHON:-python3}" -m venv .venv-lock
  .venv-lock/bin/python -m pip install -q --disable-pip-version-check "uv==$UV_VERSION"
fi
compile() {  # compile OUTPUT [uv options]
  local out=$1; shift
  .venv-lock/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
    --no-header --custom-compile-command "bash scripts/lock.sh" "$@" \
    pyproject.toml requirements/build.in -o "$out"
}
compile requirements/app.lock
compile requirements/test.lock --extra test
compile requirements/packaging.lock requirements/packaging.in
