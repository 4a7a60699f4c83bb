"""The static HTML edition of the dashboard (``ukraine-briefs publish``): every chart, its evidence, no kernel.

For read-only audiences a folder of plain files serves any number of viewers
from any web server (or from disk): an ``index.html``, one page per chart of
`catalog.ALL_CHARTS` (interactive plotly: zoom, hover, legend), plotly.js written
once beside them as ``plotly.min.js`` (never a CDN), and the evidence behind
every mark. Clicking a mark lists its evidence sentences, looked up in advance
with the dashboard's own `tables.evidence.evidence_for` and embedded as JSON;
the evidence is written with ``textContent``, never as markup. ``quotes.html``,
``threats.html`` and ``documents.html`` list every quote, threat and document
as escaped HTML tables.
"""
from __future__ import annotations

import html
import json
import logging
import math
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from ukraine_briefs.charts.catalog import ALL_CHARTS
from ukraine_briefs.tables.evidence import evidence_for
from ukraine_briefs.tables.io import as_tables

log = logging.getLogger(__name__)

PLOTLY_JS = "plotly.min.js"
#: Marks per chart whose evidence is embedded (each lookup takes 0.05-0.3 s; beyond them the
#: quotes, threats and documents pages still list everything).
MAX_POINTS = 60
#: Chart id -> what its groups are, and the period length, for `evidence_for` (as the catalog draws them).
EVIDENCE_ARGS = {"sentiment_over_time": {"by": "outlet", "freq": "W"},
                 "mention_volume": {"by": "entity", "freq": "W"}}
TITLES = {
    "corpus_overview": "Corpus overview", "top_entities": "Most mentioned actors",
    "cooccurrence_network": "Who is mentioned with whom (network)",
    "cooccurrence_matrix": "Who is mentioned with whom (matrix)", "mention_volume": "Mentions over time",
    "sentiment_over_time": "Tone over time", "quotes_by_speaker": "Quotes by speaker",
    "threat_timeline": "Threats over time", "threat_categories": "Threats by category",
    "threat_sankey": "Who threatens whom",
}
EVIDENCE_FIELDS = ["published", "outlet", "title", "text", "note"]

CSS = """
body { margin: 0; background: #f5f7fa; color: #1d2733;
       font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
header { background: #1f3a5f; color: #fff; padding: 12px 22px; }
header a { color: #fff; margin-right: 16px; font-size: 14px; }
header h1 { font-size: 20px; margin: 0 0 6px; }
main { max-width: 1500px; margin: 0 auto; padding: 14px 22px 40px; }
.ub-row { display: flex; gap: 14px; align-items: flex-start; }
.ub-chart { flex: 1 1 auto; min-width: 0; background: #fff; border: 1px solid #d9dee6; border-radius: 8px; padding: 6px; }
.ub-evidence { flex: 0 0 380px; background: #fff; border: 1px solid #d9dee6; border-radius: 8px; padding: 10px 12px;
               max-height: 85vh; overflow-y: auto; font-size: 13px; }
.ub-evidence h2 { font-size: 15px; margin: 0 0 6px; color: #1f3a5f; }
.ub-ev { margin: 0 0 10px; line-height: 1.45; } .ub-meta { color: #5f6b7a; font-size: 11px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; background: #fff; }
th, td { border-bottom: 1px solid #d9dee6; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f7; position: sticky; top: 0; }
ul.ub-index li { margin: 6px 0; font-size: 15px; }
.ub-muted { color: #5f6b7a; font-size: 13px; }
input.ub-filter { margin: 6px 0 10px; padding: 5px 8px; width: 320px; }
"""

