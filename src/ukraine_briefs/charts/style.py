"""What every chart shares: the look (`styled`), safe hover text (`esc`), the empty figure, small helpers.

Every chart is titled, has labelled axes, prints legibly (white template, 14 px
text) and never raises: empty input gives a titled "No data for this selection"
figure, and a chart that fails gives a titled message (`safe_chart`). All
article text put into hovers and labels goes through `esc`, because plotly
renders hover text as (a subset of) HTML.
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

import ukraine_briefs.charts.palette as palette

log = logging.getLogger(__name__)

NO_DATA = "No data for this selection"
FONT = dict(family="Arial, Helvetica, sans-serif", size=14, color="#222222")
WIDTH, HEIGHT = 1000, 600


def plain(text: str) -> str:
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
    return "<br>".join(plain(line) for line in lines)


def text_or(series: pd.Series, default: str) -> pd.Series:
    """Strings with missing values (None/NaN/'' / 'None') replaced by ``default``."""
    s = series.astype(object)
    bad = s.isna() | s.astype(str).str.strip().isin(["", "None", "nan", "<NA>"])
    return s.where(~bad, default).astype(str)


def first_item(value):
    """The first element of a list-like evidence value, or the value itself."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return value[0] if len(value) else None
    return value


def to_timestamps(values: pd.Series) -> pd.Series:
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


def styled(fig: go.Figure, name: str, title: str, *, x: str | None = None, y: str | None = None,
           height: int = HEIGHT, empty: bool = False, subtitle: str | None = None) -> go.Figure:
    full = f"{plain(title)}" + (f"<br><sup>{esc(subtitle, width=None)}</sup>" if subtitle else "")
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
    # long names (tick labels) widen the margin instead of being clipped ("lodymyr Zelenskyy")
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


_DAY_MS = 86_400_000


def time_axis(fig: go.Figure, xs, *, period_days: float = 1, **kw) -> None:
    """Date ticks chosen from the data's span: days, weeks, months or quarters, never hours.

    ``xs`` are the plotted dates; ``period_days`` the length of one plotted
    period (7 for weekly points), so a single period gets a few days either
    side instead of a zoom into milliseconds ("23:59:59.999 Dec 5, 2021").
    """
    ts = pd.to_datetime(pd.Series(list(xs)), errors="coerce").dropna()
    if ts.empty:
        return
    lo, hi = ts.min(), ts.max()
    span = (hi - lo).days
    # a single period: a few days either side; else room for the first and last markers
    pad = (pd.Timedelta(days=max(period_days, 1) * 3) if not span
           else pd.Timedelta(days=max(period_days * 0.6, span * 0.05, 1.5)))
    if span <= 14:
        tick = dict(dtick=_DAY_MS * (1 if span + 2 * pad.days <= 16 else 2), tickformat="%d %b\n%Y")
    elif span <= 120:
        tick = dict(dtick=_DAY_MS * 7, tickformat="%d %b\n%Y")
    elif span <= 900:
        tick = dict(dtick="M1", tickformat="%b\n%Y")
    else:
        tick = dict(dtick="M3", tickformat="%b\n%Y")
    fig.update_xaxes(type="date", range=[(lo - pad).isoformat(), (hi + pad).isoformat()], hoverformat="%d %b %Y",
                     **tick, **kw)


def fitted_range(low, high, *, bound: float = 1.0, pad: float = 0.05) -> list[float]:
    """A y-range that fits ``low``..``high`` (and 0), padded, inside ±``bound``.

    Examples:
        >>> fitted_range([-0.3, -0.1], [0.02, 0.05])
        [-0.35, 0.1]
    """
    lo = min([0.0, *[float(v) for v in low if pd.notna(v)]])
    hi = max([0.0, *[float(v) for v in high if pd.notna(v)]])
    pad = max(pad, 0.08 * (hi - lo))
    return [round(max(-bound - pad, lo - pad), 2), round(min(bound + pad, hi + pad), 2)]


def empty_figure(title: str, message: str = NO_DATA, *, name: str = "empty") -> go.Figure:
    """A titled figure that says there is nothing to show (never an exception, never a blank)."""
    fig = go.Figure()
    fig.add_annotation(text=plain(message), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font=dict(size=18, color="#555555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return styled(fig, name, title, empty=True, height=400)


def safe_chart(name: str, title: str):
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


def is_empty(df) -> bool:
    return df is None or not isinstance(df, pd.DataFrame) or df.empty


def entity_lookup(entities: pd.DataFrame | None) -> pd.DataFrame:
    cols = ["entity_id", "canonical_name", "type", "affiliation", "n_mentions", "n_docs"]
    if is_empty(entities):
        return pd.DataFrame(columns=cols).set_index("entity_id")
    e = entities.drop_duplicates("entity_id").set_index("entity_id")
    return e


def group_colors(groups, entities: pd.DataFrame | None = None) -> dict[str, str]:
    """Group name -> colour: its entity's affiliation colour when ``entities`` knows it."""
    aff = {}
    if not is_empty(entities) and "affiliation" in entities.columns:
        for key_col in ("canonical_name", "entity_id"):
            for k, a in zip(entities[key_col].astype(str), entities["affiliation"]):
                if not palette._missing(a):
                    aff.setdefault(k, a)
    return {g: palette.affiliation_color(aff.get(g, g)) for g in groups}


SYMBOLS = ["circle", "square", "diamond", "triangle-up", "x", "star", "hexagon", "triangle-down"]
PATTERNS = ["", "/", "x", ".", "\\", "+", "-", "|"]


def twin_ranks(groups, colors: dict[str, str]) -> dict[str, int]:
    """Group -> its rank among groups sharing a colour (two Russian officials share Russia's colour,
    so the second gets another marker symbol / bar pattern)."""
    seen: dict[str, int] = {}
    out = {}
    for g in groups:
        c = colors[g]
        out[g] = seen.get(c, 0)
        seen[c] = out[g] + 1
    return out


def integer_axis(fig: go.Figure, max_value: float, axis: str = "x", **kw) -> None:
    """Counts get whole-number ticks (no 0.5 quotes)."""
    upd = fig.update_xaxes if axis == "x" else fig.update_yaxes
    if max_value <= 10:
        upd(dtick=1, tickformat="d", **kw)
    else:
        upd(tickformat="d", **kw)


def group_labels(df: pd.DataFrame) -> dict[str, str]:
    """group -> display label (the ``label`` column of timeseries frames, else the group itself)."""
    if "label" not in df.columns:
        return {g: g for g in df["group"].unique()}
    lab = text_or(df["label"], "")
    return {g: (l or g) for g, l in zip(df["group"], lab)}


def unique_labels(ids: list[str], names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    for n in names:
        seen[n] = seen.get(n, 0) + 1
    return [n if seen[n] == 1 else f"{n} ({i})" for i, n in zip(ids, names)]
