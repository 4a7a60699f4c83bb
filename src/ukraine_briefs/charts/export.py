"""Static exports: the one `save_figure`, bytes for download buttons, and `export_all`.

PNG, SVG and PDF go through kaleido 1.x driving the system Chromium
(``/usr/bin/chromium``; kaleido finds it on ``PATH`` or through ``BROWSER_PATH``).
One warm export server (``kaleido.start_sync_server``) is started on first use
and reused for every image, instead of a browser launch per image. MathJax is
off and no topojson is fetched, so nothing leaves the machine. HTML is written
with plotly.js inlined (no CDN), so a saved chart opens offline.

A static image shows no hover and no click, so images are drawn from
`static_spec(fig)`: the figure without ``customdata``, hover texts and ``ids``
(at 10,000 articles these are most of a figure's bytes, and every byte is
serialised, sent to Chromium and parsed before anything is drawn).
"""
from __future__ import annotations

import logging
import os
import shutil
import threading
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from ukraine_briefs.charts.catalog import ALL_CHARTS, chart_data
from ukraine_briefs.tables.io import as_tables

log = logging.getLogger(__name__)

IMAGE_FORMATS = ("png", "svg", "pdf")
FORMATS = (*IMAGE_FORMATS, "html")
DEFAULT_WIDTH, DEFAULT_HEIGHT, DEFAULT_SCALE = 1000, 600, 2

_lock = threading.Lock()
_server_started = False


def _ensure_server() -> None:
    """Start the warm kaleido export server once per process (offline settings)."""
    global _server_started
    import kaleido

    server = getattr(kaleido, "_global_server", None)
    if _server_started and (server is None or server.is_running()):
        return
    pio.defaults.mathjax = False
    pio.defaults.topojson = None
    if not os.environ.get("BROWSER_PATH"):
        chromium = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
        if chromium:
            os.environ["BROWSER_PATH"] = chromium
    # Options must be given here: a running server ignores per-call options.
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _server_started = True


def stop_export_server() -> None:
    """Stop the warm export server (it is also stopped at interpreter exit)."""
    global _server_started
    import kaleido

    with _lock:
        kaleido.stop_sync_server(silence_warnings=True)
        _server_started = False


def _format_of(path: Path, format: str | None) -> str:
    fmt = (format or path.suffix.lstrip(".") or "png").lower()
    if fmt == "jpg":
        fmt = "jpeg"
    if fmt not in FORMATS:
        raise ValueError(f"{path}: unsupported export format {fmt!r} (use one of {', '.join(FORMATS)})")
    return fmt


#: Trace attributes that only hovers and click handlers use: never drawn in a static image.
_INTERACTIVE = ("customdata", "hovertext", "hovertemplate", "hoverinfo", "hoverlabel", "ids", "meta")
_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF", "jpeg": b"\xff\xd8", "webp": b"RIFF"}


def _strip(obj: dict) -> dict:
    """A trace (or Sankey node/link) dict without its interactive-only keys."""
    out = {k: v for k, v in obj.items() if k not in _INTERACTIVE}
    if obj.get("type") == "sankey":
        # link.label is the link's hover text; node.label is drawn and stays
        for part, extra in (("node", ()), ("link", ("label",))):
            if isinstance(out.get(part), dict):
                out[part] = {k: v for k, v in out[part].items() if k not in _INTERACTIVE + extra}
    return out


def static_spec(fig: go.Figure | dict) -> dict:
    """The plotly JSON of ``fig`` minus what a static image never shows (customdata, hover text, ids).

    The image is unchanged: hovers and clicks do not exist in a PNG/SVG/PDF.
    The figure itself is not modified.
    """
    d = fig.to_plotly_json() if isinstance(fig, go.Figure) else dict(fig)
    return {**d, "data": [_strip(tr) for tr in d.get("data", [])]}


def _size(fig: go.Figure, width, height) -> tuple[int, int]:
    return (int(width or fig.layout.width or DEFAULT_WIDTH), int(height or fig.layout.height or DEFAULT_HEIGHT))


