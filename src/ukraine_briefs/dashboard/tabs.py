"""The six tabs of the app. Widgets only wire tables to chart functions and render summaries as HTML.

A tab is a box of `ChartPanel`s with a ``refresh(tables)`` method; the `Dashboard`
calls it with the filtered tables. The numbers behind the HTML (key figures,
threat pairs, tone by month, the quotes table) come from `tables.summary`.
"""
from __future__ import annotations

import ipywidgets as w
import pandas as pd

from ukraine_briefs import charts
from ukraine_briefs.dashboard.evidence import EvidencePanel, date_text, html_text
from ukraine_briefs.dashboard.panel import ChartPanel
from ukraine_briefs.tables import summary, timeseries
from ukraine_briefs.tables.evidence import MAX_ROWS


class Tab(w.VBox):
    """A tab: panels refreshed together with the filtered tables.

    A tab is empty until it is first refreshed (`mount` runs the subclass's `build`):
    every widget made costs each viewer's browser a model to create and a view to
    render, so the tabs nobody opened send nothing with the first page.
    """

    title = "Tab"

    def __init__(self, evidence: EvidencePanel | None = None, **kwargs):
        super().__init__([], **kwargs)
        self.evidence = evidence
        self.panels: list[ChartPanel] = []
        self.tables = None
        self.nudge = None  # a figure.ResizeNudge, handed to the panels (set by the Dashboard)
        self.built = False
        self.add_class("ub-tab")

    def build(self) -> None:
        """Make the tab's widgets (``children``, ``panels``); subclasses fill it in."""

    def mount(self) -> None:
        """`build` once, before the first refresh."""
        if self.built:
            return
        self.built = True
        self.build()
        for p in self.panels:
            p.nudge = self.nudge

    def refresh(self, tables) -> None:
        self.mount()
        self.tables = tables
        for p in self.panels:
            p.refresh(tables)


def _row(*items, widths=None, basis: int = 520) -> w.HBox:
    """Charts side by side in proportion to ``widths`` when each gets at least ``basis`` px, else stacked.

    At 1280 px (the evidence panel takes 360) two charts side by side would
    shrink to slivers, so the row wraps and each chart takes the full width.
    """
    for it, wd in zip(items, widths or [f"{100 / len(items):.2f}%"] * len(items)):
        grow = float(str(wd).rstrip("%")) if str(wd).endswith("%") else 1.0
        it.layout.width = "auto"
        it.layout.flex = f"{grow:g} 1 {basis}px"
        it.layout.min_width = "0"
    return w.HBox(list(items), layout=w.Layout(width="100%", align_items="flex-start", flex_flow="row wrap"))


def sentiment_series(tables, *, by: str = "entity", freq: str = "W", dated: str = "published") -> pd.DataFrame:
    """Mean sentence tone per period and group (entity, speaker, outlet), as the tone charts draw it."""
    # the evidence panel lists at most MAX_ROWS sentences: carry no more ids per point than it shows
    return timeseries.sentiment_by_period(tables, by=dated, freq=freq, group=by, max_evidence=MAX_ROWS)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def headline_html(tables) -> str:
    """Key figures and two plain-language findings: top threat dyads and how tone moved."""
    k = summary.key_figures(tables)
    first, last = k["first_published"], k["last_published"]
    span = f"{date_text(first)} – {date_text(last)}" if first is not None else "no dates"
    n_unres = k["quotes"] - k["quotes_attributed"]
    cards = [("documents", "Documents", f"{k['documents']:,}", span),
             ("sentences", "Sentences", f"{k['sentences']:,}", "parsed"),
             ("entities", "Entities", f"{k['entities']:,}", "distinct actors, places, bodies"),
             ("quotes", "Quotes attributed", f"{k['quotes_attributed']:,}",
              f"to a named speaker · {n_unres:,} of {k['quotes']:,} quotes without one"),
             ("threats", "Threats", f"{k['threats']:,}", "threats and warnings (de-escalation not counted)"),
             ("deescalations", "De-escalation", f"{k['deescalations']:,}", "offers of talks, reassurances")]
    cards_html = "".join(f"<div class='ub-kpi ub-kpi-{key}'><div class='ub-kpi-v'>{html_text(v)}</div>"
                         f"<div class='ub-kpi-k'>{html_text(c)}</div><div class='ub-kpi-s'>{html_text(s)}</div></div>"
                         for key, c, v, s in cards)
    findings = []
    if k["threats"]:
        pairs, n_de, rest = summary.threat_pairs(tables.threats, top=3)
        parts = [f"<b>{html_text(r.actor)} → {html_text(r.target)}</b> {int(r.n)}× "
                 f"(mostly {html_text(charts.category_label(r.top_category))})" for r in pairs.itertuples(index=False)]
        if parts:
            findings.append("Who threatens whom: " + "; ".join(parts) + ".")
        extra = [_plural(n_de, "de-escalating statement")] if n_de else []
        if rest > 0:
            extra.append(f"{_plural(rest, 'other threat')} (other pairs or actor/target not named)")
        if extra:
            findings.append("Also: " + "; ".join(extra) + ".")
    if k["sentences"]:
        tone = summary.tone_by_month(tables)
        if len(tone) >= 2:
            a, b = tone.iloc[0], tone.iloc[-1]
            word = "darkened" if b < a - 0.02 else "brightened" if b > a + 0.02 else "held steady"
            findings.append(f"Tone {word}: mean sentence tone {a:+.2f} in {tone.index[0].strftime('%b %Y')}"
                            f" → {b:+.2f} in {tone.index[-1].strftime('%b %Y')} (scale −1…+1).")
        elif len(tone):
            findings.append(f"Mean sentence tone {tone.iloc[0]:+.2f} (scale −1…+1).")
    f_html = "".join(f"<li>{f}</li>" for f in findings) or "<li>No threats or dated sentences in this selection.</li>"
    return f"<div class='ub-kpis'>{cards_html}</div><ul class='ub-findings'>{f_html}</ul>"


