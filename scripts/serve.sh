#!/usr/bin/env bash
# Fetch and verify the pinned assets and make their compressed copies (first
# run only; later runs check and reuse them), then serve the game.
# Extra arguments go to server.py, e.g. --host 0.0.0.0 --port 8080.
set -euo pipefail
cd "$(dirname "$0")/.."
# The build tools need the pinned brotli package (pyproject.toml, extra "build");
# the server itself needs only the standard library.
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -c "import brotli" 2>/dev/null ||
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[build]"
.venv/bin/python tools/fetch_assets.py
# The start-up snapshot makes later visits start faster; the game runs without it.
.venv/bin/python tools/build_snapshot.py ||
  echo "serve.sh: no start-up snapshot (see above); serving anyway" >&2
.venv/bin/python tools/build_precache.py
exec python3 server.py "$@"
