"""Chart panels and the six tabs of the app. Widgets only wire tables to chart functions.

A `ChartPanel` owns one plotly ``FigureWidget`` (kept across filter changes, so
plotly.js is sent to the browser once per chart), its PNG/SVG/CSV download
buttons and the click -> evidence wiring. A tab is a box of panels with a
``refresh(tables)`` method; the `Dashboard` calls it with the filtered tables.
"""
from __future__ import annotations

import functools
import html
import logging
from typing import Callable

import ipywidgets as w
import pandas as pd
import plotly.graph_objects as go

from ukraine_briefs.dashboard.data import table
from ukraine_briefs.dashboard.download import DownloadButton
from ukraine_briefs.dashboard.evidence import MAX_ROWS, EvidencePanel, evidence_for
from ukraine_briefs.dashboard.figure import figure_widget

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=None)
def _module(name: str):
    """An optional package module (charts, export, timeseries) or None, so the app still opens."""
    import importlib

    try:
        return importlib.import_module({"charts": "ukraine_briefs.charts", "export": "ukraine_briefs.charts.export", "timeseries": "ukraine_briefs.tables.timeseries"}[name])
    except Exception as exc:
        log.warning("ukraine_briefs.%s unavailable: %s", name, exc)
        return None


def message_figure(title: str, message: str) -> go.Figure:
    """A titled figure carrying only a message (charts.empty_figure when available)."""
    charts = _module("charts")
    if charts is not None and hasattr(charts, "empty_figure"):
        try:
            return charts.empty_figure(title, message)
        except Exception:
            pass
    fig = go.Figure()
    fig.update_layout(title=title, xaxis_visible=False, yaxis_visible=False,
                      annotations=[dict(text=html.escape(message, quote=False), showarrow=False, font_size=15,
                                        xref="paper", yref="paper", x=0.5, y=0.5)],
                      meta={"chart": "message", "empty": True}, template="plotly_white")
    return fig


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


