"""Document views: the corpus overview table and the article reader with highlights.

`document_html` is HTML, not a Figure: the reader shows entities, quotes,
dates and threats at their character offsets, with every piece of article text
escaped so that markup in an article is shown, never run.
"""
from __future__ import annotations

import html
import logging

import pandas as pd
import plotly.graph_objects as go

import ukraine_briefs.charts.palette as palette
from ukraine_briefs.charts.style import empty_figure, entity_lookup, esc, is_empty, safe_chart, styled, text_or
from ukraine_briefs.tables.evidence import threat_parties

log = logging.getLogger(__name__)


@safe_chart("corpus_overview", "The corpus")
def corpus_overview_chart(documents: pd.DataFrame, *, max_rows: int = 20) -> go.Figure:
    """A table of the documents: title, outlet, publication date, sentences, status.

    Rows are in date order. Past ``max_rows`` documents only ``max_rows`` rows
    are drawn, those that failed first, then by date: a picture of ten thousand rows shows no more than its first few
    dozen and costs seconds to send and render. The subtitle says how many are
    shown; the chart's CSV (`chart_data`) lists every document.
    """
    title = "The corpus"
    if is_empty(documents):
        return empty_figure(title, name="corpus_overview")
    d = documents.copy()
    d["pub"] = pd.to_datetime(d["published"], errors="coerce")
    d["st"] = text_or(d["status"], "ok")
    d = d.sort_values(["pub", "doc_id"], na_position="last")
    total, ok = len(d), int((d["st"] == "ok").sum())
    if total > max_rows:
        # keep every failed document in view (up to the cap), then the earliest
        d = pd.concat([d[d["st"] != "ok"], d[d["st"] == "ok"]]).head(max(int(max_rows), 1))
    cells = [
        [esc(x, width=60, limit=160) for x in d["title"]],
        [esc(x, width=None) for x in text_or(d["outlet"], "–")],
        ["–" if pd.isna(x) else f"{x:%Y-%m-%d}" for x in d["pub"]],
        [str(int(x)) if pd.notna(x) else "–" for x in pd.to_numeric(d["n_sentences"], errors="coerce")],
        [esc(x, width=40, limit=120) for x in d["st"]],
    ]
    fig = go.Figure(go.Table(
        columnwidth=[46, 16, 12, 10, 16],
        header=dict(values=["<b>Title</b>", "<b>Outlet</b>", "<b>Published</b>", "<b>Sentences</b>", "<b>Status</b>"],
                    fill_color="#E8E8E8", align="left", font=dict(size=14)),
        cells=dict(values=cells, align="left", font=dict(size=13), height=28,
                   fill_color=[["#FFFFFF" if s == "ok" else "#FBE3D6" for s in d["st"]]]),
    ))
    sub = f"{total:,} document(s), {ok:,} parsed without error"
    if total > len(d):
        sub += f"; {len(d)} shown (failed first, then by date; the CSV lists all)"
    return styled(fig, "corpus_overview", title, height=min(1400, 90 + 60 * len(d) + 120), subtitle=sub)


_ENTITY_STYLE = "border-bottom:2px solid {c};background:{bg};"
_QUOTE_STYLE = "background:rgba(86,180,233,0.20);"
_DATE_STYLE = "background:rgba(240,228,66,0.55);"
_THREAT_STYLE = "text-decoration:underline wavy {c};text-decoration-thickness:1.5px;text-underline-offset:4px;"
_KIND_ORDER = {"quote": 0, "threat": 1, "date": 2, "entity": 3}  # outer -> inner


def _rows(df, doc_id):
    if is_empty(df) or "doc_id" not in df.columns:
        return pd.DataFrame()
    return df[df["doc_id"] == doc_id]


