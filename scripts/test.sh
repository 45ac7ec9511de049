#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, clippy, unit and integration
# tests (SQLite; PostgreSQL too when FOLIO_TEST_POSTGRES_URL is set), then the browser
# tests in Debian's Chromium against a release build, and the REST API against its OpenAPI
# document (schemathesis).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup_toolchain
setup_tools
if [ ! -x /usr/bin/chromium ]; then apt_install chromium fonts-liberation; fi
if [ ! -d "$ROOT/end2end/node_modules/playwright-core" ] || [ "$ROOT/end2end/package-lock.json" -nt "$ROOT/end2end/node_modules/.package-lock.json" ]; then
    log "Installing playwright-core (npm)"
    (cd "$ROOT/end2end" && npm install --no-audit --no-fund --loglevel=error)
fi
# The SMTP server the mail tests talk to (aiosmtpd), in its own virtualenv.
SMTP_VENV="$HOME/.cache/folio/smtp-venv"
if ! "$SMTP_VENV/bin/python" -c "import aiosmtpd.smtp" 2>/dev/null; then
    log "Installing aiosmtpd (the SMTP server the mail tests talk to)"
    python3 -m venv "$SMTP_VENV" 2>/dev/null || { apt_install python3-venv && python3 -m venv "$SMTP_VENV"; }
    "$SMTP_VENV/bin/python" -m pip install --quiet aiosmtpd
fi
export FOLIO_TEST_PYTHON="$SMTP_VENV/bin/python"
cd "$ROOT"

log "rustfmt"
cargo fmt --all --check

log "clippy"
cargo clippy -p app --features ssr --all-targets -- -D warnings
cargo clippy -p server --all-targets -- -D warnings
cargo clippy -p frontend -- -D warnings
cargo clippy -p frontend --features office -- -D warnings
cargo clippy -p sanitizer --all-targets -- -D warnings
cargo clippy -p gdv --all-targets --features corpus -- -D warnings

log "Unit and integration tests"
cargo test -p sanitizer
cargo test -p gdv
cargo test -p app --features ssr
cargo test -p server

build_site

"$ROOT/scripts/api-fuzz.sh"

log "Browser tests (Chromium)"
(cd end2end && FOLIO_BIN="$(folio_bin)" FOLIO_SITE_ROOT="$ROOT/target/site" node --test --test-concurrency=1 tests/)