def figure_to_bytes(fig: go.Figure, format: str = "png", *, width: int | None = None,
                    height: int | None = None, scale: float = DEFAULT_SCALE) -> bytes:
    """The figure as PNG/SVG/PDF bytes (warm kaleido server) or as standalone offline HTML.

    Width and height default to the figure's own layout size. Raises
    ``RuntimeError`` with the reason when the image cannot be rendered (no Chromium ...).
    """
    fmt = _format_of(Path(f"x.{format}"), format)
    if fmt == "html":
        return fig.to_html(include_plotlyjs=True, full_html=True,
                           config={"displaylogo": False, "responsive": True}).encode("utf-8")
    import kaleido

    w, h = _size(fig, width, height)
    fig_dict = static_spec(fig)
    with _lock:  # the server answers calls in order through one queue
        try:
            _ensure_server()
            data = kaleido.calc_fig_sync(fig_dict, opts=dict(format=fmt, width=w, height=h, scale=scale))
        except Exception as exc:
            raise RuntimeError(f"could not export a {fmt.upper()} image with kaleido/Chromium: {exc}") from exc
    if isinstance(data, BaseException):
        raise RuntimeError(f"could not export a {fmt.upper()} image: {data}")
    data = data if isinstance(data, bytes) else str(data).encode("utf-8")
    # Chromium answers a canvas it cannot allocate (a page tens of thousands of pixels
    # tall) with a few junk bytes instead of an error: never hand those on as an image.
    ok = data.lstrip().startswith(b"<") if fmt == "svg" else data.startswith(_MAGIC.get(fmt, b""))
    if not ok or len(data) < 16:
        raise RuntimeError(f"could not export a {fmt.upper()} image of {w}x{h} px (scale {scale}): "
                           f"the renderer returned {len(data)} byte(s) that are not a {fmt.upper()}")
    return data


def save_figure(fig: go.Figure, path, *, format: str | None = None, width: int | None = None,
                height: int | None = None, scale: float = DEFAULT_SCALE) -> Path:
    """Write ``fig`` to ``path`` as PNG, SVG, PDF or offline HTML (format from the suffix by default).

    The one static export function of the package; parents are created.
    """
    path = Path(path)
    fmt = _format_of(path, format)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(figure_to_bytes(fig, fmt, width=width, height=height, scale=scale))
    return path


def table_to_csv_bytes(df: pd.DataFrame) -> bytes:
    """A table as UTF-8 CSV bytes (no index), for download buttons and ``export_all``."""
    if df is None:
        df = pd.DataFrame()
    return df.to_csv(index=False).encode("utf-8")


def figure_data(fig: go.Figure) -> pd.DataFrame:
    """The plotted values of a figure as a long table (trace, x, y, customdata ...), for CSV."""
    rows = []
    for i, tr in enumerate(fig.data):
        d = tr.to_plotly_json()
        if d.get("type") == "table":
            cols = (d.get("header") or {}).get("values") or []
            vals = (d.get("cells") or {}).get("values") or []
            return pd.DataFrame({str(c).replace("<b>", "").replace("</b>", ""): v for c, v in zip(cols, vals)})
        if d.get("type") == "sankey":
            labels = (d.get("node") or {}).get("label") or []
            link = d.get("link") or {}
            return pd.DataFrame({"source": [labels[s] for s in link.get("source", [])],
                                 "target": [labels[t] for t in link.get("target", [])],
                                 "value": list(link.get("value", []))})
        xs, ys = d.get("x"), d.get("y")
        if xs is None and ys is None:
            continue
        n = len(xs if xs is not None else ys)
        cd = d.get("customdata")
        for j in range(n):
            rows.append({
                "trace": d.get("name") or f"trace {i}",
                "x": None if xs is None else xs[j],
                "y": None if ys is None else ys[j],
                "customdata": None if cd is None or j >= len(cd) else cd[j],
            })
    return pd.DataFrame(rows, columns=["trace", "x", "y", "customdata"])


def export_all(tables_dir_or_corpus, out_dir, *, formats=("png", "svg", "html"),
               width: int | None = None, height: int | None = None, scale: float = DEFAULT_SCALE) -> list[Path]:
    """Write every chart of the corpus in each format, plus its data as CSV; return the paths.

    Accepts a tables directory, a `Corpus` or `Tables`. File names are the chart
    names (``threat_sankey.png``, ``threat_sankey.csv`` ...). A chart that cannot
    be exported is logged and skipped, so one failure never loses the rest.
    """
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    formats = [_format_of(Path("x"), f) for f in formats]
    tables = as_tables(tables_dir_or_corpus)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, make in ALL_CHARTS.items():
        fig = make(tables)
        data = chart_data(name, tables)
        csv = out / f"{name}.csv"
        csv.write_bytes(table_to_csv_bytes(data))
        written.append(csv)
        for fmt in formats:
            try:
                written.append(save_figure(fig, out / f"{name}.{fmt}", format=fmt, width=width, height=height, scale=scale))
            except Exception:
                log.exception("export of %s as %s failed", name, fmt)
    return written
