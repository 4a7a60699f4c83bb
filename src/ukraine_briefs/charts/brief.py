"""The briefing pack: the current selection as a PDF, one chart a page, plus a ZIP of every chart's files.

Each page holds one chart (PNG through the one kaleido path, `export.figure_to_bytes`),
a one-line caption saying what it counts, the active filters, and the top
evidence sentences as numbered footnotes (title, outlet, date). This is what a
stakeholder takes into a meeting, so the text is the same the app shows.
PDF by fpdf2; text in DejaVu Sans when Debian's fonts-dejavu-core is there
(Cyrillic, curly quotes), else Helvetica with the text folded to Latin-1.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ukraine_briefs.charts import export
from ukraine_briefs.charts.catalog import ALL_CHARTS, chart_data
from ukraine_briefs.tables.evidence import evidence_for, total_of
from ukraine_briefs.tables.io import as_tables
from ukraine_briefs.tables.queries import by_stance
from ukraine_briefs.tables.summary import attributed
from ukraine_briefs.types import THREAT

#: Where Debian's fonts-dejavu-core puts the fonts (Unicode text in the PDF).
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
#: Evidence sentences footnoted under each chart.
FOOTNOTES = 3

#: Chart -> the one line saying what it counts (shown under the chart).
CAPTIONS = {
    "threat_sankey": "Threats and warnings (de-escalation not counted): who issues them, of what kind, against whom; "
                     "link width = number of threats.",
    "threat_timeline": "Each mark is one threat or warning, by publication date and actor → target; "
                       "size = intensity, diamond = conditional.",
    "threat_categories": "Statements per actor: threats by category to the right, de-escalating statements to the left.",
    "sentiment_over_time": "Weekly mean tone of sentences per outlet (−1 negative … +1 positive; axis zoomed to the "
                           "data); size = sentences.",
    "quotes_by_speaker": "Quotes per speaker found in the text (sources left unresolved are not counted), coloured by "
                         "affiliation, with their mean tone.",
    "top_entities": "Mentions of the most mentioned actors, places and bodies.",
    "cooccurrence_network": "Actors named in the same sentence; node size = mentions, edge width = co-mentions.",
    "cooccurrence_matrix": "Number of sentences naming both actors, for the most mentioned actors.",
    "mention_volume": "Weekly mentions of the most mentioned actors.",
    "corpus_overview": "The documents in this selection.",
}
#: The charts of a briefing, in reading order.
BRIEF_CHARTS = ("threat_sankey", "threat_categories", "threat_timeline", "sentiment_over_time",
                "quotes_by_speaker", "top_entities", "cooccurrence_matrix", "mention_volume")


@dataclasses.dataclass
class BriefPage:
    """One page: the chart, what it counts, and the sentences behind it."""

    name: str
    figure: go.Figure
    caption: str
    evidence: pd.DataFrame


def _top_entity(t) -> list:
    e = t.entities.sort_values(["n_mentions", "canonical_name"], ascending=[False, True])
    return [e["entity_id"].iloc[0], e["canonical_name"].iloc[0]] if len(e) else []


def _top_speaker(t) -> list:
    q = t.quotes[attributed(t.quotes).to_numpy()]
    if q.empty:
        return []
    top = q.groupby(["speaker_id", "speaker_name"], dropna=False).size().sort_values(ascending=False).index[0]
    return list(top)


def _strongest_threats(t) -> list:
    th = by_stance(t.threats, THREAT)
    if th.empty:
        return []
    th = th.assign(_i=pd.to_numeric(th["intensity"], errors="coerce").fillna(0))
    ids = th.sort_values("_i", ascending=False, kind="stable")["threat_id"].astype(str).head(FOOTNOTES)
    return ["", "", ";".join(ids)]


#: Chart -> (evidence chart id, the point standing for the whole chart) for its footnotes.
_EVIDENCE: dict[str, Callable] = {
    "threat_sankey": lambda t: ("threat_sankey", _strongest_threats(t)),
    "threat_timeline": lambda t: ("threat_sankey", _strongest_threats(t)),
    "threat_categories": lambda t: ("threat_sankey", _strongest_threats(t)),
    "sentiment_over_time": lambda t: ("sentiment_over_time", [None, None]),
    "quotes_by_speaker": lambda t: ("quotes_by_speaker", _top_speaker(t)),
    "top_entities": lambda t: ("top_entities", _top_entity(t)),
    "cooccurrence_network": lambda t: ("top_entities", _top_entity(t)),
    "cooccurrence_matrix": lambda t: ("top_entities", _top_entity(t)),
    "mention_volume": lambda t: ("top_entities", _top_entity(t)),
}


def brief_pages(tables, *, charts=BRIEF_CHARTS) -> list[BriefPage]:
    """The pages of a briefing over ``tables`` (already filtered): figure, caption and top evidence each."""
    t = as_tables(tables)
    pages = []
    for name in charts:
        fig = ALL_CHARTS[name](t)
        chart, point = _EVIDENCE.get(name, lambda _t: ("", []))(t)
        ev = evidence_for(chart, point, t, limit=FOOTNOTES) if chart and point else evidence_for("", [], t)
        pages.append(BriefPage(name, fig, CAPTIONS.get(name, ""), ev))
    return pages


class _Pdf(FPDF):
    def __init__(self, stamp: str):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.stamp = stamp
        self.unicode = (FONT_DIR / "DejaVuSans.ttf").exists() and (FONT_DIR / "DejaVuSans-Bold.ttf").exists()
        if self.unicode:
            self.add_font("Body", "", str(FONT_DIR / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.family = "Body" if self.unicode else "Helvetica"
        self.set_auto_page_break(True, margin=12)

    def text_of(self, value) -> str:
        s = " ".join(str(value).split())
        if self.unicode:
            return s
        s = s.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'").replace("–", "-")
        s = s.replace("—", "-").replace("→", "->").replace("…", "...").replace("−", "-")
        return s.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(self.family, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, self.text_of(f"{self.stamp} · page {self.page_no()}"), align="R")


#: multi_cell: the next line starts at the left margin (fpdf2 continues to the right by default)
_NEXT = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _date(v) -> str:
    ts = pd.to_datetime(v, errors="coerce")
    return "undated" if pd.isna(ts) else ts.strftime("%d %b %Y")


def _title_of(fig: go.Figure, name: str) -> str:
    t = fig.layout.title.text if fig.layout.title and fig.layout.title.text else name.replace("_", " ")
    return str(t).split("<br>")[0].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def write_brief(tables, out, *, filters: str = "all documents", charts=BRIEF_CHARTS, scale: float = 1.5) -> Path:
    """Write the briefing PDF for ``tables`` (already filtered; ``filters`` says how) to ``out``.

    One page a chart: title, the chart image, its caption, the filters, and the
    top evidence sentences as footnotes [1]…[3]. Raises what image export
    raises (no browser: `export.BrowserError`).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf = _Pdf(f"Ukraine briefs · {filters} · made {dt.date.today():%d %b %Y}")
    for page in brief_pages(tables, charts=charts):
        pdf.add_page()
        pdf.set_font(pdf.family, "B", 15)
        pdf.set_text_color(31, 58, 95)
        pdf.multi_cell(0, 7, pdf.text_of(_title_of(page.figure, page.name)), **_NEXT)
        png = export.figure_to_bytes(page.figure, "png", width=1100, height=560, scale=scale)
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=pdf.epw, h=pdf.epw * 560 / 1100 * 0.93)
        pdf.set_text_color(30)
        pdf.set_font(pdf.family, "", 10)
        pdf.multi_cell(0, 5, pdf.text_of(page.caption), **_NEXT)
        pdf.set_font(pdf.family, "", 9)
        pdf.set_text_color(90)
        pdf.multi_cell(0, 5, pdf.text_of(f"Filters: {filters}"), **_NEXT)
        if len(page.evidence):
            pdf.ln(1)
            pdf.set_text_color(30)
            head = f"Evidence ({len(page.evidence)} of {total_of(page.evidence)} sentences behind this chart):"
            pdf.multi_cell(0, 4.5, pdf.text_of(head), **_NEXT)
            for i, r in enumerate(page.evidence.itertuples(index=False), 1):
                text = str(r.text)
                text = text if len(text) <= 260 else text[:259].rstrip() + "…"
                pdf.multi_cell(0, 4.2, pdf.text_of(f"[{i}] “{text}” — {r.title}, {r.outlet}, {_date(r.published)}"), **_NEXT)
    pdf.output(str(out))
    return out


def write_pack(tables, out, *, charts=BRIEF_CHARTS, formats=("png", "svg")) -> Path:
    """A ZIP of every briefing chart as ``<chart>.png``/``.svg`` and its data as ``<chart>.csv``."""
    t = as_tables(tables)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for name in charts:
            fig = ALL_CHARTS[name](t)
            for fmt in formats:
                z.writestr(f"{name}.{fmt}", export.figure_to_bytes(fig, fmt))
            z.writestr(f"{name}.csv", export.table_to_csv_bytes(chart_data(name, t)))
    return out
