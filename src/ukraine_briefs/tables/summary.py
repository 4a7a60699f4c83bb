"""Summaries of a selection as numbers and DataFrames: key figures, who threatens whom, tone by month, quotes.

The dashboard's overview and quotes tabs render these as HTML; a notebook can
print them. No widgets, no HTML here.
"""
from __future__ import annotations

import pandas as pd

from ukraine_briefs.tables.evidence import UNKNOWN_ACTOR, UNKNOWN_TARGET, threat_parties
from ukraine_briefs.tables.io import as_tables
from ukraine_briefs.tables.queries import direct_quotes, stance_of
from ukraine_briefs.types import DEESCALATION, THREAT

_MISSING = ("", "None", "nan")


def _known(v) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v) not in _MISSING


def attributed(quotes: pd.DataFrame) -> pd.Series:
    """True for quotes whose speaker was found (``speaker_id`` set), the only ones the app calls attributed.

    A speaker written as "the authentic" (a spun "the official") has no id: it is
    an unresolved source, not a person.
    """
    if "speaker_id" not in quotes.columns:
        return pd.Series(False, index=quotes.index)
    return quotes["speaker_id"].map(_known).astype(bool)


def key_figures(tables, *, include_indirect: bool = False) -> dict:
    """Row counts of the main tables, what they split into, and the first and last publication date.

    ``threats`` counts threats and warnings only (``stance`` threat);
    ``deescalations`` the de-escalating statements; ``quotes_attributed`` the
    quotes with a found speaker (reported speech only with ``include_indirect``). Dates are None when
    nothing is dated.

    Examples:
        >>> from ukraine_briefs.tables.io import Tables
        >>> key_figures(Tables.empty())["documents"], key_figures(Tables.empty())["first_published"]
        (0, None)
    """
    t = as_tables(tables)
    pub = pd.to_datetime(t.documents["published"], errors="coerce").dropna()
    stance = stance_of(t.threats)
    quotes = direct_quotes(t.quotes, include_indirect=include_indirect)
    return {
        "documents": len(t.documents),
        "sentences": len(t.sentences),
        "entities": len(t.entities),
        "quotes": len(quotes),
        "quotes_attributed": int(attributed(quotes).sum()),
        "threats": int((stance == THREAT).sum()),
        "deescalations": int((stance == DEESCALATION).sum()),
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
    deesc = t["stance"] == DEESCALATION
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

    ``speaker`` is the resolved speaker's name (missing when no speaker was
    found); ``as_written`` is the source as the text names it when it was not
    resolved ("the authentic", a spun "the official"), shown as unresolved,
    never as a person. At most ``limit`` rows.
    """
    q = quotes.merge(documents[["doc_id", "title", "published"]], on="doc_id", how="left")
    q = q.sort_values(["published", "doc_id", "start_char"], ascending=[False, True, True])
    if limit is not None:
        q = q.head(limit)
    known = attributed(q)
    speaker = [next((str(v) for v in (name, sid) if _known(v)), None) if ok else None
               for ok, name, sid in zip(known, q["speaker_name"], q["speaker_id"])]
    written = [None if ok or not _known(s) else str(s) for ok, s in zip(known, q["speaker_surface"])]
    return q.assign(speaker=speaker, as_written=written).reset_index(drop=True)