#: Sankey nodes ignore the pointer. A FigureWidget reports a click on a Sankey link or node
#: alike as (trace, index), with nothing telling which, so a node click would show the evidence
#: of the link with the same index. (With ``arrangement="snap"`` plotly.js emits no click for
#: nodes anyway -- its drag handler re-inserts the node on mousedown -- but "fixed" would.)
#: Links stay clickable (their ``customdata`` holds the threat ids behind them); node labels
#: stay visible, node tooltips and dragging are the price.
SANKEY_CSS = ("<style>.ub-chart .sankey-node, .ub-chart .sankey-node * "
              "{ pointer-events: none !important; }</style>")


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
        self.figure = figure_widget(layout={"height": height, "template": "plotly_white"})
        self.n_renders = 0
        self.png = DownloadButton("PNG", filename=f"{name}.png", content=lambda: self.image_bytes("png"),
                                  hint="Download this chart as a PNG image")
        self.svg = DownloadButton("SVG", filename=f"{name}.svg", content=lambda: self.image_bytes("svg"),
                                  hint="Download this chart as an SVG (vector) image")
        self.csv = DownloadButton("CSV", filename=f"{name}.csv", content=self.csv_bytes,
                                  hint="Download the data behind this chart as CSV")
        for b in (self.png, self.svg, self.csv):
            b.add_class(f"ub-dl-{b.filename.rsplit('.', 1)[-1]}")
        buttons = w.HBox([self.png, self.svg, self.csv], layout=w.Layout(flex="0 0 auto"))
        bar = [w.HTML(f"{SANKEY_CSS}<span class='ub-caption'>{html.escape(caption)}</span>",
                      layout=w.Layout(flex="1 1 200px", min_width="0")), buttons]
        super().__init__([self.figure, w.HBox(bar, layout=w.Layout(align_items="center", flex_flow="row wrap"))],
                         **kwargs)
        self.add_class("ub-chart")
        self.add_class(f"ub-chart-{name}")

    # -- drawing -------------------------------------------------------------
    def build(self, tables) -> go.Figure:
        """The static Figure for ``tables`` (a message figure if the chart fails)."""
        try:
            fig = self.make(tables)
            if not isinstance(fig, go.Figure):
                fig = go.Figure(fig)
        except Exception as exc:
            log.exception("chart %s failed", self.name)
            fig = message_figure(self.name.replace("_", " ").capitalize(),
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
        self.children = (self.figure,) + tuple(self.children[1:])
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
        frame = evidence_for(chart, cd, self.tables, by=by, freq=freq)
        if self.evidence is not None:
            self.evidence.show(f"{self._title()}: {_label(cd, self.tables)}", frame)
        return frame

    def _title(self) -> str:
        """The chart's title as plain text (charts put a subtitle after ``<br>``)."""
        t = self.fig.layout.title.text if self.fig.layout.title else None
        return html.unescape(str(t).split("<br>")[0]) if t else self.name.replace("_", " ")

    # -- downloads -----------------------------------------------------------
    def image_bytes(self, fmt: str) -> bytes:
        export = _module("export")
        if export is None:
            raise RuntimeError("static export unavailable")
        return export.figure_to_bytes(self.fig, fmt)

    def data_frame(self) -> pd.DataFrame:
        if self.data_fn is not None and self.tables is not None:
            return self.data_fn(self.tables)
        export = _module("export")
        if export is not None and hasattr(export, "figure_data"):
            return export.figure_data(self.fig)
        rows = []
        for tr in self.fig.data:
            for x, y in zip(getattr(tr, "x", None) or [], getattr(tr, "y", None) or []):
                rows.append({"trace": tr.name, "x": x, "y": y})
        return pd.DataFrame(rows)

    def csv_bytes(self) -> bytes:
        df = self.data_frame()
        export = _module("export")
        if export is not None and hasattr(export, "table_to_csv_bytes"):
            return export.table_to_csv_bytes(df)
        return df.to_csv(index=False).encode("utf-8")


def _dates_as_text(fig: go.Figure) -> go.Figure:
    """datetime64 arrays -> ISO strings: the widget serialiser would send them as integers."""
    import numpy as np

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


def _label(cd, tables=None) -> str:
    """A readable name for a clicked point: entity ids become canonical names."""
    vals = list(cd) if isinstance(cd, (list, tuple)) else [cd]
    names = {}
    if tables is not None:
        ents = table(tables, "entities")
        names = dict(zip(ents["entity_id"].astype(str), ents["canonical_name"].astype(str)))
    shown = [names.get(str(v), str(v)) for v in vals[:2] if v is not None and str(v) not in ("", "None", "nan")]
    return " · ".join(shown) if shown else "point"


# ---------------------------------------------------------------------------
# tabs


class Tab(w.VBox):
    """A tab: panels refreshed together with the filtered tables."""

    title = "Tab"

    def __init__(self, children=(), **kwargs):
        super().__init__(list(children), **kwargs)
        self.panels: list[ChartPanel] = []
        self.tables = None
        self.add_class("ub-tab")

    def refresh(self, tables) -> None:
        self.tables = tables
        for p in self.panels:
            p.refresh(tables)


def _charts_call(fn_name: str, *args, **kwargs) -> go.Figure:
    charts = _module("charts")
    if charts is None or not hasattr(charts, fn_name):
        return message_figure(fn_name.replace("_", " ").capitalize(), "Chart module not available yet.")
    return getattr(charts, fn_name)(*args, **kwargs)


def _row(*items, widths=None) -> w.HBox:
    for it, wd in zip(items, widths or [f"{100 / len(items):.2f}%"] * len(items)):
        it.layout.width = wd
        it.layout.min_width = "0"
    return w.HBox(list(items), layout=w.Layout(width="100%", align_items="flex-start"))


def sentiment_series(tables, *, by: str = "entity", freq: str = "W", dated: str = "published") -> pd.DataFrame:
    """Mean sentence tone per period and group (entity, speaker, outlet) from `timeseries`."""
    ts = _module("timeseries")
    if ts is None or not hasattr(ts, "sentiment_over_time"):
        raise RuntimeError("timeseries module unavailable")
    # the evidence panel lists at most 30 sentences: carry no more ids per point than it shows
    return ts.sentiment_over_time(tables, by=dated, freq=freq, group=by, max_evidence=MAX_ROWS)


def mention_series(tables, *, freq: str = "W") -> pd.DataFrame:
    """Mentions per period and entity from `timeseries`."""
    ts = _module("timeseries")
    if ts is None or not hasattr(ts, "mention_volume"):
        raise RuntimeError("timeseries module unavailable")
    return ts.mention_volume(tables, freq=freq)


def _e(v) -> str:
    return "" if v is None or (isinstance(v, float) and pd.isna(v)) else html.escape(str(v), quote=True)


def _fmt_date(v) -> str:
    ts = pd.Timestamp(v) if v is not None else pd.NaT
    return "" if pd.isna(ts) else ts.strftime("%d %b %Y")


def _actor(name, aff) -> str:
    for v in (aff, name):
        if v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v) not in ("", "None", "nan"):
            return str(v)
    return "unknown"


