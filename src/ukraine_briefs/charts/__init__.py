"""Charts: functions from tables (DataFrames) to `plotly.graph_objects.Figure`, one module per family.

Every chart is titled, has labelled axes, prints legibly, takes its colours
from `palette` (one colour per actor affiliation everywhere) and never raises:
empty input gives a titled "No data for this selection" figure. Every point
carries ``customdata`` that leads back to its evidence (see ``docs/charts.md``),
and all article text in hovers, labels or the reader is HTML-escaped.

Charts read tables only: they never import spaCy, an extractor or the build.
"""
from ukraine_briefs.charts.catalog import ALL_CHARTS, chart_data
from ukraine_briefs.charts.documents import corpus_overview_chart, document_html
from ukraine_briefs.charts.network import cooccurrence_matrix_chart, cooccurrence_network_chart, top_entities_chart
from ukraine_briefs.charts.over_time import mention_volume_chart, sentiment_chart, tone_small_multiples_chart
from ukraine_briefs.charts.quotes import quotes_by_source_chart, quotes_by_speaker_chart
from ukraine_briefs.charts.style import empty_figure, esc
from ukraine_briefs.charts.threats import (
    category_label,
    deescalation_chart,
    threat_categories_chart,
    threat_sankey_chart,
    threat_timeline_chart,
)

__all__ = [
    "ALL_CHARTS",
    "category_label",
    "chart_data",
    "cooccurrence_matrix_chart",
    "cooccurrence_network_chart",
    "corpus_overview_chart",
    "deescalation_chart",
    "document_html",
    "empty_figure",
    "esc",
    "mention_volume_chart",
    "quotes_by_source_chart",
    "quotes_by_speaker_chart",
    "sentiment_chart",
    "threat_categories_chart",
    "threat_sankey_chart",
    "threat_timeline_chart",
    "tone_small_multiples_chart",
    "top_entities_chart",
]
