#!/usr/bin/env python3
"""Builds gazetteer/rail/russia-osm.rmtrack, the built-in network's real track.

Input: the Russian railway lines traced over OpenStreetMap in
../shared/fixtures/rail/russia-osm/ (trolleway/russian-railways-simplegeodata,
ODbL 1.0, "(c) OpenStreetMap contributors"; read that README), and the
corridor files of gazetteer/rail/ that stay as track where no real track is
known (North Korea, the cosmodrome branch).

What it does, in order (see gazetteer/rail/README.md):
1. reads every line file, skipping byte-identical duplicates (MANIFEST
   `identical_to`);
2. drops vertices that are not OpenStreetMap node positions (off the 1e-6
   degree grid BRouter writes: the hand-drawn ends of Kurgan-South and two
   others), and the spikes the tracer left: a vertex where the path turns back
   by more than 150 degrees is removed, repeatedly;
3. joins every line end lying within JOIN_M of another line to that line: the
   end's last vertices within TRIM_M of the join are dropped, the join point
   (the nearest point of the other line, on the 1e-6 grid) is inserted into the
   other line and appended to this one, so that both share the vertex;
4. removes the zigzags of a trace jumping between parallel tracks (a vertex
   where the path turns by more than KINK_DEG), then simplifies each line
   (Douglas-Peucker, SIMPLIFY_M) keeping every vertex that two lines share
   (junctions, shared stretches);
5. links each end of a kept corridor that meets no other corridor to the
   nearest real track within LINK_M (approximate track, flagged as such);
6. writes the lines as zigzag varint deltas of 1e-6 degree integers, with the
   33 stations of rzd/stations.gpkg, zlib-compressed.

Usage: python3 tools/build_rail.py [FIXTURE_DIR] [OUT]
"""

import gzip
import math
import os
import sqlite3
import struct
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FIXTURE = os.path.join(ROOT, "..", "shared", "fixtures", "rail", "russia-osm")
OUT = os.path.join(ROOT, "gazetteer", "rail", "russia-osm.rmtrack")
# Corridor files kept as (approximate) track: no real track is known there.
TRACK_CORRIDORS = ["pyongra.tsv", "rajin-tumangang.tsv", "vostochny.tsv"]

SPIKE_DEG = 150.0
KINK_DEG = 40.0
JOIN_M = 120.0
TRIM_M = 150.0
SIMPLIFY_M = 8.0
LINK_M = 5000.0
CLASSES = {"mainlines": 0, "secondary": 1, "tertiary": 2}
LINK_CLASS = 3
CORRIDOR_CLASS = 4
MAGIC = b"RMTRACK1"

R = 6371008.8


def local_xy(lat0):
    """Metres per degree of longitude and latitude around lat0 (spherical)."""
    k = math.pi / 180.0 * R
    return k * math.cos(math.radians(lat0)), k


def dist_m(a, b):
    kx, ky = local_xy((a[1] + b[1]) / 2e6)
    return math.hypot((a[0] - b[0]) / 1e6 * kx, (a[1] - b[1]) / 1e6 * ky)


def turn_deg(a, b, c):
    """Change of direction at b going a -> b -> c, degrees 0..180."""
    kx, ky = local_xy(b[1] / 1e6)
    v1 = ((b[0] - a[0]) * kx, (b[1] - a[1]) * ky)
    v2 = ((c[0] - b[0]) * kx, (c[1] - b[1]) * ky)
    n1, n2 = math.hypot(*v1), math.hypot(*v2)
    if n1 == 0 or n2 == 0:
        return 0.0
    cosang = max(-1.0, min(1.0, (v1[0] * v2[0] + v1[1] * v2[1]) / (n1 * n2)))
    return math.degrees(math.acos(cosang))


