"""`ChartPanel`: one chart of the app with its downloads and its click -> evidence wiring.

A panel owns one plotly ``FigureWidget``, its PNG/SVG/CSV download buttons and
the lookup of the sentences behind a clicked point (`tables.evidence.evidence_for`),
which it hands to the `EvidencePanel`.
"""
from __future__ import annotations

import html
import logging
from typing import Callable

import ipywidgets as w
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from ukraine_briefs import charts
from ukraine_briefs.charts import export
from ukraine_briefs.dashboard.download import DownloadButton
from ukraine_briefs.dashboard.evidence import EvidencePanel
from ukraine_briefs.dashboard.figure import figure_widget
from ukraine_briefs.tables.evidence import evidence_for, threat_parties

log = logging.getLogger(__name__)

#: Sankey nodes ignore the pointer. A FigureWidget reports a click on a Sankey link or node
#: alike as (trace, index), with nothing telling which, so a node click would show the evidence
#: of the link with the same index. (With ``arrangement="snap"`` plotly.js emits no click for
#: nodes anyway -- its drag handler re-inserts the node on mousedown -- but "fixed" would.)
#: Links stay clickable (their ``customdata`` holds the threat ids behind them); node labels
#: stay visible, node tooltips and dragging are the price.
SANKEY_CSS = ("<style>.ub-chart .sankey-node, .ub-chart .sankey-node * "
              "{ pointer-events: none !important; }</style>")


def _first_point(points) -> int | tuple | None:
    inds = list(getattr(points, "point_inds", []) or [])
    return inds[0] if inds else None


def _customdata_at(trace, ind):
    cd = getattr(trace, "customdata", None)
    if getattr(trace, "type", None) == "sankey":
        # plotly reports a link click as (trace, link index) -- and a node click the same
        # way, which is why SANKEY_CSS makes nodes ignore the pointer.
        cd = trace.link.customdata
    if cd is None or ind is None:
        return None
    try:
        if isinstance(ind, (list, tuple)):  # heatmap cells come as [row, col]
            row = cd[ind[0]]
            return row[ind[1]]
        return cd[ind]
    except (IndexError, KeyError, TypeError):
        return None


def _dates_as_text(fig: go.Figure) -> go.Figure:
    """datetime64 arrays -> ISO strings: the widget serialiser would send them as integers."""
    for tr in fig.data:
        for attr in ("x", "y", "base"):
            vals = getattr(tr, attr, None) if attr in tr else None
            if vals is None:
                continue
            arr = np.asarray(vals)
            if arr.dtype.kind == "M":
                tr[attr] = [None if pd.isna(v) else pd.Timestamp(v).isoformat() for v in arr]
            elif arr.dtype == object and len(arr) and any(isinstance(v, (pd.Timestamp, np.datetime64)) for v in arr[:5]):
                tr[attr] = [pd.Timestamp(v).isoformat() if isinstance(v, (pd.Timestamp, np.datetime64)) else v for v in arr]
    return fig


def _date_label(value) -> str:
    ts = pd.to_datetime(str(value), errors="coerce")
    return str(value) if pd.isna(ts) else ts.strftime("%d %b %Y")


def _label(cd, tables=None, chart: str = "") -> str:
    """A readable name for a clicked point: names, never raw ids, each said once.

    Entity ids become canonical names; a threat becomes its actor → target; a
    period start becomes a date.
    """
    vals = list(cd) if isinstance(cd, (list, tuple)) else [cd]
    names: dict[str, str] = {}
    if tables is not None:
        ents = tables.entities
        names = dict(zip(ents["entity_id"].astype(str), ents["canonical_name"].astype(str)))
    if chart == "threat_timeline" and tables is not None:
        if len(vals) >= 9:  # a bubble: [..., dyad, category, period_start, freq, n]
            return f"{vals[4]} · {str(vals[5]).replace('_', ' ')} · from {_date_label(vals[6])}"
        hit = threat_parties(tables.threats[tables.threats["threat_id"].astype(str) == str(vals[0])])
        if len(hit):
            r = hit.iloc[0]
            return f"{r['actor']} → {r['target']} · {str(r['cat']).replace('_', ' ')}"
    if chart in ("sentiment_over_time", "mention_volume") and vals:
        vals = [vals[1] if len(vals) > 1 else None, _date_label(vals[0])]
    if chart in ("threat_sankey", "deescalation_pairs") and len(vals) >= 2:
        return " → ".join(str(v) for v in vals[:2] if str(v or "").strip())
    shown: list[str] = []
    for v in vals[:2]:
        if v is None or str(v) in ("", "None", "nan", "except:"):
            continue
        name = names.get(str(v), str(v))
        if name not in shown:
            shown.append(name)
    return " · ".join(shown) if shown else "point"


