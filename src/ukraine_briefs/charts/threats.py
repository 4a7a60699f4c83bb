"""Threat charts: who threatens whom over time, threat language per actor, and threat flows.

Each takes the ``threats`` table (and ``documents`` for dates) and returns a
Figure. Actor, target and category come from `tables.evidence.threat_parties`,
and the pooled marks name their group in ``customdata``, so
`tables.evidence.threats_behind` finds the same threats behind a click.
"""
from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

import ukraine_briefs.charts.palette as palette
from ukraine_briefs.charts.style import empty_figure, esc, integer_axis, is_empty, safe_chart, styled, time_axis
from ukraine_briefs.tables.evidence import OTHER_ACTORS, stance_category, threat_parties, top_actors
from ukraine_briefs.tables.queries import by_stance, published_of
from ukraine_briefs.types import DEESCALATION, THREAT

THREAT_CATEGORIES = ["military", "red_line", "economic", "diplomatic", "unspecified", DEESCALATION]


def category_label(category: str) -> str:
    """Display name of a threat category ("red_line" -> "red line", "deescalation" -> "de-escalation",
    "unspecified" -> "no category named")."""
    if category == DEESCALATION:
        return "de-escalation"
    if category == "unspecified":
        return "no category named"
    return str(category).replace("_", " ")


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


