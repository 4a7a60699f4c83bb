"""Charts: functions from tables (DataFrames) to `plotly.graph_objects.Figure`.

Every chart is titled, has labelled axes, prints legibly (white template, 14 px
text), takes its colours from `ukraine_briefs.charts.palette` (one colour per actor
affiliation everywhere) and never raises: empty input gives a titled "No data
for this selection" figure. Every point carries ``customdata`` that leads back
to its evidence (see ``docs/charts.md``), and all article text put into hovers,
labels or the document reader is HTML-escaped, because plotly renders hover
text as (a subset of) HTML.

Charts read tables only: they never import spaCy or an extractor.
"""
from __future__ import annotations

import functools
import html
import logging
import math
import textwrap
from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ukraine_briefs.charts import palette

log = logging.getLogger(__name__)

NO_DATA = "No data for this selection"
FONT = dict(family="Arial, Helvetica, sans-serif", size=14, color="#222222")
WIDTH, HEIGHT = 1000, 600

THREAT_CATEGORIES = ["military", "red_line", "economic", "diplomatic", "unspecified", "deescalation"]


# --------------------------------------------------------------------------- helpers


def _plain(text: str) -> str:
    """Escape ``&``, ``<``, ``>`` only: what plotly's text renderer needs to show ``text`` literally."""
    return html.escape(str(text), quote=False)


def esc(text, *, width: int | None = 80, limit: int | None = 400) -> str:
    """Text -> hover-safe HTML: truncated, wrapped with ``<br>``, ``<``/``>``/``&`` escaped.

    Examples:
        >>> esc('<img src=x onerror="alert(1)"> & more', width=None)
        '&lt;img src=x onerror="alert(1)"&gt; &amp; more'

    Quotes stay as they are: plotly's hover/label renderer knows no ``&quot;``
    and would show it literally, and without a ``<`` no tag (hence no
    attribute) can form. Real HTML (`document_html`) escapes quotes too.
    """
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    s = " ".join(str(text).split())
    if limit and len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    lines = textwrap.wrap(s, width) if width else [s]
    return "<br>".join(_plain(line) for line in lines)


def _str(series: pd.Series, default: str) -> pd.Series:
    """Strings with missing values (None/NaN/'' / 'None') replaced by ``default``."""
    s = series.astype(object)
    bad = s.isna() | s.astype(str).str.strip().isin(["", "None", "nan", "<NA>"])
    return s.where(~bad, default).astype(str)


def _first(value):
    """The first element of a list-like evidence value, or the value itself."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return value[0] if len(value) else None
    return value


def _periods(values: pd.Series) -> pd.Series:
    """Period/Timestamp/string periods -> Timestamps (NaT when unparseable)."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.to_timestamp()
    def conv(v):
        if isinstance(v, pd.Period):
            return v.to_timestamp()
        try:
            return pd.Timestamp(str(v)) if not isinstance(v, pd.Timestamp) else v
        except (ValueError, TypeError):
            try:
                return pd.Period(str(v)).to_timestamp()
            except (ValueError, TypeError):
                return pd.NaT
    return pd.to_datetime(values.map(conv), errors="coerce")


def _style(fig: go.Figure, name: str, title: str, *, x: str | None = None, y: str | None = None,
           height: int = HEIGHT, empty: bool = False, subtitle: str | None = None) -> go.Figure:
    full = f"{_plain(title)}" + (f"<br><sup>{esc(subtitle, width=None)}</sup>" if subtitle else "")
    fig.update_layout(
        template="simple_white",
        title=dict(text=full, x=0.01, xanchor="left", font=dict(size=18)),
        font=FONT,
        width=WIDTH,
        height=height,
        margin=dict(l=80, r=30, t=90 if subtitle else 70, b=70),
        hoverlabel=dict(font_size=13, align="left"),
        legend=dict(title_font_size=13),
        meta={"chart": name, "empty": empty},
    )
    if x is not None:
        fig.update_xaxes(title_text=x)
    if y is not None:
        fig.update_yaxes(title_text=y)
    return fig