class OverviewTab(Tab):
    """Key figures, who threatens whom, how tone moved, and the documents."""

    title = "Overview"

    def build(self) -> None:
        self.headline = w.HTML()
        self.headline.add_class("ub-headline")
        self.sankey = ChartPanel("threat_flow",
                                 lambda t: charts.threat_sankey_chart(t.threats, documents=t.documents),
                                 evidence=self.evidence, data=lambda t: t.threats.drop(columns=["text"]),
                                 height=470, caption="Who threatens whom, with what: actor → category → target (threats only, "
                                         "de-escalation not counted).")
        self.tone = ChartPanel(
            "tone_over_time",
            lambda t: charts.sentiment_chart(sentiment_series(t, by="entity", freq="W"),
                                             entities=t.entities, max_groups=5,
                                             title="How tone moved around the main actors"),
            evidence=self.evidence, by="entity", freq="W", data=lambda t: sentiment_series(t, by="entity", freq="W"),
            height=470, screen={"legend": {"orientation": "h", "y": -0.3, "x": 0, "title": {"text": ""}}},
            caption="Weekly mean tone of sentences naming each actor; size = sentences. Click a point.")
        self.overview = ChartPanel("corpus_overview",
                                   lambda t: charts.corpus_overview_chart(t.documents).update_layout(
                                       height=min(760, 230 + 52 * len(t.documents))),
                                   evidence=self.evidence, height=330,
                                   data=lambda t: t.documents.drop(columns=["text"]),
                                   caption="The documents in this selection.")
        self.panels = [self.sankey, self.tone, self.overview]
        self.children = [self.headline, _row(self.sankey, self.tone, widths=["56%", "44%"]), self.overview]

    def refresh(self, tables) -> None:
        self.mount()
        self.headline.value = headline_html(tables)
        super().refresh(tables)


