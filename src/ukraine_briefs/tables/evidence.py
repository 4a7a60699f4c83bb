"""From a clicked chart point back to the sentences behind it: plain functions over tables.

`evidence_for` maps a chart id (``fig.layout.meta["chart"]``) and the point's
``customdata`` (documented per chart in docs/charts.md) to a small DataFrame of
evidence sentences; `threats_behind` resolves the aggregated marks of the threat
charts to their threats. No widgets: the dashboard's `EvidencePanel` shows the
result, and a notebook can call the same functions.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ukraine_briefs.tables.io import Tables, as_tables
from ukraine_briefs.tables.queries import direct_quotes, published_of, stance_of
from ukraine_briefs.tables.speakers import GROUPINGS, speaker_groups
from ukraine_briefs.types import DEESCALATION, THREAT

#: Columns of every evidence frame.
EVIDENCE_COLUMNS = ["doc_id", "sent_id", "title", "outlet", "published", "text", "sentiment", "note"]
#: Sentences an evidence frame lists at most.
MAX_ROWS = 30
#: The row of the threat-categories chart that pools the actors beyond its ``top_n``.
OTHER_ACTORS = "other actors"
#: What `threat_parties` calls a side with neither affiliation nor name.
UNKNOWN_ACTOR, UNKNOWN_TARGET = "unknown actor", "unknown target"

# what pd.Timestamp / pd.Period raise on a value that is no date or period
_NOT_A_DATE = (ValueError, TypeError, OverflowError)


def empty_evidence() -> pd.DataFrame:
    """An evidence frame with no rows."""
    return pd.DataFrame(columns=EVIDENCE_COLUMNS)


# --------------------------------------------------------------------------- threats behind a mark

def _str(series: pd.Series, default: str) -> pd.Series:
    """Strings with missing values (None/NaN/'' / 'None') replaced by ``default``."""
    s = series.astype(object)
    bad = s.isna() | s.astype(str).str.strip().isin(["", "None", "nan", "<NA>"])
    return s.where(~bad, default).astype(str)


def _party(name: pd.Series, affiliation: pd.Series, unknown: str) -> pd.Series:
    """Who, for a stakeholder: the affiliation when known, else the name, else ``unknown``."""
    return _str(affiliation, "").where(lambda s: s != "", _str(name, unknown))


def threat_parties(threats: pd.DataFrame) -> pd.DataFrame:
    """``threats`` with the columns the threat charts group by: ``actor``, ``target``, ``cat``, ``intensity``.

    ``actor``/``target`` are the affiliation when known, else the name, else
    ``unknown actor``/``unknown target``; ``cat`` is the lower-cased category;
    ``stance`` is threat / deescalation (`queries.stance_of`).
    """
    t = threats.copy()
    t["stance"] = stance_of(threats)
    t["actor"] = _party(t["actor_name"], t["actor_affiliation"], UNKNOWN_ACTOR)
    t["target"] = _party(t["target_name"], t["target_affiliation"], UNKNOWN_TARGET)
    t["cat"] = _str(t["category"], "unspecified").str.lower()
    t["intensity"] = pd.to_numeric(t["intensity"], errors="coerce").fillna(1).clip(1, 4).astype(int)
    return t


def stance_category(t: pd.DataFrame) -> pd.Series:
    """The category key of the threat-categories chart for rows of `threat_parties`: the category for a
    threat, ``deescalation:<category>`` for a de-escalating statement (``deescalation`` itself as is),
    so a de-escalation category never merges with a threat category of the same name."""
    de = t["stance"] == DEESCALATION
    return t["cat"].where(~de, t["cat"].map(lambda c: c if c == DEESCALATION else f"{DEESCALATION}:{c}"))


def top_actors(t: pd.DataFrame, top_n: int) -> list[str]:
    """The ``top_n`` actors of `threat_parties` with the most statements (ties by name)."""
    n = t.groupby("actor").size().reset_index(name="n").sort_values(["n", "actor"], ascending=[False, True])
    return list(n["actor"].head(max(int(top_n), 1)))


def period_end(start: pd.Timestamp, freq: str) -> pd.Timestamp:
    """First instant after the period of ``freq`` (D, W or M) starting at ``start``."""
    return start + (pd.DateOffset(months=1) if freq == "M" else pd.Timedelta(days=7 if freq == "W" else 1))


def threats_behind(chart: str, customdata, threats: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of ``threats`` behind one clicked mark of a threat chart (for click-to-evidence).

    Resolves the aggregated marks, whose ``customdata`` names a group rather
    than listing its threats: a `threat_timeline` bubble (``[..., dyad,
    category, period_start, freq, n]``, needs ``documents`` for the dates) and
    the pooled "other actors" row of `threat_categories`. Plain marks work too
    (a timeline point -> its threat; a categories bar -> that actor and
    category). ``threats`` must be the table the chart was drawn from.
    """
    cd = [c.item() if hasattr(c, "item") else c for c in list(customdata)]
    if not isinstance(threats, pd.DataFrame) or threats.empty or not cd:
        return threats.iloc[0:0] if isinstance(threats, pd.DataFrame) else pd.DataFrame()
    if chart == "threat_timeline":  # the timeline draws threats only, never de-escalation
        threats = threats[(stance_of(threats) == THREAT).to_numpy()]
    t = threat_parties(threats)
    if chart == "threat_categories":
        t["cat"] = stance_category(t)
    if chart == "threat_timeline":
        if len(cd) < 9:
            return threats[t["threat_id"] == cd[0]]
        dyad, cat, start, freq = cd[4], cd[5], pd.Timestamp(cd[6]), cd[7]
        x = published_of(threats, documents)
        end = period_end(start, freq)
        hit = ((t["actor"] + " → " + t["target"]) == dyad) & (t["cat"] == cat) & (x >= start) & (x < end)
        return threats[hit.to_numpy()]
    if chart == "threat_categories":
        actor, cat = cd[0], cd[1]
        if actor == OTHER_ACTORS and len(cd) >= 3:
            hit = ~t["actor"].isin(top_actors(t, int(cd[2])))
        else:
            hit = t["actor"] == actor
        return threats[(hit & (t["cat"] == cat)).to_numpy()]
    return threats.iloc[0:0]