def empty_figure(title: str, message: str = NO_DATA, *, name: str = "empty") -> go.Figure:
    """A titled figure that says there is nothing to show (never an exception, never a blank)."""
    fig = go.Figure()
    fig.add_annotation(text=_plain(message), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font=dict(size=18, color="#555555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _style(fig, name, title, empty=True, height=400)


def _safe(name: str, title: str):
    """Decorator: a chart that fails returns a titled message figure instead of raising."""
    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                return fn(*args, **kwargs)
            except Exception as exc:  # a broken chart must not take the dashboard down
                log.exception("chart %s failed", name)
                return empty_figure(title, f"Could not draw this chart ({type(exc).__name__}: {exc})", name=name)
        return wrapper
    return deco


def _is_empty(df) -> bool:
    return df is None or not isinstance(df, pd.DataFrame) or df.empty


def _entity_lookup(entities: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["entity_id", "canonical_name", "type", "affiliation", "n_mentions", "n_docs"]
    if _is_empty(entities):
        return pd.DataFrame(columns=cols).set_index("entity_id")
    e = entities.drop_duplicates("entity_id").set_index("entity_id")
    return e


def _group_colors(groups, entities: pd.DataFrame | None = None) -> dict[str, str]:
    """Group name -> colour: its entity's affiliation colour when ``entities`` knows it."""
    aff = {}
    if not _is_empty(entities) and "affiliation" in entities.columns:
        for key_col in ("canonical_name", "entity_id"):
            for k, a in zip(entities[key_col].astype(str), entities["affiliation"]):
                if not palette._missing(a):
                    aff.setdefault(k, a)
    return {g: palette.affiliation_color(aff.get(g, g)) for g in groups}


SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "hexagon", "triangle-down"]
PATTERNS = ["", "/", "x", ".", "\\", "+", "-", "|"]


def _twins(groups, colors: dict[str, str]) -> dict[str, int]:
    """Group -> its rank among groups sharing a colour (two Russian officials share Russia's colour,
    so the second gets another marker symbol / bar pattern)."""
    seen: dict[str, int] = {}
    out = {}
    for g in groups:
        c = colors[g]
        out[g] = seen.get(c, 0)
        seen[c] = out[g] + 1
    return out


def _integer_axis(fig: go.Figure, max_value: float, axis: str = "x", **kw) -> None:
    """Counts get whole-number ticks (no 0.5 quotes)."""
    upd = fig.update_xaxes if axis == "x" else fig.update_yaxes
    if max_value <= 10:
        upd(dtick=1, tickformat="d", **kw)
    else:
        upd(tickformat="d", **kw)


def _labels_of(df: pd.DataFrame) -> dict[str, str]:
    """group -> display label (the ``label`` column of timeseries frames, else the group itself)."""
    if "label" not in df.columns:
        return {g: g for g in df["group"].unique()}
    lab = _str(df["label"], "")
    return {g: (l or g) for g, l in zip(df["group"], lab)}


def _unique_labels(ids: list[str], names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    return [n if seen[n] == 1 else f"{n} ({i})" for i, n in zip(ids, names)]


# --------------------------------------------------------------------------- co-occurrence


def _cooc_nodes_edges(cooccurrence, entities, window, weight, top_n):
    """Edges of one window among the top-N entities, and a node table for them."""
    if _is_empty(cooccurrence):
        return None, None
    edges = cooccurrence[cooccurrence["window"] == window].copy()
    if edges.empty:
        return None, None
    edges["entity_a"] = edges["entity_a"].astype(str)
    edges["entity_b"] = edges["entity_b"].astype(str)
    edges = edges[edges["entity_a"] != edges["entity_b"]]
    ent = _entity_lookup(entities)
    ids = pd.Index(pd.unique(pd.concat([edges["entity_a"], edges["entity_b"]])))
    nodes = pd.DataFrame(index=ids)
    nodes.index.name = "entity_id"
    # mentions from the entities table; degree by edge counts when the entity is unknown
    edge_mass = pd.concat([edges.groupby("entity_a")["count"].sum(), edges.groupby("entity_b")["count"].sum()]).groupby(level=0).sum()
    n_m = ent["n_mentions"].reindex(ids) if "n_mentions" in ent else pd.Series(np.nan, index=ids)
    nodes["n_mentions"] = pd.to_numeric(n_m, errors="coerce").fillna(edge_mass.reindex(ids)).fillna(1).astype(int)
    nodes["name"] = _str(ent["canonical_name"].reindex(ids), "") if "canonical_name" in ent else ""
    nodes.loc[nodes["name"] == "", "name"] = nodes.index[nodes["name"] == ""]
    nodes["type"] = _str(ent["type"].reindex(ids), "unknown") if "type" in ent else "unknown"
    nodes["affiliation"] = _str(ent["affiliation"].reindex(ids), "unaffiliated") if "affiliation" in ent else "unaffiliated"
    nodes = nodes.reset_index().sort_values(["n_mentions", "name"], ascending=[False, True]).head(max(int(top_n), 1))
    keep = set(nodes["entity_id"])
    edges = edges[edges["entity_a"].isin(keep) & edges["entity_b"].isin(keep)]
    w = pd.to_numeric(edges[weight if weight in edges.columns else "count"], errors="coerce").fillna(0.0)
    edges = edges.assign(w=w)
    # sorted strongest first: the network draws only the strongest, lays out with all
    edges = edges.sort_values(["w", "count"], ascending=False)
    return nodes.reset_index(drop=True), edges.reset_index(drop=True)


def _by_affiliation(cooccurrence: pd.DataFrame, entities: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Co-occurrence and entities with every affiliated entity merged into one node per affiliation.

    Unaffiliated entities stay themselves. A group's mentions are its members'
    sum, a pair's count and documents are summed over member pairs (so
    ``n_docs`` is an upper bound) and its NPMI is the count-weighted mean.
    The group rows gain ``rep`` (the most mentioned member's id, for evidence)
    and ``members`` (all member ids, ``;``-joined).
    """
    ent = entities.drop_duplicates("entity_id").copy() if not _is_empty(entities) else pd.DataFrame(
        columns=["entity_id", "canonical_name", "type", "affiliation", "n_mentions", "n_docs"])
    ent["entity_id"] = ent["entity_id"].astype(str)
    ent["n_mentions"] = pd.to_numeric(ent["n_mentions"], errors="coerce").fillna(0)
    aff = _str(ent["affiliation"], "")
    ent["key"] = aff.where(aff != "", ent["entity_id"])
    ent = ent.sort_values(["n_mentions", "entity_id"], ascending=[False, True])
    grouped = ent.groupby("key", sort=False).agg(
        canonical_name=("canonical_name", "first"), type=("type", "first"), affiliation=("affiliation", "first"),
        n_mentions=("n_mentions", "sum"), n_docs=("n_docs", "max"), rep=("entity_id", "first"),
        members=("entity_id", lambda ids: ";".join(sorted(ids))), size=("entity_id", "size")).reset_index()
    is_group = grouped["key"].isin(set(aff[aff != ""]))
    grouped.loc[is_group, "canonical_name"] = grouped.loc[is_group, "key"]
    grouped.loc[is_group & (grouped["size"] > 1), "type"] = "affiliation"
    key = dict(zip(ent["entity_id"], ent["key"]))
    c = cooccurrence.copy()
    a = c["entity_a"].astype(str).map(lambda i: key.get(i, i))
    b = c["entity_b"].astype(str).map(lambda i: key.get(i, i))
    c["entity_a"], c["entity_b"] = np.where(a <= b, a, b), np.where(a <= b, b, a)
    c = c[c["entity_a"] != c["entity_b"]]
    npmi = pd.to_numeric(c["npmi"], errors="coerce") if "npmi" in c else pd.Series(np.nan, index=c.index)
    c = c.assign(_wn=npmi.fillna(0) * c["count"], _w=c["count"].where(npmi.notna(), 0))
    c = c.groupby(["entity_a", "entity_b", "window"], as_index=False).agg(
        count=("count", "sum"), n_docs=("n_docs", "sum"), _wn=("_wn", "sum"), _w=("_w", "sum"))
    c["npmi"] = (c["_wn"] / c["_w"].where(c["_w"] > 0)).round(4)
    return c.drop(columns=["_wn", "_w"]), grouped.rename(columns={"key": "entity_id"}).drop(columns="size")


@_safe("cooccurrence_network", "Who is mentioned with whom")
def cooccurrence_network(cooccurrence: pd.DataFrame, entities: pd.DataFrame, *, window: str = "sentence",
                         weight: str = "count", color_by: str = "affiliation", top_n: int = 40,
                         seed: int = 7, group_by: str = "entity") -> go.Figure:
    """Entity co-occurrence network: node size = mentions, edge width = count or NPMI.

    Only the ``top_n`` most mentioned nodes are drawn, and of their edges the
    ``3 * top_n`` strongest, so thousands of entities still give a readable
    picture. ``group_by="affiliation"`` first merges every entity with a known
    affiliation into one node per affiliation (Putin, Lavrov and the Kremlin
    become "Russia"; see `_by_affiliation`), unaffiliated entities staying
    themselves.

    Layout is networkx's spring layout with a fixed ``seed`` so the picture is
    the same on every run. Nodes carry ``[entity_id, name, n_mentions,
    affiliation, type]``; the invisible edge midpoints (trace ``edges``) carry
    ``[entity_a, entity_b, window, count, npmi]`` so a click leads to evidence.
    Grouped by affiliation, the ids are each group's most mentioned member and
    the member ids follow (nodes: one more element; edges: two more).
    """
    import networkx as nx

    grouped = group_by == "affiliation"
    title = f"Who is mentioned with whom (same {window})" + (", by affiliation" if grouped else "")
    if grouped and not _is_empty(cooccurrence):
        cooccurrence, entities = _by_affiliation(cooccurrence, entities)
    nodes, edges = _cooc_nodes_edges(cooccurrence, entities, window, weight, top_n)
    if nodes is None or nodes.empty:
        return empty_figure(title, name="cooccurrence_network")
    if grouped:
        e = entities.set_index("entity_id")
        nodes["rep"] = nodes["entity_id"].map(e["rep"]).fillna(nodes["entity_id"])
        nodes["members"] = nodes["entity_id"].map(e["members"]).fillna(nodes["entity_id"])
        rep, members = dict(zip(nodes["entity_id"], nodes["rep"])), dict(zip(nodes["entity_id"], nodes["members"]))

    g = nx.Graph()
    g.add_nodes_from(nodes["entity_id"])
    # Lay out by NPMI whatever the displayed weight: raw counts pull every node
    # onto the few hubs (Russia, the U.S., Ukraine) and give a hairball.
    lw = pd.to_numeric(edges["npmi"], errors="coerce").fillna(0.0).clip(0.05, 1.0) if "npmi" in edges else pd.Series(0.5, index=edges.index)
    for a, b, w in zip(edges["entity_a"], edges["entity_b"], lw):
        g.add_edge(a, b, w=float(w))
    k = 2.0 / math.sqrt(max(len(g), 1))
    pos = nx.spring_layout(g, seed=seed, weight="w", k=k, iterations=200) if len(g) > 1 else {n: np.array([0.0, 0.0]) for n in g}
    # draw only the strongest edges so a large corpus stays readable
    edges = edges.head(3 * max(int(top_n), 1))

    fig = go.Figure()
    if not edges.empty:
        w = edges["w"].clip(lower=0)
        wmax = float(w.max()) or 1.0
        widths = 1 + 7 * (w / wmax)
        bins = np.minimum((widths // 2).astype(int), 4)
        for b in sorted(bins.unique()):
            sub = edges[bins == b]
            xs, ys = [], []
            for a, c in zip(sub["entity_a"], sub["entity_b"]):
                xs += [pos[a][0], pos[c][0], None]
                ys += [pos[a][1], pos[c][1], None]
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", hoverinfo="skip", showlegend=False,
                                     line=dict(width=float(widths[bins == b].mean()), color="rgba(110,110,110,0.45)"),
                                     name=f"edge width {b}"))
        names = dict(zip(nodes["entity_id"], nodes["name"]))
        mx = [(pos[a][0] + pos[c][0]) / 2 for a, c in zip(edges["entity_a"], edges["entity_b"])]
        my = [(pos[a][1] + pos[c][1]) / 2 for a, c in zip(edges["entity_a"], edges["entity_b"])]
        npmi = pd.to_numeric(edges.get("npmi", pd.Series(np.nan, index=edges.index)), errors="coerce").fillna(0.0)
        hover = [f"{esc(names[a])} — {esc(names[c])}<br>together in {int(n)} {_plain(window)}(s), {int(d)} document(s)<br>NPMI {p:.2f}"
                 for a, c, n, d, p in zip(edges["entity_a"], edges["entity_b"], edges["count"], edges["n_docs"], npmi)]
        fig.add_trace(go.Scatter(
            x=mx, y=my, mode="markers", name="edges", showlegend=False,
            marker=dict(size=10, color="rgba(0,0,0,0)"),
            hovertext=hover, hoverinfo="text",
            customdata=[[rep[a], rep[c], window, int(n), float(p), members[a], members[c]] if grouped else [a, c, window, int(n), float(p)]
                        for a, c, n, p in zip(edges["entity_a"], edges["entity_b"], edges["count"], npmi)],
        ))

    key = "type" if color_by == "type" else "affiliation"
    color_fn = palette.type_color if key == "type" else palette.affiliation_color
    smax = math.sqrt(float(nodes["n_mentions"].max()) or 1.0)
    n_labels = 20
    for group, sub in sorted(nodes.groupby(key), key=lambda kv: -kv[1]["n_mentions"].sum()):
        sizes = [12 + 38 * math.sqrt(v) / smax for v in sub["n_mentions"]]
        fig.add_trace(go.Scatter(
            x=[pos[i][0] for i in sub["entity_id"]], y=[pos[i][1] for i in sub["entity_id"]],
            mode="markers", name=esc(group, width=None),
            marker=dict(size=sizes, color=color_fn(None if group in ("unaffiliated", "unknown") else group),
                        line=dict(width=1.5, color="white"), opacity=1),
            hovertext=[f"<b>{esc(n)}</b><br>{esc(t)} · {esc(a)}<br>{m} mention(s)"
                       for n, t, a, m in zip(sub["name"], sub["type"], sub["affiliation"], sub["n_mentions"])],
            hoverinfo="text",
            customdata=[[rep[i], n, int(m), a, t, members[i]] if grouped else [i, n, int(m), a, t]
                        for i, n, m, a, t in zip(sub["entity_id"], sub["name"], sub["n_mentions"], sub["affiliation"], sub["type"])],
        ))
    # labels last, in their own trace, so no node hides a name
    top = nodes.head(n_labels)
    fig.add_trace(go.Scatter(
        x=[pos[i][0] for i in top["entity_id"]], y=[pos[i][1] for i in top["entity_id"]], mode="text",
        text=[esc(n, width=None, limit=30) for n in top["name"]], textposition="top center",
        textfont=dict(size=12, color="#111111", shadow="0px 0px 3px white"), hoverinfo="skip", showlegend=False, name="labels",
    ))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    what = "entities and affiliations" if grouped else "entities"
    sub = f"top {len(nodes)} {what} by mentions; node size = mentions, edge width = {weight}, colour = {key}"
    _style(fig, "cooccurrence_network", title, height=700, subtitle=sub)
    fig.update_layout(legend=dict(title_text=key.capitalize(), itemsizing="constant"))
    return fig


#: Largest pair count the matrix still colours linearly.
LOG_COUNTS_ABOVE = 100


@_safe("cooccurrence_matrix", "Co-occurrence matrix")
def cooccurrence_matrix(cooccurrence: pd.DataFrame, entities: pd.DataFrame, *, window: str = "sentence",
                        weight: str = "count", top_n: int = 25) -> go.Figure:
    """Heatmap of pair weights (count or NPMI) among the top-N most mentioned entities.

    Cells carry ``customdata = [entity_a_id, entity_b_id]``. Counts above
    `LOG_COUNTS_ABOVE` are coloured on a log scale (``z`` is then
    log10(count); the hover text and the colour bar's labels show counts).
    """
    title = f"Co-occurrence matrix (same {window}, {weight})"
    nodes, _ = _cooc_nodes_edges(cooccurrence, entities, window, weight, top_n)
    if nodes is None or nodes.empty:
        return empty_figure(title, name="cooccurrence_matrix")
    ids = list(nodes["entity_id"])
    edges = cooccurrence[(cooccurrence["window"] == window)
                         & cooccurrence["entity_a"].astype(str).isin(ids) & cooccurrence["entity_b"].astype(str).isin(ids)]
    col = weight if weight in edges.columns else "count"
    idx = {e: i for i, e in enumerate(ids)}
    z = np.full((len(ids), len(ids)), np.nan)
    for a, b, v in zip(edges["entity_a"].astype(str), edges["entity_b"].astype(str), pd.to_numeric(edges[col], errors="coerce")):
        if a != b:
            z[idx[a], idx[b]] = z[idx[b], idx[a]] = v
    labels = [esc(s, width=None, limit=30) for s in _unique_labels(ids, list(nodes["name"]))]
    custom = [[[a, b] for b in ids] for a in ids]
    text = [[f"{labels[i]} × {labels[j]}<br>{weight}: " + ("–" if np.isnan(z[i, j]) else (f"{z[i, j]:.2f}" if col == "npmi" else f"{int(z[i, j])}"))
             for j in range(len(ids))] for i in range(len(ids))]
    zmax = max(1.0, float(np.nanmax(z))) if np.isfinite(z).any() else 1.0
    colorbar = dict(title=dict(text=weight))
    if col == "npmi":
        heat = dict(colorscale=palette.TONE_COLORSCALE, zmid=0, zmin=-1, zmax=1)
    elif zmax > LOG_COUNTS_ABOVE:
        # heavy-tailed counts (a few pairs in the tens of thousands, most in the tens): on a
        # linear scale all but the top cells share one colour, so colour by log10(count);
        # hovers and the colour bar's labels stay counts
        z = np.log10(np.where(z > 0, z, np.nan))
        ticks = list(range(int(math.log10(zmax)) + 1))
        heat = dict(colorscale=palette.COUNT_COLORSCALE, zmin=0, zmax=math.log10(zmax))
        colorbar = dict(title=dict(text=f"{weight}<br>(log scale)"), tickvals=ticks, ticktext=[f"{10 ** k:,}" for k in ticks])
    else:
        heat = dict(colorscale=palette.COUNT_COLORSCALE, zmin=0, zmax=zmax)
    fig = go.Figure(go.Heatmap(z=np.where(np.isnan(z), None, z).tolist(), x=labels, y=labels, customdata=custom,
                               hovertext=text, hoverinfo="text", colorbar=colorbar,
                               xgap=1, ygap=1, **heat))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-45)
    size = max(500, 24 * len(ids) + 260)
    return _style(fig, "cooccurrence_matrix", title, x="Entity", y="Entity", height=size)


# --------------------------------------------------------------------------- entities and volume


@_safe("top_entities", "Most mentioned entities")
def top_entities(entities: pd.DataFrame, *, n: int = 20, by_type: str | list[str] | None = None) -> go.Figure:
    """Horizontal bars of the ``n`` most mentioned entities, coloured by affiliation.

    Bars carry ``customdata = [entity_id]``.
    """
    types_ = [by_type] if isinstance(by_type, str) else list(by_type or [])
    title = "Most mentioned entities" + (f" ({', '.join(types_)})" if types_ else "")
    if _is_empty(entities):
        return empty_figure(title, name="top_entities")
    df = entities.copy()
    if types_:
        df = df[df["type"].astype(str).str.upper().isin([t.upper() for t in types_])]
    df = df[pd.to_numeric(df["n_mentions"], errors="coerce").fillna(0) > 0]
    if df.empty:
        return empty_figure(title, name="top_entities")
    df = df.sort_values(["n_mentions", "canonical_name"], ascending=[False, True]).head(n)
    df["name"] = _str(df["canonical_name"], "?")
    df["label"] = [esc(s, width=None, limit=40) for s in _unique_labels(list(df["entity_id"]), list(df["name"]))]
    df["aff"] = _str(df["affiliation"], "unaffiliated")
    order = list(df["label"])[::-1]
    fig = go.Figure()
    for aff, sub in sorted(df.groupby("aff", sort=False), key=lambda kv: -kv[1]["n_mentions"].sum()):
        fig.add_trace(go.Bar(
            x=sub["n_mentions"], y=sub["label"], orientation="h", name=esc(aff, width=None),
            marker_color=palette.affiliation_color(None if aff == "unaffiliated" else aff),
            customdata=[[i] for i in sub["entity_id"]],
            hovertext=[f"<b>{esc(nm)}</b><br>{esc(t)} · {esc(a)}<br>{int(m)} mention(s) in {int(d)} document(s)"
                       for nm, t, a, m, d in zip(sub["name"], _str(sub["type"], "?"), sub["aff"], sub["n_mentions"], sub["n_docs"])],
            hoverinfo="text",
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    fig.update_layout(barmode="stack", legend_title_text="Affiliation")
    _integer_axis(fig, float(df["n_mentions"].max()))
    return _style(fig, "top_entities", title, x="Mentions", y="", height=max(400, 28 * len(df) + 160))


@_safe("mention_volume", "Mention volume over time")
def mention_volume(volume_df: pd.DataFrame, *, entities: pd.DataFrame | None = None,
                   title: str = "Mention volume over time", max_groups: int = 10) -> go.Figure:
    """Stacked bars of mentions per period (and per group when the frame has one).

    Takes the shape of ``timeseries.mention_volume``: ``period``, ``count``, and
    optionally ``group`` (an id), ``label`` (its display name) and ``evidence``.
    Bars carry ``customdata = [period, group]``; beyond ``max_groups`` the smaller
    groups are pooled as "other", whose bars carry ``[period, "other",
    "except:id;id"]`` (the groups drawn on their own), so the evidence panel can list them.
    Bars, not lines: empty periods show as gaps, never interpolated.
    """
    if _is_empty(volume_df) or "count" not in volume_df.columns:
        return empty_figure(title, name="mention_volume")
    df = volume_df.copy()
    pcol = "period" if "period" in df.columns else df.columns[0]
    df["x"] = _periods(df[pcol])
    df = df[df["x"].notna()]
    df["group"] = _str(df["group"], "all") if "group" in df.columns else "all mentions"
    df["count"] = pd.to_numeric(df["count"], errors="coerce").fillna(0)
    if df.empty or df["count"].sum() <= 0:
        return empty_figure(title, name="mention_volume")
    totals = df.groupby("group")["count"].sum().sort_values(ascending=False)
    pooled = ""
    if len(totals) > max_groups:
        top = set(totals.index[: max_groups - 1])
        pooled = "except:" + ";".join(sorted(top))
        df["group"] = df["group"].where(df["group"].isin(top), "other")
        totals = df.groupby("group")["count"].sum().sort_values(ascending=False)
    colors = _group_colors(list(totals.index), entities)
    twins = _twins(list(totals.index), colors)
    labels = _labels_of(df)
    labels["other"] = "other"
    fig = go.Figure()
    for grp in totals.index:
        sub = df[df["group"] == grp].groupby("x", as_index=False).agg(
            count=("count", "sum"), evidence=("evidence", "first") if "evidence" in df.columns else ("count", "size"))
        ev = sub["evidence"] if "evidence" in df.columns else [None] * len(sub)
        name = labels.get(grp, grp)
        fig.add_trace(go.Bar(
            x=sub["x"], y=sub["count"], name=esc(name, width=None), marker_color=colors[grp],
            marker_pattern_shape=PATTERNS[twins[grp] % len(PATTERNS)], marker_pattern_fgcolor="white",
            customdata=[[x.strftime("%Y-%m-%d"), grp] + ([pooled] if grp == "other" and pooled else []) for x in sub["x"]],
            hovertext=[f"<b>{esc(name)}</b> · {x:%Y-%m-%d}<br>{int(c)} mention(s)" + (f"<br><i>{esc(_first(e))}</i>" if _first(e) is not None else "")
                       for x, c, e in zip(sub["x"], sub["count"], ev)],
            hoverinfo="text",
        ))
    fig.update_layout(barmode="stack", legend_title_text="Entity" if "label" in df.columns else "Group")
    _integer_axis(fig, float(df.groupby("x")["count"].sum().max()), axis="y")
    return _style(fig, "mention_volume", title, x="Period", y="Mentions")


@_safe("sentiment_over_time", "Tone over time")
def sentiment_over_time(series_df: pd.DataFrame, *, entities: pd.DataFrame | None = None,
                        title: str = "Tone over time", max_groups: int = 8) -> go.Figure:
    """Mean tone per period and group with 95% intervals; points sized by count.

    Takes the shape of ``timeseries.sentiment_over_time``: ``period, group, mean,
    count, ci_low, ci_high, evidence``. Markers only, so nothing is interpolated
    across empty periods. ``label`` (display name) and ``evidence_ids`` are used
    when present. Points carry ``customdata = [period, group, count,
    evidence_ids]`` and the hover shows the evidence sentence.
    """
    if _is_empty(series_df) or "mean" not in series_df.columns:
        return empty_figure(title, name="sentiment_over_time")
    df = series_df.copy()
    df["x"] = _periods(df["period"] if "period" in df.columns else df.iloc[:, 0])
    df["group"] = _str(df["group"], "all") if "group" in df.columns else "all"
    df["mean"] = pd.to_numeric(df["mean"], errors="coerce")
    df["count"] = pd.to_numeric(df.get("count", 1), errors="coerce").fillna(1)
    df = df[df["x"].notna() & df["mean"].notna() & (df["count"] > 0)]
    if df.empty:
        return empty_figure(title, name="sentiment_over_time")
    for c in ("ci_low", "ci_high"):
        df[c] = pd.to_numeric(df[c], errors="coerce") if c in df.columns else np.nan
    df["ci_low"] = df["ci_low"].fillna(df["mean"])
    df["ci_high"] = df["ci_high"].fillna(df["mean"])
    totals = df.groupby("group")["count"].sum().sort_values(ascending=False)
    groups = list(totals.index[:max_groups])
    colors = _group_colors(groups, entities)
    twins = _twins(groups, colors)
    labels = _labels_of(df)
    cmax = float(df["count"].max()) or 1.0
    fig = go.Figure()
    fig.add_hline(y=0, line=dict(color="#888888", width=1, dash="dot"))
    for grp in groups:
        sub = df[df["group"] == grp].sort_values("x")
        ev = sub["evidence"] if "evidence" in sub.columns else [None] * len(sub)
        ids = _str(sub["evidence_ids"], "") if "evidence_ids" in sub.columns else [""] * len(sub)
        name = labels.get(grp, grp)
        fig.add_trace(go.Scatter(
            x=sub["x"], y=sub["mean"], mode="markers", name=esc(name, width=None),
            marker=dict(size=[8 + 22 * math.sqrt(c / cmax) for c in sub["count"]], color=colors[grp],
                        symbol=SYMBOLS[twins[grp] % len(SYMBOLS)],
                        line=dict(width=1, color="white"), opacity=0.9),
            error_y=dict(type="data", symmetric=False, array=(sub["ci_high"] - sub["mean"]).clip(lower=0).tolist(),
                         arrayminus=(sub["mean"] - sub["ci_low"]).clip(lower=0).tolist(), color=colors[grp], thickness=1.5, width=4),
            customdata=[[x.strftime("%Y-%m-%d"), grp, int(c), i] for x, c, i in zip(sub["x"], sub["count"], ids)],
            hovertext=[f"<b>{esc(name)}</b> · {x:%Y-%m-%d}<br>mean tone {m:+.2f} (95% CI {lo:+.2f} … {hi:+.2f}), n = {int(c)}"
                       + (f"<br><i>{esc(_first(e))}</i>" if _first(e) is not None else "")
                       for x, m, lo, hi, c, e in zip(sub["x"], sub["mean"], sub["ci_low"], sub["ci_high"], sub["count"], ev)],
            hoverinfo="text",
        ))
    fig.update_yaxes(range=[-1.05, 1.05], zeroline=False)
    fig.update_layout(legend_title_text="Group")
    return _style(fig, "sentiment_over_time", title, x="Period", y="Mean tone (−1 negative … +1 positive)",
                  subtitle="point size = number of sentences; bars = 95% interval")


# --------------------------------------------------------------------------- threats


def _party(name: pd.Series, affiliation: pd.Series, unknown: str) -> pd.Series:
    """Who, for a stakeholder: the affiliation when known, else the name, else ``unknown``."""
    return _str(affiliation, "").where(lambda s: s != "", _str(name, unknown))


def _threat_frame(threats: pd.DataFrame) -> pd.DataFrame:
    t = threats.copy()
    t["actor"] = _party(t["actor_name"], t["actor_affiliation"], "unknown actor")
    t["target"] = _party(t["target_name"], t["target_affiliation"], "unknown target")
    t["cat"] = _str(t["category"], "unspecified").str.lower()
    t["intensity"] = pd.to_numeric(t["intensity"], errors="coerce").fillna(1).clip(1, 4).astype(int)
    return t


def category_label(category: str) -> str:
    """Display name of a threat category ("red_line" -> "red line", "deescalation" -> "de-escalation")."""
    return "de-escalation" if category == "deescalation" else str(category).replace("_", " ")


def _category_order(cats) -> list[str]:
    known = [c for c in THREAT_CATEGORIES if c in set(cats)]
    return known + sorted(set(cats) - set(known))


#: Bubble periods of an aggregated timeline, finest first: day, week, calendar month.
_BUBBLE_FREQS = {"D": "day", "W": "week", "M": "month"}


def _aggregate_freq(t: pd.DataFrame, max_bubbles: int) -> str:
    """The finest period (day, week, month) that keeps the bubbles (dyad x period x category)
    at most ``max_bubbles``; months when none does. Bubbles, not pixels, are what a chart
    costs to draw and to read."""
    for freq in ("D", "W"):
        if len(t.groupby(["dyad", t["x"].dt.to_period(freq), "cat"])) <= max_bubbles:
            return freq
    return "M"


def _period_end(start: pd.Timestamp, freq: str) -> pd.Timestamp:
    """First instant after the period of ``freq`` starting at ``start``."""
    return start + (pd.DateOffset(months=1) if freq == "M" else pd.Timedelta(days=7 if freq == "W" else 1))


def _lane_offsets(g: pd.DataFrame, cats: list[str], step: float = 0.16) -> pd.Series:
    """Per row of ``g`` (dyad, cat): its lane's offset within the dyad's row.

    Each dyad's categories get lanes centred on the dyad's tick, in category
    order, so a dyad with one category sits on its tick and none drifts
    towards the neighbouring row.
    """
    rank = g["cat"].map({c: i for i, c in enumerate(cats)})
    lane = rank.groupby(g["dyad"]).rank(method="dense") - 1
    k = g.groupby("dyad")["cat"].transform("nunique")
    return (lane - (k - 1) / 2) * step


@_safe("threat_timeline", "Threats over time")
def threat_timeline(threats: pd.DataFrame, documents: pd.DataFrame, *, top_dyads: int = 15,
                    max_points: int = 1000, max_bubbles: int = 400) -> go.Figure:
    """Threats over time: x = publication date, y = actor → target dyad, colour = category.

    The ``top_dyads`` most frequent dyads are drawn (the subtitle counts the rest).

    Up to ``max_points`` threats each get a point: size grows with intensity,
    diamonds are conditional threats ("if Russia invades ..."), threats of one
    dyad on one day are stacked within the dyad's row (y is numeric; the dyads
    are the tick labels), and points carry ``customdata = [threat_id, doc_id,
    start_char, end_char]``. Beyond that (thousands of threats pile up into an
    unreadable, slow band) the chart aggregates: one bubble per dyad, period
    and category, area = number of threats, each category in its own lane of
    the dyad's row. The period is the finest of day, week and month that keeps
    at most ``max_bubbles`` bubbles (so a narrow date filter gets days). A
    bubble's ``customdata = [threat_id, doc_id, start_char, end_char, dyad,
    category, period_start, freq, n]``: the first four are its most intense
    (then earliest) threat, the rest name the whole group, which
    `threats_behind` turns back into the threats.
    """
    title = "Who threatens whom, over time"
    if _is_empty(threats):
        return empty_figure(title, name="threat_timeline")
    t = _threat_frame(threats)
    pub = documents.drop_duplicates("doc_id").set_index("doc_id")["published"] if not _is_empty(documents) else pd.Series(dtype="datetime64[ns]")
    t["x"] = pd.to_datetime(t["doc_id"].map(pub), errors="coerce")
    undated = int(t["x"].isna().sum())
    t = t[t["x"].notna()]
    if t.empty:
        return empty_figure(title, "No dated threats in this selection", name="threat_timeline")
    t["dyad"] = t["actor"] + " → " + t["target"]
    counts = t.groupby("dyad").size().sort_values(ascending=False, kind="stable")
    hidden = int(counts.iloc[top_dyads:].sum())
    t = t[t["dyad"].isin(counts.index[:top_dyads])]
    dyads = t.groupby("dyad").size().sort_values(ascending=True)
    row = {d: i for i, d in enumerate(dyads.index)}
    titles = documents.drop_duplicates("doc_id").set_index("doc_id")["title"]
    aggregated = len(t) > max_points
    fig = go.Figure()
    if aggregated:
        note = _timeline_bubbles(fig, t, row, titles, max_bubbles)
    else:
        _timeline_points(fig, t, row, titles)
        note = "size = intensity (1–4); ◆ = conditional"
    fig.update_yaxes(tickmode="array", tickvals=list(range(len(dyads))), ticktext=[esc(d, width=None) for d in dyads.index],
                     range=[-0.6, len(dyads) - 0.4], showgrid=True, gridcolor="#EEEEEE", zeroline=False)
    fig.update_layout(legend_title_text="Category")
    if undated:
        note += f"; {undated} undated threat(s) not shown"
    if hidden:
        note += f"; {hidden} threat(s) of {len(counts) - top_dyads} smaller dyads not shown"
    per_row = 64 if aggregated else 44
    return _style(fig, "threat_timeline", title, x="Publication date", y="Actor → target",
                  height=max(420, per_row * len(dyads) + 200), subtitle=note)


def _timeline_points(fig: go.Figure, t: pd.DataFrame, row: dict, titles: pd.Series) -> None:
    """One marker per threat (small selections)."""
    # Threats of one dyad on one day would sit on one spot: stack them within the
    # dyad's row (numeric y, dyads as tick labels) so each point can be hovered and clicked.
    t = t.sort_values(["doc_id", "start_char"], kind="stable")
    rank = t.groupby(["dyad", "x"]).cumcount()
    size = t.groupby(["dyad", "x"])["x"].transform("size")
    step = (0.7 / size.clip(lower=2)).clip(upper=0.25)
    t = t.assign(y=t["dyad"].map(row) + (rank - (size - 1) / 2) * step)
    for cat in _category_order(t["cat"].unique()):
        sub = t[t["cat"] == cat]
        fig.add_trace(go.Scatter(
            x=sub["x"], y=sub["y"], mode="markers", name=esc(category_label(cat), width=None),
            legendgroup=cat, showlegend=False,
            marker=dict(size=[8 + 5 * i for i in sub["intensity"]], color=palette.category_color(cat), opacity=0.85,
                        symbol=["diamond" if bool(c) else "circle" for c in sub["conditional"]],
                        line=dict(width=1, color="white")),
            customdata=[[i, d, int(s), int(e)] for i, d, s, e in zip(sub["threat_id"], sub["doc_id"], sub["start_char"], sub["end_char"])],
            hovertext=[f"<b>{esc(dy)}</b> · {esc(cat)} · intensity {k}{' · conditional' if bool(c) else ''}<br>"
                       f"{x:%Y-%m-%d} · {esc(titles.get(d, d), limit=90)}<br><i>{esc(txt)}</i>"
                       for dy, k, c, x, d, txt in zip(sub["dyad"], sub["intensity"], sub["conditional"], sub["x"], sub["doc_id"], sub["text"])],
            hoverinfo="text",
        ))
        # legend entry with a plain circle (the real points mix circles and diamonds)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=esc(category_label(cat), width=None),
                                 legendgroup=cat, marker=dict(size=12, color=palette.category_color(cat), symbol="circle")))
    if t["conditional"].astype(bool).any():
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="conditional (if …)",
                                 marker=dict(size=12, color="#555555", symbol="diamond")))


def _timeline_bubbles(fig: go.Figure, t: pd.DataFrame, row: dict, titles: pd.Series, max_bubbles: int) -> str:
    """One bubble per dyad, period and category (large selections); returns the subtitle."""
    freq = _aggregate_freq(t, max_bubbles)
    t = t.assign(period=t["x"].dt.to_period(freq).dt.start_time, cond=t["conditional"].astype(bool))
    keys = ["dyad", "period", "cat"]
    # the representative threat of a bubble: the most intense, then the earliest in the text
    t = t.sort_values(["intensity", "x", "doc_id", "start_char"], ascending=[False, True, True, True], kind="stable")
    g = t.groupby(keys, sort=False).agg(n=("threat_id", "size"), n_cond=("cond", "sum"), mean_int=("intensity", "mean"),
                                        threat_id=("threat_id", "first"), doc_id=("doc_id", "first"),
                                        start_char=("start_char", "first"), end_char=("end_char", "first"),
                                        text=("text", "first")).reset_index()
    cats = _category_order(g["cat"].unique())
    g["y"] = g["dyad"].map(row) + _lane_offsets(g, cats)
    nmax = float(g["n"].max()) or 1.0
    unit = {"D": "", "W": "week of ", "M": ""}[freq]
    pfmt = "%Y-%m" if freq == "M" else "%Y-%m-%d"
    for cat in cats:
        sub = g[g["cat"] == cat].sort_values(["dyad", "period"])
        fig.add_trace(go.Scatter(
            x=sub["period"], y=sub["y"], mode="markers", name=esc(category_label(cat), width=None), legendgroup=cat,
            marker=dict(size=[4 + 14 * math.sqrt(n / nmax) for n in sub["n"]], color=palette.category_color(cat),
                        opacity=0.85, line=dict(width=0.5, color="white"), sizemode="diameter"),
            customdata=[[i, d, int(s), int(e), dy, cat, p.strftime("%Y-%m-%d"), freq, int(n)]
                        for i, d, s, e, dy, p, n in zip(sub["threat_id"], sub["doc_id"], sub["start_char"],
                                                        sub["end_char"], sub["dyad"], sub["period"], sub["n"])],
            hovertext=[f"<b>{esc(dy)}</b> · {esc(category_label(cat))}<br>{unit}{p.strftime(pfmt)}: {int(n)} threat(s), "
                       f"{int(c)} conditional, mean intensity {m:.1f}<br>e.g. {esc(titles.get(d, d), limit=90)}:"
                       f"<br><i>{esc(txt, limit=200)}</i>"
                       for dy, p, n, c, m, d, txt in zip(sub["dyad"], sub["period"], sub["n"], sub["n_cond"],
                                                        sub["mean_int"], sub["doc_id"], sub["text"])],
            hoverinfo="text",
        ))
    fig.update_layout(legend=dict(itemsizing="constant"))
    period = _BUBBLE_FREQS[freq]
    return f"{len(t):,} threats, one bubble per dyad, {period} and category; area = number of threats"


#: The row of `threat_categories` that pools the actors beyond its ``top_n``.
OTHER_ACTORS = "other actors"


def _top_actors(t: pd.DataFrame, top_n: int) -> list[str]:
    """The ``top_n`` actors with the most statements (ties by name), as `threat_categories` keeps them."""
    n = t.groupby("actor").size().reset_index(name="n").sort_values(["n", "actor"], ascending=[False, True])
    return list(n["actor"].head(max(int(top_n), 1)))


@_safe("threat_categories", "Threat language by actor and category")
def threat_categories(threats: pd.DataFrame, *, top_n: int = 15) -> go.Figure:
    """Per actor, how many threats of each category, with de-escalation drawn to the left.

    The diverging layout makes the contrast visible at a glance: threats count
    to the right of zero, de-escalating statements to the left. The ``top_n``
    actors with the most statements get a row; the rest are pooled into one
    "other actors" row. Bars carry ``customdata = [actor, category]``; the
    pooled row ``["other actors", category, top_n]`` (`threats_behind` lists its threats).
    """
    title = "Threat language by actor: threats vs. de-escalation"
    if _is_empty(threats):
        return empty_figure(title, name="threat_categories")
    t = _threat_frame(threats)
    top = _top_actors(t, top_n)
    n_actors = t["actor"].nunique()
    t["actor"] = t["actor"].where(t["actor"].isin(top), OTHER_ACTORS)
    counts = t.groupby(["actor", "cat"]).size().rename("n").reset_index()
    order = counts.assign(s=counts["n"].where(counts["cat"] != "deescalation", 0)).groupby("actor")["s"].sum().sort_values(kind="stable")
    # the pooled row sits at the bottom, apart from the named actors
    order = pd.concat([order[order.index == OTHER_ACTORS], order[order.index != OTHER_ACTORS]])
    fig = go.Figure()
    for cat in _category_order(counts["cat"].unique()):
        sub = counts[counts["cat"] == cat]
        sign = -1 if cat == "deescalation" else 1
        fig.add_trace(go.Bar(
            x=sign * sub["n"], y=[esc(a, width=None) for a in sub["actor"]], orientation="h",
            name=esc(category_label(cat), width=None), marker_color=palette.category_color(cat),
            customdata=[[a, cat] if a != OTHER_ACTORS else [a, cat, int(top_n)] for a in sub["actor"]],
            hovertext=[f"<b>{esc(a)}</b><br>{esc(cat)}: {int(n)}" for a, n in zip(sub["actor"], sub["n"])],
            hoverinfo="text",
        ))
    fig.add_vline(x=0, line=dict(color="#444444", width=1))
    fig.update_yaxes(categoryorder="array", categoryarray=[esc(a, width=None) for a in order.index])
    fig.update_layout(barmode="relative", legend_title_text="Category")
    _integer_axis(fig, float(counts.groupby("actor")["n"].sum().max()))
    n_de = int((t["cat"] == "deescalation").sum())
    note = f"{len(t) - n_de} threat(s), {n_de} de-escalating statement(s)"
    if n_actors > len(top):
        note += f"; {n_actors - len(top)} smaller actors pooled as “{OTHER_ACTORS}”"
    return _style(fig, "threat_categories", title, x="← de-escalation   statements   threats →", y="Actor",
                  height=max(400, 40 * len(order) + 200), subtitle=note)


def threats_behind(chart: str, customdata, threats: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rows of ``threats`` behind one clicked mark of a threat chart (for click-to-evidence).

    Resolves the aggregated marks, whose ``customdata`` names a group rather
    than listing its threats: a `threat_timeline` bubble (``[..., dyad,
    category, period_start, freq, n]``, needs ``documents`` for the dates) and
    the pooled "other actors" row of `threat_categories`. Plain marks work too
    (a timeline point -> its threat; a categories bar -> that actor and
    category). ``threats`` must be the table the chart was drawn from.
    """
    cd = [c.item() if hasattr(c, "item") else c for c in list(customdata)]
    if _is_empty(threats) or not cd:
        return threats.iloc[0:0] if isinstance(threats, pd.DataFrame) else pd.DataFrame()
    t = _threat_frame(threats)
    if chart == "threat_timeline":
        if len(cd) < 9:
            return threats[t["threat_id"] == cd[0]]
        dyad, cat, start, freq = cd[4], cd[5], pd.Timestamp(cd[6]), cd[7]
        pub = documents.drop_duplicates("doc_id").set_index("doc_id")["published"] if not _is_empty(documents) else pd.Series(dtype="datetime64[ns]")
        x = pd.to_datetime(t["doc_id"].map(pub), errors="coerce")
        end = _period_end(start, freq)
        hit = ((t["actor"] + " → " + t["target"]) == dyad) & (t["cat"] == cat) & (x >= start) & (x < end)
        return threats[hit.to_numpy()]
    if chart == "threat_categories":
        actor, cat = cd[0], cd[1]
        if actor == OTHER_ACTORS and len(cd) >= 3:
            hit = ~t["actor"].isin(_top_actors(t, int(cd[2])))
        else:
            hit = t["actor"] == actor
        return threats[(hit & (t["cat"] == cat)).to_numpy()]
    return threats.iloc[0:0]


#: Sentences whose threats a pooled mark (Sankey link/node) names for click-to-evidence: the
#: evidence panel lists 30 sentences, earliest first, so the earliest 40 are enough.
EVIDENCE_SENTENCES = 40


def _sentence_order(t: pd.DataFrame, documents: pd.DataFrame | None) -> None:
    """Sort ``t`` in place as the evidence panel lists sentences (published, doc_id, sent_id) and
    number its distinct sentences in that order (column ``sk``)."""
    pub = (pd.to_datetime(t["doc_id"].map(documents.drop_duplicates("doc_id").set_index("doc_id")["published"]), errors="coerce")
           if not _is_empty(documents) and "published" in documents.columns else pd.Series(pd.NaT, index=t.index))
    t["_pub"] = pub
    t.sort_values(["_pub", "doc_id", "sent_id"], na_position="last", kind="stable", inplace=True)
    t["sk"] = (~t.duplicated(["doc_id", "sent_id"])).cumsum()


def _evidence_ids(frame: pd.DataFrame, limit: int | None = None) -> str:
    """``;``-joined (sorted) ids of the threats in the first ``limit`` distinct sentences of ``frame``
    (ordered by `_sentence_order`)."""
    limit = EVIDENCE_SENTENCES if limit is None else limit
    first = frame["sk"].drop_duplicates().head(limit)
    return ";".join(sorted(frame.loc[frame["sk"].isin(first), "tid"]))


@_safe("threat_sankey", "Threat flows")
def threat_sankey(threats: pd.DataFrame, *, top_n: int = 12, documents: pd.DataFrame | None = None) -> go.Figure:
    """Flow of threats: actor → category → target (link width = number of threats).

    Only the ``top_n`` most frequent actors and targets get their own node; the
    rest flow through "other actors" / "other targets", so the chart stays
    readable (and exports fast) at thousands of threats.

    Links carry ``customdata = [source, target, threat_ids]`` and nodes
    ``customdata = [label, "", threat_ids]``, ``threat_ids`` being the
    ``;``-joined ids of the threats behind the link/node (sorted), so a click
    leads back to their sentences. Hover text is in ``link.label`` (escaped).
    At scale the ids are those of the threats in the link's first
    `EVIDENCE_SENTENCES` sentences, earliest first by publication date when
    ``documents`` is given (else by document and sentence): the evidence panel
    lists 30 sentences, earliest first, so it shows the same ones, and the
    figure stays small (all 36,000 ids of a 10,000-article corpus, five times
    over, made 4.4 MB of JSON).
    """
    title = "Threat flows: actor → category → target"
    if _is_empty(threats):
        return empty_figure(title, name="threat_sankey")
    t = _threat_frame(threats)
    t["tid"] = t["threat_id"].astype(str)
    _sentence_order(t, documents)
    for col, other in (("actor", "other actors"), ("target", "other targets")):
        keep = t[col].value_counts().index[:top_n]
        t[col] = t[col].where(t[col].isin(keep), other)
    def ordered(col: str, other: str) -> list[str]:  # by count, the pooled node last
        names = list(t[col].value_counts().index)
        return [n for n in names if n != other] + [n for n in names if n == other]

    actors = ordered("actor", "other actors")
    cats = _category_order(t["cat"].unique())
    targets = ordered("target", "other targets")
    labels = actors + [category_label(c) for c in cats] + targets
    colors = ([palette.affiliation_color(a) for a in actors] + [palette.category_color(c) for c in cats]
              + [palette.affiliation_color(a) for a in targets])
    ai = {a: i for i, a in enumerate(actors)}
    ci = {c: len(actors) + i for i, c in enumerate(cats)}
    ti = {a: len(actors) + len(cats) + i for i, a in enumerate(targets)}

    def ids(frame: pd.DataFrame) -> str:
        return _evidence_ids(frame)

    node_cd = ([[a, "", ids(t[t["actor"] == a])] for a in actors]
               + [[category_label(c), "", ids(t[t["cat"] == c])] for c in cats]
               + [[g, "", ids(t[t["target"] == g])] for g in targets])
    src, dst, val, lcol, hov, cd = [], [], [], [], [], []
    for (a, c), sub in t.groupby(["actor", "cat"]):
        src.append(ai[a]); dst.append(ci[c]); val.append(len(sub))
        lcol.append(palette.with_alpha(palette.affiliation_color(a), 0.45))
        hov.append(f"{esc(a)} → {esc(category_label(c))}: {len(sub)}")
        cd.append([a, category_label(c), ids(sub)])
    for (c, g), sub in t.groupby(["cat", "target"]):
        src.append(ci[c]); dst.append(ti[g]); val.append(len(sub))
        lcol.append(palette.with_alpha(palette.category_color(c), 0.45))
        hov.append(f"{esc(category_label(c))} → {esc(g)}: {len(sub)}")
        cd.append([category_label(c), g, ids(sub)])
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=[esc(x, width=None, limit=40) for x in labels], color=colors, pad=18, thickness=18,
                  line=dict(color="white", width=0.5), customdata=node_cd),
        link=dict(source=src, target=dst, value=val, color=lcol, label=hov, customdata=cd,
                  hovertemplate="%{label}<extra></extra>"),
        textfont=dict(size=13, color="#111111"),
    ))
    return _style(fig, "threat_sankey", title, height=max(450, 30 * max(len(actors), len(targets), len(cats)) + 200),
                  subtitle="left: who threatens · middle: category · right: whom")