def read_lines(fixture):
    manifest = os.path.join(fixture, "MANIFEST.tsv")
    lines = []
    dropped_off_grid = 0
    with open(manifest, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, r.rstrip("\n").split("\t"))) for r in f if r.strip()]
    for row in rows:
        if row["identical_to"]:
            continue
        with gzip.open(os.path.join(fixture, row["file"]), "rt", encoding="utf-8") as g:
            fc = __import__("json").load(g)
        geom = fc["features"][0]["geometry"]
        parts = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        for part in parts:
            pts = []
            for c in part:
                lon, lat = float(c[0]), float(c[1])
                if not (math.isfinite(lon) and math.isfinite(lat)):
                    continue
                x, y = round(lon * 1e6), round(lat * 1e6)
                # BRouter writes OSM node positions on the 1e-6 degree grid.
                if abs(lon * 1e6 - x) > 1e-3 or abs(lat * 1e6 - y) > 1e-3:
                    dropped_off_grid += 1
                    continue
                if pts and pts[-1] == (x, y):
                    continue
                pts.append((x, y))
            pts = despike(pts)
            if len(pts) >= 2:
                lines.append({"name": row["line_name"].strip() or os.path.basename(row["file"]),
                              "cls": CLASSES[row["class"]], "pts": pts})
    return lines, dropped_off_grid


def unkink(pts, keep):
    """Removes vertices (not in keep) where the path turns by more than KINK_DEG:
    the zigzags a trace makes where it jumps to a parallel track. No railway
    curve turns that sharply at one vertex; left in, they would make a whole
    line unusable to a router that forbids sharp turns."""
    changed = True
    while changed and len(pts) >= 3:
        changed = False
        out = [pts[0]]
        for i in range(1, len(pts) - 1):
            if pts[i] not in keep and turn_deg(out[-1], pts[i], pts[i + 1]) > KINK_DEG:
                changed = True
                continue
            out.append(pts[i])
        out.append(pts[-1])
        pts = out
    return pts


def despike(pts):
    changed = True
    while changed and len(pts) >= 3:
        changed = False
        out = [pts[0]]
        i = 1
        while i < len(pts) - 1:
            if turn_deg(out[-1], pts[i], pts[i + 1]) > SPIKE_DEG:
                changed = True
                i += 1
                continue
            out.append(pts[i])
            i += 1
        out.append(pts[-1])
        # Remove consecutive duplicates left by dropping a spike's tip.
        pts = [p for k, p in enumerate(out) if k == 0 or p != out[k - 1]]
    return pts


class Grid:
    """Pieces of every line in cells of about 0.01 degree."""

    CELL = 10000  # 1e-6 degree units

    def __init__(self, lines):
        self.cells = {}
        for li, line in enumerate(lines):
            pts = line["pts"]
            for k in range(len(pts) - 1):
                a, b = pts[k], pts[k + 1]
                for cx in range(min(a[0], b[0]) // self.CELL, max(a[0], b[0]) // self.CELL + 1):
                    for cy in range(min(a[1], b[1]) // self.CELL, max(a[1], b[1]) // self.CELL + 1):
                        self.cells.setdefault((cx, cy), []).append((li, k))

    def nearest(self, lines, p, skip, max_m):
        """(distance m, line, piece, point) of the nearest piece of a line not in skip."""
        best = None
        cx, cy = p[0] // self.CELL, p[1] // self.CELL
        reach = 1 + int(max_m / 700)
        seen = set()
        for dx in range(-reach, reach + 1):
            for dy in range(-reach, reach + 1):
                for li, k in self.cells.get((cx + dx, cy + dy), ()):
                    if li in skip or (li, k) in seen:
                        continue
                    seen.add((li, k))
                    a, b = lines[li]["pts"][k], lines[li]["pts"][k + 1]
                    q = project(a, b, p)
                    d = dist_m(p, q)
                    if d <= max_m and (best is None or d < best[0]):
                        best = (d, li, k, q)
        return best


def project(a, b, p):
    kx, ky = local_xy(p[1] / 1e6)
    ax, ay = (a[0] - p[0]) * kx, (a[1] - p[1]) * ky
    bx, by = (b[0] - p[0]) * kx, (b[1] - p[1]) * ky
    dx, dy = bx - ax, by - ay
    l2 = dx * dx + dy * dy
    t = 0.0 if l2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / l2))
    if t == 0.0:
        return a
    if t == 1.0:
        return b
    return (round(a[0] + t * (b[0] - a[0])), round(a[1] + t * (b[1] - a[1])))