def _threat_keys(hit: pd.DataFrame) -> pd.DataFrame:
    def name(v) -> str:
        return "?" if v is None or (isinstance(v, float) and pd.isna(v)) or v == "" else str(v)

    notes = [f"{c}: {name(a)} → {name(t)} (“{g}”)" for c, a, t, g in
             zip(hit["category"], hit["actor_name"], hit["target_name"], hit["trigger"])]
    return hit[["doc_id", "sent_id"]].assign(note=notes)


# --------------------------------------------------------------------------- sentences behind a point

def _period_bounds(period, freq: str | None = None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last instant of a chart period (a Period, a 'YYYY-MM' string or a period start + freq)."""
    if period is None:
        return None
    if freq and not isinstance(period, pd.Period):
        try:
            start = pd.Timestamp(str(period))
            return start, period_end(start, freq) - pd.Timedelta(1)
        except _NOT_A_DATE:
            pass
    try:
        if isinstance(period, pd.Period):
            p = period
        else:
            text = str(period)
            if "/" in text:  # "2021-11-29/2021-12-05", a weekly period's str()
                a, b = text.split("/", 1)
                return pd.Timestamp(a), pd.Timestamp(b) + pd.Timedelta(days=1) - pd.Timedelta(1)
            p = pd.Period(text)
        return p.start_time, p.end_time
    except _NOT_A_DATE:
        try:
            ts = pd.Timestamp(str(period))
            return ts, ts + pd.Timedelta(days=1) - pd.Timedelta(1)
        except _NOT_A_DATE:
            return None


def total_of(frame: pd.DataFrame) -> int:
    """How many sentences stand behind an evidence frame (``frame.attrs["total"]``), listed or not."""
    return int(frame.attrs.get("total", len(frame)))


def _limited(out: pd.DataFrame, limit: int | None) -> pd.DataFrame:
    """The first ``limit`` rows (all when None), remembering the full count in ``attrs["total"]``."""
    total = len(out)
    out = (out if limit is None else out.head(limit)).reset_index(drop=True)
    out.attrs["total"] = total
    return out


def _sentences(t: Tables, keys: pd.DataFrame, note: str | Sequence[str] = "",
               limit: int | None = MAX_ROWS) -> pd.DataFrame:
    """Sentences of ``keys`` (doc_id, sent_id[, note]) joined with document metadata: the first ``limit``,
    with the number of all in ``attrs["total"]``."""
    if keys.empty:
        return empty_evidence()
    sents = t.sentences[["doc_id", "sent_id", "text", "sentiment"]]
    docs = t.documents[["doc_id", "title", "outlet", "published"]]
    keys = keys.copy()
    if "note" not in keys.columns:
        keys["note"] = note
    keys = keys.drop_duplicates(["doc_id", "sent_id"])
    out = keys.merge(sents, on=["doc_id", "sent_id"], how="inner").merge(docs, on="doc_id", how="left")
    out = out.sort_values(["published", "doc_id", "sent_id"], na_position="last")
    return _limited(out[EVIDENCE_COLUMNS], limit)


def _mention_keys(t: Tables, entity_ids: Sequence[str]) -> pd.DataFrame:
    m = t.mentions
    hit = m[m["entity_id"].isin(list(entity_ids)) | m["canonical_name"].isin(list(entity_ids))]
    return hit[["doc_id", "sent_id"]]


def _docs_in_period(t: Tables, period, freq: str | None = None) -> set[str] | None:
    bounds = _period_bounds(period, freq)
    if bounds is None:
        return None
    docs = t.documents
    pub = pd.to_datetime(docs["published"], errors="coerce")
    return set(docs.loc[(pub >= bounds[0]) & (pub <= bounds[1]), "doc_id"])


def _group_keys(t: Tables, group, by: str) -> pd.DataFrame:
    """Sentences belonging to one group of a sentiment/volume chart."""
    sents = t.sentences
    if group is None or str(group) in ("", "all", "All", "None", "corpus"):
        return sents[["doc_id", "sent_id"]]
    if by == "outlet":
        docs = t.documents
        ids = set(docs.loc[docs["outlet"] == group, "doc_id"])
        return sents.loc[sents["doc_id"].isin(ids), ["doc_id", "sent_id"]]
    if by == "speaker":
        q = t.quotes
        hit = q[(q["speaker_name"] == group) | (q["speaker_id"] == group)]
        return hit[["doc_id", "sent_id"]]
    ents = t.entities
    ids = set(ents.loc[(ents["canonical_name"] == group) | (ents["affiliation"] == group)
                       | (ents["entity_id"] == group), "entity_id"]) | {group}
    return _mention_keys(t, list(ids))


def _id_keys(ids: str) -> pd.DataFrame:
    """``"doc:3;doc:7"`` (timeseries ``evidence_ids``) -> (doc_id, sent_id) keys."""
    pairs = []
    for part in str(ids).split(";"):
        doc, _, sent = part.rpartition(":")
        if doc and sent.strip().lstrip("-").isdigit():
            pairs.append((doc, int(sent)))
    return pd.DataFrame(pairs, columns=["doc_id", "sent_id"])


def _pair_keys(t: Tables, a, b, window: str) -> pd.DataFrame:
    """Sentences where entities ``a`` and ``b`` are co-mentioned in ``window``."""
    m = t.mentions
    col = "paragraph_id" if window == "paragraph" and "paragraph_id" in m.columns else "sent_id"
    ma = m[m["entity_id"] == a]
    mb = m[m["entity_id"] == b]
    if window == "document":
        docs = set(ma["doc_id"]) & set(mb["doc_id"])
        return m[m["doc_id"].isin(docs) & m["entity_id"].isin([a, b])][["doc_id", "sent_id"]]
    both = set(zip(ma["doc_id"], ma[col])) & set(zip(mb["doc_id"], mb[col]))
    in_both = pd.Series([(d, s) in both for d, s in zip(m["doc_id"], m[col])], index=m.index, dtype=bool)
    return m[in_both & m["entity_id"].isin([a, b])][["doc_id", "sent_id"]]


def _series_evidence(t: Tables, chart: str, cd: list, by: str, freq: str | None,
                     limit: int | None = MAX_ROWS) -> pd.DataFrame:
    """A point or bar of the sentiment / mention-volume charts."""
    period, group = (cd + [None, None])[:2]
    if len(cd) >= 4 and isinstance(cd[3], str) and ":" in cd[3]:
        keys = _id_keys(cd[3])  # the exact sentences the point averages
    elif len(cd) == 3 and isinstance(cd[2], str) and cd[2].startswith("except:"):
        # the pooled "other" bar of mention_volume: every entity but those drawn on their own
        m = t.mentions
        keys = m.loc[~m["entity_id"].isin(cd[2][len("except:"):].split(";")), ["doc_id", "sent_id"]]
    else:
        keys = _group_keys(t, group, by)
    docs = _docs_in_period(t, period, freq)
    if docs is not None:
        keys = keys[keys["doc_id"].isin(docs)]
    out = _sentences(t, keys, str(group or ""), limit=None)
    if chart == "sentiment_over_time" and not out.empty:
        # the most strongly toned sentences explain a point best
        out = out.reindex(out["sentiment"].abs().sort_values(ascending=False, kind="stable").index)
    return _limited(out, limit)


def evidence_for(chart: str, customdata: Any, tables, *, by: str = "entity",
                 freq: str | None = None, limit: int | None = MAX_ROWS) -> pd.DataFrame:
    """The evidence sentences behind one point of ``chart``.

    Args:
        chart: the chart id (``fig.layout.meta["chart"]``, e.g. ``threat_timeline``);
            ``cooccurrence_edges`` for the edge markers of the network.
        customdata: that point's ``customdata`` (a list; see docs/charts.md); for
            ``threat_sankey`` links/nodes ``[source, target, "id;id"]``.
        tables: the *filtered* tables the chart was drawn from (anything `as_tables` takes).
        by: for sentiment/volume charts, what the groups are (entity, speaker, outlet).
        freq: the period length of time charts (D, W, M) when periods come as start dates.
        limit: rows listed at most (None: all, for a download).

    Returns:
        A frame with `EVIDENCE_COLUMNS`, at most ``limit`` rows, in date order
        (sentiment points: strongest tone first); ``attrs["total"]`` (`total_of`)
        counts all the sentences behind the point, so a view can say "30 of 32".

    Examples:
        >>> evidence_for("top_entities", ["Q_putin"], Tables.empty()).columns.tolist() == EVIDENCE_COLUMNS
        True
    """
    if isinstance(customdata, (list, tuple, pd.Series, np.ndarray)) or hasattr(customdata, "tolist"):
        cd = list(customdata)
    else:
        cd = [customdata]
    cd = [c.item() if hasattr(c, "item") else c for c in cd]
    if not cd:
        return empty_evidence()
    t = as_tables(tables)
    if chart in ("top_entities", "cooccurrence_network"):
        # network nodes: [entity_id, name, n_mentions, affiliation, type]; top_entities: [entity_id]
        return _sentences(t, _mention_keys(t, [cd[0]]), f"mentions {cd[1] if len(cd) > 1 else cd[0]}", limit)
    if chart in ("cooccurrence_matrix", "cooccurrence_edges"):
        window = cd[2] if len(cd) > 2 and isinstance(cd[2], str) else "sentence"
        return _sentences(t, _pair_keys(t, cd[0], cd[1], window), "co-mention", limit)
    if chart in ("threat_timeline", "threat_categories") and not (chart == "threat_categories" and len(cd) < 2):
        # a point, a bubble of many threats (per dyad, period, category) or the pooled "other actors" row
        return _sentences(t, _threat_keys(threats_behind(chart, cd, t.threats, t.documents)), "threat", limit)
    if chart in ("threat_sankey", "deescalation_pairs") and len(cd) >= 3 and isinstance(cd[2], str):
        # a link or node: [source, target, "t1;t2"] -- exactly the threats it stands for
        ids = [i for i in cd[2].split(";") if i]
        return _sentences(t, _threat_keys(t.threats[t.threats["threat_id"].astype(str).isin(ids)]), "threat", limit)
    if chart in ("threat_categories", "threat_sankey"):
        aff, cat = (cd + [None, None])[:2]
        hit = t.threats
        if aff not in (None, "", "unknown", "Unknown"):
            hit = hit[(hit["actor_affiliation"] == aff) | (hit["actor_name"] == aff)]
        if cat not in (None, ""):
            hit = hit[hit["category"] == cat]
        return _sentences(t, _threat_keys(hit), "threat", limit)
    if chart == "quotes_by_speaker":
        # [group key, label, by]: a named speaker's key is its speaker_id; "(none)" = no source found
        q = direct_quotes(t.quotes)
        key, by = cd[0], (cd[2] if len(cd) > 2 and cd[2] in GROUPINGS else "speaker")
        keys = speaker_groups(q, t.entities, by=by)["key"]
        hit = q[keys.isna().to_numpy()] if key in (None, "", "(none)") else q[(keys == key).to_numpy()]
        return _sentences(t, hit[["doc_id", "sent_id"]].assign(note="quote"), limit=limit)
    if chart == "quotes_by_source" and "source_type" in t.quotes.columns:
        q = direct_quotes(t.quotes)
        kind = q["source_type"].astype(object)
        hit = q[kind.isna().to_numpy()] if cd[0] == "unknown" else q[(kind == cd[0]).to_numpy()]
        return _sentences(t, hit[["doc_id", "sent_id"]].assign(note=f"quote ({cd[0]} source)"), limit=limit)
    if chart in ("sentiment_over_time", "tone_small_multiples", "mention_volume"):
        return _series_evidence(t, "sentiment_over_time" if chart != "mention_volume" else chart, cd, by, freq, limit)
    return empty_evidence()
