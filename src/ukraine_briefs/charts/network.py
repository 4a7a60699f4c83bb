"""Entity charts: the co-occurrence network and matrix, and the most mentioned entities.

Nodes, cells and bars carry entity ids in ``customdata``, so a click leads to
the sentences that mention them (docs/charts.md lists each chart's customdata).
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

import ukraine_briefs.charts.palette as palette
from ukraine_briefs.charts.style import (
    empty_figure,
    entity_lookup,
    esc,
    integer_axis,
    is_empty,
    plain,
    safe_chart,
    styled,
    text_or,
    unique_labels,
)


def _cooc_nodes_edges(cooccurrence, entities, window, weight, top_n):
    """Edges of one window among the top-N entities, and a node table for them."""
    if is_empty(cooccurrence):
        return None, None
    edges = cooccurrence[cooccurrence["window"] == window].copy()
    if edges.empty:
        return None, None
    edges["entity_a"] = edges["entity_a"].astype(str)
    edges["entity_b"] = edges["entity_b"].astype(str)
    edges = edges[edges["entity_a"] != edges["entity_b"]]
    ent = entity_lookup(entities)
    ids = pd.Index(pd.unique(pd.concat([edges["entity_a"], edges["entity_b"]])))
    nodes = pd.DataFrame(index=ids)
    nodes.index.name = "entity_id"
    # mentions from the entities table; degree by edge counts when the entity is unknown
    edge_mass = pd.concat([edges.groupby("entity_a")["count"].sum(), edges.groupby("entity_b")["count"].sum()]).groupby(level=0).sum()
    n_m = ent["n_mentions"].reindex(ids) if "n_mentions" in ent else pd.Series(np.nan, index=ids)
    nodes["n_mentions"] = pd.to_numeric(n_m, errors="coerce").fillna(edge_mass.reindex(ids)).fillna(1).astype(int)
    nodes["name"] = text_or(ent["canonical_name"].reindex(ids), "") if "canonical_name" in ent else ""
    nodes.loc[nodes["name"] == "", "name"] = nodes.index[nodes["name"] == ""]
    nodes["type"] = text_or(ent["type"].reindex(ids), "unknown") if "type" in ent else "unknown"
    nodes["affiliation"] = text_or(ent["affiliation"].reindex(ids), "unaffiliated") if "affiliation" in ent else "unaffiliated"
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
    ent = entities.drop_duplicates("entity_id").copy() if not is_empty(entities) else pd.DataFrame(
        columns=["entity_id", "canonical_name", "type", "affiliation", "n_mentions", "n_docs"])
    ent["entity_id"] = ent["entity_id"].astype(str)
    ent["n_mentions"] = pd.to_numeric(ent["n_mentions"], errors="coerce").fillna(0)
    aff = text_or(ent["affiliation"], "")
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


@safe_chart("cooccurrence_network", "Who is mentioned with whom")
def _placed_labels(nodes: pd.DataFrame, pos: dict, *, max_labels: int = 15, px: float = 480.0,
                   font_px: float = 12.0) -> tuple[list[str], list[str]]:
    """Which nodes get a drawn name, and where, so no two names overlap.

    Largest nodes first; each name tries above, below, right and left of its
    node and is skipped when every place collides with a name already placed
    (its node keeps its hover). Sizes are estimated in layout units from a
    ``px``-wide plot and a ``font_px`` font. Returns (entity ids, textpositions).
    """
    xs = [p[0] for p in pos.values()] or [0.0]
    ys = [p[1] for p in pos.values()] or [0.0]
    ux = (max(xs) - min(xs) or 1.0) / px
    uy = (max(ys) - min(ys) or 1.0) / (px * 0.75)
    boxes: list[tuple[float, float, float, float]] = []
    chosen, where = [], []
    for i, name in zip(nodes["entity_id"], nodes["name"]):
        if len(chosen) >= max_labels:
            break
        w, h = min(len(str(name)), 30) * font_px * 0.6 * ux, font_px * 1.3 * uy
        x, y = pos[i]
        gap = 14 * uy
        for place, (cx, cy) in (("top center", (x, y + gap + h / 2)), ("bottom center", (x, y - gap - h / 2)),
                                ("middle right", (x + 14 * ux + w / 2, y)), ("middle left", (x - 14 * ux - w / 2, y))):
            box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            if all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes):
                boxes.append(box)
                chosen.append(i)
                where.append(place)
                break
    return chosen, where


def cooccurrence_network_chart(cooccurrence: pd.DataFrame, entities: pd.DataFrame, *, window: str = "sentence",
                         weight: str = "count", color_by: str = "affiliation", top_n: int = 40,
                         seed: int = 7, group_by: str = "entity", min_count: int = 1,
                         max_labels: int = 15) -> go.Figure:
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
    Pairs seen fewer than ``min_count`` times are left out. The ``max_labels``
    largest nodes are named where a name fits without overlapping another
    (`_placed_labels`); the rest show their name on hover.
    """
    grouped = group_by == "affiliation"
    title = f"Who is mentioned with whom (same {window})" + (", by affiliation" if grouped else "")
    if grouped and not is_empty(cooccurrence):
        cooccurrence, entities = _by_affiliation(cooccurrence, entities)
    if min_count > 1 and not is_empty(cooccurrence):
        cooccurrence = cooccurrence[pd.to_numeric(cooccurrence["count"], errors="coerce").fillna(0) >= min_count]
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
        hover = [f"{esc(names[a])} — {esc(names[c])}<br>together in {int(n)} {plain(window)}(s), {int(d)} document(s)<br>NPMI {p:.2f}"
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
    # labels last, in their own trace, so no node hides a name; placed so no two collide
    ids, where = _placed_labels(nodes.head(n_labels), pos, max_labels=max_labels)
    names = dict(zip(nodes["entity_id"], nodes["name"]))
    fig.add_trace(go.Scatter(
        x=[pos[i][0] for i in ids], y=[pos[i][1] for i in ids], mode="text",
        text=[esc(names[i], width=None, limit=30) for i in ids], textposition=where,
        textfont=dict(size=12, color="#111111", shadow="0px 0px 3px white"), hoverinfo="skip", showlegend=False, name="labels",
    ))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    what = "entities and affiliations" if grouped else "entities"
    sub = (f"top {len(nodes)} {what} by mentions; {len(ids)} named (hover for the rest); node size = mentions, "
           f"edge width = {weight}" + (f", pairs seen ≥ {min_count}×" if min_count > 1 else ""))
    styled(fig, "cooccurrence_network", title, height=700, subtitle=sub)
    fig.update_layout(legend=dict(title_text=key.capitalize(), itemsizing="constant"))
    return fig


#: Largest pair count the matrix still colours linearly.
LOG_COUNTS_ABOVE = 100


@safe_chart("cooccurrence_matrix", "Co-occurrence matrix")
def cooccurrence_matrix_chart(cooccurrence: pd.DataFrame, entities: pd.DataFrame, *, window: str = "sentence",
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
    labels = [esc(s, width=None, limit=30) for s in unique_labels(ids, list(nodes["name"]))]
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
    return styled(fig, "cooccurrence_matrix", title, x="Entity", y="Entity", height=size)


# --------------------------------------------------------------------------- entities and volume


@safe_chart("top_entities", "Most mentioned entities")
def top_entities_chart(entities: pd.DataFrame, *, n: int = 20, by_type: str | list[str] | None = None) -> go.Figure:
    """Horizontal bars of the ``n`` most mentioned entities, coloured by affiliation.

    Bars carry ``customdata = [entity_id]``.
    """
    types_ = [by_type] if isinstance(by_type, str) else list(by_type or [])
    title = "Most mentioned entities" + (f" ({', '.join(types_)})" if types_ else "")
    if is_empty(entities):
        return empty_figure(title, name="top_entities")
    df = entities.copy()
    if types_:
        df = df[df["type"].astype(str).str.upper().isin([t.upper() for t in types_])]
    df = df[pd.to_numeric(df["n_mentions"], errors="coerce").fillna(0) > 0]
    if df.empty:
        return empty_figure(title, name="top_entities")
    df = df.sort_values(["n_mentions", "canonical_name"], ascending=[False, True]).head(n)
    df["name"] = text_or(df["canonical_name"], "?")
    df["label"] = [esc(s, width=None, limit=40) for s in unique_labels(list(df["entity_id"]), list(df["name"]))]
    df["aff"] = text_or(df["affiliation"], "unaffiliated")
    order = list(df["label"])[::-1]
    fig = go.Figure()
    for aff, sub in sorted(df.groupby("aff", sort=False), key=lambda kv: -kv[1]["n_mentions"].sum()):
        fig.add_trace(go.Bar(
            x=sub["n_mentions"], y=sub["label"], orientation="h", name=esc(aff, width=None),
            marker_color=palette.affiliation_color(None if aff == "unaffiliated" else aff),
            customdata=[[i] for i in sub["entity_id"]],
            hovertext=[f"<b>{esc(nm)}</b><br>{esc(t)} · {esc(a)}<br>{int(m)} mention(s) in {int(d)} document(s)"
                       for nm, t, a, m, d in zip(sub["name"], text_or(sub["type"], "?"), sub["aff"], sub["n_mentions"], sub["n_docs"])],
            hoverinfo="text",
        ))
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    fig.update_layout(barmode="stack", legend_title_text="Affiliation")
    integer_axis(fig, float(df["n_mentions"].max()))
    return styled(fig, "top_entities", title, x="Mentions", y="", height=max(400, 28 * len(df) + 160))
