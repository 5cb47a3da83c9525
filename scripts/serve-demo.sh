#!/usr/bin/env bash
# Run the demo as production runs: the worker (sends queued e-mail to var/mail/) beside the
# gunicorn web server (`kartlegging serve`). Ctrl+C stops both.
set -euo pipefail
port=${PORT:-8000}
export KARTLEGGING_MODE=demo
.venv/bin/kartlegging worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Serverer http://127.0.0.1:$port/  (Ctrl+C for å stoppe)"
.venv/bin/kartlegging serve --bind "127.0.0.1:$port"