class ChartPanel(w.VBox):
    """One chart: a FigureWidget, its downloads and click-to-evidence.

    Args:
        name: stable id, used for file names and CSS (``ub-chart-<name>``).
        make: ``tables -> Figure``; exceptions become a message figure, never a traceback.
        evidence: the panel that shows the sentences behind a clicked point.
        data: ``tables -> DataFrame`` for the CSV download (default: the figure's data).
        by: how sentiment/volume groups map back to sentences (entity, speaker, outlet).
        height: figure height in pixels.
        screen: layout changes for the on-screen chart only (exports keep the print layout).
    """

    def __init__(self, name: str, make: Callable, *, evidence: EvidencePanel | None = None,
                 data: Callable | None = None, by: str | Callable[[], str] = "entity",
                 freq: str | Callable[[], str] | None = None, height: int = 460, caption: str = "",
                 screen: dict | None = None, **kwargs):
        self.name = name
        self.make = make
        self.data_fn = data
        self.by = by
        self.freq = freq
        self.screen = screen or {}
        self.height = height
        self.evidence = evidence
        self.nudge = None  # a figure.ResizeNudge, set by the Dashboard
        self.tables = None
        self.fig: go.Figure = go.Figure()
        self.caption = caption
        # Nothing is shown before the first refresh: a chart of a tab nobody opened costs the browser
        # no widget models (its FigureWidget, three buttons and their layouts are ~14), and the kernel
        # no plotly widget; a viewer's first page then carries only the overview's charts.
        self.figure: go.FigureWidget | None = None
        self.png = self.svg = self.csv = None
        self.n_renders = 0
        super().__init__([], **kwargs)
        self.add_class("ub-chart")
        self.add_class(f"ub-chart-{name}")

    def _bar(self) -> w.HBox:
        """The caption and the PNG/SVG/CSV buttons under the chart (made at the first refresh)."""
        self.png = DownloadButton("PNG", filename=f"{self.name}.png", content=lambda: self.image_bytes("png"),
                                  hint="Download this chart as a PNG image")
        self.svg = DownloadButton("SVG", filename=f"{self.name}.svg", content=lambda: self.image_bytes("svg"),
                                  hint="Download this chart as an SVG (vector) image")
        self.csv = DownloadButton("CSV", filename=f"{self.name}.csv", content=self.csv_bytes,
                                  hint="Download the data behind this chart as CSV")
        for b in (self.png, self.svg, self.csv):
            b.add_class(f"ub-dl-{b.filename.rsplit('.', 1)[-1]}")
        buttons = w.HBox([self.png, self.svg, self.csv], layout=w.Layout(flex="0 0 auto"))
        bar = [w.HTML(f"{SANKEY_CSS}<span class='ub-caption'>{html.escape(self.caption)}</span>",
                      layout=w.Layout(flex="1 1 200px", min_width="0")), buttons]
        return w.HBox(bar, layout=w.Layout(align_items="center", flex_flow="row wrap"))

    # -- drawing -------------------------------------------------------------
    def build(self, tables) -> go.Figure:
        """The static Figure for ``tables`` (a message figure if the chart fails)."""
        try:
            fig = self.make(tables)
            if not isinstance(fig, go.Figure):
                fig = go.Figure(fig)
        except Exception as exc:  # a viewer sees a message in the chart's place, the log keeps the traceback
            log.exception("chart %s failed", self.name)
            fig = charts.empty_figure(self.name.replace("_", " ").capitalize(),
                                      f"This chart could not be drawn ({type(exc).__name__}).")
        return fig

    def refresh(self, tables) -> None:
        """Redraw from ``tables`` (already filtered), in place."""
        self.tables = tables
        fig = self.build(tables)
        if not fig.layout.height:
            fig.update_layout(height=self.height)
        self.fig = fig
        # A new widget per redraw: its initial state carries the whole figure, which any
        # view created later renders correctly (plotly's incremental messages reach only
        # views that already exist, and Voila creates views after the notebook has run).
        shown = _dates_as_text(go.Figure(fig))
        # charts are sized for print; on screen they follow the width of their panel
        shown.layout.width = None
        shown.layout.autosize = True
        if self.screen:
            shown.update_layout(**self.screen)
        old, self.figure = self.figure, figure_widget(data=shown.data, layout=shown.layout)
        self.figure.add_class("ub-fig")
        # plotly.js re-fits the chart to its box on window resize (see figure.ResizeNudge)
        self.figure._config = {"responsive": True, "displaylogo": False}
        for trace in self.figure.data:
            trace.on_click(self._clicked)
        bar = tuple(self.children[1:]) or (self._bar(),)
        self.children = (self.figure,) + bar
        if old is not None:
            old.close()
        if self.nudge is not None:
            self.nudge.bump()
        self.n_renders += 1

    @property
    def chart(self) -> str:
        meta = self.fig.layout.meta
        if isinstance(meta, dict) and meta.get("chart"):
            return str(meta["chart"])
        return self.name

    # -- evidence ------------------------------------------------------------
    def _clicked(self, trace, points, _state=None) -> None:
        ind = _first_point(points)
        if ind is None:
            return
        self.show_evidence(trace, ind)

    def show_evidence(self, trace, ind) -> pd.DataFrame | None:
        """Look up and display the sentences behind point ``ind`` of ``trace``."""
        cd = _customdata_at(trace, ind)
        if cd is None or self.tables is None:
            return None
        chart = self.chart
        if chart == "cooccurrence_network" and getattr(trace, "name", None) == "edges":
            chart = "cooccurrence_edges"
        by = self.by() if callable(self.by) else self.by
        freq = self.freq() if callable(self.freq) else self.freq
        tables = self.tables
        frame = evidence_for(chart, cd, tables, by=by, freq=freq)
        if self.evidence is not None:
            self.evidence.show(f"{self._title()}: {_label(cd, tables, chart)}", frame,
                               everything=lambda: evidence_for(chart, cd, tables, by=by, freq=freq, limit=None))
        return frame

    def _title(self) -> str:
        """The chart's title as plain text (charts put a subtitle after ``<br>``)."""
        t = self.fig.layout.title.text if self.fig.layout.title else None
        return html.unescape(str(t).split("<br>")[0]) if t else self.name.replace("_", " ")

    # -- downloads -----------------------------------------------------------
    def image_bytes(self, fmt: str) -> bytes:
        return export.figure_to_bytes(self.fig, fmt)

    def data_frame(self) -> pd.DataFrame:
        if self.data_fn is not None and self.tables is not None:
            return self.data_fn(self.tables)
        return export.figure_data(self.fig)

    def csv_bytes(self) -> bytes:
        return export.table_to_csv_bytes(self.data_frame())
