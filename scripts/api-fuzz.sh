#!/usr/bin/env bash
# The REST API against its own OpenAPI document: schemathesis (PyPI, pinned) runs every check
# with a fixed seed and a bounded number of cases per operation (scripts/api-fuzz.toml)
# against the release build with the demo broker, on loopback. Any finding fails.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VERSION=4.32.5
VENV="$HOME/.cache/folio/fuzz-venv"
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "$VERSION"; then
    log "Installing schemathesis $VERSION (the OpenAPI fuzzer)"
    python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$VENV"; }
    "$VENV/bin/python" -m pip install --quiet "schemathesis==$VERSION"
fi

BIN="${FOLIO_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/folio}"
[ -x "$BIN" ] || die "no release build at $BIN: run the test command or scripts/run.sh first"
DATA="$(mktemp -d)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
trap '[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; rm -rf "$DATA"' EXIT
export FOLIO_DATA_DIR="$DATA" RUST_LOG=warn
"$BIN" demo >/dev/null
KEY="$("$BIN" apikey create --broker demo --name schemathesis | tail -1)"
"$BIN" serve --addr "127.0.0.1:$PORT" &
PID=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

log "schemathesis: /api/v1 against its OpenAPI document"
# Reports and caches land in the temporary folder, not in the clone.
cd "$DATA"
timeout 600 "$VENV/bin/schemathesis" --config-file "$ROOT/scripts/api-fuzz.toml" run \
    "http://127.0.0.1:$PORT/api/v1/openapi.json" --checks all \
    -H "Authorization: Bearer $KEY" --no-color
