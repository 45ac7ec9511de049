#!/usr/bin/env bash
# Flood test on loopback: GUESSES wrong passwords for the owner's account from ADDRESSES
# client addresses (documentation addresses, forwarded by a trusted proxy), PARALLEL at a
# time. Reports how many of them were checked at all, what the guessers heard, whether the
# owner still gets in (from home: the right password earns a mailed link, the link signs in),
# and another person's sign-in latency before and during the flood.
# Bounded: GUESSES requests, only ever against 127.0.0.1. Needs sqlite3 (Debian package)
# and a release build.
#
#   scripts/bench-flood.sh            # GUESSES=1000 ADDRESSES=20 PARALLEL=50
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GUESSES="${GUESSES:-1000}"
ADDRESSES="${ADDRESSES:-20}"
PARALLEL="${PARALLEL:-50}"
bench_prepare
export FOLIO_TRUSTED_PROXIES=127.0.0.1
bench_serve 2> "$DATA/server.log"

log "$GUESSES wrong passwords for the owner from $ADDRESSES addresses, $PARALLEL at a time"
python3 - "$PORT" "$GUESSES" "$ADDRESSES" "$PARALLEL" "$DATA" <<'PY'
import glob, http.client, re, sqlite3, statistics, sys, threading, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor

port, guesses, addresses, parallel, data = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
OWNER = ("jana.sommer@sommer-partner.example", "Demo-Makler-2026!")
OTHER = ("anna.schneider@example.com", "Demo-Kunde-2026!")

def post(path, form, address):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "localhost", "Accept": "application/json", "X-Forwarded-For": address,
               "Content-Type": "application/x-www-form-urlencoded"}
    started = time.perf_counter()
    conn.request("POST", path, urllib.parse.urlencode(form), headers)
    res = conn.getresponse()
    body = res.read().decode()
    took = time.perf_counter() - started
    cookie = res.getheader("Set-Cookie") or ""
    conn.close()
    return res.status, body, took, cookie

def sign_in(account, address):
    return post("/api/auth/login", {"email": account[0], "password": account[1]}, address)

def other_latencies(n, address):
    out = []
    for _ in range(n):
        status, _, took, cookie = sign_in(OTHER, address)
        assert status == 200 and "sid=" in cookie, status
        out.append(took * 1000)
    return out

before = other_latencies(20, "198.51.100.9")

during, stop = [], threading.Event()
def measure_during():
    while not stop.is_set():
        during.extend(other_latencies(1, "198.51.100.9"))
        time.sleep(0.05)
watcher = threading.Thread(target=measure_during)
watcher.start()

answers = {}
lock = threading.Lock()
def guess(i):
    status, _, _, _ = sign_in((OWNER[0], f"Geraten-{i}-falsch"), f"203.0.113.{i % addresses + 1}")
    with lock:
        answers[status] = answers.get(status, 0) + 1
started = time.perf_counter()
with ThreadPoolExecutor(parallel) as pool:
    list(pool.map(guess, range(guesses)))
flood_secs = time.perf_counter() - started
stop.set()
watcher.join()

db = sqlite3.connect(f"{data}/folio.db")
checked = db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in.failed'").fetchone()[0]
counted = db.execute("SELECT failures FROM sign_in_failures WHERE key = ?", (f"a:1:{OWNER[0]}",)).fetchone()[0]

# The owner at home: the right password earns a mail; its link signs in.
status, body, _, cookie = sign_in(OWNER, "2001:db8:5:6::1")
assert status == 401 and "ConfirmByMail" in body and "sid=" not in cookie, (status, body)
mails = sorted(glob.glob(f"{data}/outbox/*"), key=lambda p: __import__("os").path.getmtime(p))
token = re.search(r"/sign-in/([A-Za-z0-9_-]+)", open(mails[-1]).read()).group(1)
status, _, _, cookie = post("/api/auth/sign-in-link", {"token": token}, "2001:db8:5:6::1")
owner_in = status == 200 and "sid=" in cookie

def p(values, q):
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else values[0]
print(f"flood: {guesses} guesses in {flood_secs:.1f} s; answers {dict(sorted(answers.items()))}")
print(f"checked (password compared): {checked} of {guesses}; counted against the account: {counted}")
print(f"owner from home: right password -> mailed link -> {'signed in' if owner_in else 'NOT signed in'}")
print(f"another person's sign-in: before p50 {p(before, 50):.0f} ms p95 {p(before, 95):.0f} ms; "
      f"during ({len(during)} sign-ins) p50 {p(during, 50):.0f} ms p95 {p(during, 95):.0f} ms")
sys.exit(0 if owner_in else 1)
PY
