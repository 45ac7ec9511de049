#!/usr/bin/env bash
# The photo sanitizer's speed on 12-megapixel phone-like JPEGs (3.5 MB, full phone metadata,
# made in code by `sanitizer::corpus`):
#   1. criterion, in memory: a plain copy of the bytes, `strip_metadata`, `sanitize` (with the
#      decode proof), four photos each;
#   2. file to file, one photo after the other, FILES photos: `sanitize_file` (what
#      `folio sanitize IN OUT` runs; it writes and syncs on a second thread while the decode
#      proof runs) against exiftool, once as one process for all files, once as a process per
#      file, and, to show where the time goes, the strip alone with a plain write.
# Bounded: criterion's sample counts are fixed (about 2 minutes), hyperfine makes RUNS runs of each.
# Needs exiftool and hyperfine (Debian packages, installed when missing).
#
#   scripts/bench-sanitizer.sh            # FILES=16 RUNS=3
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FILES="${FILES:-16}"
RUNS="${RUNS:-3}"
command -v exiftool >/dev/null && command -v hyperfine >/dev/null || apt_install libimage-exiftool-perl hyperfine
command -v cargo >/dev/null || setup_toolchain
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
# exiftool as the task asks for it: everything out, then orientation and colour profile back.
EXIFTOOL=(exiftool -q -all= -tagsfromfile @ -Orientation -ICC_Profile)

log "Building the example sanitize_dir (release)"
(cd "$ROOT" && cargo build --release --quiet -p sanitizer --features corpus --example sanitize_dir)
BIN="$CARGO_TARGET_DIR/release/examples/sanitize_dir"

log "criterion: cargo bench -p sanitizer --features corpus --bench strip (about 2 minutes)"
(cd "$ROOT" && CRITERION_HOME="$WORK/criterion" timeout 1200 \
    cargo bench --quiet -p sanitizer --features corpus --bench strip -- --noplot) \
    >"$WORK/criterion.txt" 2>"$WORK/criterion.err" || { cat "$WORK/criterion.err" >&2; die "the benchmark failed"; }
grep -E '^[a-z_]+/|time:|thrpt:' "$WORK/criterion.txt"

log "Corpus: $FILES photos"
"$BIN" gen "$WORK/in" "$FILES"

log "File to file, one photo after the other: ours against exiftool ($RUNS runs each)"
hyperfine --runs "$RUNS" --style basic --export-json "$WORK/hyperfine.json" \
    -n "ours, one process" --prepare "rm -rf '$WORK/ours'" "'$BIN' run '$WORK/in' '$WORK/ours'" \
    -n "exiftool, one process" --prepare "rm -rf '$WORK/exiftool'" \
    "${EXIFTOOL[*]} -o '$WORK/exiftool/' '$WORK/in/'" \
    -n "ours, a process per file" --prepare "rm -rf '$WORK/ours-each' && mkdir '$WORK/ours-each'" \
    "for f in '$WORK'/in/*; do '$BIN' one \"\$f\" '$WORK/ours-each/'\"\${f##*/}\" || exit 1; done" \
    -n "exiftool, a process per file" --prepare "rm -rf '$WORK/exiftool-each' && mkdir '$WORK/exiftool-each'" \
    "for f in '$WORK'/in/*; do ${EXIFTOOL[*]} -o '$WORK/exiftool-each/' \"\$f\" || exit 1; done" \
    -n "ours, strip only, no fsync" --prepare "rm -rf '$WORK/strip-only'" \
    "'$BIN' strip '$WORK/in' '$WORK/strip-only'"

for dir in ours ours-each exiftool exiftool-each strip-only; do
    count="$(find "$WORK/$dir" -name '*.jpg' | wc -l)"
    [ "$count" -eq "$FILES" ] || die "$dir holds $count of $FILES images"
done
# "GPS" turns up by chance in 50 MB of compressed pixels, so it is looked for in the headers (up
# to the first scan); the longer planted strings anywhere. And exiftool must find no GPS tag.
python3 - "$WORK"/ours/* "$WORK"/ours-each/* <<'PY' || die "metadata survived in our output"
import sys
bad = []
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    headers = data[: data.find(b"\xff\xda")]
    if b"GPS" in headers or any(s in data for s in (b"GPS-FUSED", b"PhoneMaker", b"SN-4711", b"XMP-SECRET")):
        bad.append(path)
if bad:
    print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
[ -z "$(exiftool -q -q -m -GPS:all -s3 "$WORK/ours" "$WORK/ours-each")" ] || die "exiftool reads GPS tags in our output"

log "Summary"
python3 - "$WORK" "$FILES" <<'PY'
import json, pathlib, sys

work, files = pathlib.Path(sys.argv[1]), int(sys.argv[2])

def criterion(group):
    """Mean MB/s (10^6 bytes) and ms per photo over the group's photos."""
    speeds, times, sizes = [], [], []
    for bench in sorted((work / "criterion" / group).glob("*/new")):
        seconds = json.loads((bench / "estimates.json").read_text())["mean"]["point_estimate"] / 1e9
        size = json.loads((bench / "benchmark.json").read_text())["throughput"]["Bytes"]
        speeds.append(size / seconds / 1e6)
        times.append(seconds * 1e3)
        sizes.append(size / 1e6)
    mean = lambda values: sum(values) / len(values)
    return mean(speeds), mean(times), mean(sizes), len(sizes)

memcpy, strip, full = criterion("memcpy"), criterion("strip_metadata"), criterion("sanitize")
print(f"In memory (criterion, mean over {memcpy[3]} photos of {memcpy[2]:.1f} MB):")
print(f"  {'memcpy (to_vec)':<28}{memcpy[0]:>10.0f} MB/s {memcpy[1]:>9.2f} ms/photo")
print(f"  {'strip_metadata':<28}{strip[0]:>10.0f} MB/s {strip[1]:>9.2f} ms/photo"
      f"   {strip[0] / memcpy[0]:.2f}x memcpy (goal >= 0.5x)")
print(f"  {'sanitize (with decode)':<28}{full[0]:>10.1f} MB/s {full[1]:>9.2f} ms/photo"
      f"   decode proof {100 * (full[1] - strip[1]) / full[1]:.1f}% of it")

results = {r["command"]: r["mean"] for r in json.loads((work / "hyperfine.json").read_text())["results"]}
print(f"\nFile to file ({files} photos, one after the other, mean of the runs):")
for mode in ("one process", "a process per file"):
    ours, theirs = files / results[f"ours, {mode}"], files / results[f"exiftool, {mode}"]
    print(f"  {mode + ':':<22} ours {ours:6.2f} images/s, exiftool {theirs:6.2f} images/s,"
          f" ours/exiftool {ours / theirs:.2f}x (goal >= 4x)")
strip_only = files / results["ours, strip only, no fsync"]
print(f"  {'diagnostic:':<22} strip_metadata + plain write, one process: {strip_only:.1f} images/s,"
      f" {strip_only / (files / results['exiftool, one process']):.1f}x exiftool's batch")
PY
