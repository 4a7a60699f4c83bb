"""Every chart of a corpus by name: `ALL_CHARTS` (what `export.export_all` writes) and `chart_data` (its CSV).

The names are the figures' chart ids (``fig.layout.meta["chart"]``) and the
export file names (``threat_sankey.png``, ``threat_sankey.csv``). Time charts
are drawn from the one time-series implementation, `tables.timeseries`, by week.
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from ukraine_briefs.charts.documents import corpus_overview_chart
from ukraine_briefs.charts.network import cooccurrence_matrix_chart, cooccurrence_network_chart, top_entities_chart
from ukraine_briefs.charts.over_time import mention_volume_chart, sentiment_chart
from ukraine_briefs.charts.quotes import quotes_by_speaker_chart
from ukraine_briefs.charts.threats import threat_categories_chart, threat_sankey_chart, threat_timeline_chart
from ukraine_briefs.tables import timeseries
from ukraine_briefs.tables.io import as_tables

#: Evidence ids a tone point of `ALL_CHARTS` carries: the evidence panel lists 30 sentences.
MAX_EVIDENCE_IDS = 30


def _weekly_mentions(tables) -> pd.DataFrame:
    return timeseries.mentions_by_period(tables, freq="W")


def _weekly_tone(tables, *, max_evidence: int | None = None) -> pd.DataFrame:
    """Mean sentence tone per week and outlet; ``max_evidence`` None keeps timeseries' default."""
    kw = {} if max_evidence is None else {"max_evidence": max_evidence}
    return timeseries.sentiment_by_period(tables, by="published", freq="W", group="outlet", **kw)


def _charts_for(tables) -> dict[str, Callable[[], go.Figure]]:
    t = tables
    return {
        "corpus_overview": lambda: corpus_overview_chart(t.documents),
        "top_entities": lambda: top_entities_chart(t.entities),
        "cooccurrence_network": lambda: cooccurrence_network_chart(t.cooccurrence, t.entities),
        "cooccurrence_matrix": lambda: cooccurrence_matrix_chart(t.cooccurrence, t.entities),
        "mention_volume": lambda: mention_volume_chart(_weekly_mentions(t), entities=t.entities),
        # the 30 most strongly toned sentences per point: what the evidence panel can list
        # (all 200 of timeseries' default made 990 KB of figure at 10,000 articles)
        "sentiment_over_time": lambda: sentiment_chart(_weekly_tone(t, max_evidence=MAX_EVIDENCE_IDS),
                                                       entities=t.entities),
        "quotes_by_speaker": lambda: quotes_by_speaker_chart(t.quotes, entities=t.entities),
        "threat_timeline": lambda: threat_timeline_chart(t.threats, t.documents),
        "threat_categories": lambda: threat_categories_chart(t.threats),
        "threat_sankey": lambda: threat_sankey_chart(t.threats, documents=t.documents),
    }


def _named_cooccurrence(tables) -> pd.DataFrame:
    c = tables.cooccurrence.copy()
    names = tables.entities.drop_duplicates("entity_id").set_index("entity_id")["canonical_name"]
    c.insert(2, "name_a", c["entity_a"].map(names))
    c.insert(3, "name_b", c["entity_b"].map(names))
    return c.sort_values(["window", "count"], ascending=[True, False])


def _threats_with_dates(tables) -> pd.DataFrame:
    t = tables.threats.copy()
    docs = tables.documents.drop_duplicates("doc_id").set_index("doc_id")
    # reindex, not map: an empty selection must still give a datetime column (map casts to float)
    t.insert(2, "published", docs["published"].reindex(t["doc_id"]).to_numpy())
    t.insert(3, "title", docs["title"].reindex(t["doc_id"]).to_numpy())
    return t


_CHART_DATA: dict[str, Callable] = {
    "corpus_overview": lambda t: t.documents.drop(columns=["text"], errors="ignore"),
    "top_entities": lambda t: t.entities.sort_values("n_mentions", ascending=False),
    "cooccurrence_network": _named_cooccurrence,
    "cooccurrence_matrix": _named_cooccurrence,
    "mention_volume": _weekly_mentions,
    "sentiment_over_time": _weekly_tone,
    "quotes_by_speaker": lambda t: t.quotes,
    "threat_timeline": _threats_with_dates,
    "threat_categories": _threats_with_dates,
    "threat_sankey": _threats_with_dates,
}


def chart_data(name: str, tables) -> pd.DataFrame:
    """The table a chart of ``ALL_CHARTS`` is drawn from, for its CSV download."""
    return _CHART_DATA[name](as_tables(tables)).reset_index(drop=True)


#: Chart name -> function(tables) -> Figure; what `export.export_all` writes.
ALL_CHARTS: dict[str, Callable] = {
    name: (lambda tables, _n=name: _charts_for(tables)[_n]()) for name in [
        "corpus_overview", "top_entities", "cooccurrence_network", "cooccurrence_matrix", "mention_volume",
        "sentiment_over_time", "quotes_by_speaker", "threat_timeline", "threat_categories", "threat_sankey",
    ]
}
