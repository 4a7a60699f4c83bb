"""Time charts: mention volume and tone per period, drawn from the `tables.timeseries` frames.

Bars and markers only: a period without data stays a gap, nothing is
interpolated. Points carry period and group in ``customdata`` for the evidence lookup.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ukraine_briefs.charts.style import (
    PATTERNS,
    SYMBOLS,
    empty_figure,
    esc,
    first_item,
    group_colors,
    group_labels,
    fitted_range,
    integer_axis,
    is_empty,
    safe_chart,
    styled,
    text_or,
    time_axis,
    to_timestamps,
    twin_ranks,
)


def _period_days(xs: pd.Series) -> float:
    """Length in days of one plotted period: the smallest gap between distinct dates (1 when one date)."""
    d = pd.Series(sorted(set(xs))).diff().dropna()
    return max(1.0, float(d.min().days)) if len(d) else 1.0


@safe_chart("mention_volume", "Mention volume over time")
def mention_volume_chart(volume_df: pd.DataFrame, *, entities: pd.DataFrame | None = None,
                   title: str = "Mention volume over time", max_groups: int = 10) -> go.Figure:
    """Stacked bars of mentions per period (and per group when the frame has one).

    Takes the shape of ``timeseries.mentions_by_period``: ``period``, ``count``, and
    optionally ``group`` (an id), ``label`` (its display name) and ``evidence``.
    Bars carry ``customdata = [period, group]``; beyond ``max_groups`` the smaller
    groups are pooled as "other", whose bars carry ``[period, "other",
    "except:id;id"]`` (the groups drawn on their own), so the evidence panel can list them.
    Bars, not lines: empty periods show as gaps, never interpolated.
    """
    if is_empty(volume_df) or "count" not in volume_df.columns:
        return empty_figure(title, name="mention_volume")
    df = volume_df.copy()
    pcol = "period" if "period" in df.columns else df.columns[0]
    df["x"] = to_timestamps(df[pcol])
    df = df[df["x"].notna()]
    df["group"] = text_or(df["group"], "all") if "group" in df.columns else "all mentions"
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
    colors = group_colors(list(totals.index), entities)
    twins = twin_ranks(list(totals.index), colors)
    labels = group_labels(df)
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
            hovertext=[f"<b>{esc(name)}</b> · {x:%Y-%m-%d}<br>{int(c)} mention(s)" + (f"<br><i>{esc(first_item(e))}</i>" if first_item(e) is not None else "")
                       for x, c, e in zip(sub["x"], sub["count"], ev)],
            hoverinfo="text",
        ))
    fig.update_layout(barmode="stack", legend_title_text="Entity" if "label" in df.columns else "Group")
    integer_axis(fig, float(df.groupby("x")["count"].sum().max()), axis="y")
    styled(fig, "mention_volume", title, x="Period", y="Mentions")
    time_axis(fig, df["x"], period_days=_period_days(df["x"]))
    return fig


def _points(series_df: pd.DataFrame) -> pd.DataFrame:
    """A `sentiment_by_period` frame as plottable points: timestamps, a group name, numeric mean and
    count; rows without a date, a mean or any sentence dropped."""
    df = series_df.copy()
    df["x"] = to_timestamps(df["period"] if "period" in df.columns else df.iloc[:, 0])
    df["group"] = text_or(df["group"], "all") if "group" in df.columns else "all"
    df["mean"] = pd.to_numeric(df["mean"], errors="coerce")
    df["count"] = pd.to_numeric(df.get("count", 1), errors="coerce").fillna(1)
    df = df[df["x"].notna() & df["mean"].notna() & (df["count"] > 0)]
    return df


@safe_chart("sentiment_over_time", "Tone over time")
def sentiment_chart(series_df: pd.DataFrame, *, entities: pd.DataFrame | None = None,
                        title: str = "Tone over time", max_groups: int = 8) -> go.Figure:
    """Mean tone per period and group with 95% intervals; points sized by count.

    Takes the shape of ``timeseries.sentiment_by_period``: ``period, group, mean,
    count, ci_low, ci_high, evidence``. Markers only, so nothing is interpolated
    across empty periods. ``label`` (display name) and ``evidence_ids`` are used
    when present. Points carry ``customdata = [period, group, count,
    evidence_ids]`` and the hover shows the evidence sentence.
    """
    if is_empty(series_df) or "mean" not in series_df.columns:
        return empty_figure(title, name="sentiment_over_time")
    df = _points(series_df)
    if df.empty:
        return empty_figure(title, name="sentiment_over_time")
    for c in ("ci_low", "ci_high"):
        df[c] = pd.to_numeric(df[c], errors="coerce") if c in df.columns else np.nan
    df["ci_low"] = df["ci_low"].fillna(df["mean"])
    df["ci_high"] = df["ci_high"].fillna(df["mean"])
    totals = df.groupby("group")["count"].sum().sort_values(ascending=False)
    groups = list(totals.index[:max_groups])
    colors = group_colors(groups, entities)
    twins = twin_ranks(groups, colors)
    labels = group_labels(df)
    cmax = float(df["count"].max()) or 1.0
    fig = go.Figure()
    fig.add_hline(y=0, line=dict(color="#888888", width=1, dash="dot"))
    for grp in groups:
        sub = df[df["group"] == grp].sort_values("x")
        ev = sub["evidence"] if "evidence" in sub.columns else [None] * len(sub)
        ids = text_or(sub["evidence_ids"], "") if "evidence_ids" in sub.columns else [""] * len(sub)
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
                       + (f"<br><i>{esc(first_item(e))}</i>" if first_item(e) is not None else "")
                       for x, m, lo, hi, c, e in zip(sub["x"], sub["mean"], sub["ci_low"], sub["ci_high"], sub["count"], ev)],
            hoverinfo="text",
        ))
    shown = df[df["group"].isin(groups)]
    # fitted to the data (means lie in -0.3…+0.05): on the full -1…+1 every series is one blob
    fig.update_yaxes(range=fitted_range(shown["ci_low"], shown["ci_high"]), zeroline=False)
    fig.update_layout(legend_title_text="Group")
    styled(fig, "sentiment_over_time", title, x="Period", y="Mean tone (−1 negative … +1 positive)",
           subtitle="scale −1…+1, axis zoomed to the data; point size = number of sentences; bars = 95% interval")
    time_axis(fig, shown["x"], period_days=_period_days(shown["x"]))
    return fig


@safe_chart("tone_small_multiples", "Tone over time, one panel per group")
def tone_small_multiples_chart(series_df: pd.DataFrame, *, entities: pd.DataFrame | None = None,
                               title: str = "Tone over time, one panel per group", max_panels: int = 6,
                               cols: int = 3) -> go.Figure:
    """The `sentiment_chart` series as small multiples: one panel per group (outlet, actor), shared axes.

    One panel each for the ``max_panels`` groups with the most sentences, so
    series never pile on one another. Points carry the same ``customdata`` as
    `sentiment_chart` (``[period, group, count, evidence_ids]``).
    """
    if is_empty(series_df) or "mean" not in series_df.columns:
        return empty_figure(title, name="tone_small_multiples")
    df = _points(series_df)
    if df.empty:
        return empty_figure(title, name="tone_small_multiples")
    groups = list(df.groupby("group")["count"].sum().sort_values(ascending=False).index[:max_panels])
    labels = group_labels(df)
    colors = group_colors(groups, entities)
    cols = max(1, min(cols, len(groups)))
    rows = math.ceil(len(groups) / cols)
    fig = make_subplots(rows=rows, cols=cols, shared_xaxes=True, shared_yaxes=True, vertical_spacing=0.12,
                        horizontal_spacing=0.05,
                        subplot_titles=[esc(labels.get(g, g), width=None, limit=40) for g in groups])
    cmax = float(df["count"].max()) or 1.0
    ids_col = "evidence_ids" in df.columns
    for k, grp in enumerate(groups):
        sub = df[df["group"] == grp].sort_values("x")
        ids = text_or(sub["evidence_ids"], "") if ids_col else [""] * len(sub)
        fig.add_trace(go.Scatter(
            x=sub["x"], y=sub["mean"], mode="markers", name=esc(labels.get(grp, grp), width=None), showlegend=False,
            marker=dict(size=[7 + 16 * math.sqrt(c / cmax) for c in sub["count"]], color=colors[grp],
                        line=dict(width=1, color="white")),
            customdata=[[x.strftime("%Y-%m-%d"), grp, int(c), i] for x, c, i in zip(sub["x"], sub["count"], ids)],
            hovertext=[f"<b>{esc(labels.get(grp, grp))}</b> · {x:%d %b %Y}<br>mean tone {m:+.2f}, n = {int(c)}"
                       for x, m, c in zip(sub["x"], sub["mean"], sub["count"])],
            hoverinfo="text"), row=k // cols + 1, col=k % cols + 1)
        fig.add_hline(y=0, line=dict(color="#999999", width=1, dash="dot"), row=k // cols + 1, col=k % cols + 1)
    shown = df[df["group"].isin(groups)]
    lo = shown["ci_low"] if "ci_low" in shown.columns else shown["mean"]
    hi = shown["ci_high"] if "ci_high" in shown.columns else shown["mean"]
    fig.update_yaxes(range=fitted_range(pd.concat([lo, shown["mean"]]), pd.concat([hi, shown["mean"]])))
    fig.update_annotations(font_size=13)
    styled(fig, "tone_small_multiples", title, height=max(360, 250 * rows + 130),
           subtitle="mean sentence tone per period (−1 negative … +1 positive, axis zoomed to the data); size = sentences")
    time_axis(fig, shown["x"], period_days=_period_days(shown["x"]))
    return fig