# --------------------------------------------------------------------------- quotes


@_safe("quotes_by_speaker", "Quotes by speaker")
def quotes_by_speaker(quotes: pd.DataFrame, *, n: int = 15, entities: pd.DataFrame | None = None,
                      include_unattributed: bool = False) -> go.Figure:
    """Number of quotes per speaker (bars, coloured by affiliation) and their mean tone (dots).

    Bars and dots carry ``customdata = [speaker_id, speaker_name]``.
    """
    title = "Who is quoted, and in what tone"
    if _is_empty(quotes):
        return empty_figure(title, name="quotes_by_speaker")
    q = quotes.copy()
    q["speaker"] = _str(q["speaker_name"], "") .where(lambda s: s != "", _str(q["speaker_surface"], "(unattributed)"))
    q.loc[_str(q["speaker_id"], "") == "", "speaker_id"] = None
    if not include_unattributed:
        q = q[q["speaker"] != "(unattributed)"]
    if q.empty:
        return empty_figure(title, "No attributed quotes in this selection", name="quotes_by_speaker")
    q["sentiment"] = pd.to_numeric(q["sentiment"], errors="coerce")
    q["len"] = q["text"].astype(str).str.len()
    g = q.groupby("speaker").agg(count=("quote_id", "size"), tone=("sentiment", "mean"),
                                 speaker_id=("speaker_id", "first")).reset_index()
    g = g.sort_values(["count", "speaker"], ascending=[False, True]).head(n)
    example = q.sort_values("len", ascending=False).drop_duplicates("speaker").set_index("speaker")["text"]
    ent = _entity_lookup(entities)
    aff_by_id = ent["affiliation"] if "affiliation" in ent else pd.Series(dtype=str)
    g["aff"] = _str(g["speaker_id"].map(aff_by_id), "")
    g["aff"] = [a if a else "unaffiliated" for a in g["aff"]]
    g["label"] = [esc(s, width=None, limit=40) for s in g["speaker"]]
    order = list(g["label"])[::-1]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, column_widths=[0.62, 0.38], horizontal_spacing=0.04,
                        subplot_titles=("Quotes", "Mean tone"))
    for aff, sub in sorted(g.groupby("aff", sort=False), key=lambda kv: -kv[1]["count"].sum()):
        color = palette.affiliation_color(None if aff == "unaffiliated" else aff)
        cd = [[i, s] for i, s in zip(sub["speaker_id"], sub["speaker"])]
        hover = [f"<b>{esc(s)}</b> ({esc(aff)})<br>{int(c)} quote(s), mean tone "
                 + ("n/a" if pd.isna(t) else f"{t:+.2f}") + f"<br><i>“{esc(example.get(s, ''), limit=200)}”</i>"
                 for s, c, t in zip(sub["speaker"], sub["count"], sub["tone"])]
        fig.add_trace(go.Bar(x=sub["count"], y=sub["label"], orientation="h", name=esc(aff, width=None), legendgroup=aff,
                             marker_color=color, customdata=cd, hovertext=hover, hoverinfo="text"), row=1, col=1)
        fig.add_trace(go.Scatter(x=sub["tone"].fillna(0), y=sub["label"], mode="markers", name=esc(aff, width=None),
                                 legendgroup=aff, showlegend=False, marker=dict(size=12, color=color, line=dict(width=1, color="white")),
                                 customdata=cd, hovertext=hover, hoverinfo="text"), row=1, col=2)
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    fig.add_vline(x=0, line=dict(color="#888888", width=1, dash="dot"), row=1, col=2)
    fig.update_xaxes(title_text="Number of quotes", row=1, col=1)
    _integer_axis(fig, float(g["count"].max()), row=1, col=1)
    fig.update_xaxes(title_text="Mean tone (−1 … +1)", range=[-1.05, 1.05], row=1, col=2)
    fig.update_layout(legend_title_text="Affiliation")
    return _style(fig, "quotes_by_speaker", title, height=max(400, 30 * len(g) + 180))