def document_html(doc_id: str, *, documents: pd.DataFrame, mentions: pd.DataFrame | None = None,
                  quotes: pd.DataFrame | None = None, dates: pd.DataFrame | None = None,
                  threats: pd.DataFrame | None = None, entities: pd.DataFrame | None = None,
                  stories: pd.DataFrame | None = None) -> str:
    """The article as an HTML fragment with entities, quotes, dates and threats highlighted.

    With ``stories``, a provenance line says whether the article is a copy of an earlier
    one in its story and whether it was flagged as spun or machine-translated, and why.

    Highlights come from the tables' character offsets into ``documents.text``.
    Every piece of article text (body, title, outlet, tooltips) goes through
    ``html.escape``, so a ``<script>`` in an article is shown, never run.
    Overlapping spans are split into properly nested fragments.

    Examples:
        >>> docs = pd.DataFrame({"doc_id": ["d"], "title": ["<b>T</b>"], "text": ["<script>x</script>"]})
        >>> "<script>" in document_html("d", documents=docs)
        False
    """
    try:
        return _document_html(doc_id, documents=documents, mentions=mentions, quotes=quotes,
                              dates=dates, threats=threats, entities=entities, stories=stories)
    except Exception as exc:  # the reader must not take the dashboard down
        log.exception("document_html failed for %s", doc_id)
        return f'<div class="ub-doc ub-error">Could not show document {html.escape(str(doc_id))}: {html.escape(type(exc).__name__)}</div>'


def _provenance(doc_id, documents: pd.DataFrame, stories: pd.DataFrame | None) -> str:
    """The reader's provenance line: original or copy (of which article, how similar), and the copy flag's reason."""
    row = _rows(stories, doc_id)
    if row.empty:
        return ""
    r, e = row.iloc[0], html.escape
    parts = []
    if r.get("role") == "copy" and not palette._missing(r.get("original_id")):
        orig = _rows(documents, r["original_id"])
        name = orig["title"].iloc[0] if len(orig) and not palette._missing(orig["title"].iloc[0]) else r["original_id"]
        parts.append(f"Copy of “{e(str(name))}” (similarity {float(r['similarity']):.2f})")
    elif int(r.get("n_members") or 1) > 1:
        parts.append(f"Original of a story with {int(r['n_members']) - 1} more cop{'y' if int(r['n_members']) == 2 else 'ies'}")
    if bool(r.get("spun")):
        reason = "" if palette._missing(r.get("spun_reason")) else f": {e(str(r['spun_reason']))}"
        parts.append(f"flagged as a spun or machine-translated copy (score {float(r['spun_score']):.1f}){reason}")
    if not parts:
        return ""
    return ('<div class="ub-provenance" style="font-family:Arial,sans-serif;font-size:13px;color:#8a4b00;">'
            + "; ".join(parts)[:1].upper() + "; ".join(parts)[1:] + "</div>")


