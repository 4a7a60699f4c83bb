"""Static exports: the one `save_figure`, bytes for download buttons, and `export_all`.

PNG, SVG and PDF go through kaleido 1.x driving the system Chromium
(``/usr/bin/chromium`` from Debian's ``chromium`` package, or ``BROWSER_PATH``).
One warm Chromium is started on first use and reused for every image, instead
of a browser launch per image. Nothing waits without a deadline: the browser is
checked up front (exists, executable, answers ``--version``), and starting it
and every render run on a private event-loop thread under a timeout, so a
missing or broken browser fails in seconds with a message saying what to fix
(kaleido's own sync server waits forever once its browser thread has died).
MathJax is off and no topojson is fetched, so nothing leaves the machine. HTML
is written with plotly.js inlined (no CDN), so a saved chart opens offline.

A static image shows no hover and no click, so images are drawn from
`static_spec(fig)`: the figure without ``customdata``, hover texts and ``ids``
(at 10,000 articles these are most of a figure's bytes, and every byte is
serialised, sent to Chromium and parsed before anything is drawn).
"""
from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import shutil
import signal
import subprocess
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

#: Seconds allowed for ``<browser> --version``, for Chromium to start, and for one image.
VERSION_TIMEOUT, START_TIMEOUT, RENDER_TIMEOUT = 10.0, 60.0, 60.0
#: Where Debian's ``chromium`` package puts the browser.
DEBIAN_CHROMIUM = "/usr/bin/chromium"
_INSTALL_HINT = ("Install Debian's chromium package (`apt-get install chromium`) or set BROWSER_PATH "
                 "to a working Chromium/Chrome executable.")


class BrowserError(RuntimeError):
    """No working browser for image export (missing, not executable, or not answering)."""


class ExportTimeoutError(TimeoutError):
    """The browser did not start or did not render an image within its deadline."""


def find_browser() -> str | None:
    """The browser image export uses: ``$BROWSER_PATH`` if set, else ``chromium`` on PATH, else Debian's path."""
    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    return shutil.which("chromium") or (DEBIAN_CHROMIUM if Path(DEBIAN_CHROMIUM).exists() else None)


def check_browser(path: str | None = None, *, timeout: float = VERSION_TIMEOUT) -> str:
    """Return the browser path after checking it exists, is executable and answers ``--version`` in time.

    Raises `BrowserError` naming BROWSER_PATH and Debian's chromium package, so a
    broken setup fails in seconds instead of when the first image times out.
    """
    path = path or find_browser()
    source = "BROWSER_PATH" if os.environ.get("BROWSER_PATH") else "the browser"
    if not path:
        raise BrowserError(f"no Chromium found for image export (BROWSER_PATH is not set and there is no "
                           f"`chromium` on PATH or at {DEBIAN_CHROMIUM}). {_INSTALL_HINT}")
    p = Path(path)
    if not p.is_file():
        raise BrowserError(f"{source}={path} does not exist (or is not a file). {_INSTALL_HINT}")
    if not os.access(p, os.X_OK):
        raise BrowserError(f"{source}={path} is not executable. {_INSTALL_HINT}")
    try:
        res = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=timeout,
                             stdin=subprocess.DEVNULL, errors="replace")
    except subprocess.TimeoutExpired:
        raise BrowserError(f"{source}={path} did not answer `--version` within {timeout:g} s. {_INSTALL_HINT}") from None
    except OSError as exc:
        raise BrowserError(f"{source}={path} cannot be run ({exc}). {_INSTALL_HINT}") from None
    answer = (res.stdout.strip().splitlines() or [""])[0][:80]
    if res.returncode != 0 or not answer:
        raise BrowserError(f"{source}={path} is not a working browser: `{path} --version` exited with "
                           f"{res.returncode} and printed {answer!r}. {_INSTALL_HINT}")
    return path