class EntitiesTab(Tab):
    """Who is mentioned with whom, the most mentioned actors, and mention volume over time."""

    title = "Entities"

    def build(self) -> None:
        self.window = w.Dropdown(options=[("same sentence", "sentence"), ("same paragraph", "paragraph"),
                                          ("same document", "document")], value="sentence",
                                 description="Co-mention in", style={"description_width": "95px"})
        self.weight = w.Dropdown(options=[("count", "count"), ("NPMI (association)", "npmi")], value="count",
                                 description="Edge weight", style={"description_width": "85px"},
                                 layout=w.Layout(width="250px"))
        self.color_by = w.Dropdown(options=[("affiliation", "affiliation"), ("entity type", "type")],
                                   value="affiliation", description="Colour by", style={"description_width": "65px"})
        self.min_count = w.BoundedIntText(value=1, min=1, max=1000, description="Min. co-mentions",
                                          style={"description_width": "115px"}, layout=w.Layout(width="190px"))
        self.min_count.add_class("ub-min-count")
        kw = lambda: dict(window=self.window.value, weight=self.weight.value)  # noqa: E731
        self.network = ChartPanel(
            "cooccurrence_network",
            lambda t: charts.cooccurrence_network_chart(t.cooccurrence, t.entities, color_by=self.color_by.value,
                                                        min_count=self.min_count.value, **kw()),
            evidence=self.evidence, height=560, data=lambda t: t.cooccurrence,
            caption="Node size = mentions; edge width = co-mentions. Click a node or an edge midpoint.")
        self.top = ChartPanel("top_entities", lambda t: charts.top_entities_chart(t.entities, n=20),
                              evidence=self.evidence, height=560, data=lambda t: t.entities,
                              screen={"legend": {"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top",
                                                 "title": {"text": ""}}},
                              caption="Most mentioned canonical actors.")
        self.matrix = ChartPanel(
            "cooccurrence_matrix",
            lambda t: charts.cooccurrence_matrix_chart(t.cooccurrence, t.entities, **kw()),
            evidence=self.evidence, height=560, data=lambda t: t.cooccurrence,
            caption="Co-mention counts between the top actors. Click a cell.")
        self.volume = ChartPanel("mention_volume",
                                 lambda t: charts.mention_volume_chart(timeseries.mentions_by_period(t, freq="W"),
                                                                       entities=t.entities),
                                 evidence=self.evidence, height=420, freq="W", data=lambda t: timeseries.mentions_by_period(t, freq="W"),
                                 caption="Weekly mentions of the most mentioned actors.")
        self.panels = [self.network, self.top, self.matrix, self.volume]
        for dd in (self.window, self.weight, self.color_by, self.min_count):
            dd.observe(lambda _c: self.tables is not None and self._redraw_pairs(), names="value")
        controls = w.HBox([self.window, self.weight, self.color_by, self.min_count],
                          layout=w.Layout(gap="16px", flex_flow="row wrap"))
        # the matrix gets a row of its own: beside another chart it was squeezed to ~220 px
        self.children = [controls, _row(self.network, self.top, widths=["62%", "38%"]),
                         _row(self.matrix, basis=600), _row(self.volume, basis=600)]

    def _redraw_pairs(self) -> None:
        self.network.refresh(self.tables)
        self.matrix.refresh(self.tables)


def quotes_html(quotes: pd.DataFrame, documents: pd.DataFrame, *, limit: int = 60) -> str:
    """The quotes as an escaped HTML table, newest first."""
    if quotes.empty:
        return "<p class='ub-muted'>No quotes in this selection.</p>"
    q = summary.quotes_table(quotes, documents, limit=limit)
    def who(r) -> str:
        if html_text(r.speaker):
            return html_text(r.speaker)
        if html_text(r.as_written):  # "the authentic": a source the text names but we could not resolve
            return f"<span class='ub-muted'><i>unresolved:</i> “{html_text(r.as_written)}”</span>"
        return "<span class='ub-muted'><i>no speaker found</i></span>"

    rows = "".join(
        f"<tr><td class='ub-nowrap'>{who(r)}</td>"
        f"<td>“{html_text(r.text)}”</td><td>{html_text(r.cue)}</td><td class='ub-num'>{float(r.sentiment):+.2f}</td>"
        f"<td class='ub-nowrap'>{date_text(r.published)}</td></tr>" for r in q.itertuples(index=False))
    more = f"<p class='ub-muted'>Showing {len(q)} of {len(quotes)} quotes.</p>" if len(quotes) > limit else ""
    return ("<table class='ub-table'><thead><tr><th>Speaker</th><th>Quote</th><th>Cue</th><th>Tone</th>"
            f"<th>Date</th></tr></thead><tbody>{rows}</tbody></table>{more}")


class QuotesTab(Tab):
    """Who speaks most and in what tone, and the quotes themselves."""

    title = "Quotes"

    def build(self) -> None:
        self.group_by = w.Dropdown(options=[("person or unnamed source", "speaker"), ("affiliation", "affiliation"),
                                            ("source type", "source_type")], value="speaker",
                                   description="Group quotes by", style={"description_width": "105px"},
                                   layout=w.Layout(width="330px"))
        self.by_speaker = ChartPanel(
            "quotes_by_speaker",
            lambda t: charts.quotes_by_speaker_chart(t.quotes, n=15, entities=t.entities, by=self.group_by.value),
            evidence=self.evidence, height=480, data=lambda t: t.quotes,
            caption="Quotes per speaker (named people and bodies; unnamed sources grouped by type and affiliation), "
                    "bars coloured by affiliation, and their mean tone (dots, −1 negative … +1 positive). "
                    "Click a bar for the quotes.")
        self.group_by.observe(lambda _c: self.tables is not None and self.by_speaker.refresh(self.tables), names="value")
        self.by_source = ChartPanel(
            "quotes_by_source", lambda t: charts.quotes_by_source_chart(t.quotes), evidence=self.evidence, height=360,
            data=lambda t: t.quotes, caption="Quotes by source type: named people, organisations, documents, "
                                             "anonymous sources; dark = speaker found. Click a bar.")
        self.table_html = w.HTML()
        self.table_html.add_class("ub-quotes")
        self.panels = [self.by_speaker, self.by_source]
        self.children = [self.group_by, self.by_speaker, self.by_source, w.HTML("<h3 class='ub-h3'>Quotes</h3>"),
                         self.table_html]

    def refresh(self, tables) -> None:
        super().refresh(tables)
        self.table_html.value = quotes_html(tables.quotes, tables.documents)


