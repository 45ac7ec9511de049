#!/usr/bin/env bash
# Lighthouse (npm, with Debian's Chromium) on the sign-in page and the customer's overview
# at a phone viewport, against a release build on loopback. Prints performance,
# accessibility and best-practices scores; the reports go to target/lighthouse/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

setup_toolchain
setup_tools
if [ ! -x /usr/bin/chromium ]; then apt_install chromium fonts-liberation; fi
LH_DIR="$HOME/.cache/folio/lighthouse"
if [ ! -x "$LH_DIR/node_modules/.bin/lighthouse" ]; then
    log "Installing Lighthouse (npm)"
    mkdir -p "$LH_DIR"
    (cd "$LH_DIR" && npm install --no-audit --no-fund --loglevel=error lighthouse@13.5.0)
fi
build_site

DATA="$(mktemp -d)"
PORT="${FOLIO_LIGHTHOUSE_PORT:-3907}"
OUT="$CARGO_TARGET_DIR/lighthouse"
mkdir -p "$OUT"
export FOLIO_DATA_DIR="$DATA" FOLIO_PUBLIC_PORT="$PORT" LEPTOS_SITE_ROOT="$ROOT/target/site"
unset FOLIO_DATABASE_URL FOLIO_SMTP_URL
cd "$ROOT"
"$(folio_bin)" demo >/dev/null
"$(folio_bin)" serve --addr "127.0.0.1:$PORT" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

HOST="demo.localhost"
COOKIE="$(bench_sign_in anna.schneider@example.com 'Demo-Kunde-2026!')"
[ -n "$COOKIE" ] || die "could not sign in the demo customer"
STAFF_COOKIE="$(bench_sign_in jana.sommer@sommer-partner.example 'Demo-Makler-2026!')"
[ -n "$STAFF_COOKIE" ] || die "could not sign in the demo office"
# A contract of the demo customer, and the demo customer's page in the office.
first_id() { curl -s --resolve "$HOST:$PORT:127.0.0.1" -H 'Accept: application/json' -H "Cookie: $1" \
    --data "$3" "http://$HOST:$PORT/api/$2" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])'; }
CONTRACT="$(first_id "$COOKIE" contracts/mine '')"
CUSTOMER="$(first_id "$STAFF_COOKIE" customers/list 'query=anna+schneider')"

audit() {
    local name="$1" path="$2" headers="$3" preset=()
    [ "${4:-}" = desktop ] && preset=(--preset=desktop)
    CHROME_PATH=/usr/bin/chromium "$LH_DIR/node_modules/.bin/lighthouse" "http://$HOST:$PORT$path" \
        "${preset[@]}" --quiet --output=json --output-path="$OUT/$name.json" \
        --only-categories=performance,accessibility,best-practices \
        --extra-headers="$headers" \
        --chrome-flags="--headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking --disable-component-update --disable-sync --no-first-run"
    node -e '
        const r = require(process.argv[1]);
        const s = (k) => Math.round(r.categories[k].score * 100);
        console.log(`| ${process.argv[2]} | ${s("performance")} | ${s("accessibility")} | ${s("best-practices")} |`);
    ' "$OUT/$name.json" "$path"
}

echo "| page (phone, Lighthouse $("$LH_DIR/node_modules/.bin/lighthouse" --version)) | performance | accessibility | best practices |"
echo "|---|---|---|---|"
audit login /login '{}'
audit overview /app "{\"Cookie\":\"$COOKIE\"}"
audit contract "/app/contracts/$CONTRACT" "{\"Cookie\":\"$COOKIE\"}"
audit new-message /app/messages/new/question "{\"Cookie\":\"$COOKIE\"}"
audit documents /app/documents "{\"Cookie\":\"$COOKIE\"}"
echo
echo "| page (desktop) | performance | accessibility | best practices |"
echo "|---|---|---|---|"
audit office-customers /office/customers "{\"Cookie\":\"$STAFF_COOKIE\"}" desktop
audit office-customer "/office/customers/$CUSTOMER" "{\"Cookie\":\"$STAFF_COOKIE\"}" desktop
audit office-inbox /office/messages "{\"Cookie\":\"$STAFF_COOKIE\"}" desktop
