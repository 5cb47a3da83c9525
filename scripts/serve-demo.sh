#!/usr/bin/env bash
# Run the demo: the worker (sends queued e-mail to var/mail/) beside the web server.
set -euo pipefail
port=${PORT:-8000}
export KARTLEGGING_MODE=demo
.venv/bin/kartlegging worker &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo "Serverer http://127.0.0.1:$port/  (Ctrl+C for å stoppe)"
.venv/bin/kartlegging runserver --noreload "127.0.0.1:$port"