class _Renderer:
    """One warm Chromium driven by kaleido on a private event-loop thread; every call has a deadline."""

    def __init__(self, browser: str):
        import kaleido  # ~0.4 s to import: only image export needs it, not HTML/CSV or the dashboard

        self.browser = browser
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido-export", daemon=True)
        self.thread.start()
        # Options must be given here: a running kaleido ignores per-call options.
        self.kaleido = kaleido.Kaleido(path=browser, mathjax=False, timeout=RENDER_TIMEOUT)
        try:
            self._call(self.kaleido.open(), START_TIMEOUT, "start")
        except ExportTimeoutError:
            self.close(graceful=False)
            raise
        except Exception as exc:
            self.close(graceful=False)
            raise BrowserError(f"the browser at {browser} failed to start ({exc}). {_INSTALL_HINT}") from exc

    def _call(self, coro, timeout: float, what: str):
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise ExportTimeoutError(f"the browser at {self.browser} did not {what} within {timeout:g} s "
                                     f"(BROWSER_PATH selects another browser). {_INSTALL_HINT}") from None

    def render(self, spec: dict, opts: dict) -> bytes:
        # kaleido times the drawing itself out; this deadline also covers a browser that stopped answering
        return self._call(self.kaleido.calc_fig(spec, opts=opts), RENDER_TIMEOUT + 5, "render an image")

    def alive(self) -> bool:
        proc = getattr(self.kaleido, "subprocess", None)
        return self.thread.is_alive() and proc is not None and proc.poll() is None

    def close(self, *, graceful: bool = True) -> None:
        """Close the browser (killed first when not ``graceful``: it missed a deadline); stop the loop thread."""
        if not graceful:
            self._kill()
        try:
            if self.thread.is_alive():  # also removes kaleido's temporary page directory
                self._call(self.kaleido.close(), 15.0 if graceful else 5.0, "close")
        except Exception as exc:  # noqa: BLE001 - closing must never raise; the kill below is the fallback
            log.warning("closing the export browser failed (%s); killing it", exc)
        self._kill()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)

    def _kill(self) -> None:
        proc = getattr(self.kaleido, "subprocess", None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # choreographer starts Chromium in its own process group
        except (ProcessLookupError, PermissionError):
            proc.kill()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            log.warning("the export browser (pid %s) did not exit after SIGKILL", proc.pid)


_lock = threading.Lock()
_renderer: _Renderer | None = None


def _ensure_renderer() -> _Renderer:
    """The warm renderer, started (after `check_browser`) on first use or when its browser died."""
    global _renderer
    browser = find_browser()
    if _renderer is not None and (_renderer.browser != browser or not _renderer.alive()):
        _discard_renderer()
    if _renderer is None:
        pio.defaults.mathjax = False
        pio.defaults.topojson = None
        _renderer = _Renderer(check_browser(browser))
    return _renderer


def _discard_renderer(*, graceful: bool = True) -> None:
    """Close the warm browser, if any (the caller holds `_lock`)."""
    global _renderer
    if _renderer is not None:
        _renderer.close(graceful=graceful)
        _renderer = None


def stop_export_server() -> None:
    """Stop the warm export browser (it is also stopped at interpreter exit)."""
    with _lock:
        _discard_renderer()


atexit.register(stop_export_server)


def _format_of(path: Path, format: str | None) -> str:
    fmt = (format or path.suffix.lstrip(".") or "png").lower()
    if fmt not in FORMATS:
        raise ValueError(f"{path}: unsupported export format {fmt!r} (use one of {', '.join(FORMATS)})")
    return fmt


#: Trace attributes that only hovers and click handlers use: never drawn in a static image.
_INTERACTIVE = ("customdata", "hovertext", "hovertemplate", "hoverinfo", "hoverlabel", "ids", "meta")
_MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "pdf": b"%PDF"}


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

    Width and height default to the figure's own layout size. Raises `BrowserError`
    (a RuntimeError) when there is no working Chromium, `ExportTimeoutError` (a
    TimeoutError) when it misses a deadline, and ``RuntimeError`` with the reason
    when the image cannot be rendered.
    """
    fmt = _format_of(Path(f"x.{format}"), format)
    if fmt == "html":
        return fig.to_html(include_plotlyjs=True, full_html=True,
                           config={"displaylogo": False, "responsive": True}).encode("utf-8")
    w, h = _size(fig, width, height)
    fig_dict = static_spec(fig)
    with _lock:  # one browser tab: images are drawn one at a time
        renderer = _ensure_renderer()
        try:
            data = renderer.render(fig_dict, dict(format=fmt, width=w, height=h, scale=scale))
        except ExportTimeoutError:
            _discard_renderer(graceful=False)  # a browser that missed a deadline is not trusted with the next image
            raise
        except Exception as exc:
            raise RuntimeError(f"could not export a {fmt.upper()} image with kaleido/Chromium: {exc}") from exc
    data = data if isinstance(data, bytes) else str(data).encode("utf-8")
    # Chromium answers a canvas it cannot allocate (a page tens of thousands of pixels
    # tall) with a few junk bytes instead of an error: never hand those on as an image.
    ok = data.lstrip().startswith(b"<") if fmt == "svg" else data.startswith(_MAGIC[fmt])
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
    be exported is logged and skipped, so one failure never loses the rest; a
    missing or broken browser raises `BrowserError` (one that does not start in time,
    `ExportTimeoutError`) before anything is written.
    """
    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    bad = [f for f in formats if str(f).lower() not in FORMATS]
    if bad:
        raise ValueError(f"unsupported --format {', '.join(map(repr, bad))}: use any of {', '.join(FORMATS)} "
                         "(png for a raster image)")
    formats = [_format_of(Path("x"), f) for f in formats]
    if any(f in IMAGE_FORMATS for f in formats):
        with _lock:  # check and start the browser now, not once per chart and format; the images reuse it
            _ensure_renderer()
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
            except BrowserError:
                raise  # no browser: every other image would fail the same way
            except Exception:
                log.exception("export of %s as %s failed", name, fmt)
    return written