class SentimentTab(Tab):
    """Tone over time, grouped by entity, speaker or outlet."""

    title = "Sentiment"

    def build(self) -> None:
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
            lambda t: charts.sentiment_chart(self.series(t), entities=t.entities,
                                             title=f"Tone over time by {self.by.value}"),
            evidence=self.evidence, by=lambda: self.by.value, freq=lambda: self.freq.value, height=560,
            data=self.series,
            caption="Mean tone of sentences (−1 negative … +1 positive) per period; the axis is zoomed to the "
                    "data. Size = sentences. Click a point.")
        self.multiples = ChartPanel(
            "tone_small_multiples",
            lambda t: charts.tone_small_multiples_chart(self.series(t), entities=t.entities,
                                                        title=f"Tone over time, one panel per {self.by.value}"),
            evidence=self.evidence, by=lambda: self.by.value, freq=lambda: self.freq.value, height=560,
            data=self.series, caption="The same series, one panel per group (the six with most sentences), "
                                      "so no series hides another. Click a point.")
        self.panels = [self.chart, self.multiples]
        for c in (self.by, self.freq, self.dated):
            c.observe(lambda _c: self.tables is not None and self.refresh(self.tables), names="value")
        self.children = [w.HBox([self.by, self.freq, self.dated], layout=w.Layout(gap="16px")), self.chart,
                         self.multiples]

    def series(self, tables) -> pd.DataFrame:
        return sentiment_series(tables, by=self.by.value, freq=self.freq.value, dated=self.dated.value)


class ThreatsTab(Tab):
    """Threat language: the flow, the timeline by dyad, the category breakdown."""

    title = "Threats"

    def build(self) -> None:
        data = lambda t: t.threats  # noqa: E731
        self.sankey = ChartPanel("threat_sankey",
                                 lambda t: charts.threat_sankey_chart(t.threats, documents=t.documents),
                                 evidence=self.evidence, height=480, data=data,
                                 caption="Threats and warnings only (de-escalation has its own chart below): actor → category → target.")
        self.timeline = ChartPanel(
            "threat_timeline",
            lambda t: charts.threat_timeline_chart(t.threats, t.documents),
            evidence=self.evidence, height=480, data=data,
            caption="Each mark is a threat, by actor → target dyad, coloured by category. Click one.")
        self.categories = ChartPanel("threat_categories",
                                     lambda t: charts.threat_categories_chart(t.threats),
                                     evidence=self.evidence, height=420, data=data,
                                     caption="Threat categories by actor. Click a bar.")
        self.deescalation = ChartPanel("deescalation_pairs", lambda t: charts.deescalation_chart(t.threats),
                                       evidence=self.evidence, height=400, data=data,
                                       caption="De-escalating statements (offers of talks, reassurances) per "
                                               "actor → target. Click a bar.")
        self.panels = [self.sankey, self.timeline, self.categories, self.deescalation]
        self.children = [_row(self.sankey, self.categories, widths=["58%", "42%"]), self.timeline,
                         self.deescalation]


class DocumentsTab(Tab):
    """A reader: one article with entities, quotes, dates and threats highlighted."""

    title = "Documents"

    def build(self) -> None:
        self.picker = w.Dropdown(description="Article", layout=w.Layout(width="min(900px, 100%)"),
                                 style={"description_width": "55px"})
        self.reader = w.HTML()
        self.reader.add_class("ub-reader")
        self.picker.observe(lambda _c: self.render(), names="value")
        # charts.document_html carries its own legend
        self.children = [self.picker, self.reader]

    def refresh(self, tables) -> None:
        self.mount()
        self.tables = tables
        docs = tables.documents
        docs = docs.sort_values("published", ascending=False, na_position="last")
        options = [(f"{date_text(r.published) or 'undated'} · {r.outlet or '?'} · {str(r.title)[:90]}", r.doc_id)
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
    """`charts.document_html` for ``doc_id``: the article with entities, quotes, dates and threats marked."""
    return charts.document_html(doc_id, documents=tables.documents, mentions=tables.mentions,
                                quotes=tables.quotes, dates=tables.dates, threats=tables.threats,
                                entities=tables.entities, stories=tables.stories)
