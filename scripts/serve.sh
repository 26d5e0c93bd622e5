#!/usr/bin/env bash
# Fetch and verify the pinned assets (first run only), then serve the game.
# Extra arguments go to server.py, e.g. --host 0.0.0.0 --port 8080.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 tools/fetch_assets.py
python3 tools/build_precache.py
exec python3 server.py "$@"
