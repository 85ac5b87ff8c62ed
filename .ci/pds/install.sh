#!/usr/bin/env bash
# Installs the reference PDS (.ci/pds/node_modules) from package-lock.json.
# Idempotent: does nothing (in ~0.1 s) when node_modules already matches the lock
# and the Node version. Quiet unless something fails. Needs node >= 20.18.1 and npm.
set -euo pipefail
cd "$(dirname "$0")"

die() { echo "install.sh: $*" >&2; exit 1; }
command -v node >/dev/null 2>&1 || die "node not found on PATH (need Node.js >= 20.18.1; Debian: apt-get install nodejs npm)"
command -v npm >/dev/null 2>&1 || die "npm not found on PATH"
[ -f package-lock.json ] || die "package-lock.json missing in $(pwd)"

stamp=node_modules/.paris-desk-install-stamp
want="$(node -p 'process.version + " " + process.arch')|$(sha256sum package-lock.json package.json | sha256sum | cut -c1-64)"
check_native() { node -e "new (require('better-sqlite3'))(':memory:').close()" >/dev/null 2>&1; }

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && check_native; then
  exit 0
fi

# better-sqlite3 compiles from source when its prebuilt binary can't be downloaded;
# point node-gyp at the local Node headers instead of letting it fetch them.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! npm ci --no-audit --no-fund --loglevel=error >"$log" 2>&1; then
  cat "$log" >&2
  die "npm ci failed"
fi
if ! check_native; then
  npm rebuild better-sqlite3 --loglevel=error >"$log" 2>&1 || { cat "$log" >&2; die "better-sqlite3 build failed (needs python3, make, g++)"; }
  check_native || die "better-sqlite3 still does not load"
fi
echo "$want" >"$stamp"