#: Shows the evidence of a clicked mark; every value goes in as text, never as markup.
CLICK_JS = """
(function () {
  var evidence = JSON.parse(document.getElementById("ub-evidence-data").textContent);
  var box = document.getElementById("ub-evidence-list");
  var head = document.getElementById("ub-evidence-head");
  var plot = document.querySelector(".js-plotly-plot");
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls;
                                if (text !== undefined) e.textContent = text; return e; }
  function show(key) {
    var rows = evidence[key];
    box.replaceChildren();
    if (rows === undefined) {
      head.textContent = "The evidence of this mark is not in the static edition (it holds the first marks of " +
                         "each chart); the Quotes, Threats and Documents pages list every row.";
      return;
    }
    head.textContent = rows.length ? rows.length + " evidence sentence(s)" : "No evidence sentences for this mark.";
    rows.forEach(function (r) {
      var item = el("div", "ub-ev");
      item.appendChild(el("div", "ub-meta", [r.published, r.outlet, r.title].filter(Boolean).join(" \\u00b7 ")));
      item.appendChild(el("div", "", r.text));
      if (r.note) item.appendChild(el("div", "ub-meta", r.note));
      box.appendChild(item);
    });
  }
  if (plot && plot.on) plot.on("plotly_click", function (ev) {
    var p = ev.points && ev.points[0]; if (!p) return;
    var i = p.pointNumber !== undefined ? p.pointNumber : p.pointIndex;
    if (Array.isArray(i)) i = i.join(",");
    if (p.source !== undefined && p.target !== undefined && p.value !== undefined) i = "link" + i;
    else if (p.sourceLinks !== undefined || p.targetLinks !== undefined) i = "node" + i;
    show(p.curveNumber + ":" + i);
  });
})();
"""


def _page(title: str, body: str, *, head: str = "") -> str:
    nav = "".join(f'<a href="{href}">{html.escape(text)}</a>' for href, text in (
        ("index.html", "Charts"), ("quotes.html", "Quotes"), ("threats.html", "Threats"),
        ("documents.html", "Documents")))
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{html.escape(title)}</title><style>{CSS}</style>{head}</head>"
            f"<body><header><h1>Ukraine briefs: {html.escape(title)}</h1><nav>{nav}</nav></header>"
            f"<main>{body}</main></body></html>\n")


def script_json(obj) -> str:
    """JSON safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` as unicode escapes (no ``</script>``).

    Examples:
        >>> script_json({"t": "</script><b>&"})
        '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(obj, ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _cell(value) -> str:
    """One table cell's text: dates as days, missing values empty, everything escaped."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float):
        return f"{value:.2f}"
    return html.escape(str(value))


def html_table(df: pd.DataFrame, columns: list[str], *, table_id: str) -> str:
    """``df[columns]`` as an escaped HTML table with a filter box (plain JS, no library)."""
    cols = [c for c in columns if c in df.columns]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    rows = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in rec) + "</tr>"
                   for rec in df[cols].itertuples(index=False, name=None))
    filt = (f'<input class="ub-filter" type="search" placeholder="Filter rows" '
            f'oninput="filterRows(this.value, \'{table_id}\')">')
    return f'{filt}<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


FILTER_JS = """<script>
function filterRows(q, id) { q = q.toLowerCase();
  document.querySelectorAll("#" + id + " tbody tr").forEach(function (tr) {
    tr.style.display = tr.textContent.toLowerCase().indexOf(q) >= 0 ? "" : "none"; }); }
</script>"""


def _evidence_rows(df: pd.DataFrame) -> list[dict]:
    return [{k: _text(r.get(k)) for k in EVIDENCE_FIELDS} for r in df.to_dict("records")]


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _point_customdata(trace) -> list[tuple[str, object]]:
    """(point key, customdata) for each mark of a trace that carries customdata (sankey: links and nodes)."""
    out = []
    if trace.type == "sankey":
        for part in ("link", "node"):
            cd = getattr(trace, part).customdata
            out.extend((f"{part}{i}", c) for i, c in enumerate(cd if cd is not None else []))
        return out
    cd = getattr(trace, "customdata", None)
    if cd is None:
        return out
    if trace.type == "heatmap":  # cells with nothing in them have no evidence
        z = trace.z if trace.z is not None else [[1] * len(row) for row in cd]
        return [(f"{i},{j}", c) for i, row in enumerate(cd) for j, c in enumerate(row)
                if z[i][j] not in (0, None) and not (isinstance(z[i][j], float) and math.isnan(z[i][j]))]
    return [(str(i), c) for i, c in enumerate(cd)]


def chart_evidence(name: str, fig: go.Figure, tables) -> dict[str, list[dict]]:
    """``"trace:point"`` -> the evidence rows of that mark (what the dashboard's panel shows on a click)."""
    chart = (fig.layout.meta or {}).get("chart", name) if isinstance(fig.layout.meta, dict) else name
    out: dict[str, list[dict]] = {}
    n = 0
    for ti, trace in enumerate(fig.data):
        edges = chart == "cooccurrence_network" and getattr(trace, "name", None) == "edges"
        trace_chart = "cooccurrence_edges" if edges else chart
        for key, cd in _point_customdata(trace):
            if n >= MAX_POINTS:
                return out
            if cd is None:
                continue
            try:
                ev = evidence_for(trace_chart, cd, tables, **EVIDENCE_ARGS.get(chart, {}))
            except Exception:  # one mark without evidence never loses the page
                log.exception("evidence of %s %s:%s", chart, ti, key)
                continue
            n += 1
            out[f"{ti}:{key}"] = _evidence_rows(ev)
    return out


