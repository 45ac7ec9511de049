#!/usr/bin/env bash
# Installs what is missing, builds Folio, creates or refreshes the demo broker in
# ./data (SQLite) and serves it on http://localhost:3000.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup_toolchain
setup_tools
build_site
cd "$ROOT"
"$(folio_bin)" demo
log "Folio runs on http://localhost:3000 (Ctrl-C stops it)"
exec "$(folio_bin)" serve --addr "${FOLIO_ADDR:-127.0.0.1:3000}"
