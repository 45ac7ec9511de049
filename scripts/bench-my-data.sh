#!/usr/bin/env bash
# "Meine Daten" on loopback: the demo customer's folder grown to 15 contracts and 30 documents
# (PDFs of 200 KB, through the REST API as a broker system sends them), then RUNS copies
# downloaded one after the other through the REST API. Reports each copy's time to the last
# byte and its size, and the server's peak memory (VmHWM), which shows the ZIP streams.
# Bounded: RUNS requests, only ever against 127.0.0.1. Needs a release build.
#
#   scripts/bench-my-data.sh            # RUNS=20
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUNS="${RUNS:-20}"
bench_prepare
KEY="$("$BIN" apikey create --broker demo | tail -n 1 | tr -d '[:space:]')"
bench_serve 2> "$DATA/server.log"
API="http://127.0.0.1:$PORT/api/v1"

log "Filling Anna's folder to 15 contracts and 30 documents of 200 KB"
have="$(sqlite3 "$DATA/folio.db" "SELECT COUNT(*) FROM contracts c JOIN customers u ON u.id = c.customer_id WHERE u.external_id = 'demo-anna'")"
for i in $(seq $((have + 1)) 15); do
    curl -fs -o /dev/null -X PUT "$API/contracts/BENCH-$i" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
        -d "{\"customer_external_id\":\"demo-anna\",\"line\":\"hausrat\",\"insurer\":\"Hanse Allgemeine\",\"policy_number\":\"B-$i\",\"status\":\"active\",\"premium_cents\":1000,\"currency\":\"EUR\",\"interval\":\"monthly\"}"
done
python3 - "$DATA/doc.pdf" <<'PY'
import os, sys
with open(sys.argv[1], "wb") as f:
    f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% " + os.urandom(200_000).hex()[:200_000].encode() + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n")
PY
have="$(sqlite3 "$DATA/folio.db" "SELECT COUNT(*) FROM documents d JOIN customers u ON u.id = d.customer_id WHERE u.external_id = 'demo-anna' AND d.held = 0")"
for i in $(seq $((have + 1)) 30); do
    curl -fs -o /dev/null -X POST "$API/customers/demo-anna/documents" -H "Authorization: Bearer $KEY" \
        -F "title=Beleg $i" -F kind=other -F "file=@$DATA/doc.pdf;type=application/pdf"
done
sqlite3 "$DATA/folio.db" "SELECT 'contracts: ' || COUNT(*) FROM contracts c JOIN customers u ON u.id = c.customer_id WHERE u.external_id = 'demo-anna';
  SELECT 'documents: ' || COUNT(*) FROM documents d JOIN customers u ON u.id = d.customer_id WHERE u.external_id = 'demo-anna' AND d.held = 0;"

log "$RUNS copies, one after the other"
for _ in $(seq "$RUNS"); do
    curl -fs -o "$DATA/copy.zip" -w '%{time_total} %{size_download}\n' -H "Authorization: Bearer $KEY" "$API/customers/demo-anna/export"
done | python3 -c '
import sys
rows = [line.split() for line in sys.stdin if line.strip()]
times = sorted(float(t) * 1000 for t, _ in rows)
size = int(rows[-1][1])
print(f"copies: {len(times)}, size {size / 1e6:.1f} MB, median {times[len(times) // 2]:.0f} ms, slowest {times[-1]:.0f} ms")'
python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print("files in the ZIP:", len(z.namelist()), "· test:", z.testzip() or "whole")' "$DATA/copy.zip"
grep VmHWM "/proc/$PID/status"
