"""Summaries of a selection as numbers and DataFrames: key figures, who threatens whom, tone by month, quotes.

The dashboard's overview and quotes tabs render these as HTML; a notebook can
print them. No widgets, no HTML here.
"""
from __future__ import annotations

import pandas as pd

from ukraine_briefs.tables.evidence import UNKNOWN_ACTOR, UNKNOWN_TARGET, threat_parties
from ukraine_briefs.tables.io import as_tables
from ukraine_briefs.types import DEESCALATION

_MISSING = ("", "None", "nan")


def _known(v) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v) not in _MISSING


def key_figures(tables) -> dict:
    """Row counts of the main tables and the first and last publication date (None when undated).

    Examples:
        >>> from ukraine_briefs.tables.io import Tables
        >>> key_figures(Tables.empty())["documents"], key_figures(Tables.empty())["first_published"]
        (0, None)
    """
    t = as_tables(tables)
    pub = pd.to_datetime(t.documents["published"], errors="coerce").dropna()
    return {
        "documents": len(t.documents),
        "sentences": len(t.sentences),
        "entities": len(t.entities),
        "quotes": len(t.quotes),
        "threats": len(t.threats),
        "first_published": pub.min() if len(pub) else None,
        "last_published": pub.max() if len(pub) else None,
    }


def threat_pairs(threats: pd.DataFrame, *, top: int = 3) -> tuple[pd.DataFrame, int, int]:
    """The ``top`` actor -> target pairs by number of threats, and what they leave out.

    Actors and targets are their affiliation when known, else their name;
    statements with an unknown actor or target and de-escalating ones are not
    paired. Returns ``(pairs, n_deescalation, n_other)``: ``pairs`` has columns
    ``actor``, ``target``, ``n``, ``top_category`` (most frequent category),
    largest first; ``n_other`` counts the threats in no listed pair.
    """
    if threats.empty:
        return pd.DataFrame(columns=["actor", "target", "n", "top_category"]), 0, 0
    t = threat_parties(threats)
    deesc = t["category"] == DEESCALATION
    known = t[(t["actor"] != UNKNOWN_ACTOR) & (t["target"] != UNKNOWN_TARGET) & ~deesc]
    pairs = known.groupby(["actor", "target"]).agg(
        n=("threat_id", "size"), top_category=("category", lambda s: s.value_counts().index[0]))
    pairs = pairs.sort_values("n", ascending=False).head(top).reset_index()
    n_deescalation = int(deesc.sum())
    return pairs, n_deescalation, len(t) - int(pairs["n"].sum()) - n_deescalation


def tone_by_month(tables) -> pd.Series:
    """Mean sentence tone (-1..1) per calendar month of publication (a Series indexed by monthly Period).

    Sentences of undated documents are left out.
    """
    t = as_tables(tables)
    s = t.sentences.merge(t.documents[["doc_id", "published"]], on="doc_id").dropna(subset=["published"])
    if s.empty:
        return pd.Series(dtype=float)
    s = s.assign(month=pd.to_datetime(s["published"]).dt.to_period("M"))
    return s.groupby("month")["sentiment"].mean().sort_index()


def quotes_table(quotes: pd.DataFrame, documents: pd.DataFrame, *, limit: int | None = None) -> pd.DataFrame:
    """The quotes, newest first, with the document's ``title`` and ``published`` and a ``speaker`` column.

    ``speaker`` is the resolved speaker name, else the name as written, else
    missing (unattributed). At most ``limit`` rows.
    """
    q = quotes.merge(documents[["doc_id", "title", "published"]], on="doc_id", how="left")
    q = q.sort_values(["published", "doc_id", "start_char"], ascending=[False, True, True])
    if limit is not None:
        q = q.head(limit)
    speaker = [next((str(v) for v in (name, surface) if _known(v)), None)
               for name, surface in zip(q["speaker_name"], q["speaker_surface"])]
    return q.assign(speaker=speaker).reset_index(drop=True)
