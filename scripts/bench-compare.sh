#!/usr/bin/env bash
# Compares two release builds on the customer's overview (server-rendered page and its data),
# the way bench-overview.sh fills the database: the builds take turns, ROUNDS times, each
# serving its own fresh data folder on loopback for RUNS runs of DURATION seconds per request.
#
#   scripts/bench-compare.sh OLD/folio NEW/folio     # ROUNDS=2 RUNS=3 DURATION=8
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[ $# -eq 2 ] || die "usage: scripts/bench-compare.sh OLD_BINARY NEW_BINARY"
ROUNDS="${ROUNDS:-2}" RUNS="${RUNS:-3}" DURATION="${DURATION:-8}"

one_build() {
    FOLIO_BIN="$1" bench_prepare
    bench_fill_overview
    bench_serve
    local cookie post
    cookie="$(bench_sign_in anna.schneider@example.com 'Demo-Kunde-2026!')"
    post="$DATA/post.lua"
    bench_post_lua "$post"
    for _ in $(seq "$RUNS"); do
        printf '%s /app ' "$2"
        wrk -t2 -c16 "-d${DURATION}s" -H 'Host: localhost' -H "Cookie: $cookie" "http://127.0.0.1:$PORT/app" \
            | sed -n 's/^Requests\/sec: *//p'
        printf '%s /api/contracts/mine ' "$2"
        wrk -t2 -c16 "-d${DURATION}s" -H 'Host: localhost' -H "Cookie: $cookie" -s "$post" \
            "http://127.0.0.1:$PORT/api/contracts/mine" | sed -n 's/^Requests\/sec: *//p'
    done
    kill "$PID"
    wait "$PID" 2>/dev/null || true
    PID=""
    rm -rf "$DATA"
}

results="$(mktemp)"
for _ in $(seq "$ROUNDS"); do
    (one_build "$1" old) | tee -a "$results"
    (one_build "$2" new) | tee -a "$results"
done
log "Means (requests/s)"
awk '{ sum[$1" "$2] += $3; n[$1" "$2]++ } END { for (k in sum) printf "%-28s %8.1f\n", k, sum[k] / n[k] }' "$results" | sort
rm -f "$results"