def headline_html(tables) -> str:
    """Key figures and two plain-language findings: top threat dyads and how tone moved."""
    docs, sents = table(tables, "documents"), table(tables, "sentences")
    threats, quotes, ents = table(tables, "threats"), table(tables, "quotes"), table(tables, "entities")
    pub = pd.to_datetime(docs["published"], errors="coerce").dropna()
    span = f"{_fmt_date(pub.min())} – {_fmt_date(pub.max())}" if len(pub) else "no dates"
    cards = [("Documents", f"{len(docs):,}", span), ("Sentences", f"{len(sents):,}", "parsed"),
             ("Entities", f"{len(ents):,}", "canonical actors"), ("Quotes", f"{len(quotes):,}", "attributed"),
             ("Threats", f"{len(threats):,}", "warnings issued")]
    cards_html = "".join(f"<div class='ub-kpi'><div class='ub-kpi-v'>{_e(v)}</div><div class='ub-kpi-k'>"
                         f"{_e(k)}</div><div class='ub-kpi-s'>{_e(s)}</div></div>" for k, v, s in cards)
    findings = []
    if len(threats):
        t = threats.assign(actor=[_actor(n, a) for n, a in zip(threats["actor_name"], threats["actor_affiliation"])],
                           target=[_actor(n, a) for n, a in zip(threats["target_name"], threats["target_affiliation"])])
        known = t[(t["actor"] != "unknown") & (t["target"] != "unknown") & (t["category"] != "deescalation")]
        dy = known.groupby(["actor", "target"]).agg(
            n=("threat_id", "size"), top_category=("category", lambda s: s.value_counts().index[0]))
        dy = dy.sort_values("n", ascending=False).head(3)
        parts = [f"<b>{_e(a)} → {_e(b)}</b> {int(r['n'])}× (mostly {_e(str(r['top_category']).replace('_', ' '))})"
                 for (a, b), r in dy.iterrows()]
        n_de = int((t["category"] == "deescalation").sum())
        if parts:
            findings.append("Who threatens whom: " + "; ".join(parts) + ".")
        rest = len(t) - int(dy["n"].sum()) - n_de
        extra = [f"{n_de} de-escalating statement{'s' if n_de != 1 else ''}"] if n_de else []
        if rest > 0:
            extra.append(f"{rest} other threat{'s' if rest != 1 else ''} (other pairs or actor/target not named)")
        if extra:
            findings.append("Also: " + "; ".join(extra) + ".")
    if len(sents):
        s = sents.merge(docs[["doc_id", "published"]], on="doc_id").dropna(subset=["published"])
        if len(s):
            s = s.assign(month=pd.to_datetime(s["published"]).dt.to_period("M"))
            tone = s.groupby("month")["sentiment"].mean().sort_index()
            if len(tone) >= 2:
                a, b = tone.iloc[0], tone.iloc[-1]
                word = "darkened" if b < a - 0.02 else "brightened" if b > a + 0.02 else "held steady"
                findings.append(f"Tone {word}: mean sentence tone {a:+.2f} in {tone.index[0].strftime('%b %Y')}"
                                f" → {b:+.2f} in {tone.index[-1].strftime('%b %Y')} (scale −1…+1).")
            else:
                findings.append(f"Mean sentence tone {tone.iloc[0]:+.2f} (scale −1…+1).")
    f_html = "".join(f"<li>{f}</li>" for f in findings) or "<li>No threats or dated sentences in this selection.</li>"
    return f"<div class='ub-kpis'>{cards_html}</div><ul class='ub-findings'>{f_html}</ul>"