@safe_chart("threat_timeline", "Threats over time")
def threat_timeline_chart(threats: pd.DataFrame, documents: pd.DataFrame, *, top_dyads: int = 15,
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
    `tables.evidence.threats_behind` turns back into the threats.
    """
    title = "Who threatens whom, over time"
    if is_empty(threats):
        return empty_figure(title, name="threat_timeline")
    threats = by_stance(threats, THREAT)
    if threats.empty:
        return empty_figure(title, "No threats in this selection (only de-escalation)", name="threat_timeline")
    t = threat_parties(threats)
    t["x"] = published_of(threats, documents)
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
    styled(fig, "threat_timeline", title, x="Publication date", y="Actor → target",
           height=max(420, per_row * len(dyads) + 200), subtitle=note)
    time_axis(fig, t["x"])
    return fig


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


@safe_chart("threat_categories", "Threat language by actor and category")
def threat_categories_chart(threats: pd.DataFrame, *, top_n: int = 15) -> go.Figure:
    """Per actor, how many threats of each category, with de-escalation drawn to the left.

    The diverging layout makes the contrast visible at a glance: threats count
    to the right of zero, de-escalating statements to the left. The ``top_n``
    actors with the most statements get a row; the rest are pooled into one
    "other actors" row. Bars carry ``customdata = [actor, category]``; the
    pooled row ``["other actors", category, top_n]`` (`tables.evidence.threats_behind`
    lists its threats).
    """
    title = "Threat language by actor: threats vs. de-escalation"
    if is_empty(threats):
        return empty_figure(title, name="threat_categories")
    t = threat_parties(threats)
    top = top_actors(t, top_n)
    n_actors = t["actor"].nunique()
    t["actor"] = t["actor"].where(t["actor"].isin(top), OTHER_ACTORS)
    # de-escalating statements keep their own categories apart from threats of the same name
    t["cat"] = stance_category(t)
    counts = t.groupby(["actor", "cat"]).size().rename("n").reset_index()
    counts["de"] = counts["cat"].str.startswith(DEESCALATION)
    order = counts.assign(s=counts["n"].where(~counts["de"], 0)).groupby("actor")["s"].sum().sort_values(kind="stable")
    # the pooled row sits at the bottom, apart from the named actors
    order = pd.concat([order[order.index == OTHER_ACTORS], order[order.index != OTHER_ACTORS]])
    fig = go.Figure()
    for cat in _category_order(counts["cat"].unique()):
        sub = counts[counts["cat"] == cat]
        sign = -1 if cat.startswith(DEESCALATION) else 1
        label = category_label(cat) if ":" not in cat else f"de-escalation: {category_label(cat.split(':', 1)[1])}"
        fig.add_trace(go.Bar(
            x=sign * sub["n"], y=[esc(a, width=None) for a in sub["actor"]], orientation="h",
            name=esc(label, width=None), marker_color=palette.category_color(cat.split(":")[0]),
            customdata=[[a, cat] if a != OTHER_ACTORS else [a, cat, int(top_n)] for a in sub["actor"]],
            hovertext=[f"<b>{esc(a)}</b><br>{esc(cat)}: {int(n)}" for a, n in zip(sub["actor"], sub["n"])],
            hoverinfo="text",
        ))
    fig.add_vline(x=0, line=dict(color="#444444", width=1))
    fig.update_yaxes(categoryorder="array", categoryarray=[esc(a, width=None) for a in order.index])
    fig.update_layout(barmode="relative", legend_title_text="Category")
    integer_axis(fig, float(counts.groupby("actor")["n"].sum().max()))
    n_de = int((t["stance"] == DEESCALATION).sum())
    note = f"{len(t) - n_de} threat(s), {n_de} de-escalating statement(s)"
    if n_actors > len(top):
        note += f"; {n_actors - len(top)} smaller actors pooled as “{OTHER_ACTORS}”"
    return styled(fig, "threat_categories", title, x="← de-escalation   statements   threats →", y="Actor",
                  height=max(400, 40 * len(order) + 200), subtitle=note)


#: Sentences whose threats a pooled mark (Sankey link/node) names for click-to-evidence: the
#: evidence panel lists 30 sentences, earliest first, so the earliest 40 are enough.
EVIDENCE_SENTENCES = 40


def _sentence_order(t: pd.DataFrame, documents: pd.DataFrame | None) -> None:
    """Sort ``t`` in place as the evidence panel lists sentences (published, doc_id, sent_id) and
    number its distinct sentences in that order (column ``sk``)."""
    t["_pub"] = published_of(t, documents)
    t.sort_values(["_pub", "doc_id", "sent_id"], na_position="last", kind="stable", inplace=True)
    t["sk"] = (~t.duplicated(["doc_id", "sent_id"])).cumsum()


def _evidence_ids(frame: pd.DataFrame, limit: int | None = None) -> str:
    """``;``-joined (sorted) ids of the threats in the first ``limit`` distinct sentences of ``frame``
    (ordered by `_sentence_order`)."""
    limit = EVIDENCE_SENTENCES if limit is None else limit
    first = frame["sk"].drop_duplicates().head(limit)
    return ";".join(sorted(frame.loc[frame["sk"].isin(first), "tid"]))


@safe_chart("threat_sankey", "Threat flows")
def threat_sankey_chart(threats: pd.DataFrame, *, top_n: int = 12, documents: pd.DataFrame | None = None) -> go.Figure:
    """Flow of threats: actor → category → target (link width = number of threats).

    Threats and warnings only (``stance`` threat): de-escalating statements have
    their own chart (`deescalation_chart`).

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
    if is_empty(threats):
        return empty_figure(title, name="threat_sankey")
    threats = by_stance(threats, THREAT)
    if threats.empty:
        return empty_figure(title, "No threats in this selection (only de-escalation)", name="threat_sankey")
    t = threat_parties(threats)
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
    return styled(fig, "threat_sankey", title, height=max(450, 30 * max(len(actors), len(targets), len(cats)) + 200),
                  subtitle="left: who threatens · middle: category · right: whom")


@safe_chart("deescalation_pairs", "De-escalation: who offers talks to whom")
def deescalation_chart(threats: pd.DataFrame, *, top_n: int = 15) -> go.Figure:
    """De-escalating statements (``stance`` deescalation) per actor → target, the most frequent ``top_n`` pairs.

    The counterpart of the threat charts: offers of talks, reassurances,
    calls to de-escalate. Bars are coloured by the actor's affiliation and
    carry ``customdata = [actor, target, threat_ids]`` (`;`-joined), so a
    click lists exactly their sentences.
    """
    title = "De-escalation: who offers talks to whom"
    if is_empty(threats):
        return empty_figure(title, name="deescalation_pairs")
    de = by_stance(threats, DEESCALATION)
    if de.empty:
        return empty_figure(title, "No de-escalating statements in this selection", name="deescalation_pairs")
    t = threat_parties(de)
    t["pair"] = t["actor"] + " → " + t["target"]
    g = t.groupby(["pair", "actor", "target"]).agg(n=("threat_id", "size"),
                                                    ids=("threat_id", lambda s: ";".join(sorted(map(str, s)))))
    g = g.reset_index().sort_values(["n", "pair"], ascending=[False, True])
    hidden = int(g["n"].iloc[top_n:].sum())
    g = g.head(top_n)
    fig = go.Figure()
    for actor, sub in g.groupby("actor", sort=False):
        fig.add_trace(go.Bar(
            x=sub["n"], y=[esc(p, width=None) for p in sub["pair"]], orientation="h", name=esc(actor, width=None),
            marker_color=palette.affiliation_color(actor), customdata=sub[["actor", "target", "ids"]].values.tolist(),
            hovertext=[f"<b>{esc(p)}</b><br>{int(n)} de-escalating statement(s)" for p, n in zip(sub["pair"], sub["n"])],
            hoverinfo="text"))
    fig.update_yaxes(categoryorder="array", categoryarray=[esc(p, width=None) for p in g["pair"]][::-1])
    fig.update_layout(legend_title_text="Actor")
    integer_axis(fig, float(g["n"].max()))
    note = f"{len(t)} de-escalating statement(s): offers of talks, reassurances, calls to de-escalate"
    if hidden:
        note += f"; {hidden} in smaller pairs not shown"
    return styled(fig, "deescalation_pairs", title, x="Statements", y="Actor → target",
                  height=max(380, 34 * len(g) + 200), subtitle=note)
