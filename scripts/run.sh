#!/usr/bin/env bash
# Install paris_desk (first run only) and start it. With no account configured it opens on the
# built-in sandbox. Extra arguments go to paris-desk (e.g. --sandbox, --lang en).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
exec .venv/bin/paris-desk "$@"
