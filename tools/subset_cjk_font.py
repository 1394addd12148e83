#!/usr/bin/env python3
"""Subset Noto Sans CJK JP (SIL OFL 1.1) to the Han and kana characters of
GB 2312 and JIS X 0208, and NanumSquare to all but its Han characters, for
routemap's embedded fonts.

Source: Debian package fonts-noto-cjk (1:20220127+repack1-1),
/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc, face 0
("Noto Sans CJK JP"; every face of the collection covers Chinese,
Japanese and Korean characters, the JP face draws them in Japanese forms).

Characters kept: every character of GB 2312 (6,763 hanzi, simplified
Chinese) and JIS X 0208 (6,355 kanji, levels 1 and 2), 9,788 together, as
listed by Python's gb2312 and euc_jp codecs; hiragana and katakana
(U+3040-30FF, U+31F0-31FF, U+FF65-FF9F), CJK symbols and punctuation
(U+3000-303F) and full-width forms (U+FF01-FF60). Layout features other
than the defaults and hinting are dropped.

NanumSquare Regular (Debian fonts-nanum 20200506-1,
/usr/share/fonts/truetype/nanum/NanumSquareR.ttf) maps 4,890 Han characters
to empty glyphs; since a renderer falls back to the first font that claims a
character, those would blank Han text next to Hangul. Its copy keeps every
other character, glyph, hint and layout feature.

Usage:
  apt-get install fonts-noto-cjk fonts-nanum
  pip install fonttools==4.55.3
  python3 tools/subset_cjk_font.py [--ttc FILE] [--out FILE]

Deterministic: the same source gives the same bytes.
"""

import argparse
import subprocess
import sys
import tempfile


def codec_chars(codec, lead, trail):
    out = set()
    for a in lead:
        for b in trail:
            try:
                ch = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                out.add(ord(ch))
    return out


def wanted():
    cps = codec_chars("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))
    cps |= codec_chars("euc_jp", range(0xB0, 0xF5), range(0xA1, 0xFF))
    for lo, hi in ((0x3000, 0x303F), (0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF01, 0xFF60), (0xFF65, 0xFF9F)):
        cps.update(range(lo, hi + 1))
    return sorted(cps)


def is_han(c):
    return 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF or 0xF900 <= c <= 0xFAFF or 0x20000 <= c <= 0x3FFFF


def nanum_without_han(src, out):
    from fontTools.ttLib import TTFont

    keep = sorted(c for c in TTFont(src).getBestCmap() if not is_han(c))
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(f"U+{c:04X}" for c in keep))
        unicodes = f.name
    subprocess.run(
        [
            sys.executable, "-m", "fontTools.subset", src,
            f"--unicodes-file={unicodes}",
            "--layout-features=*",
            "--name-IDs=*",
            "--name-languages=*",
            "--notdef-outline",
            "--glyph-names",
            f"--output-file={out}",
        ],
        check=True,
    )
    print(f"wrote {out}: {len(keep)} characters", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ttc", default="/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    ap.add_argument("--out", default="assets/fonts/NotoSansCJKjp-Subset.otf")
    ap.add_argument("--nanum", default="/usr/share/fonts/truetype/nanum/NanumSquareR.ttf")
    ap.add_argument("--nanum-out", default="assets/fonts/NanumSquareR.ttf")
    args = ap.parse_args()
    nanum_without_han(args.nanum, args.nanum_out)
    cps = wanted()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(f"U+{c:04X}" for c in cps))
        unicodes = f.name
    subprocess.run(
        [
            sys.executable, "-m", "fontTools.subset", args.ttc,
            "--font-number=0",
            f"--unicodes-file={unicodes}",
            "--no-hinting",
            "--layout-features=",
            "--name-IDs=*",
            "--name-languages=*",
            "--notdef-outline",
            f"--output-file={args.out}",
        ],
        check=True,
    )
    print(f"wrote {args.out}: {len(cps)} characters", file=sys.stderr)


if __name__ == "__main__":
    main()
