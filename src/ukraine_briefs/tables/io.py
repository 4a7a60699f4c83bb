"""The one table container (`Tables`) and the one reader of built tables (Parquet, no spaCy).

Everything that holds the eight tables is a `Tables`: what `open_tables` and
`load_corpus` return (``api.Corpus`` is the same type), what `filters.filter_tables`
returns, what the dashboard keeps. `as_tables` turns anything table-like (a dict,
a directory, an object with table attributes) into one.
"""
from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ukraine_briefs import config, types


@dataclasses.dataclass(eq=False, repr=False)
class Tables:
    """The eight tables of the contract as DataFrame attributes (``tables.quotes`` ...).

    ``tables_dir`` is where they were read from (None when built in memory);
    ``report`` is the build report when `load_corpus` made them.
    """

    documents: pd.DataFrame
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    entities: pd.DataFrame
    quotes: pd.DataFrame
    dates: pd.DataFrame
    threats: pd.DataFrame
    cooccurrence: pd.DataFrame
    stories: pd.DataFrame = dataclasses.field(default_factory=lambda: types.empty_frame("stories"))
    tables_dir: Path | None = dataclasses.field(default=None, kw_only=True)
    report: Any = dataclasses.field(default=None, kw_only=True)

    @classmethod
    def empty(cls) -> Tables:
        """All eight tables with zero rows (and their columns and dtypes)."""
        return cls(**{name: types.empty_frame(name) for name in config.TABLES})

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` (one of `config.TABLES`)."""
        if name not in config.TABLES:
            raise KeyError(f"no table {name!r}; tables: {', '.join(config.TABLES)}")
        return getattr(self, name)

    def as_dict(self) -> dict[str, pd.DataFrame]:
        """Table name -> DataFrame, in `config.TABLES` order."""
        return {name: getattr(self, name) for name in config.TABLES}

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """The same as `as_dict`."""
        return self.as_dict()

    @property
    def manifest(self) -> dict:
        """The build's ``manifest.json`` in ``tables_dir`` ({} when there is none)."""
        if self.tables_dir is None:
            return {}
        try:
            return json.loads((Path(self.tables_dir) / "manifest.json").read_text())
        except (OSError, ValueError):
            return {}

    def __repr__(self) -> str:
        rows = ", ".join(f"{t}={len(df)}" for t, df in self.as_dict().items())
        return f"<Tables {self.tables_dir or ''} {rows}>"


def read_tables(directory: str | Path, tables: Sequence[str] = config.TABLES) -> dict[str, pd.DataFrame]:
    """Read built tables from ``directory`` (no spaCy needed); a missing table raises naming it."""
    directory = Path(directory)
    # a build publishes by switching the `.current` link in one rename: resolved once here,
    # every table comes from the same build even while another build publishes
    current = directory / ".current"
    source = Path(os.path.realpath(current)) if current.is_symlink() else directory
    out = {}
    for t in tables:
        p = source / f"{t}.parquet"
        if not p.exists():
            raise FileNotFoundError(f"{p} not found: run `ukraine-briefs build CORPUS --out {directory}` first")
        out[t] = pd.read_parquet(p)
    return out


def open_tables(directory: str | Path | None = None) -> Tables:
    """Open a directory of built tables (``ukraine-briefs build --out DIR``) without spaCy.

    ``directory`` defaults to ``UKRAINE_BRIEFS_TABLES``; a missing table raises naming it.
    """
    directory = Path(directory) if directory else config.tables_dir()
    if directory is None:
        raise ValueError("no tables directory given and UKRAINE_BRIEFS_TABLES is not set")
    return Tables(**read_tables(directory), tables_dir=directory)


def as_tables(source) -> Tables:
    """A `Tables`, dict of DataFrames, tables directory or object with table attributes -> `Tables`.

    A directory is opened with `open_tables`. Otherwise missing tables become
    empty frames with the table's schema, so charts never meet a missing attribute.

    Examples:
        >>> t = as_tables({"documents": pd.DataFrame({"doc_id": ["a"]})})
        >>> len(t.documents), list(t.threats.columns)[:2]
        (1, ['threat_id', 'stance'])
    """
    if isinstance(source, Tables):
        return source
    if isinstance(source, (str, Path)):
        return open_tables(source)
    frames = {}
    for name in config.TABLES:
        df = source.get(name) if isinstance(source, dict) else getattr(source, name, None)
        frames[name] = df if isinstance(df, pd.DataFrame) else types.empty_frame(name)
    return Tables(**frames)