def _document_html(doc_id, *, documents, mentions, quotes, dates, threats, entities, stories=None) -> str:
    e = html.escape
    drow = _rows(documents, doc_id)
    if drow.empty:
        return f'<div class="ub-doc ub-missing">No document {e(str(doc_id))} in this selection.</div>'
    d = drow.iloc[0]
    text = "" if pd.isna(d.get("text")) else str(d.get("text"))
    n = len(text)
    ent = entity_lookup(entities)
    aff_by_id = ent["affiliation"] if "affiliation" in ent else pd.Series(dtype=str)

    spans: list[tuple[int, int, str, str, str]] = []  # start, end, kind, style, tooltip

    def add(s, t, kind, style, tip):
        try:
            s, t = max(0, int(s)), min(n, int(t))
        except (TypeError, ValueError):
            return
        if s < t:
            spans.append((s, t, kind, style, tip))

    for r in _rows(mentions, doc_id).itertuples(index=False):
        aff = aff_by_id.get(r.entity_id) if len(aff_by_id) else None
        c = palette.affiliation_color(aff) if not palette._missing(aff) else palette.type_color(r.label)
        tip = f"{r.canonical_name} ({r.label}" + (f", {aff}" if not palette._missing(aff) else "") + ")"
        add(r.start_char, r.end_char, "entity", _ENTITY_STYLE.format(c=c, bg=palette.with_alpha(c, 0.12)), tip)
    for r in _rows(quotes, doc_id).itertuples(index=False):
        who = r.speaker_name if not palette._missing(r.speaker_name) else (r.speaker_surface if not palette._missing(r.speaker_surface) else "unattributed")
        cue = f", {r.cue}" if not palette._missing(r.cue) else ""
        add(r.start_char, r.end_char, "quote", _QUOTE_STYLE, f"Quote — {who} ({r.attribution}{cue})")
    for r in _rows(dates, doc_id).itertuples(index=False):
        val = r.value if not palette._missing(r.value) else "unresolved"
        add(r.start_char, r.end_char, "date", _DATE_STYLE, f"Date: {val} ({r.kind}, {r.granularity})")
    doc_threats = _rows(threats, doc_id)
    parties = threat_parties(doc_threats) if len(doc_threats) else doc_threats.assign(actor=[], target=[])
    for r, actor, target in zip(doc_threats.itertuples(index=False), parties["actor"], parties["target"]):
        tip = f"Threat ({r.category}, intensity {r.intensity}): {actor} → {target}"
        if bool(r.conditional):
            tip += "; conditional" + (f": {r.condition}" if not palette._missing(r.condition) else "")
        add(r.start_char, r.end_char, "threat", _THREAT_STYLE.format(c=palette.category_color(r.category)), tip)

    spans.sort(key=lambda s: (_KIND_ORDER[s[2]], s[0], -s[1]))
    cuts = sorted({0, n, *(s for s, _, _, _, _ in spans), *(t for _, t, _, _, _ in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        chunk = e(text[a:b])
        active = [sp for sp in spans if sp[0] <= a and sp[1] >= b]
        if not active:
            out.append(chunk)
            continue
        opened = "".join(f'<span class="ub-{k}" style="{e(st)}" title="{e(tip, quote=True)}">' for _, _, k, st, tip in active)
        out.append(opened + chunk + "</span>" * len(active))
    body = "".join(out)

    pub = pd.to_datetime(d.get("published"), errors="coerce")
    meta = " · ".join(x for x in [
        e(str(d.get("outlet"))) if not palette._missing(d.get("outlet")) else "",
        f"{pub:%Y-%m-%d}" if pd.notna(pub) else "undated",
        e(str(doc_id)),
    ] if x)
    title = e(str(d.get("title"))) if not palette._missing(d.get("title")) else e(str(doc_id))
    legend = (
        '<div class="ub-legend" style="font-family:Arial,sans-serif;font-size:13px;margin:6px 0 12px 0;">'
        f'<span style="{_ENTITY_STYLE.format(c="#0072B2", bg="rgba(0,114,178,0.12)")}">entity</span> (underline colour = affiliation) &nbsp; '
        f'<span style="{_QUOTE_STYLE}">quotation</span> &nbsp; '
        f'<span style="{_DATE_STYLE}">date</span> &nbsp; '
        f'<span style="{_THREAT_STYLE.format(c="#D55E00")}">threat</span> (wavy colour = category) &nbsp; '
        "— hover a highlight for details</div>"
    )
    counts = {k: sum(1 for s in spans if s[2] == k) for k in _KIND_ORDER}
    plural = {"quote": "quotes", "threat": "threats", "date": "dates", "entity": "entities"}
    summary = ", ".join(f"{v} {k if v == 1 else plural[k]}" for k, v in counts.items())
    return (
        f'<div class="ub-doc" data-doc-id="{e(str(doc_id), quote=True)}" style="max-width:52em;">'
        f'<h3 style="font-family:Arial,sans-serif;margin-bottom:2px;">{title}</h3>'
        f'<div class="ub-meta" style="font-family:Arial,sans-serif;color:#555;font-size:13px;">{meta} · {summary}</div>'
        f"{_provenance(doc_id, documents, stories)}{legend}"
        f'<div class="ub-text" style="white-space:pre-wrap;font-family:Georgia,serif;font-size:15px;line-height:1.6;">{body}</div>'
        "</div>"
    )
