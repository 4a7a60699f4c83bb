"""Sentiment and mention volume over time, and tone per entity: chart-ready tables.

Reads tables only (no spaCy): any object with DataFrame attributes
``.documents .sentences .mentions .quotes .dates`` works (the `Corpus` of `api`).

Honest with little data: a period appears only if it holds data (no
interpolation, no zero-filled gaps), every row carries its ``count`` and
``n_docs``, and the confidence interval is a t interval over the sentences of
the period (``NaN`` for a single sentence). Sentences of one article are not
independent, so read ``n_docs`` next to the interval: five articles on four
days support a description, not a trend.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import pandas as pd

FREQS = {"D": "day", "W": "week", "M": "month"}
#: finest date granularity a period of each frequency accepts when dating by event
_ACCEPT = {"D": {"day"}, "W": {"day", "week"}, "M": {"day", "week", "month"}}
# two-sided 95% Student t quantiles for 1..30 degrees of freedom (no scipy needed)
_T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042]
SERIES_COLUMNS = ["period", "period_label", "group", "label", "mean", "count", "n_docs", "ci_low", "ci_high",
                  "evidence", "evidence_ids"]


def t95(dof: int) -> float:
    """Two-sided 95% t quantile for ``dof`` degrees of freedom (1.96 beyond 30)."""
    return _T95[dof - 1] if 1 <= dof <= 30 else 1.96


def mean_ci(values: Iterable[float]) -> tuple[float, int, float, float]:
    """(mean, count, ci_low, ci_high) with a 95% t interval, clipped to -1..1; NaN bounds for n < 2.

    Examples:
        >>> mean_ci([0.5])
        (0.5, 1, nan, nan)
    """
    v = np.asarray([x for x in values if x is not None and not pd.isna(x)], dtype=float)
    n = len(v)
    if n == 0:
        return (math.nan, 0, math.nan, math.nan)
    m = float(v.mean())
    if n < 2:
        return (m, n, math.nan, math.nan)
    half = t95(n - 1) * float(v.std(ddof=1)) / math.sqrt(n)
    return (m, n, max(-1.0, m - half), min(1.0, m + half))


def _table(corpus, name: str) -> pd.DataFrame:
    df = corpus.get(name) if isinstance(corpus, dict) else getattr(corpus, name, None)
    return df if isinstance(df, pd.DataFrame) else pd.DataFrame()


def _period(dates: pd.Series, freq: str) -> tuple[pd.Series, pd.Series]:
    """Period start timestamp and label for each date."""
    if freq not in FREQS:
        raise ValueError(f"freq must be one of {sorted(FREQS)}, got {freq!r}")
    d = pd.to_datetime(dates, errors="coerce")
    if freq == "D":
        start = d.dt.normalize()
        label = start.dt.strftime("%Y-%m-%d")
    elif freq == "W":
        start = (d - pd.to_timedelta(d.dt.weekday, unit="D")).dt.normalize()
        iso = start.dt.isocalendar()
        label = iso["year"].astype("Int64").astype(str) + "-W" + iso["week"].astype("Int64").astype(str).str.zfill(2)
        label = label.where(start.notna(), None)
    else:
        start = d.dt.to_period("M").dt.start_time
        label = start.dt.strftime("%Y-%m")
    return start.astype("datetime64[ns]"), label


def _units(corpus, *, by: str, group: str | None, freq: str) -> pd.DataFrame:
    """One row per scored unit (sentence, or quote for speakers) with its date, group and evidence id."""
    docs = _table(corpus, "documents")
    if by not in ("published", "event"):
        raise ValueError(f"by must be 'published' or 'event', got {by!r}")
    if group not in (None, "entity", "speaker", "outlet"):
        raise ValueError(f"group must be None, 'entity', 'speaker' or 'outlet', got {group!r}")
    if group == "speaker":
        q = _table(corpus, "quotes")
        if q.empty:
            return pd.DataFrame(columns=["doc_id", "sent_id", "text", "sentiment", "group", "label", "when"])
        units = q[q["speaker_id"].notna() & (q["speaker_id"].astype(str) != "None")]
        units = units.assign(group=units["speaker_id"].astype(str),
                             label=units["speaker_name"].where(units["speaker_name"].notna(), units["speaker_id"]))
        units = units[["doc_id", "sent_id", "text", "sentiment", "group", "label"]]
    else:
        s = _table(corpus, "sentences")
        units = s[["doc_id", "sent_id", "text", "sentiment"]].copy() if not s.empty else \
            pd.DataFrame(columns=["doc_id", "sent_id", "text", "sentiment"])
        if group is None:
            units["group"], units["label"] = "all", "all"
        elif group == "outlet":
            out = docs[["doc_id", "outlet"]].copy() if not docs.empty else pd.DataFrame(columns=["doc_id", "outlet"])
            out["outlet"] = out["outlet"].where(out["outlet"].notna() & (out["outlet"].astype(str) != "None"), "unknown")
            units = units.merge(out, on="doc_id", how="left")
            units["group"] = units["outlet"].fillna("unknown").astype(str)
            units["label"] = units["group"]
            units = units.drop(columns="outlet")
        else:  # entity: every sentence once per entity it mentions
            m = _table(corpus, "mentions")
            if m.empty:
                units = units.iloc[0:0].assign(group=[], label=[])
            else:
                ent = m[["doc_id", "sent_id", "entity_id", "canonical_name"]].drop_duplicates(["doc_id", "sent_id", "entity_id"])
                units = units.merge(ent, on=["doc_id", "sent_id"], how="inner")
                units = units.rename(columns={"entity_id": "group", "canonical_name": "label"})
    if by == "published":
        pub = docs[["doc_id", "published"]] if not docs.empty else pd.DataFrame(columns=["doc_id", "published"])
        units = units.merge(pub, on="doc_id", how="left").rename(columns={"published": "when"})
    else:
        d = _table(corpus, "dates")
        if d.empty:
            return units.iloc[0:0].assign(when=pd.Series(dtype="datetime64[ns]"))
        d = d[d["date"].notna() & d["granularity"].isin(_ACCEPT[freq])]
        # a sentence is dated by its first resolved expression fine enough for the frequency
        d = d.sort_values(["doc_id", "sent_id", "start_char"]).drop_duplicates(["doc_id", "sent_id"])
        units = units.merge(d[["doc_id", "sent_id", "date"]], on=["doc_id", "sent_id"], how="inner")
        units = units.rename(columns={"date": "when"})
    units = units[pd.to_datetime(units["when"], errors="coerce").notna()]
    return units


def _evidence(g: pd.DataFrame, mean: float, max_ids: int) -> tuple[str, str]:
    """The sentence that best shows the period's tone (strongest on the mean's side), and the ids.

    Ids are the ``max_ids`` most strongly toned units, in reading order, so a
    chart's customdata stays small on a large corpus.
    """
    v = g["sentiment"].astype(float)
    keep = g.loc[v.abs().sort_values(ascending=False, kind="stable").index[:max_ids]] if len(g) > max_ids else g
    keep = keep.sort_values(["doc_id", "sent_id"], kind="stable")
    ids = ";".join(f"{d}:{int(s)}" for d, s in zip(keep["doc_id"], keep["sent_id"]))
    if abs(mean) < 0.05:
        best = (v - mean).abs().idxmin()
    else:
        best = (v * np.sign(mean)).idxmax()
    return str(g.loc[best, "text"]), ids


def _aggregate(units: pd.DataFrame, freq: str, max_ids: int = 200) -> pd.DataFrame:
    if units.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SERIES_COLUMNS}).astype(
            {"period": "datetime64[ns]", "mean": "float64", "count": "int64", "n_docs": "int64",
             "ci_low": "float64", "ci_high": "float64"})
    units = units.copy()
    units["period"], units["period_label"] = _period(units["when"], freq)
    rows = []
    for (period, label_p, grp), g in units.groupby(["period", "period_label", "group"], sort=True):
        mean, n, lo, hi = mean_ci(g["sentiment"])
        ev, ids = _evidence(g.reset_index(drop=True), mean, max_ids)
        rows.append({"period": period, "period_label": label_p, "group": grp, "label": str(g["label"].iloc[0]),
                     "mean": mean, "count": n, "n_docs": int(g["doc_id"].nunique()), "ci_low": lo,
                     "ci_high": hi, "evidence": ev, "evidence_ids": ids})
    out = pd.DataFrame(rows, columns=SERIES_COLUMNS)
    out["period"] = pd.to_datetime(out["period"]).astype("datetime64[ns]")
    return out.sort_values(["group", "period"], kind="stable").reset_index(drop=True)


def sentiment_over_time(corpus, *, by: str = "published", freq: str = "D", group: str | None = None,
                        max_evidence: int = 200) -> pd.DataFrame:
    """Mean sentence sentiment per period (and group), with count, 95% CI and evidence.

    Args:
        by: ``published`` dates each sentence by its article; ``event`` by the
            first time expression of the sentence (from the ``dates`` table) whose
            granularity fits ``freq`` (a ``2014`` never lands on a day), so the
            series shows when things happened, not when they were reported.
        freq: ``D`` day, ``W`` ISO week (period = its Monday), ``M`` month.
        group: None (one series ``all``), ``entity`` (sentences mentioning it),
            ``speaker`` (quotes, by speaker, scored by the quote sentiment), ``outlet``.
        max_evidence: at most this many ``evidence_ids`` per row (the most
            strongly toned); ``count`` always counts them all.

    Returns:
        ``period, period_label, group, label, mean, count, n_docs, ci_low, ci_high,
        evidence, evidence_ids`` (``evidence`` a representative sentence for chart
        hovers; ``evidence_ids`` ``doc_id:sent_id`` of every unit). Periods without
        data are absent: nothing is interpolated.
    """
    return _aggregate(_units(corpus, by=by, group=group, freq=freq), freq, max_evidence)


def mention_volume(corpus, *, freq: str = "D", entities: Iterable[str] | None = None,
                   by: str = "published") -> pd.DataFrame:
    """Mentions per entity per period: ``period, period_label, group, label, count, n_docs, share, evidence``.

    ``entities`` keeps only these entity ids or canonical names. ``share`` is the
    entity's part of all mentions in the period. No empty periods are added.
    """
    m = _table(corpus, "mentions")
    cols = ["period", "period_label", "group", "label", "count", "n_docs", "share", "evidence"]
    if m.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    m = m.copy()
    if by == "published":
        docs = _table(corpus, "documents")[["doc_id", "published"]]
        m = m.merge(docs, on="doc_id", how="left").rename(columns={"published": "when"})
    elif by == "event":
        d = _table(corpus, "dates")
        d = d[d["date"].notna() & d["granularity"].isin(_ACCEPT[freq])]
        d = d.sort_values(["doc_id", "sent_id", "start_char"]).drop_duplicates(["doc_id", "sent_id"])
        m = m.merge(d[["doc_id", "sent_id", "date"]], on=["doc_id", "sent_id"], how="inner").rename(columns={"date": "when"})
    else:
        raise ValueError(f"by must be 'published' or 'event', got {by!r}")
    m = m[pd.to_datetime(m["when"], errors="coerce").notna()]
    m["period"], m["period_label"] = _period(m["when"], freq)
    totals = m.groupby("period").size()
    if entities is not None:
        wanted = {str(e) for e in entities}
        m = m[m["entity_id"].astype(str).isin(wanted) | m["canonical_name"].astype(str).isin(wanted)]
    s = _table(corpus, "sentences")
    text = {(d, i): t for d, i, t in zip(s["doc_id"], s["sent_id"], s["text"])} if not s.empty else {}
    rows = []
    for (period, plabel, ent), g in m.groupby(["period", "period_label", "entity_id"], sort=True):
        first = g.sort_values(["doc_id", "start_char"]).iloc[0]
        rows.append({"period": period, "period_label": plabel, "group": ent, "label": str(first["canonical_name"]),
                     "count": len(g), "n_docs": int(g["doc_id"].nunique()),
                     "share": len(g) / float(totals.loc[period]),
                     "evidence": text.get((first["doc_id"], first["sent_id"]), str(first["surface"]))})
    out = pd.DataFrame(rows, columns=cols)
    if len(out):
        out["period"] = pd.to_datetime(out["period"]).astype("datetime64[ns]")
    return out.sort_values(["group", "period"], kind="stable").reset_index(drop=True)


def entity_tone(corpus) -> pd.DataFrame:
    """Per entity: mean sentiment of the sentences mentioning it and of the quotes it speaks.

    Columns ``entity_id, canonical_name, sentence_mean, n_sentences, sentence_ci_low,
    sentence_ci_high, quote_mean, n_quotes, quote_ci_low, quote_ci_high, n_docs``,
    sorted by ``n_sentences``. A sentence mentioning an entity twice counts once.
    """
    cols = ["entity_id", "canonical_name", "sentence_mean", "n_sentences", "sentence_ci_low", "sentence_ci_high",
            "quote_mean", "n_quotes", "quote_ci_low", "quote_ci_high", "n_docs"]
    m, s, q = _table(corpus, "mentions"), _table(corpus, "sentences"), _table(corpus, "quotes")
    if m.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    ent = m[["doc_id", "sent_id", "entity_id", "canonical_name"]].drop_duplicates(["doc_id", "sent_id", "entity_id"])
    sent = ent.merge(s[["doc_id", "sent_id", "sentiment"]], on=["doc_id", "sent_id"], how="left") if not s.empty \
        else ent.assign(sentiment=np.nan)
    names = m.groupby("entity_id")["canonical_name"].first()
    quotes_by = {k: g["sentiment"] for k, g in q.groupby("speaker_id")} if not q.empty else {}
    rows = []
    for eid, g in sent.groupby("entity_id", sort=False):
        sm, sn, slo, shi = mean_ci(g["sentiment"])
        qm, qn, qlo, qhi = mean_ci(quotes_by.get(eid, []))
        rows.append({"entity_id": eid, "canonical_name": str(names.get(eid, eid)), "sentence_mean": sm,
                     "n_sentences": sn, "sentence_ci_low": slo, "sentence_ci_high": shi, "quote_mean": qm,
                     "n_quotes": qn, "quote_ci_low": qlo, "quote_ci_high": qhi,
                     "n_docs": int(g["doc_id"].nunique())})
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["n_sentences", "entity_id"], ascending=[False, True], kind="stable").reset_index(drop=True)
