#!/usr/bin/env python3
"""Converts scikit-learn's copy of the 8x8 handwritten digits into occam's compact file.

The digits (1,797 images of 8x8 pixels, each 0..16, with labels 0..9) are the test set of the
UCI "Optical Recognition of Handwritten Digits" data (E. Alpaydin, C. Kaynak, 1998; CC BY 4.0),
as shipped in scikit-learn (sklearn/datasets/data/digits.csv.gz: 64 pixels then the label per row).

Output, gzip-compressed (mtime 0, so the file is reproducible), all integers little-endian:
    b"OCCAMDG1", u16 count, u8 width, u8 height, count label bytes, count*width*height pixel bytes
(row-major pixels per image). occam_core::digits reads it; its tests read the shipped file.

usage: scripts/digits.py [path/to/digits.csv.gz] [out]   (default: fetches the scikit-learn
wheel with `pip download --no-deps scikit-learn` into a temporary directory)
"""
import csv
import gzip
import io
import pathlib
import subprocess
import sys
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "web" / "data" / "digits.u8.gz"


def csv_from_wheel() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "scikit-learn", "-d", tmp],
            check=True,
        )
        wheel = next(pathlib.Path(tmp).glob("scikit_learn-*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            return archive.read("sklearn/datasets/data/digits.csv.gz")


def main() -> None:
    source = pathlib.Path(sys.argv[1]).read_bytes() if len(sys.argv) > 1 else csv_from_wheel()
    out = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else OUT
    rows = [list(map(int, map(float, row))) for row in csv.reader(io.StringIO(gzip.decompress(source).decode()))]
    assert len(rows) == 1797 and all(len(row) == 65 for row in rows), "unexpected digits.csv shape"
    labels = bytes(row[64] for row in rows)
    pixels = bytes(value for row in rows for value in row[:64])
    assert max(pixels) <= 16 and max(labels) <= 9
    raw = b"OCCAMDG1" + len(rows).to_bytes(2, "little") + bytes([8, 8]) + labels + pixels
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    print(f"{out}: {len(rows)} images, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
