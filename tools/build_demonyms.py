#!/usr/bin/env python3
"""Derive gazetteer/demonyms/demonyms.tsv: English adjectives and demonyms
of countries ("Russian", "North Koreans") with the ISO 3166-1 alpha-2 code
of their country, for `routemap extract --adjectives`.

Inputs (beside the project, see their READMEs):
  ../shared/data/demonyms/CountryName2AdjectivalandDemonymic.csv
      clulab/geonorm, Apache License 2.0
  ../shared/data/geonames/countryInfo.txt
      GeoNames, CC BY 4.0 (country names -> ISO codes)

Usage: python3 tools/build_demonyms.py [--shared ../shared] [--out gazetteer/demonyms/demonyms.tsv]
The output is sorted and deterministic.
"""
import argparse
import csv
import os
import sys

# Country names of the demonym table that GeoNames spells otherwise, and
# parts of countries (England, Scotland, ...) counted as their country.
ALIASES = {
    "Burma": "MM", "Cocos (Keeling) Islands": "CC", "Curaçao": "CW",
    "Czech Republic": "CZ", "East Timor": "TL", "Timor-Leste": "TL",
    "England": "GB", "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB",
    "Macau": "MO", "Palestine": "PS", "Pitcairn Islands": "PN", "Réunion": "RE",
    "Saint Barthélemy": "BL", "Saint Helena, Ascension and Tristan da Cunha": "SH",
    "São Tomé and Príncipe": "ST", "The Bahamas": "BS", "The Gambia": "GM",
    "United Kingdom of Great Britain and Northern Ireland": "GB",
    "United States Virgin Islands": "VI", "United States of America": "US",
    "Vatican City": "VA", "Åland": "AX", "Bonaire": "BQ", "Saba": "BQ",
    "Sint Eustatius": "BQ", "Svalbard": "SJ", "Jan Mayen": "SJ",
    "Zanzibar": "TZ", "Abkhazia": "GE", "South Ossetia": "GE", "Somaliland": "SO",
    "Sahrawi": "EH",
}
# Not a country: left out.
SKIP = {"European Union"}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(here, "..", "gazetteer", "demonyms", "demonyms.tsv"))
    a = ap.parse_args()
    codes = {}
    names = {}
    with open(os.path.join(a.shared, "data", "geonames", "countryInfo.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            cols = line.rstrip("\n").split("\t")
            codes[cols[4]] = cols[0]
            names[cols[0]] = cols[4]
    src = os.path.join(a.shared, "data", "demonyms", "CountryName2AdjectivalandDemonymic.csv")
    with open(src, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    forms = {}
    for country, adjectival, demonym in rows:
        if country in SKIP:
            continue
        code = codes.get(country) or ALIASES.get(country)
        if code is None:
            sys.exit(f"no ISO code for {country!r}: add it to ALIASES")
        for form in (adjectival, demonym):
            form = form.strip()
            # A form that is the country's own name ("Åland Island") or a
            # code ("U.S.") is a name, not an adjective.
            if (not form or form == country or form in codes or form in ALIASES
                    or "." in form or form.isupper()):
                continue
            forms.setdefault(form, set()).add(code)
    out_rows = []
    for form, cs in sorted(forms.items()):
        # "Congolese": which country is unclear; kept without one, so that
        # it is still known as an adjective and not read as a place.
        out_rows.append((form, cs.pop() if len(cs) == 1 else ""))
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write("form\tcountry\tcountry_name\n")
        for form, code in out_rows:
            f.write(f"{form}\t{code}\t{names.get(code, '')}\n")
    os.replace(tmp, a.out)
    print(f"wrote {len(out_rows)} forms to {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
