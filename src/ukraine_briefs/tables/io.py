"""The one reader of built tables: Parquet files in a directory -> DataFrames, no spaCy."""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ukraine_briefs import config


def read_tables(directory: str | Path, tables: Sequence[str] = config.TABLES) -> dict[str, pd.DataFrame]:
    """Read built tables from ``directory`` (no spaCy needed); a missing table raises naming it."""
    directory = Path(directory)
    out = {}
    for t in tables:
        p = directory / f"{t}.parquet"
        if not p.exists():
            raise FileNotFoundError(f"{p} not found: run `ukraine-briefs build CORPUS --out {directory}` first")
        out[t] = pd.read_parquet(p)
    return out
