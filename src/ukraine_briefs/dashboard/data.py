"""The dashboard's access to tables: open, filter, list filter options.

Thin wrappers over `ukraine_briefs.tables.filters` (and `open_tables`) with small
fallbacks, so the app still opens with a corpus overview when an optional
module is missing or broken. Widgets import these, never spaCy.
"""
from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd

from ukraine_briefs.config import TABLES

log = logging.getLogger(__name__)


def _filters():
    try:
        from ukraine_briefs.tables import filters
    except Exception as exc:  # part of the app is better than none
        log.warning("ukraine_briefs.tables.filters unavailable: %s", exc)
        return None
    return filters


def _read_dir(path: Path) -> SimpleNamespace:
    frames = {}
    for name in TABLES:
        hits = sorted(path.glob(f"{name}.parquet")) or sorted(path.glob(f"{name}*.parquet"))
        if hits:
            frames[name] = pd.read_parquet(hits[0])
        else:
            from ukraine_briefs.types import empty_frame

            frames[name] = empty_frame(name)
    return SimpleNamespace(**frames)


def load_tables(source: Any):
    """A tables object (attributes ``documents`` ... ``cooccurrence``) from a dir, a Corpus or tables."""
    f = _filters()
    if f is not None and hasattr(f, "prepare"):
        return f.prepare(source)  # the integer codes every filter uses, computed once at load
    if f is not None and hasattr(f, "as_tables"):
        return f.as_tables(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            from ukraine_briefs import open_tables

            return open_tables(path)
        except Exception as exc:
            log.warning("open_tables failed (%s); reading Parquet files directly", exc)
            return _read_dir(path)
    return source


def table(tables: Any, name: str) -> pd.DataFrame:
    """One table by name; an empty frame of the right schema when absent."""
    df = getattr(tables, name, None)
    if df is None:
        from ukraine_briefs.types import empty_frame

        return empty_frame(name)
    return df


def _as_date(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    ts = pd.Timestamp(value)
    return None if pd.isna(ts) else ts.date()


def filter_options(tables: Any) -> dict:
    """Choices for the filter widgets: ``dates`` (sorted list), ``outlets``, ``entity_types``, ``actors``."""
    docs = table(tables, "documents")
    dates = sorted({d for d in (_as_date(v) for v in docs["published"]) if d is not None})
    opts: dict = {}
    f = _filters()
    if f is not None and hasattr(f, "filter_options"):
        try:
            opts = dict(f.filter_options(tables))
        except Exception as exc:
            log.warning("filter_options failed: %s", exc)
    ents = table(tables, "entities")
    if "outlets" not in opts:
        opts["outlets"] = sorted({str(o) for o in docs["outlet"].dropna() if str(o) not in ("", "None")})
    if "entity_types" not in opts:
        opts["entity_types"] = sorted({str(t) for t in ents["type"].dropna()})
    if "actors" not in opts:
        top = ents.sort_values("n_mentions", ascending=False)
        names = [str(n) for n in top["canonical_name"].dropna()]
        affs = sorted({str(a) for a in ents["affiliation"].dropna() if str(a) not in ("", "None")})
        opts["actors"] = list(dict.fromkeys(affs + names))
    opts["dates"] = dates
    return opts


def filter_tables(tables: Any, *, start=None, end=None, outlets=None, entity_types=None, actors=None):
    """The tables restricted to the current selection (see docs/charts.md for the semantics)."""
    f = _filters()
    if f is not None and hasattr(f, "filter_tables"):
        return f.filter_tables(tables, start=start, end=end, outlets=list(outlets or []) or None,
                               entity_types=list(entity_types or []) or None,
                               actors=list(actors or []) or None)
    # Fallback: documents only, then every table to the kept documents.
    docs = table(tables, "documents")
    keep = pd.Series(True, index=docs.index)
    pub = pd.to_datetime(docs["published"], errors="coerce")
    if start is not None:
        keep &= pub >= pd.Timestamp(start)
    if end is not None:
        keep &= pub <= pd.Timestamp(end)
    if outlets:
        keep &= docs["outlet"].isin(list(outlets))
    ids = set(docs.loc[keep, "doc_id"])
    out = {}
    for name in TABLES:
        df = table(tables, name)
        out[name] = df[df["doc_id"].isin(ids)] if "doc_id" in df.columns else df
    return SimpleNamespace(**out)