class OverviewTab(Tab):
    """Key figures, who threatens whom, how tone moved, and the documents."""

    title = "Overview"

    def __init__(self, evidence: EvidencePanel):
        super().__init__()
        self.headline = w.HTML()
        self.headline.add_class("ub-headline")
        self.sankey = ChartPanel("threat_flow", lambda t: _charts_call("threat_sankey", table(t, "threats"), documents=table(t, "documents")),
                                 evidence=evidence, data=lambda t: table(t, "threats").drop(columns=["text"]),
                                 height=470, caption="Who threatens whom, with what: actor → category → target.")
        self.tone = ChartPanel(
            "tone_over_time",
            lambda t: _charts_call("sentiment_over_time", sentiment_series(t, by="entity", freq="W"),
                                   entities=table(t, "entities"), max_groups=5,
                                   title="How tone moved around the main actors"),
            evidence=evidence, by="entity", freq="W", data=lambda t: sentiment_series(t, by="entity", freq="W"),
            height=470, screen={"legend": {"orientation": "h", "y": -0.3, "x": 0, "title": {"text": ""}}},
            caption="Weekly mean tone of sentences naming each actor; size = sentences. Click a point.")
        self.overview = ChartPanel("corpus_overview",
                                   lambda t: _charts_call("corpus_overview", table(t, "documents")).update_layout(
                                       height=min(760, 230 + 52 * len(table(t, "documents")))),
                                   evidence=evidence, height=330,
                                   data=lambda t: table(t, "documents").drop(columns=["text"]),
                                   caption="The documents in this selection.")
        self.panels = [self.sankey, self.tone, self.overview]
        self.children = [self.headline, _row(self.sankey, self.tone, widths=["56%", "44%"]), self.overview]

    def refresh(self, tables) -> None:
        try:
            self.headline.value = headline_html(tables)
        except Exception:
            log.exception("headline failed")
            self.headline.value = "<p class='ub-muted'>Key figures unavailable.</p>"
        super().refresh(tables)


class EntitiesTab(Tab):
    """Who is mentioned with whom, the most mentioned actors, and mention volume over time."""

    title = "Entities"

    def __init__(self, evidence: EvidencePanel):
        super().__init__()
        self.window = w.Dropdown(options=[("same sentence", "sentence"), ("same paragraph", "paragraph"),
                                          ("same document", "document")], value="sentence",
                                 description="Co-mention in", style={"description_width": "95px"})
        self.weight = w.Dropdown(options=[("count", "count"), ("NPMI (association)", "npmi")], value="count",
                                 description="Edge weight", style={"description_width": "80px"})
        self.color_by = w.Dropdown(options=[("affiliation", "affiliation"), ("entity type", "type")],
                                   value="affiliation", description="Colour by", style={"description_width": "65px"})
        kw = lambda: dict(window=self.window.value, weight=self.weight.value)  # noqa: E731
        self.network = ChartPanel(
            "cooccurrence_network",
            lambda t: _charts_call("cooccurrence_network", table(t, "cooccurrence"), table(t, "entities"),
                                   color_by=self.color_by.value, **kw()),
            evidence=evidence, height=560, data=lambda t: table(t, "cooccurrence"),
            caption="Node size = mentions; edge width = co-mentions. Click a node or an edge midpoint.")
        self.top = ChartPanel("top_entities", lambda t: _charts_call("top_entities", table(t, "entities"), n=20),
                              evidence=evidence, height=560, data=lambda t: table(t, "entities"),
                              caption="Most mentioned canonical actors.")
        self.matrix = ChartPanel(
            "cooccurrence_matrix",
            lambda t: _charts_call("cooccurrence_matrix", table(t, "cooccurrence"), table(t, "entities"), **kw()),
            evidence=evidence, height=560, data=lambda t: table(t, "cooccurrence"),
            caption="Co-mention counts between the top actors. Click a cell.")
        self.volume = ChartPanel("mention_volume",
                                 lambda t: _charts_call("mention_volume", mention_series(t, freq="W"),
                                                        entities=table(t, "entities")),
                                 evidence=evidence, height=420, freq="W", data=lambda t: mention_series(t, freq="W"),
                                 caption="Weekly mentions of the most mentioned actors.")
        self.panels = [self.network, self.top, self.matrix, self.volume]
        for dd in (self.window, self.weight, self.color_by):
            dd.observe(lambda _c: self.tables is not None and self._redraw_pairs(), names="value")
        controls = w.HBox([self.window, self.weight, self.color_by], layout=w.Layout(gap="16px"))
        self.children = [controls, _row(self.network, self.top, widths=["62%", "38%"]),
                         _row(self.matrix, self.volume, widths=["50%", "50%"])]

    def _redraw_pairs(self) -> None:
        self.network.refresh(self.tables)
        self.matrix.refresh(self.tables)


