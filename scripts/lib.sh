# Sourced by run.sh and test.sh. Finds or installs the Rust toolchain that can build the
# wasm front end, the build tools (cargo-leptos, wasm-bindgen-cli at the version in
# Cargo.lock, Tailwind, wasm-opt), and exports what cargo-leptos needs. Every step only
# installs what is missing, so running it again is cheap.
#
# Two cases (see ../shared/TOOLCHAIN.md):
# - rustup with the wasm32 target (a normal machine): project `folio-rustup`;
# - no downloadable target: Debian's rustc-web compiles the wasm std from source
#   (`-Zbuild-std`, RUSTC_BOOTSTRAP=1): project `folio`.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_LEPTOS_VERSION="0.3.11"

log() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31merror: %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

APT_UPDATED=""
apt_install() {
    local missing=() p
    for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "Installing Debian packages: ${missing[*]}"
    if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

debian_rust_available() {
    command -v apt-get >/dev/null || return 1
    dpkg -s rustc-web >/dev/null 2>&1 && return 0
    apt-cache show rustc-web >/dev/null 2>&1 && return 0
    [ -z "$APT_UPDATED" ] && as_root apt-get update -qq && APT_UPDATED=1
    apt-cache show rustc-web >/dev/null 2>&1
}

setup_toolchain() {
    export PATH="$HOME/.cargo/bin:$PATH"
    # webauthn-rs (passkeys) verifies signatures with OpenSSL.
    if command -v apt-get >/dev/null; then apt_install pkg-config libssl-dev; fi
    if command -v rustup >/dev/null && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
        export LEPTOS_PROJECT="folio-rustup"
    elif debian_rust_available; then
        apt_install rustc-web cargo-web rust-web-src lld-22 rust-web-clippy rustfmt-web
        export PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1
        export LEPTOS_PROJECT="folio"
    elif command -v rustup >/dev/null; then
        log "Adding rustup's wasm32 target"
        rustup target add wasm32-unknown-unknown
        export LEPTOS_PROJECT="folio-rustup"
    else
        die "no Rust toolchain: install rustup (https://rustup.rs) or use Debian 12 with its security archive"
    fi
    export PATH="$ROOT/node_modules/.bin:$PATH"
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
    log "Toolchain: $(rustc --version) (project $LEPTOS_PROJECT)"
}

# Tools are built with cheap profiles: they only orchestrate, their own speed hardly matters.
cargo_install_cheap() {
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=256 CARGO_PROFILE_RELEASE_OPT_LEVEL=1 \
        CARGO_TARGET_DIR="$HOME/.cache/folio/tool-build" cargo install "$@"
}

setup_tools() {
    if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
        log "Building cargo-leptos $CARGO_LEPTOS_VERSION (once; about 20 minutes on 2 cores)"
        cargo_install_cheap --locked cargo-leptos --version "$CARGO_LEPTOS_VERSION"
    fi
    local wbv
    wbv="$(grep -A1 '^name = "wasm-bindgen"$' "$ROOT/Cargo.lock" | sed -n 's/^version = "\(.*\)"$/\1/p')"
    [ -n "$wbv" ] || die "wasm-bindgen not found in Cargo.lock"
    if ! wasm-bindgen --version 2>/dev/null | grep -q " $wbv\$"; then
        log "Building wasm-bindgen-cli $wbv (once; about 10 minutes)"
        # Without --locked: its lockfile wants a webpki-roots version some mirrors lack.
        cargo_install_cheap wasm-bindgen-cli --version "$wbv"
    fi
    if ! command -v npm >/dev/null; then
        apt_install nodejs npm
    fi
    if [ ! -x "$ROOT/node_modules/.bin/tailwindcss" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
        log "Installing Tailwind and binaryen (npm)"
        # `npm ci` rejects this lock file (npm 11 wants optional packages for other platforms
        # listed); `npm install` installs exactly what the lock file pins.
        (cd "$ROOT" && npm install --no-audit --no-fund --loglevel=error)
    fi
}

# Two bundles: the office's (every page, in pkg/office/) and the customer's (pkg/, without
# the office's pages), so a phone never downloads the office's code. The server hands out
# the office's on /office/… (app::brand::http::bundle_for). cargo-leptos empties the site
# folder on every build, so the office's is built into a folder of its own and copied in.
build_site() {
    log "Building the office's bundle (release)"
    (cd "$ROOT" && LEPTOS_SITE_ROOT=target/office-site LEPTOS_SITE_PKG_DIR=pkg/office \
        cargo leptos build --release --precompress --project "$LEPTOS_PROJECT" --frontend-only --lib-features office)
    log "Building Folio and the customer's bundle (release)"
    (cd "$ROOT" && cargo leptos build --release --precompress --project "$LEPTOS_PROJECT")
    rm -rf "$ROOT/target/site/pkg/office"
    cp -R "$ROOT/target/office-site/pkg/office" "$ROOT/target/site/pkg/office"
}

folio_bin() {
    echo "$CARGO_TARGET_DIR/release/folio"
}

# For the load scripts (bench-*.sh): wrk and sqlite3, the release build, a fresh data folder
# with the demo broker in $DATA (removed on exit with the server in $PID), a free loopback
# port in $PORT.
bench_prepare() {
    command -v wrk >/dev/null && command -v sqlite3 >/dev/null || apt_install wrk sqlite3
    BIN="${FOLIO_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/folio}"
    [ -x "$BIN" ] || die "no release build at $BIN: run scripts/run.sh or the test command first"
    SITE_ROOT="${FOLIO_SITE_ROOT:-$ROOT/target/site}"
    DATA="$(mktemp -d)"
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    trap '[ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; rm -rf "$DATA"' EXIT
    export FOLIO_DATA_DIR="$DATA" RUST_LOG=warn
    "$BIN" demo >/dev/null
}

# Starts the prepared server and waits until it answers.
bench_serve() {
    LEPTOS_SITE_ROOT="$SITE_ROOT" "$BIN" serve --addr "127.0.0.1:$PORT" --session-idle-secs 3600 &
    PID=$!
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
}

# The overview's data set in $DATA: 100,000 more customers, and the demo customer's
# contracts doubled (30).
bench_fill_overview() {
    sqlite3 "$DATA/folio.db" <<'SQL'
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO customers (broker_id, first_name, last_name, email, created_at, updated_at)
SELECT b.id, 'Vorname' || i, 'Nachname' || (i % 5000), 'kunde' || i || '@example.com', 0, 0
FROM n, brokers b WHERE b.slug = 'demo';
INSERT INTO contracts (broker_id, customer_id, line_id, product_id, insurer, policy_number, status, premium_cents,
                       currency, payment_interval, start_date, end_date, insured, description, created_at, updated_at)
SELECT broker_id, customer_id, line_id, product_id, insurer, policy_number || '-2', status, premium_cents,
       currency, payment_interval, start_date, end_date, insured, description, created_at, updated_at
FROM contracts WHERE customer_id = (SELECT id FROM customers WHERE email = 'anna.schneider@example.com');
SQL
}

# A wrk script in FILE that POSTs the form BODY (may be empty) and asks for JSON, as the
# app's server functions are called: bench_post_lua FILE [BODY].
bench_post_lua() {
    echo "wrk.method = \"POST\"; wrk.body = \"${2:-}\"; wrk.headers[\"Content-Type\"] = \"application/x-www-form-urlencoded\"; wrk.headers[\"Accept\"] = \"application/json\"" > "$1"
}

# The session cookie (`sid=…`) of a demo person: bench_sign_in EMAIL PASSWORD.
bench_sign_in() {
    curl -fs -o /dev/null -D - -H 'Host: localhost' -H 'Accept: application/json' \
        --data-urlencode "email=$1" --data-urlencode "password=$2" \
        "http://127.0.0.1:$PORT/api/auth/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(sid=[^;]*\).*/\1/p'
}
