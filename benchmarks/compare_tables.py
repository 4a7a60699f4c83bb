"""Are two built table directories the same? Every table frame-equal, row for row.

Used to show that a refactoring changed no table: build the same corpus with
the old and the new code into two directories, then

    python benchmarks/compare_tables.py build/old build/new

prints one line per table and exits 1 if any differs (dtypes included).
``--atol`` allows a float tolerance (0 by default: exact).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

TABLES = ("documents", "sentences", "mentions", "entities", "quotes", "dates", "threats", "cooccurrence")
# where each build wrote its input files from: not part of what the tables say
IGNORED = {"documents": ("path",)}


def compare(a: Path, b: Path, *, atol: float = 0.0) -> list[str]:
    """One line per table: 'same' or what differs."""
    lines = []
    for name in TABLES:
        fa, fb = a / f"{name}.parquet", b / f"{name}.parquet"
        if not fa.exists() or not fb.exists():
            lines.append(f"{name}: MISSING in {'first' if not fa.exists() else 'second'}")
            continue
        x, y = pd.read_parquet(fa), pd.read_parquet(fb)
        drop = [c for c in IGNORED.get(name, ()) if c in x.columns]
        x, y = x.drop(columns=drop), y.drop(columns=drop)
        try:
            pd.testing.assert_frame_equal(x, y, check_exact=atol == 0, atol=atol or None, rtol=0)
            lines.append(f"{name}: same ({len(x)} rows, {len(x.columns)} columns)")
        except AssertionError as exc:
            lines.append(f"{name}: DIFFERS: {str(exc).splitlines()[0]} ... {' '.join(str(exc).split())[:400]}")
    return lines


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("first", type=Path)
    p.add_argument("second", type=Path)
    p.add_argument("--atol", type=float, default=0.0)
    args = p.parse_args(argv)
    lines = compare(args.first, args.second, atol=args.atol)
    print("\n".join(lines))
    return 0 if all(": same" in ln for ln in lines) else 1


if __name__ == "__main__":
    sys.exit(main())