def quotes_html(quotes: pd.DataFrame, documents: pd.DataFrame, *, limit: int = 60) -> str:
    """The quotes as an escaped HTML table, newest first."""
    if quotes.empty:
        return "<p class='ub-muted'>No quotes in this selection.</p>"
    q = quotes.merge(documents[["doc_id", "title", "published"]], on="doc_id", how="left")
    q = q.sort_values(["published", "doc_id", "start_char"], ascending=[False, True, True]).head(limit)
    def speaker(r) -> str:
        for v in (r.speaker_name, r.speaker_surface):
            if _e(v) and str(v) not in ("None", "nan"):
                return _e(v)
        return "<span class='ub-muted'><i>unattributed</i></span>"

    rows = "".join(
        f"<tr><td class='ub-nowrap'>{speaker(r)}</td>"
        f"<td>“{_e(r.text)}”</td><td>{_e(r.cue)}</td><td class='ub-num'>{float(r.sentiment):+.2f}</td>"
        f"<td class='ub-nowrap'>{_fmt_date(r.published)}</td></tr>" for r in q.itertuples(index=False))
    more = f"<p class='ub-muted'>Showing {len(q)} of {len(quotes)} quotes.</p>" if len(quotes) > limit else ""
    return ("<table class='ub-table'><thead><tr><th>Speaker</th><th>Quote</th><th>Cue</th><th>Tone</th>"
            f"<th>Date</th></tr></thead><tbody>{rows}</tbody></table>{more}")


class QuotesTab(Tab):
    """Who speaks most and in what tone, and the quotes themselves."""

    title = "Quotes"

    def __init__(self, evidence: EvidencePanel):
        super().__init__()
        self.by_speaker = ChartPanel(
            "quotes_by_speaker",
            lambda t: _charts_call("quotes_by_speaker", table(t, "quotes"), n=15, entities=table(t, "entities")),
            evidence=evidence, height=480, data=lambda t: table(t, "quotes"),
            caption="Quotes per speaker, coloured by mean tone. Click a bar for the quotes.")
        self.table_html = w.HTML()
        self.table_html.add_class("ub-quotes")
        self.panels = [self.by_speaker]
        self.children = [self.by_speaker, w.HTML("<h3 class='ub-h3'>Quotes</h3>"), self.table_html]

    def refresh(self, tables) -> None:
        super().refresh(tables)
        self.table_html.value = quotes_html(table(tables, "quotes"), table(tables, "documents"))


class SentimentTab(Tab):
    """Tone over time, grouped by entity, speaker or outlet."""

    title = "Sentiment"

    def __init__(self, evidence: EvidencePanel):
        super().__init__()
        self.by = w.ToggleButtons(options=[("Entity", "entity"), ("Speaker", "speaker"), ("Outlet", "outlet")],
                                  value="entity", style={"button_width": "90px"})
        self.freq = w.Dropdown(options=[("day", "D"), ("week", "W"), ("month", "M")], value="W",
                               description="Period", style={"description_width": "50px"},
                               layout=w.Layout(width="160px"))
        self.dated = w.Dropdown(options=[("publication date", "published"), ("event date in text", "event")],
                                value="published", description="Date by", style={"description_width": "55px"},
                                layout=w.Layout(width="240px"))
        self.chart = ChartPanel(
            "sentiment_over_time",
            lambda t: _charts_call("sentiment_over_time", self.series(t), entities=table(t, "entities"),
                                   title=f"Tone over time by {self.by.value}"),
            evidence=evidence, by=lambda: self.by.value, freq=lambda: self.freq.value, height=560,
            data=self.series,
            caption="Mean tone (−1 hostile … +1 conciliatory) per period; size = sentences. Click a point.")
        self.panels = [self.chart]
        for c in (self.by, self.freq, self.dated):
            c.observe(lambda _c: self.tables is not None and self.chart.refresh(self.tables), names="value")
        self.children = [w.HBox([self.by, self.freq, self.dated], layout=w.Layout(gap="16px")), self.chart]

    def series(self, tables) -> pd.DataFrame:
        return sentiment_series(tables, by=self.by.value, freq=self.freq.value, dated=self.dated.value)


