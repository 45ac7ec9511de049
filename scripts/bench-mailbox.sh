#!/usr/bin/env bash
# Load test on loopback: the mailbox with 20,000 conversations (40,000 messages) of 2,000
# customers in the SQLite database: the office's inbox (the default "open" filter, first
# page of 100), the unread count every page asks for, the customer's list, and a broker system's
# pull. Bounded: one run of DURATION seconds per request, only ever against 127.0.0.1.
# Needs wrk and sqlite3 (Debian packages) and a release build.
#
#   scripts/bench-mailbox.sh            # DURATION=10 CONNECTIONS=16
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
bench_prepare
KEY="$("$BIN" apikey create --broker demo | tail -1)"
log "Filling the database: 2,000 customers, 20,000 conversations, 40,000 messages"
sqlite3 "$DATA/folio.db" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
INSERT INTO customers (broker_id, first_name, last_name, email, created_at, updated_at)
SELECT b.id, 'Vorname' || i, 'Nachname' || i, 'kunde' || i || '@example.com', 0, 0 FROM n, brokers b WHERE b.slug = 'demo';
-- 10 conversations per customer (50 for the demo customer), a third each new, open, done.
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO conversations (broker_id, customer_id, topic, status, created_at, updated_at,
                           last_customer_message, last_office_message, customer_read, office_read)
SELECT c.broker_id,
       CASE WHEN i <= 50 THEN (SELECT id FROM customers WHERE email = 'anna.schneider@example.com')
            ELSE (SELECT MIN(id) FROM customers) + (i % 2000) END,
       CASE i % 3 WHEN 0 THEN 'question' WHEN 1 THEN 'claim' ELSE 'address' END,
       CASE i % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'open' ELSE 'done' END,
       1764000000 + i * 60, 1764000000 + i * 60, 2 * i - 1, 2 * i, 2 * i, 2 * i - 1
FROM n, (SELECT broker_id FROM customers LIMIT 1) c;
-- (message ids above the demo's own conversations' messages)
INSERT INTO messages (id, broker_id, conversation_id, sender, body, created_at)
SELECT 100000 + 2 * id - 1, broker_id, id, 'customer', 'Eine Frage zu meinem Vertrag, Nummer ' || id, updated_at
FROM conversations WHERE created_at <= 1765200000;
INSERT INTO messages (id, broker_id, conversation_id, sender, body, created_at)
SELECT 100000 + 2 * id, broker_id, id, 'office', 'Unsere Antwort auf Ihre Frage ' || id, updated_at
FROM conversations WHERE created_at <= 1765200000;
SELECT 'conversations: ' || COUNT(*) FROM conversations;
SELECT 'messages: ' || COUNT(*) FROM messages;
SQL

bench_serve
CUSTOMER="$(bench_sign_in anna.schneider@example.com 'Demo-Kunde-2026!')"
STAFF="$(bench_sign_in jana.sommer@sommer-partner.example 'Demo-Makler-2026!')"
[ -n "$CUSTOMER" ] && [ -n "$STAFF" ] || die "could not sign in"
bench_post_lua "$DATA/inbox.lua" "filter%5Bstatus%5D=active"
bench_post_lua "$DATA/post.lua"
bench() {
    local what="$1" cookie="$2" path="$3"; shift 3
    log "wrk -t2 -c$CONNECTIONS -d${DURATION}s $what"
    wrk -t2 "-c$CONNECTIONS" "-d${DURATION}s" --latency -H 'Host: localhost' -H "Cookie: $cookie" "$@" \
        "http://127.0.0.1:$PORT$path" | grep -E 'Requests/sec|50%|99%|Non-2xx|requests in'
}
bench "office inbox (open, first page of 100 of 13,334)" "$STAFF" /api/mailbox/inbox -s "$DATA/inbox.lua"
bench "office unread count" "$STAFF" /api/mailbox/unread -s "$DATA/post.lua"
bench "customer's list (50 conversations)" "$CUSTOMER" /api/mailbox/mine -s "$DATA/post.lua"
bench "customer's unread count" "$CUSTOMER" /api/mailbox/unread -s "$DATA/post.lua"
SINCE=$((1764000000 + 19900 * 60))
log "wrk -t2 -c$CONNECTIONS -d${DURATION}s broker system pull (GET /api/v1/messages, last 100 conversations)"
wrk -t2 "-c$CONNECTIONS" "-d${DURATION}s" --latency -H "Authorization: Bearer $KEY" \
    "http://127.0.0.1:$PORT/api/v1/messages?since=$SINCE" | grep -E 'Requests/sec|50%|99%|Non-2xx|requests in'
