#!/bin/sh
# Whole-process reverse geocoding, routemap against the Python package
# `reverse_geocoder` (pip install reverse_geocoder), on the same 100 000
# points: the sequence of `benches/gazetteer.rs` (`reverse/nearest_100k`),
# spread over latitudes -60..70 and every longitude.
#
#   routemap: `routemap geocode --batch --format jsonl` over `lat,lon`
#             lines: each is named after its nearest place (`near <place>`)
#             and printed as one JSON line;
#   Python:   `reverse_geocoder.search(points, mode=1)` (one process, the
#             package's fastest single-thread mode), the names printed.
#
# Each is run RUNS times (default 5); the medians of wall time and of user
# plus system time (from /usr/bin/time) are printed.
# Usage: benches/reverse_vs_python.sh [RUNS]   (after cargo build --release)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-5}
BIN="$ROOT/target/release/routemap"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
python3 - "$TMP/points.txt" <<'PY'
import sys
seed = 1
def nxt():
    global seed
    seed = (seed * 6364136223846793005 + 1442695040888963407) % 2**64
    return (seed >> 11) / float(1 << 53)
with open(sys.argv[1], "w") as f:
    for _ in range(100_000):
        lat = -60.0 + 130.0 * nxt()
        lon = -180.0 + 360.0 * nxt()
        f.write(f"{lat!r},{lon!r}\n")
PY
cat > "$TMP/rg.py" <<'PY'
import sys
import reverse_geocoder as rg
pts = [tuple(map(float, l.split(","))) for l in open(sys.argv[1])]
out = rg.search(pts, mode=1, verbose=False)
sys.stdout.write("".join(r["name"] + "\n" for r in out))
PY
run() {
    label=$1; shift
    : > "$TMP/times"
    i=0
    while [ $i -lt "$RUNS" ]; do
        /usr/bin/time -f "%e %U %S %M" -o "$TMP/t" "$@" > "$TMP/out" 2>/dev/null
        cat "$TMP/t" >> "$TMP/times"
        i=$((i + 1))
    done
    python3 - "$label" "$TMP/times" "$(wc -l < "$TMP/out")" <<'PY'
import sys, statistics as st
rows = [list(map(float, l.split())) for l in open(sys.argv[2])]
wall = st.median(r[0] for r in rows)
cpu = st.median(r[1] + r[2] for r in rows)
rss = max(r[3] for r in rows) / 1024
print(f"{sys.argv[1]:<10} wall {wall:.2f} s  user+sys {cpu:.2f} s  max RSS {rss:.0f} MB  ({sys.argv[3]} lines)")
PY
}
run routemap sh -c "\"$BIN\" geocode --batch --format jsonl < \"$TMP/points.txt\""
run python python3 "$TMP/rg.py" "$TMP/points.txt"