def chart_page(name: str, fig: go.Figure, tables) -> str:
    """One chart as an interactive plotly page with its click-to-evidence panel."""
    fig = go.Figure(fig)
    fig.update_layout(autosize=True, width=None)
    plot = fig.to_html(include_plotlyjs=PLOTLY_JS, full_html=False, div_id=f"chart-{name}",
                       config={"displaylogo": False, "responsive": True})
    data = script_json(chart_evidence(name, fig, tables))
    body = (f'<div class="ub-row"><div class="ub-chart">{plot}</div>'
            f'<aside class="ub-evidence"><h2>Evidence</h2><div id="ub-evidence-head" class="ub-muted">'
            f"Click a mark of the chart to list the sentences behind it.</div>"
            f'<div id="ub-evidence-list"></div></aside></div>'
            f'<script type="application/json" id="ub-evidence-data">{data}</script>'
            f"<script>{CLICK_JS}</script>")
    return _page(TITLES.get(name, name), body)


def _doc_meta(tables) -> pd.DataFrame:
    d = tables.documents.drop_duplicates("doc_id").set_index("doc_id")
    return d[[c for c in ("title", "outlet", "published") if c in d.columns]]


def _with_docs(df: pd.DataFrame, tables) -> pd.DataFrame:
    if df.empty or "doc_id" not in df.columns:
        return df
    meta = _doc_meta(tables)
    return df.join(meta, on="doc_id", rsuffix="_doc").sort_values([c for c in ("published", "doc_id")
                                                                    if c in df.columns or c in meta.columns])


def publish(tables_source, out_dir) -> list[Path]:
    """Write the static edition of the dashboard into ``out_dir``; returns the files written.

    ``tables_source`` is a tables directory, `Tables` or anything `as_tables` takes.
    A chart that cannot be drawn is logged and left out of the index; the rest is written.
    """
    tables = as_tables(tables_source)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / PLOTLY_JS]
    written[0].write_text(plotly.offline.get_plotlyjs(), encoding="utf-8")
    links = []
    for name, make in ALL_CHARTS.items():
        try:
            page = chart_page(name, make(tables), tables)
        except Exception:
            log.exception("chart %s left out of the static edition", name)
            continue
        path = out / f"chart-{name}.html"
        path.write_text(page, encoding="utf-8")
        written.append(path)
        links.append(f'<li><a href="{path.name}">{html.escape(TITLES.get(name, name))}</a></li>')
    docs = tables.documents
    pages = {
        "quotes.html": ("Quotes", _with_docs(tables.quotes, tables),
                        ["published", "outlet", "title", "speaker_name", "speaker_surface", "text", "kind", "cue"]),
        "threats.html": ("Threats and de-escalation", _with_docs(tables.threats, tables),
                         ["published", "outlet", "title", "stance", "actor_name", "target_name", "category",
                          "trigger", "text"]),
        "documents.html": ("Documents", docs.sort_values("published") if "published" in docs else docs,
                           ["doc_id", "published", "outlet", "title", "url", "n_sentences", "status", "notes"]),
    }
    for fname, (title, df, cols) in pages.items():
        body = f'<p class="ub-muted">{len(df):,} rows.</p>{html_table(df, cols, table_id="t")}{FILTER_JS}'
        (out / fname).write_text(_page(title, body), encoding="utf-8")
        written.append(out / fname)
    n_docs = len(docs)
    index = (f'<p class="ub-muted">A static edition of the dashboard over {n_docs:,} documents: the charts are '
             f"interactive (zoom, hover; click a mark for its evidence sentences) and need no server.</p>"
             f'<h2>Charts</h2><ul class="ub-index">{"".join(links)}</ul>'
             f'<h2>Evidence</h2><ul class="ub-index"><li><a href="quotes.html">Every quote</a> '
             f'({len(tables.quotes):,})</li><li><a href="threats.html">Every threat and de-escalating statement</a> '
             f'({len(tables.threats):,})</li><li><a href="documents.html">Every document</a> ({n_docs:,})</li></ul>')
    (out / "index.html").write_text(_page("static edition", index), encoding="utf-8")
    written.append(out / "index.html")
    return written