class ThreatsTab(Tab):
    """Threat language: the flow, the timeline by dyad, the category breakdown."""

    title = "Threats"

    def __init__(self, evidence: EvidencePanel):
        super().__init__()
        data = lambda t: table(t, "threats")  # noqa: E731
        self.sankey = ChartPanel("threat_sankey", lambda t: _charts_call("threat_sankey", table(t, "threats"), documents=table(t, "documents")),
                                 evidence=evidence, height=480, data=data,
                                 caption="Actor → category → target.")
        self.timeline = ChartPanel(
            "threat_timeline",
            lambda t: _charts_call("threat_timeline", table(t, "threats"), table(t, "documents")),
            evidence=evidence, height=480, data=data,
            caption="Each mark is a threat, by actor → target dyad, coloured by category. Click one.")
        self.categories = ChartPanel("threat_categories",
                                     lambda t: _charts_call("threat_categories", table(t, "threats")),
                                     evidence=evidence, height=420, data=data,
                                     caption="Threat categories by actor. Click a bar.")
        self.panels = [self.sankey, self.timeline, self.categories]
        self.children = [_row(self.sankey, self.categories, widths=["58%", "42%"]), self.timeline]


class DocumentsTab(Tab):
    """A reader: one article with entities, quotes, dates and threats highlighted."""

    title = "Documents"

    def __init__(self, evidence: EvidencePanel | None = None):
        super().__init__()
        self.picker = w.Dropdown(description="Article", layout=w.Layout(width="min(900px, 100%)"),
                                 style={"description_width": "55px"})
        self.reader = w.HTML()
        self.reader.add_class("ub-reader")
        self.picker.observe(lambda _c: self.render(), names="value")
        # charts.document_html carries its own legend
        self.children = [self.picker,
                         self.reader]

    def refresh(self, tables) -> None:
        self.tables = tables
        docs = table(tables, "documents")
        docs = docs.sort_values("published", ascending=False, na_position="last")
        options = [(f"{_fmt_date(r.published) or 'undated'} · {r.outlet or '?'} · {str(r.title)[:90]}", r.doc_id)
                   for r in docs.itertuples(index=False)]
        current = self.picker.value
        self.picker.options = options
        ids = [v for _, v in options]
        self.picker.value = current if current in ids else (ids[0] if ids else None)
        self.render()

    def render(self) -> None:
        if self.tables is None:
            return
        doc_id = self.picker.value
        if doc_id is None:
            self.reader.value = "<p class='ub-muted'>No documents in this selection.</p>"
            return
        self.reader.value = document_reader_html(self.tables, doc_id)


def document_reader_html(tables, doc_id: str) -> str:
    """`charts.document_html` for ``doc_id``, or the escaped plain text if charts is missing."""
    charts = _module("charts")
    if charts is not None and hasattr(charts, "document_html"):
        try:
            return charts.document_html(doc_id, documents=table(tables, "documents"),
                                        mentions=table(tables, "mentions"), quotes=table(tables, "quotes"),
                                        dates=table(tables, "dates"), threats=table(tables, "threats"),
                                        entities=table(tables, "entities"))
        except Exception:
            log.exception("document_html failed for %s", doc_id)
    docs = table(tables, "documents")
    row = docs[docs["doc_id"] == doc_id]
    if row.empty:
        return "<p class='ub-muted'>Document not found.</p>"
    r = row.iloc[0]
    paras = "".join(f"<p>{_e(p)}</p>" for p in str(r["text"]).split("\n\n") if p.strip())
    return f"<h2>{_e(r['title'])}</h2>{paras}"
