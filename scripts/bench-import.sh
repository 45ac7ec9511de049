#!/usr/bin/env bash
# The import of a generated GDV portfolio into SQLite (release build, loopback): 25,000
# customers with 4 contracts each (100,000 contracts), first into an empty broker, then the
# same file again (nothing changes). While the first import runs, wrk reads the demo
# customer's overview, to show the import does not stall other people's requests. Bounded:
# one import of each kind and one wrk run of DURATION seconds, only ever against 127.0.0.1.
# Needs wrk (Debian package) and a release build.
#
#   scripts/bench-import.sh            # CUSTOMERS=25000 PER=4 DURATION=8
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CUSTOMERS="${CUSTOMERS:-25000}"
PER="${PER:-4}"
DURATION="${DURATION:-8}"
bench_prepare
FILE="$DATA/bestand.gdv"
(cd "$ROOT" && cargo run --release --quiet -p gdv --features corpus --example portfolio -- "$FILE" "$CUSTOMERS" "$PER")
log "The reader alone: cargo bench -p gdv --features corpus --bench read (see README)"

log "Dry run (read and plan, nothing written)"
/usr/bin/time -f '  %e s, %M KB peak memory' "$BIN" import gdv "$FILE" --broker demo --dry-run | head -8

bench_serve
COOKIE="$(bench_sign_in anna.schneider@example.com 'Demo-Kunde-2026!')"
[ -n "$COOKIE" ] || die "could not sign in"
log "Import into an empty portfolio while wrk -c4 reads the demo customer's overview"
wrk -t1 -c4 "-d${DURATION}s" --latency -H 'Host: localhost' -H "Cookie: $COOKIE" \
    "http://127.0.0.1:$PORT/app" > "$DATA/wrk.txt" &
WRK=$!
sleep 1
/usr/bin/time -f '  %e s, %M KB peak memory' "$BIN" import gdv "$FILE" --broker demo | head -9
wait "$WRK"
grep -E 'Requests/sec|50%|99%|Non-2xx|requests in' "$DATA/wrk.txt"
log "The same file again (everything unchanged)"
/usr/bin/time -f '  %e s, %M KB peak memory' "$BIN" import gdv "$FILE" --broker demo | head -9