# --------------------------------------------------------------------------- documents


@_safe("corpus_overview", "The corpus")
def corpus_overview(documents: pd.DataFrame, *, max_rows: int = 20) -> go.Figure:
    """A table of the documents: title, outlet, publication date, sentences, status.

    Rows are in date order. Past ``max_rows`` documents only ``max_rows`` rows
    are drawn, those that failed first, then by date: a picture of ten thousand rows shows no more than its first few
    dozen and costs seconds to send and render. The subtitle says how many are
    shown; the chart's CSV (`chart_data`) lists every document.
    """
    title = "The corpus"
    if _is_empty(documents):
        return empty_figure(title, name="corpus_overview")
    d = documents.copy()
    d["pub"] = pd.to_datetime(d["published"], errors="coerce")
    d["st"] = _str(d["status"], "ok")
    d = d.sort_values(["pub", "doc_id"], na_position="last")
    total, ok = len(d), int((d["st"] == "ok").sum())
    if total > max_rows:
        # keep every failed document in view (up to the cap), then the earliest
        d = pd.concat([d[d["st"] != "ok"], d[d["st"] == "ok"]]).head(max(int(max_rows), 1))
    cells = [
        [esc(x, width=60, limit=160) for x in d["title"]],
        [esc(x, width=None) for x in _str(d["outlet"], "–")],
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
    return _style(fig, "corpus_overview", title, height=min(1400, 90 + 60 * len(d) + 120), subtitle=sub)


_ENTITY_STYLE = "border-bottom:2px solid {c};background:{bg};"
_QUOTE_STYLE = "background:rgba(86,180,233,0.20);"
_DATE_STYLE = "background:rgba(240,228,66,0.55);"
_THREAT_STYLE = "text-decoration:underline wavy {c};text-decoration-thickness:1.5px;text-underline-offset:4px;"
_KIND_ORDER = {"quote": 0, "threat": 1, "date": 2, "entity": 3}  # outer -> inner


def _rows(df, doc_id):
    if _is_empty(df) or "doc_id" not in df.columns:
        return pd.DataFrame()
    return df[df["doc_id"] == doc_id]


def document_html(doc_id: str, *, documents: pd.DataFrame, mentions: pd.DataFrame | None = None,
                  quotes: pd.DataFrame | None = None, dates: pd.DataFrame | None = None,
                  threats: pd.DataFrame | None = None, entities: pd.DataFrame | None = None) -> str:
    """The article as an HTML fragment with entities, quotes, dates and threats highlighted.

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
                              dates=dates, threats=threats, entities=entities)
    except Exception as exc:  # the reader must not take the dashboard down
        log.exception("document_html failed for %s", doc_id)
        return f'<div class="ub-doc ub-error">Could not show document {html.escape(str(doc_id))}: {html.escape(type(exc).__name__)}</div>'


def _document_html(doc_id, *, documents, mentions, quotes, dates, threats, entities) -> str:
    e = html.escape
    drow = _rows(documents, doc_id)
    if drow.empty:
        return f'<div class="ub-doc ub-missing">No document {e(str(doc_id))} in this selection.</div>'
    d = drow.iloc[0]
    text = "" if pd.isna(d.get("text")) else str(d.get("text"))
    n = len(text)
    ent = _entity_lookup(entities)
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
    for r in _rows(threats, doc_id).itertuples(index=False):
        actor = r.actor_affiliation if not palette._missing(r.actor_affiliation) else (r.actor_name if not palette._missing(r.actor_name) else "unknown actor")
        target = r.target_affiliation if not palette._missing(r.target_affiliation) else (r.target_name if not palette._missing(r.target_name) else "unknown target")
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
        f"{legend}"
        f'<div class="ub-text" style="white-space:pre-wrap;font-family:Georgia,serif;font-size:15px;line-height:1.6;">{body}</div>'
        "</div>"
    )


# --------------------------------------------------------------------------- all charts for a corpus


def _published(tables) -> pd.Series:
    d = tables.documents
    return pd.to_datetime(d.drop_duplicates("doc_id").set_index("doc_id")["published"], errors="coerce")


def volume_frame(tables, *, freq: str = "W", n_groups: int = 8) -> pd.DataFrame:
    """Mentions per period for the most mentioned entities (``timeseries.mention_volume`` when present)."""
    try:
        from ukraine_briefs.tables import timeseries

        return timeseries.mention_volume(tables, freq=freq)
    except Exception:  # the helper module may not exist yet or may not accept Tables
        pass
    m = tables.mentions
    if m.empty:
        return pd.DataFrame(columns=["period", "group", "count"])
    m = m.assign(x=m["doc_id"].map(_published(tables))).dropna(subset=["x"])
    top = m["canonical_name"].value_counts().head(n_groups).index
    m = m[m["canonical_name"].isin(top)]
    m = m.assign(period=m["x"].dt.to_period(freq).dt.start_time)
    return m.groupby(["period", "canonical_name"]).size().rename("count").reset_index().rename(columns={"canonical_name": "group"})


#: Evidence ids a tone point of `ALL_CHARTS` carries: the evidence panel lists 30 sentences.
MAX_EVIDENCE_IDS = 30


def sentiment_frame(tables, *, freq: str = "W", max_evidence: int | None = None) -> pd.DataFrame:
    """Mean sentence tone per period and outlet (``timeseries.sentiment_over_time`` when present).

    ``max_evidence`` caps the ``evidence_ids`` per row (the most strongly toned;
    timeseries' default of 200 when None).
    """
    try:
        from ukraine_briefs.tables import timeseries

        kw = {} if max_evidence is None else {"max_evidence": max_evidence}
        return timeseries.sentiment_over_time(tables, by="published", freq=freq, group="outlet", **kw)
    except Exception:
        pass
    s = tables.sentences
    cols = ["period", "group", "mean", "count", "ci_low", "ci_high", "evidence"]
    if s.empty:
        return pd.DataFrame(columns=cols)
    outlet = tables.documents.drop_duplicates("doc_id").set_index("doc_id")["outlet"]
    s = s.assign(x=s["doc_id"].map(_published(tables)), group=_str(s["doc_id"].map(outlet), "unknown outlet")).dropna(subset=["x"])
    s = s.assign(period=s["x"].dt.to_period(freq).dt.start_time, strength=s["sentiment"].abs())
    rows = []
    for (p, g), sub in s.groupby(["period", "group"]):
        mean, n = float(sub["sentiment"].mean()), len(sub)
        half = 1.96 * float(sub["sentiment"].std(ddof=1)) / math.sqrt(n) if n > 1 else 0.0
        rows.append([p, g, mean, n, mean - half, mean + half, sub.loc[sub["strength"].idxmax(), "text"]])
    return pd.DataFrame(rows, columns=cols)


def _charts_for(tables) -> dict[str, Callable[[], go.Figure]]:
    t = tables
    return {
        "corpus_overview": lambda: corpus_overview(t.documents),
        "top_entities": lambda: top_entities(t.entities),
        "cooccurrence_network": lambda: cooccurrence_network(t.cooccurrence, t.entities),
        "cooccurrence_matrix": lambda: cooccurrence_matrix(t.cooccurrence, t.entities),
        "mention_volume": lambda: mention_volume(volume_frame(t), entities=t.entities),
        # the 30 most strongly toned sentences per point: what the evidence panel can list
        # (all 200 of timeseries' default made 990 KB of figure at 10,000 articles)
        "sentiment_over_time": lambda: sentiment_over_time(sentiment_frame(t, max_evidence=MAX_EVIDENCE_IDS),
                                                           entities=t.entities),
        "quotes_by_speaker": lambda: quotes_by_speaker(t.quotes, entities=t.entities),
        "threat_timeline": lambda: threat_timeline(t.threats, t.documents),
        "threat_categories": lambda: threat_categories(t.threats),
        "threat_sankey": lambda: threat_sankey(t.threats, documents=t.documents),
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
    "mention_volume": volume_frame,
    "sentiment_over_time": sentiment_frame,
    "quotes_by_speaker": lambda t: t.quotes,
    "threat_timeline": _threats_with_dates,
    "threat_categories": _threats_with_dates,
    "threat_sankey": _threats_with_dates,
}


def chart_data(name: str, tables) -> pd.DataFrame:
    """The table a chart of ``ALL_CHARTS`` is drawn from, for its CSV download."""
    from ukraine_briefs.tables.filters import as_tables

    return _CHART_DATA[name](as_tables(tables)).reset_index(drop=True)


#: Chart name -> function(tables) -> Figure; what `export.export_all` writes.
ALL_CHARTS: dict[str, Callable] = {
    name: (lambda tables, _n=name: _charts_for(tables)[_n]()) for name in [
        "corpus_overview", "top_entities", "cooccurrence_network", "cooccurrence_matrix", "mention_volume",
        "sentiment_over_time", "quotes_by_speaker", "threat_timeline", "threat_categories", "threat_sankey",
    ]
}
