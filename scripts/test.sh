#!/usr/bin/env bash
# Set up everything the tests need (a virtual environment, the pinned assets,
# the test video), then run lint, type checks and the whole test suite:
# unit tests under CPython and end-to-end tests in Debian's Chromium.
# Extra arguments go to pytest, e.g. scripts/test.sh tests/unit -x
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null 2>&1 || missing+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ((${#missing[@]})); then
  echo "scripts/test.sh: missing ${missing[*]}; on Debian or Ubuntu:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,dev]"
.venv/bin/python tools/fetch_assets.py
# The pinned devDependencies, never served: axe-core (the accessibility tests'
# checker) and TypeScript (the JavaScript type checks). A checkout whose
# node_modules predates them, or holds other versions, gets them here.
node -e '
  const wanted = require("./package.json").devDependencies;
  for (const [name, version] of Object.entries(wanted)) {
    if (require(`./node_modules/${name}/package.json`).version !== version) process.exit(1);
  }' 2>/dev/null ||
  npm ci --ignore-scripts --no-audit --no-fund --legacy-peer-deps
.venv/bin/python tools/build_snapshot.py
.venv/bin/python tools/build_precache.py
.venv/bin/python tools/fetch_test_media.py

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
# JSDoc types of every JavaScript module (tsconfig.json), and of the service
# worker in its own scope (tsconfig.sw.json).
node_modules/.bin/tsc -p tsconfig.json
node_modules/.bin/tsc -p tsconfig.sw.json
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "scripts/test.sh: pytest collected no tests; that is a failure here" >&2
  exit 1
fi

# Tests never write into the served tree: they work on copies of web/
# (tests/e2e/conftest.py, copy_web_root). Anything they left there fails the run.
left=$(git status --porcelain --untracked-files=all -- web/)
if [ -n "$left" ]; then
  echo "scripts/test.sh: the tests changed web/ (they must work on a copy):" >&2
  echo "$left" >&2
  status=1
fi
# And the precache list names exactly the files there now.
.venv/bin/python tools/build_precache.py
exit "$status"
