"""Table-in, table-out queries over built tables: threat dyads, the dated-events view.

Aggregations that need only the tables (pandas, no spaCy), so the dashboard,
charts and notebooks can call them on tables opened from Parquet; the extractors
that fill these tables live in `ukraine_briefs.extract`.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ukraine_briefs.tables.filters import doc_positions
from ukraine_briefs.types import DEESCALATION, THREAT


def direct_quotes(quotes: pd.DataFrame, *, include_indirect: bool = False) -> pd.DataFrame:
    """``quotes`` without reported speech (``kind`` indirect) unless ``include_indirect``: quote counts and
    charts count quotations by default; "Blinken said that ..." joins them only when asked."""
    if include_indirect or "kind" not in quotes.columns:
        return quotes
    return quotes[(quotes["kind"] != "indirect").to_numpy()]


def stance_of(threats: pd.DataFrame) -> pd.Series:
    """``threats.stance`` (threat / deescalation), the split every count and chart uses.

    Where it is missing (tables built before the column existed) it comes from
    ``category``, where de-escalation was a category then, so an old cache still
    counts honestly.
    """
    cat = threats["category"] if "category" in threats.columns else pd.Series("", index=threats.index)
    derived = pd.Series(np.where(cat.astype(str) == DEESCALATION, DEESCALATION, THREAT), index=threats.index,
                        dtype=object)
    if "stance" not in threats.columns:
        return derived
    stance = threats["stance"].astype(object)
    return stance.where(stance.notna() & (stance.astype(str) != ""), derived)


def by_stance(threats: pd.DataFrame, stance: str) -> pd.DataFrame:
    """The rows of ``threats`` of one stance (`types.THREAT` or `types.DEESCALATION`)."""
    if threats.empty:
        return threats
    return threats[(stance_of(threats) == stance).to_numpy()]


def published_of(df: pd.DataFrame, documents: pd.DataFrame | None) -> pd.Series:
    """``documents.published`` of each row's document as datetimes, aligned with ``df`` (NaT when none).

    The first row per doc id, as a left merge on ``drop_duplicates("doc_id")``
    would take; on integer codes when the doc ids are unique (`doc_positions`).
    """
    if not isinstance(documents, pd.DataFrame) or documents.empty or "published" not in documents.columns:
        return pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
    pos = doc_positions(df, documents)
    if pos is None:  # repeated doc ids: the first row of each
        pub = documents[["doc_id", "published"]].drop_duplicates("doc_id")
        published = df[["doc_id"]].merge(pub, on="doc_id", how="left")["published"]
    else:
        found = pos >= 0
        published = documents["published"].take(np.where(found, pos, 0)).reset_index(drop=True)
        published = published if found.all() else published.where(found)
    return pd.to_datetime(published.set_axis(df.index), errors="coerce")


def threat_dyads(threats: pd.DataFrame, documents: pd.DataFrame, *, freq: str = "W",
                 include_deescalation: bool = True) -> pd.DataFrame:
    """Threats per actor -> target affiliation dyad, period and category, with the evidence.

    Columns: ``period`` (start of the period, from ``documents.published``),
    ``actor_affiliation``, ``target_affiliation``, ``category``, ``n_threats``,
    ``n_docs``, ``max_intensity``, ``mean_intensity``, ``n_conditional``,
    ``threat_ids`` and ``evidence`` ("; "-joined sentence texts). Unknown sides are
    kept as "unknown" so no evidence is silently dropped.

    Examples:
        >>> import pandas as pd
        >>> t = pd.DataFrame({"threat_id": ["a-T000"], "doc_id": ["a"], "text": ["x"], "category": ["economic"],
        ...     "actor_affiliation": ["United States"], "target_affiliation": ["Russia"], "intensity": [3],
        ...     "conditional": [True]})
        >>> d = pd.DataFrame({"doc_id": ["a"], "published": [pd.Timestamp("2021-12-01")]})
        >>> threat_dyads(t, d)[["actor_affiliation", "target_affiliation", "n_threats"]].values.tolist()
        [['United States', 'Russia', 1]]
    """
    cols = ["period", "actor_affiliation", "target_affiliation", "category", "n_threats", "n_docs",
            "max_intensity", "mean_intensity", "n_conditional", "threat_ids", "evidence"]
    if threats is None or len(threats) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    t = threats[["threat_id", "doc_id", "text", "category", "actor_affiliation", "target_affiliation", "intensity",
                 "conditional"]]
    if not include_deescalation:
        t = t[(stance_of(threats) != DEESCALATION).to_numpy()]
    published = published_of(t, documents)
    # the period of each distinct day, not of each threat
    day, days = pd.factorize(published, use_na_sentinel=False)
    start = pd.Series(days).dt.to_period(freq).dt.start_time.to_numpy()
    t = t.assign(period=start[day])
    for side in ("actor_affiliation", "target_affiliation"):
        t[side] = t[side].where(t[side].notna() & (t[side].astype(str) != "None"), "unknown").astype(str)
    g = t.groupby(["period", "actor_affiliation", "target_affiliation", "category"], dropna=False, sort=True)
    out = g.agg(
        n_threats=("threat_id", "size"),
        n_docs=("doc_id", "nunique"),
        max_intensity=("intensity", "max"),
        mean_intensity=("intensity", "mean"),
        n_conditional=("conditional", "sum"),
    ).reset_index()
    # the text columns joined per group from one stable sort (a Python lambda per group was most of the time)
    group = g.ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    cut = np.flatnonzero(np.diff(group[order])) + 1
    ids, texts = t["threat_id"].to_numpy(dtype=object)[order], t["text"].to_numpy(dtype=object)[order]
    out["threat_ids"] = ["; ".join(x) for x in np.split(ids, cut)] if len(t) else []
    out["evidence"] = ["; ".join(dict.fromkeys(x)) for x in np.split(texts, cut)] if len(t) else []
    out["n_conditional"] = out["n_conditional"].astype("int64")
    out["max_intensity"] = out["max_intensity"].astype("int64")
    return out[cols].sort_values(["period", "n_threats"], ascending=[True, False], kind="stable").reset_index(drop=True)


def events_frame(sentences: pd.DataFrame, dates: pd.DataFrame) -> pd.DataFrame:
    """The `events` view: per document, its dated sentences in reading order.

    One row per (sentence, resolved expression): ``doc_id, sent_id, date, value,
    granularity, kind, expression, text`` (``text`` is the sentence), so an analyst
    sees what happened when, not only when it was reported.
    """
    cols = ["doc_id", "sent_id", "date", "value", "granularity", "kind", "expression", "text"]
    if dates is None or not len(dates):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    d = dates[dates["value"].notna() & (dates["value"].astype(str) != "None")]
    d = d.rename(columns={"text": "expression"})[
        ["doc_id", "sent_id", "start_char", "date", "value", "granularity", "kind", "expression"]
    ]
    s = sentences[["doc_id", "sent_id", "text"]]
    out = d.merge(s, on=["doc_id", "sent_id"], how="left")
    out = out.sort_values(["doc_id", "sent_id", "start_char"], kind="stable")
    return out[cols].reset_index(drop=True)
