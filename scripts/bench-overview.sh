#!/usr/bin/env bash
# Load test on loopback: the signed-in customer's overview (server-rendered page, and the
# server function the page calls) with 30 contracts and 100,000 customers in the SQLite
# database, beside /healthz in the same run. Bounded: 3 runs of DURATION seconds each,
# only ever against 127.0.0.1. Needs wrk and sqlite3 (Debian packages) and a release build.
#
#   scripts/bench-overview.sh            # DURATION=10 CONNECTIONS=16
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
bench_prepare
log "Filling the database: 100,000 customers, 30 contracts for the demo customer"
bench_fill_overview
sqlite3 "$DATA/folio.db" <<'SQL'
SELECT 'customers: ' || COUNT(*) FROM customers;
SELECT 'contracts of the demo customer: ' || COUNT(*) FROM contracts
WHERE customer_id = (SELECT id FROM customers WHERE email = 'anna.schneider@example.com');
SQL

bench_serve
COOKIE="$(bench_sign_in anna.schneider@example.com 'Demo-Kunde-2026!')"
[ -n "$COOKIE" ] || die "could not sign in"
curl -fs -H 'Host: localhost' -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/app" | grep -q '5.118,00 €' \
    || log "(the overview shows other totals than the demo's: fine, the household was doubled)"

# Someone who sees a company's folder on a grant (the demo's bookkeeper), where the demo has one.
GRANT_COOKIE="$(bench_sign_in sabine.koch@example.com 'Demo-Buchhaltung-2026!' || true)"

STAFF_COOKIE="$(bench_sign_in jana.sommer@sommer-partner.example 'Demo-Makler-2026!')"
[ -n "$STAFF_COOKIE" ] || die "could not sign in the office"
SEARCH_LUA="$DATA/search.lua"
bench_post_lua "$SEARCH_LUA" "query=nachname4711&page=0"

POST_LUA="$DATA/post.lua"
bench_post_lua "$POST_LUA"
for target in "/healthz" "/app" "/api/contracts/mine"; do
    log "wrk -t2 -c$CONNECTIONS -d${DURATION}s $target"
    args=(-t2 "-c$CONNECTIONS" "-d${DURATION}s" --latency -H 'Host: localhost' -H "Cookie: $COOKIE")
    [ "$target" = "/api/contracts/mine" ] && args+=(-s "$POST_LUA")
    wrk "${args[@]}" "http://127.0.0.1:$PORT$target" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|requests in'
done
if [ -n "$GRANT_COOKIE" ]; then
    log "wrk -t2 -c$CONNECTIONS -d${DURATION}s /app as someone with a grant (a listed set of a company's contracts)"
    wrk -t2 "-c$CONNECTIONS" "-d${DURATION}s" --latency -H 'Host: localhost' -H "Cookie: $GRANT_COOKIE" \
        "http://127.0.0.1:$PORT/app" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|requests in'
fi
log "wrk -t2 -c$CONNECTIONS -d${DURATION}s /api/customers/list (the office searching 100,000 customers)"
wrk -t2 "-c$CONNECTIONS" "-d${DURATION}s" --latency -H 'Host: localhost' -H "Cookie: $STAFF_COOKIE" -s "$SEARCH_LUA" \
    "http://127.0.0.1:$PORT/api/customers/list" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|requests in'
