#!/usr/bin/env bash
# Build the macOS app bundle (PyInstaller), smoke-test it and make a .dmg. From a checkout, on
# macOS 13+ with Python 3.11+ (python.org installer or Homebrew) and the Xcode command line tools:
#
#   bash packaging/build_macos.sh
#   CODESIGN_IDENTITY="Developer ID Application: …" bash packaging/build_macos.sh   (signed)
#
# Output: dist/paris_desk.app (bundle id fr.paris.ParisDesk) and
# dist/paris-desk-VERSION-macos-ARCH.dmg. Not run in this repository's CI (Linux only).
set -euo pipefail
cd "$(dirname "$0")/.."
PYINSTALLER_VERSION=6.22.3  # what requirements/packaging.lock pins (tests/test_lock.py)

[ -x .venv/bin/python ] || python3 -m venv .venv
# The app's dependencies and PyInstaller from the hashed lock (scripts/lock.sh), then the app.
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes \
  -r requirements/packaging.lock
.venv/bin/python -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
rm -rf dist/paris-desk dist/paris_desk.app build/pyinstaller
time .venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/paris_desk.spec

# The same smoke test as on Linux; the in-memory keyring keeps the login keychain out of it.
.venv/bin/python packaging/smoke_test.py dist/paris_desk.app/Contents/MacOS/paris-desk \
  --keyring memory

# PyInstaller signs ad hoc; a Developer ID signature (then notarisation) lets Gatekeeper open
# the app without a warning:
#   xcrun notarytool submit dist/*.dmg --keychain-profile NOTARY --wait && xcrun stapler staple dist/*.dmg
if [ -n "${CODESIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$CODESIGN_IDENTITY" dist/paris_desk.app
fi
version=$(.venv/bin/python -c 'import paris_desk; print(paris_desk.__version__)')
dmg="dist/paris-desk-$version-macos-$(uname -m).dmg"
hdiutil create -volname paris_desk -srcfolder dist/paris_desk.app -ov -format UDZO "$dmg"
du -sh dist/paris_desk.app "$dmg"
