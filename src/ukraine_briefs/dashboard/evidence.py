"""From a clicked chart point back to the sentences behind it.

`evidence_for` maps a chart name and the point's ``customdata`` (documented per
chart in docs/charts.md) to a small DataFrame of evidence sentences; the
`EvidencePanel` shows them. Article text is data: everything is HTML-escaped.
"""
from __future__ import annotations

import html
from typing import Any, Sequence

import ipywidgets as w
import pandas as pd

from ukraine_briefs.dashboard.data import table

#: Columns of every evidence frame.
EVIDENCE_COLUMNS = ["doc_id", "sent_id", "title", "outlet", "published", "text", "sentiment", "note"]
MAX_ROWS = 30


def _empty() -> pd.DataFrame:
    return pd.DataFrame(columns=EVIDENCE_COLUMNS)


_FREQ_DAYS = {"D": 1, "W": 7}


def _period_bounds(period, freq: str | None = None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First and last instant of a chart period (a Period, a 'YYYY-MM' string or a period start + freq)."""
    if period is None:
        return None
    if freq and not isinstance(period, pd.Period):
        try:
            start = pd.Timestamp(str(period))
            end = start + (pd.DateOffset(months=1) if freq == "M" else pd.Timedelta(days=_FREQ_DAYS.get(freq, 1)))
            return start, end - pd.Timedelta(1)
        except Exception:
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
    except Exception:
        try:
            ts = pd.Timestamp(str(period))
            return ts, ts + pd.Timedelta(days=1) - pd.Timedelta(1)
        except Exception:
            return None


def _sentences(tables, keys: pd.DataFrame, note: str | Sequence[str] = "") -> pd.DataFrame:
    """Sentences of ``keys`` (doc_id, sent_id[, note]) joined with document metadata."""
    if keys.empty:
        return _empty()
    sents = table(tables, "sentences")[["doc_id", "sent_id", "text", "sentiment"]]
    docs = table(tables, "documents")[["doc_id", "title", "outlet", "published"]]
    keys = keys.copy()
    if "note" not in keys.columns:
        keys["note"] = note
    keys = keys.drop_duplicates(["doc_id", "sent_id"])
    out = keys.merge(sents, on=["doc_id", "sent_id"], how="inner").merge(docs, on="doc_id", how="left")
    out = out.sort_values(["published", "doc_id", "sent_id"], na_position="last")
    return out[EVIDENCE_COLUMNS].head(MAX_ROWS).reset_index(drop=True)


def _mention_keys(tables, entity_ids: Sequence[str]) -> pd.DataFrame:
    m = table(tables, "mentions")
    hit = m[m["entity_id"].isin(list(entity_ids)) | m["canonical_name"].isin(list(entity_ids))]
    return hit[["doc_id", "sent_id"]]


def _docs_in_period(tables, period, freq: str | None = None) -> set[str] | None:
    bounds = _period_bounds(period, freq)
    if bounds is None:
        return None
    docs = table(tables, "documents")
    pub = pd.to_datetime(docs["published"], errors="coerce")
    return set(docs.loc[(pub >= bounds[0]) & (pub <= bounds[1]), "doc_id"])


def _group_keys(tables, group, by: str) -> pd.DataFrame:
    """Sentences belonging to one group of a sentiment/volume chart."""
    sents = table(tables, "sentences")
    if group is None or str(group) in ("", "all", "All", "None", "corpus"):
        return sents[["doc_id", "sent_id"]]
    if by == "outlet":
        docs = table(tables, "documents")
        ids = set(docs.loc[docs["outlet"] == group, "doc_id"])
        return sents.loc[sents["doc_id"].isin(ids), ["doc_id", "sent_id"]]
    if by == "speaker":
        q = table(tables, "quotes")
        hit = q[(q["speaker_name"] == group) | (q["speaker_id"] == group)]
        return hit[["doc_id", "sent_id"]]
    ents = table(tables, "entities")
    ids = set(ents.loc[(ents["canonical_name"] == group) | (ents["affiliation"] == group)
                       | (ents["entity_id"] == group), "entity_id"]) | {group}
    return _mention_keys(tables, list(ids))


def _id_keys(ids: str) -> pd.DataFrame:
    """``"doc:3;doc:7"`` (timeseries ``evidence_ids``) -> (doc_id, sent_id) keys."""
    pairs = []
    for part in str(ids).split(";"):
        doc, _, sent = part.rpartition(":")
        if doc and sent.strip().lstrip("-").isdigit():
            pairs.append((doc, int(sent)))
    return pd.DataFrame(pairs, columns=["doc_id", "sent_id"])


def evidence_for(chart: str, customdata: Any, tables, *, by: str = "entity",
                 freq: str | None = None) -> pd.DataFrame:
    """The evidence sentences behind one point of ``chart``.

    Args:
        chart: the chart name (``fig.layout.meta["chart"]`` or the function name);
            ``cooccurrence_edges`` for the edge markers of the network.
        customdata: that point's ``customdata`` (a list; see docs/charts.md); for
            ``threat_sankey`` links/nodes ``[source, target, "id;id"]``.
        tables: the *filtered* tables the chart was drawn from.
        by: for sentiment/volume charts, what the groups are (entity, speaker, outlet).
        freq: the period length of time charts (D, W, M) when periods come as start dates.

    Returns:
        A frame with `EVIDENCE_COLUMNS`, at most `MAX_ROWS` rows, in date order.
    """
    cd = list(customdata) if isinstance(customdata, (list, tuple, pd.Series)) or hasattr(customdata, "tolist") else [customdata]
    cd = [c.item() if hasattr(c, "item") else c for c in cd]
    if not cd:
        return _empty()
    if chart in ("top_entities", "cooccurrence_network"):
        # network nodes: [entity_id, name, n_mentions, affiliation, type]; top_entities: [entity_id]
        return _sentences(tables, _mention_keys(tables, [cd[0]]), f"mentions {cd[1] if len(cd) > 1 else cd[0]}")
    if chart in ("cooccurrence_matrix", "cooccurrence_edges"):
        a, b = cd[0], cd[1]
        window = cd[2] if len(cd) > 2 and isinstance(cd[2], str) else "sentence"
        m = table(tables, "mentions")
        col = "paragraph_id" if window == "paragraph" and "paragraph_id" in m.columns else "sent_id"
        ma = m[m["entity_id"] == a]
        mb = m[m["entity_id"] == b]
        if window == "document":
            docs = set(ma["doc_id"]) & set(mb["doc_id"])
            keys = m[m["doc_id"].isin(docs) & m["entity_id"].isin([a, b])][["doc_id", "sent_id"]]
        else:
            both = set(zip(ma["doc_id"], ma[col])) & set(zip(mb["doc_id"], mb[col]))
            in_both = pd.Series([(d, s) in both for d, s in zip(m["doc_id"], m[col])], index=m.index, dtype=bool)
            hit = m[in_both & m["entity_id"].isin([a, b])]
            keys = hit[["doc_id", "sent_id"]]
        return _sentences(tables, keys, "co-mention")
    if chart in ("threat_timeline", "threat_categories") and not (chart == "threat_categories" and len(cd) < 2):
        # a point, a bubble of many threats (per dyad, period, category) or the pooled "other actors" row
        from ukraine_briefs.charts import threats_behind

        hit = threats_behind(chart, cd, table(tables, "threats"), table(tables, "documents"))
        return _sentences(tables, _threat_keys(hit), "threat")
    if chart == "threat_sankey" and len(cd) >= 3 and isinstance(cd[2], str):
        # a link or node: [source, target, "t1;t2"] -- exactly the threats it stands for
        t = table(tables, "threats")
        ids = [i for i in cd[2].split(";") if i]
        return _sentences(tables, _threat_keys(t[t["threat_id"].astype(str).isin(ids)]), "threat")
    if chart in ("threat_categories", "threat_sankey"):
        t = table(tables, "threats")
        aff, cat = (cd + [None, None])[:2]
        hit = t
        if aff not in (None, "", "unknown", "Unknown"):
            hit = hit[(hit["actor_affiliation"] == aff) | (hit["actor_name"] == aff)]
        if cat not in (None, ""):
            hit = hit[hit["category"] == cat]
        return _sentences(tables, _threat_keys(hit), "threat")
    if chart == "quotes_by_speaker":
        q = table(tables, "quotes")
        sid, name = (cd + [None, None])[:2]
        hit = q[(q["speaker_id"] == sid) | (q["speaker_name"] == name)] if sid or name else q[q["speaker_id"].isna()]
        keys = hit[["doc_id", "sent_id"]].assign(note="quote")
        return _sentences(tables, keys)
    if chart in ("sentiment_over_time", "mention_volume"):
        period, group = (cd + [None, None])[:2]
        if len(cd) >= 4 and isinstance(cd[3], str) and ":" in cd[3]:
            keys = _id_keys(cd[3])  # the exact sentences the point averages
        elif len(cd) == 3 and isinstance(cd[2], str) and cd[2].startswith("except:"):
            # the pooled "other" bar of mention_volume: every entity but those drawn on their own
            m = table(tables, "mentions")
            keys = m.loc[~m["entity_id"].isin(cd[2][len("except:"):].split(";")), ["doc_id", "sent_id"]]
        else:
            keys = _group_keys(tables, group, by)
        docs = _docs_in_period(tables, period, freq)
        if docs is not None:
            keys = keys[keys["doc_id"].isin(docs)]
        out = _sentences(tables, keys, str(group or ""))
        if chart == "sentiment_over_time" and not out.empty:
            # the most strongly toned sentences explain a point best
            out = out.reindex(out["sentiment"].abs().sort_values(ascending=False).index).reset_index(drop=True)
        return out
    return _empty()


def _threat_keys(hit: pd.DataFrame) -> pd.DataFrame:
    def name(v) -> str:
        return "?" if v is None or (isinstance(v, float) and pd.isna(v)) or v == "" else str(v)

    notes = [f"{c}: {name(a)} → {name(t)} (“{g}”)" for c, a, t, g in
             zip(hit["category"], hit["actor_name"], hit["target_name"], hit["trigger"])]
    return hit[["doc_id", "sent_id"]].assign(note=notes)


def _e(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _date(value) -> str:
    ts = pd.Timestamp(value) if value is not None else pd.NaT
    return "" if pd.isna(ts) else ts.strftime("%d %b %Y")


def evidence_html(title: str, frame: pd.DataFrame) -> str:
    """The evidence as an HTML list; every value from the corpus is escaped."""
    if frame.empty:
        return (f"<div class='ub-evidence-head'>{_e(title)}</div>"
                "<p class='ub-muted'>No sentences behind this point in the current selection.</p>")
    items = []
    for row in frame.itertuples(index=False):
        tone = row.sentiment if isinstance(row.sentiment, (int, float)) and not pd.isna(row.sentiment) else 0.0
        cls = "pos" if tone > 0.05 else "neg" if tone < -0.05 else "neu"
        items.append(
            "<li class='ub-ev'>"
            f"<div class='ub-ev-meta'>{_e(row.title)} · {_e(row.outlet)} · {_date(row.published)}"
            f" · sentence {int(row.sent_id)} <span class='ub-tone ub-{cls}'>tone {tone:+.2f}</span>"
            + (f" · <em>{_e(row.note)}</em>" if row.note else "") + "</div>"
            f"<div class='ub-ev-text'>{_e(row.text)}</div></li>")
    return (f"<div class='ub-evidence-head'>{_e(title)} <span class='ub-muted'>({len(frame)} sentence"
            f"{'s' if len(frame) != 1 else ''})</span></div><ol class='ub-ev-list'>{''.join(items)}</ol>")


class EvidencePanel(w.VBox):
    """Shows the sentences behind the last clicked chart point."""

    PROMPT = ("<div class='ub-evidence-head'>Evidence</div><p class='ub-muted'>Click a point, bar or "
              "cell in any chart to read the sentences behind it.</p>")

    def __init__(self, **kwargs):
        self.body = w.HTML(self.PROMPT)
        self.body.add_class("ub-evidence-body")
        self.frame = _empty()
        super().__init__([self.body], **kwargs)
        self.add_class("ub-evidence")

    def show(self, title: str, frame: pd.DataFrame) -> None:
        """Display ``frame`` (an `evidence_for` result) under ``title``."""
        self.frame = frame
        self.body.value = evidence_html(title, frame)

    def clear(self) -> None:
        self.frame = _empty()
        self.body.value = self.PROMPT