def join_ends(lines):
    """Joins line ends to the line they meet; returns the number of joins."""
    grid = Grid(lines)
    uses = {}
    for li, line in enumerate(lines):
        for p in line["pts"]:
            uses.setdefault(p, set()).add(li)
    joins = []  # (line, at_start, other line, piece, point), on the geometry as read
    for li, line in enumerate(lines):
        for at_start in (True, False):
            end = line["pts"][0] if at_start else line["pts"][-1]
            if len(uses[end]) > 1:
                continue  # already shares its end node with another line
            hit = grid.nearest(lines, end, {li}, JOIN_M)
            if hit is not None:
                joins.append((li, at_start, hit[1], hit[2], hit[3]))
    # Insert the join points into the lines joined.
    by_line = {}
    for _, _, lj, k, q in joins:
        by_line.setdefault(lj, {}).setdefault(k, set()).add(q)
    fixed = {q for *_, q in joins}
    for lj, pieces in by_line.items():
        pts = lines[lj]["pts"]
        out = []
        for k, p in enumerate(pts):
            out.append(p)
            for q in sorted(pieces.get(k, ()), key=lambda q: dist_m(p, q)):
                if q != out[-1] and (k + 1 >= len(pts) or q != pts[k + 1]):
                    out.append(q)
        lines[lj]["pts"] = out
    # Trim each joining end back to TRIM_M from its join, then end it there.
    for li, at_start, _, _, q in joins:
        pts = lines[li]["pts"]
        seq = pts[::-1] if at_start else pts[:]
        while len(seq) > 2 and dist_m(seq[-2], q) < TRIM_M and seq[-2] not in fixed:
            seq.pop()
        seq[-1] = q
        if seq[-2] == q:
            seq.pop()
        lines[li]["pts"] = seq[::-1] if at_start else seq
    return len(joins)


def simplify(pts, keep):
    """Douglas-Peucker to SIMPLIFY_M, never removing a vertex in keep."""
    n = len(pts)
    if n <= 2:
        return pts
    mark = [False] * n
    mark[0] = mark[-1] = True
    for i, p in enumerate(pts):
        if p in keep:
            mark[i] = True
    anchors = [i for i in range(n) if mark[i]]
    for s, e in zip(anchors, anchors[1:]):
        stack = [(s, e)]
        while stack:
            a, b = stack.pop()
            if b - a < 2:
                continue
            far, far_d = -1, -1.0
            for i in range(a + 1, b):
                q = project(pts[a], pts[b], pts[i])
                d = dist_m(pts[i], q)
                if d > far_d:
                    far, far_d = i, d
            if far_d > SIMPLIFY_M:
                mark[far] = True
                stack.append((a, far))
                stack.append((far, b))
    return [p for i, p in enumerate(pts) if mark[i]]


def read_corridor(path):
    rows = []
    header = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            if not raw.strip() or raw.startswith("#"):
                continue
            cols = raw.rstrip("\n").split("\t")
            if header is None:
                header = cols
                continue
            rows.append({"name": cols[1].strip(), "lat": float(cols[3]), "lon": float(cols[4]),
                         "gauge": [int(g) for g in cols[5].split(";") if g.strip()]})
    # The last row has no gauge of its own: the track arriving at it has.
    if rows and not rows[-1]["gauge"] and len(rows) > 1:
        rows[-1]["gauge"] = rows[-2]["gauge"]
    return rows


