#!/usr/bin/env python3
"""Run `routemap extract` over the documents of a toponym benchmark and
write predictions in the format of `score.py parse`.

    python3 ../shared/benchmarks/toponyms/score.py docs --corpus LGL > /tmp/lgl_docs.jsonl
    python3 tools/extract_bench.py /tmp/lgl_docs.jsonl > /tmp/lgl_preds.jsonl
    python3 ../shared/benchmarks/toponyms/score.py parse /tmp/lgl_preds.jsonl --corpus LGL

The documents are written one file each to a temporary directory and read by
one `routemap extract` process; its wall-clock time and the bytes of text
read are printed on stderr. Nothing of the corpora is kept.
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("docs", help="JSON Lines from score.py docs")
    ap.add_argument("--routemap", default="target/release/routemap")
    ap.add_argument("--extra", default="", help="more options for routemap extract, e.g. --adjectives")
    a = ap.parse_args()
    docs = [json.loads(l) for l in open(a.docs, encoding="utf-8")]
    with tempfile.TemporaryDirectory() as d:
        names = {}
        size = 0
        for k, doc in enumerate(docs):
            path = os.path.join(d, f"{k}.txt")
            data = doc["text"].encode("utf-8")
            size += len(data)
            with open(path, "wb") as f:
                f.write(data)
            names[path] = doc
        # A text of white space only is an error for routemap: skip it.
        paths = [p for p, doc in names.items() if doc["text"].strip()]
        cmd = [*shlex.split(a.routemap), "extract", "--format", "jsonl", *shlex.split(a.extra), *paths]
        t0 = time.perf_counter()
        run = subprocess.run(cmd, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"routemap extract failed: {run.stderr.strip()}")
        out = run.stdout
        dt = time.perf_counter() - t0
    found = {p: [] for p in names}
    for line in out.splitlines():
        m = json.loads(line)
        if "rejected" in m:
            continue
        found[m["file"]].append(
            {"start": m["start"], "end": m["end"], "text": m["text"], "lat": m["lat"], "lon": m["lon"]}
        )
    for path, doc in names.items():
        print(json.dumps({"corpus": doc["corpus"], "doc": doc["doc"], "toponyms": found[path]}))
    print(f"{len(docs)} documents, {size} bytes of text, {dt:.3f} s wall: {size / dt / 1e6:.2f} MB/s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
