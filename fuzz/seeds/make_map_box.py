#!/usr/bin/env python3
"""Writes seed inputs for the `map_box` fuzz target into DIR.

Each seed is one flag byte (size, theme, projection; bit 7: raw f64 mode),
eight little-endian u16 (box west, south, east, north; two stops' lon, lat,
each spread over its whole range), then a title. Two raw seeds hold a NaN
stop and a box of +/-1e308.

usage: python3 seeds/make_map_box.py DIR
"""
import os
import struct
import sys


def u16(x, lo, span):
    return int(round((x - lo) / span * 65535))


def lonlat(lon, lat):
    return u16(lon, -180, 360), u16(lat, -90, 180)


SEEDS = [
    (0x00, (124, 37, 136, 52), (125.75, 39.03), (130.65, 42.43), "Pyongyang → Khasan"),
    (0x15, (-125, 24, -66, 50), (-87.6, 41.9), (-118.2, 34.05), "Route 66"),
    (0x26, (170, -50, -170, -30), (174.8, -41.3), (-175.2, -21.1), "北京→서울→東京"),
    (0x41, (-180, 60, 180, 90), (0, 89), (100, 80), "Arctic"),
    (0x52, (-180, -90, 180, 90), (37.6, 55.75), (139.7, 35.7), "Москва — 東京"),
    (0x33, (6.9, 50.9, 7.0, 51.0), (6.958, 50.943), (6.917, 50.951), "Köln"),
]


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for i, (flags, box, a, b, title) in enumerate(SEEDS):
        w, s = lonlat(box[0], box[1])
        e, n = lonlat(box[2], box[3])
        data = bytes([flags]) + struct.pack("<8H", w, s, e, n, *lonlat(*a), *lonlat(*b))
        with open(os.path.join(out, f"seed{i}"), "wb") as f:
            f.write(data + title.encode())
    raws = [
        (0x80, (126, 38, 132, 44, float("nan"), 40)),
        (0x90, (-1e308, -90, 1e308, 90, 0, 0)),
    ]
    for i, (flags, values) in enumerate(raws):
        with open(os.path.join(out, f"raw{i}"), "wb") as f:
            f.write(bytes([flags]) + struct.pack("<6d", *values) + bytes(8))


if __name__ == "__main__":
    main()