def corridor_links(lines, corridor_dir):
    """Approximate links from the loose ends of the kept corridors to real track."""
    ends = []
    for name in TRACK_CORRIDORS:
        rows = read_corridor(os.path.join(corridor_dir, name))
        ends.append((name, rows[0]))
        ends.append((name, rows[-1]))
    names = {}
    for name, row in ends:
        names.setdefault(row["name"], set()).add(name)
    shared_rows = set()
    for name in TRACK_CORRIDORS:
        for row in read_corridor(os.path.join(corridor_dir, name)):
            if row["name"]:
                names.setdefault(row["name"], set()).add(name)
    for k, files in names.items():
        if len(files) > 1:
            shared_rows.add(k)
    grid = Grid(lines)
    links = []
    for name, row in ends:
        if row["name"] in shared_rows:
            continue
        p = (round(row["lon"] * 1e6), round(row["lat"] * 1e6))
        hit = grid.nearest(lines, p, set(), LINK_M)
        if hit is None:
            continue
        d, lj, k, q = hit
        pts = lines[lj]["pts"]
        if q not in pts:
            pts.insert(k + 1, q)
        # The corridor row's own coordinates, to 1e-7 degree as the builder keys
        # them, are written exactly so that the link shares the corridor's node.
        links.append({"name": f"link {row['name']} ({name})", "cls": LINK_CLASS,
                      "pts": [q], "start_exact": (row["lon"], row["lat"]), "km": d / 1000,
                      "gauge": row["gauge"]})
    return links


def varint(n, out):
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return


def zigzag(n):
    return (n << 1) ^ (n >> 63)


def stations(fixture):
    path = os.path.join(fixture, "rzd", "stations.gpkg")
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out = []
    for fid, g, en in con.execute("SELECT fid, geometry, name_en FROM stations ORDER BY fid"):
        if not en:
            continue
        env = (g[3] >> 1) & 7
        off = 8 + (0, 32, 48, 48, 64)[env]
        lon, lat = struct.unpack("<dd" if g[off] == 1 else ">dd", g[off + 5:off + 21])
        out.append((en.strip(), lon, lat))
    return out


def main():
    fixture = sys.argv[1] if len(sys.argv) > 1 else FIXTURE
    out_path = sys.argv[2] if len(sys.argv) > 2 else OUT
    lines, off_grid = read_lines(fixture)
    before = sum(len(l["pts"]) for l in lines)
    joined = join_ends(lines)
    links = corridor_links(lines, os.path.dirname(out_path))
    uses = {}
    for li, line in enumerate(lines):
        for p in set(line["pts"]):
            uses[p] = uses.get(p, 0) + 1
    keep = {p for p, n in uses.items() if n > 1} | {l["pts"][0] for l in links}
    for line in lines:
        line["pts"] = unkink(simplify(unkink(line["pts"], keep), keep), keep)
    left = sum(
        1
        for l in lines
        for i in range(1, len(l["pts"]) - 1)
        if turn_deg(l["pts"][i - 1], l["pts"][i], l["pts"][i + 1]) > KINK_DEG
    )
    after = sum(len(l["pts"]) for l in lines)

    body = bytearray()
    body += struct.pack("<I", len(lines) + len(links))
    for line in lines + links:
        name = line["name"].encode("utf-8")
        body += struct.pack("<BH", line["cls"], len(name)) + name
        gauges = line.get("gauge", [1520])
        body += struct.pack("<B", len(gauges)) + b"".join(struct.pack("<H", g) for g in gauges)
        pts = line["pts"]
        exact = line.get("start_exact")
        body += struct.pack("<B", 1 if exact else 0)
        if exact:
            body += struct.pack("<dd", exact[0], exact[1])
        body += struct.pack("<I", len(pts))
        px = py = 0
        for x, y in pts:
            varint(zigzag(x - px), body)
            varint(zigzag(y - py), body)
            px, py = x, y
    st = stations(fixture)
    body += struct.pack("<I", len(st))
    for name, lon, lat in st:
        b = name.encode("utf-8")
        body += struct.pack("<H", len(b)) + b + struct.pack("<ii", round(lon * 1e6), round(lat * 1e6))
    data = MAGIC + zlib.compress(bytes(body), 9)
    tmp = out_path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, out_path)
    print(f"{len(lines)} lines, {len(links)} corridor links, {joined} ends joined, "
          f"{off_grid} off-grid vertices dropped, vertices {before} -> {after}, "
          f"{len(st)} stations, {len(data)} bytes -> {out_path}; "
          f"{left} turns sharper than {KINK_DEG} degrees left at shared vertices")
    for l in links:
        print(f"  {l['name']}: {l['km']:.2f} km")


if __name__ == "__main__":
    main()
