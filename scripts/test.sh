#!/usr/bin/env bash
# Install the test dependencies (system libraries, Python packages, the reference Bluesky PDS
# from npm) and run the whole test suite headless. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
