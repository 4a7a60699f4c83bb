"""Quote chart: who is quoted, how often, and in what tone."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

import ukraine_briefs.charts.palette as palette
from ukraine_briefs.charts.style import (
    empty_figure,
    esc,
    integer_axis,
    is_empty,
    safe_chart,
    styled,
    text_or,
)
from ukraine_briefs.tables.queries import direct_quotes
from ukraine_briefs.tables.speakers import GROUPINGS, SOURCE_TYPES, speaker_groups
from ukraine_briefs.tables.summary import attributed


@safe_chart("quotes_by_speaker", "Quotes by speaker")
def quotes_by_speaker_chart(quotes: pd.DataFrame, *, n: int = 15, entities: pd.DataFrame | None = None,
                            by: str = "speaker", include_unattributed: bool = False,
                            include_indirect: bool = False) -> go.Figure:
    """Number of quotes per speaker group (bars, coloured by affiliation) and their mean tone (dots).

    ``by`` (`tables.speakers.speaker_groups`): ``speaker`` = each named person or body,
    and unnamed sources as groups of their own per source type and affiliation
    ("unnamed sources · United States" beside Blinken); ``affiliation`` = the
    speakers' country or bloc; ``source_type`` = named person / organisation /
    document / anonymous. Quotes with no source found are left out and counted in the
    subtitle (a bar of their own with ``include_unattributed``). Reported speech
    (``kind`` indirect) counts only with ``include_indirect``. Bars and dots carry
    ``customdata = [group key, label, by]`` (the key of a named speaker is its ``speaker_id``).
    """
    title = {"speaker": "Who is quoted, and in what tone", "affiliation": "Whose side is quoted, and in what tone",
             "source_type": "What kind of source is quoted, and in what tone"}.get(by, "Who is quoted, and in what tone")
    if is_empty(quotes):
        return empty_figure(title, name="quotes_by_speaker")
    q = direct_quotes(quotes, include_indirect=include_indirect).copy()
    groups = speaker_groups(q, entities, by=by)
    found = groups["key"].notna()
    q["group"] = groups["key"].where(found, "(none)")
    q["speaker"] = groups["label"].where(found, "(no speaker found)")
    q["aff"] = groups["affiliation"]
    n_unresolved = int((~found).sum())
    if not include_unattributed:
        q = q[found.to_numpy()]
    if q.empty:
        return empty_figure(title, "No attributed quotes in this selection", name="quotes_by_speaker")
    q["sentiment"] = pd.to_numeric(q["sentiment"], errors="coerce")
    q["len"] = q["text"].astype(str).str.len()
    g = q.groupby("group").agg(count=("quote_id", "size"), tone=("sentiment", "mean"), speaker=("speaker", "first"),
                               aff=("aff", lambda a: a.mode().iloc[0] if len(a.mode()) else "")).reset_index()
    g = g.sort_values(["count", "speaker"], ascending=[False, True]).head(n)
    example = q.sort_values("len", ascending=False).drop_duplicates("group").set_index("group")["text"]
    if by == "affiliation":
        g["aff"] = [k if k != "no affiliation" else "" for k in g["group"]]
    g["aff"] = [a if a else "unaffiliated" for a in g["aff"]]
    g["label"] = [esc(s, width=None, limit=40) for s in g["speaker"]]
    order = list(g["label"])[::-1]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.62, 0.38], horizontal_spacing=0.04,
                        subplot_titles=("Quotes", "Mean tone"))
    for aff, sub in sorted(g.groupby("aff", sort=False), key=lambda kv: -kv[1]["count"].sum()):
        color = palette.affiliation_color(None if aff == "unaffiliated" else aff)
        cd = [[k, s, by] for k, s in zip(sub["group"], sub["speaker"])]
        hover = [f"<b>{esc(s)}</b> ({esc(aff)})<br>{int(c)} quote(s), mean tone "
                 + ("n/a" if pd.isna(t) else f"{t:+.2f}") + f"<br><i>“{esc(example.get(k, ''), limit=200)}”</i>"
                 for k, s, c, t in zip(sub["group"], sub["speaker"], sub["count"], sub["tone"])]
        fig.add_trace(go.Bar(x=sub["count"], y=sub["label"], orientation="h", name=esc(aff, width=None), legendgroup=aff,
                             marker_color=color, customdata=cd, hovertext=hover, hoverinfo="text"), row=1, col=1)
        fig.add_trace(go.Scatter(x=sub["tone"].fillna(0), y=sub["label"], mode="markers", name=esc(aff, width=None),
                                 legendgroup=aff, showlegend=False, marker=dict(size=12, color=color, line=dict(width=1, color="white")),
                                 customdata=cd, hovertext=hover, hoverinfo="text"), row=1, col=2)
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    fig.add_vline(x=0, line=dict(color="#888888", width=1, dash="dot"), row=1, col=2)
    fig.update_xaxes(title_text="Number of quotes", row=1, col=1)
    integer_axis(fig, float(g["count"].max()), row=1, col=1)
    fig.update_xaxes(title_text="Mean tone (−1 … +1)", range=[-1.05, 1.05], row=1, col=2)
    fig.update_layout(legend_title_text="Speaker's affiliation")
    note = f"bars: quotes per {GROUPINGS.get(by, by)}, coloured by affiliation · dots: mean tone"
    n_unnamed = int(q["group"].astype(str).str.startswith("unnamed:").sum()) if by == "speaker" else 0
    if n_unnamed:
        note += f" · {n_unnamed} from unnamed sources"
    if n_unresolved and not include_unattributed:
        note += f" · {n_unresolved} quote(s) with no speaker found not shown"
    return styled(fig, "quotes_by_speaker", title, height=max(400, 30 * len(g) + 200), subtitle=note)


@safe_chart("quotes_by_source", "Quotes by source type")
def quotes_by_source_chart(quotes: pd.DataFrame, *, include_indirect: bool = False) -> go.Figure:
    """How many quotes come from named people, organisations, documents and anonymous sources.

    ``quotes.source_type`` (person / anonymous / organisation / document; missing
    = no source found). Bars carry ``customdata = [source_type]`` ("unknown" for
    missing) and split into attributed (a speaker found) and not. Reported speech only with ``include_indirect``.
    """
    title = "Who is behind the quotes: named, anonymous, organisation"
    if is_empty(quotes) or "source_type" not in quotes.columns:
        return empty_figure(title, name="quotes_by_source")
    quotes = direct_quotes(quotes, include_indirect=include_indirect)
    q = quotes.assign(kind=text_or(quotes["source_type"], "unknown"), found=attributed(quotes))
    fig = go.Figure()
    kinds = [k for k in SOURCE_TYPES if k in set(q["kind"])] + sorted(set(q["kind"]) - set(SOURCE_TYPES))
    for found, label, color in ((True, "speaker found", "#1f3a5f"), (False, "speaker not resolved", "#9aa7b8")):
        n = q[q["found"] == found].groupby("kind").size().reindex(kinds, fill_value=0)
        fig.add_trace(go.Bar(
            x=n.to_numpy(), y=[SOURCE_TYPES.get(k, k) for k in kinds], orientation="h", name=label,
            marker_color=color, customdata=[[k] for k in kinds],
            hovertext=[f"<b>{esc(SOURCE_TYPES.get(k, k))}</b><br>{int(c)} quote(s), {label}" for k, c in zip(kinds, n)],
            hoverinfo="text"))
    fig.update_yaxes(categoryorder="array", categoryarray=[SOURCE_TYPES.get(k, k) for k in kinds][::-1])
    fig.update_layout(barmode="stack", legend_title_text="")
    integer_axis(fig, float(q.groupby("kind").size().max()))
    n_anon = int((q["kind"] == "anonymous").sum())
    return styled(fig, "quotes_by_source", title, x="Quotes", y="Source type", height=360,
                  subtitle=f"{len(q)} quotes; {n_anon} from anonymous sources")
