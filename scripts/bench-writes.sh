#!/usr/bin/env bash
# Load test on loopback: writes under load on SQLite. RATE messages per second, each from
# another of 200 customers (a reply in their own conversation, through the server function
# the app calls), sent at a steady rate for DURATION seconds, while wrk reads customers'
# overviews and the office's inbox with as many connections again. Reports the writes'
# latency from the moment each was due (so a stall counts in full), every answer that was
# not 200, and every "database is locked" in the server's log.
# Bounded: one run of DURATION seconds, only ever against 127.0.0.1. Needs wrk and sqlite3
# (Debian packages) and a release build.
#
#   scripts/bench-writes.sh            # RATE=50 DURATION=20 CONNECTIONS=8
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RATE="${RATE:-50}"
DURATION="${DURATION:-20}"
CONNECTIONS="${CONNECTIONS:-8}"
bench_prepare

log "Filling the database: 200 customers with an account, a session and a conversation each"
python3 - "$DATA" <<'PY' | sqlite3 "$DATA/folio.db"
import hashlib, sys
print("BEGIN;")
for i in range(1, 201):
    secret = f"bench-writer-{i:03d}"
    digest = hashlib.sha256(secret.encode()).hexdigest()
    print(f"""
INSERT INTO customers (broker_id, first_name, last_name, email, created_at, updated_at)
SELECT id, 'Schreiber{i}', 'Kunde{i}', 'schreiber{i}@example.com', 0, 0 FROM brokers WHERE slug = 'demo';
INSERT INTO users (broker_id, email, role, display_name, customer_id, created_at)
SELECT broker_id, email, 'customer', first_name || ' ' || last_name, id, 0 FROM customers WHERE email = 'schreiber{i}@example.com';
INSERT INTO sessions (id_hash, broker_id, user_id, created_at, last_seen_at)
SELECT '{digest}', broker_id, id, strftime('%s', 'now'), strftime('%s', 'now') FROM users WHERE email = 'schreiber{i}@example.com';
INSERT INTO conversations (broker_id, customer_id, topic, subject, status, created_at, updated_at)
SELECT broker_id, id, 'question', 'Lastprobe', 'open', 0, 0 FROM customers WHERE email = 'schreiber{i}@example.com';""")
print("COMMIT;")
PY

bench_serve 2> "$DATA/server.log"
CUSTOMER="$(bench_sign_in anna.schneider@example.com 'Demo-Kunde-2026!')"
STAFF="$(bench_sign_in jana.sommer@sommer-partner.example 'Demo-Makler-2026!')"
[ -n "$CUSTOMER" ] && [ -n "$STAFF" ] || die "could not sign in"
bench_post_lua "$DATA/inbox.lua" "filter%5Bstatus%5D=active"

log "Readers: wrk -t1 -c$CONNECTIONS /app (a customer) and -c$CONNECTIONS the office inbox, for ${DURATION}s"
wrk -t1 "-c$CONNECTIONS" "-d${DURATION}s" --latency -H 'Host: localhost' -H "Cookie: $CUSTOMER" \
    "http://127.0.0.1:$PORT/app" > "$DATA/read-app.txt" &
READ_APP=$!
wrk -t1 "-c$CONNECTIONS" "-d${DURATION}s" --latency -H 'Host: localhost' -H "Cookie: $STAFF" -s "$DATA/inbox.lua" \
    "http://127.0.0.1:$PORT/api/mailbox/inbox" > "$DATA/read-inbox.txt" &
READ_INBOX=$!

log "Writers: $RATE messages per second for ${DURATION}s, each from the next of 200 customers"
python3 - "$PORT" "$RATE" "$DURATION" "$DATA/folio.db" <<'PY'
import http.client, sqlite3, sys, threading, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor

port, rate, duration, db = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
ids = dict(sqlite3.connect(db).execute(
    "SELECT u.email, v.id FROM users u JOIN conversations v ON v.customer_id = u.customer_id "
    "WHERE u.email LIKE 'schreiber%'"))
local = threading.local()

def send(n, due):
    i = n % 200 + 1
    if not hasattr(local, "conn"):
        local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urllib.parse.urlencode({"id": ids[f"schreiber{i}@example.com"], "body": f"Nachricht {n} unter Last"})
    headers = {"Host": "localhost", "Cookie": f"sid=bench-writer-{i:03d}", "Accept": "application/json",
               "Content-Type": "application/x-www-form-urlencoded"}
    try:
        local.conn.request("POST", "/api/mailbox/reply", body, headers)
        res = local.conn.getresponse()
        res.read()
        status = res.status
    except Exception as e:  # a dropped connection counts as a failure, then reconnects
        local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        status = repr(e)
    return status, time.monotonic() - due

start = time.monotonic() + 0.1
results = []
with ThreadPoolExecutor(max_workers=64) as pool:
    futures = []
    for n in range(int(rate * duration)):
        due = start + n / rate
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        futures.append(pool.submit(send, n, due))
    results = [f.result() for f in futures]

latencies = sorted(l for _, l in results)
failed = [s for s, _ in results if s != 200]
pct = lambda p: latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000
print(f"  messages sent: {len(results)} in {duration:.0f} s ({len(results) / duration:.1f}/s)")
print(f"  latency from due time: p50 {pct(50):.1f} ms, p99 {pct(99):.1f} ms, max {latencies[-1] * 1000:.1f} ms")
print(f"  answers other than 200: {len(failed)} {sorted(set(map(str, failed)))[:5]}")
PY
wait "$READ_APP" "$READ_INBOX"
log "Readers while the writes ran"
echo "  /app (customer):"; grep -E 'Requests/sec|50%|99%|Non-2xx' "$DATA/read-app.txt"
echo "  office inbox:"; grep -E 'Requests/sec|50%|99%|Non-2xx' "$DATA/read-inbox.txt"
STORED="$(sqlite3 "$DATA/folio.db" "SELECT COUNT(*) FROM messages WHERE body LIKE '% unter Last'")"
echo "  messages stored: $STORED"
echo "  \"database is locked\" in the server's log: $(grep -c 'database is locked' "$DATA/server.log" || true)"
