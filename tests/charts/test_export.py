"""Static export: PNG/SVG through one warm kaleido browser, offline HTML, CSV, export_all; no hang without a browser."""
from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from conftest_charts import build
from ukraine_briefs import charts
from ukraine_briefs.charts import export

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def t():
    return build()


@pytest.fixture(scope="module")
def fig(t):
    return charts.threat_timeline_chart(t.threats, t.documents)


def _png_size(data: bytes) -> tuple[int, int]:
    # IHDR: width and height are the first two big-endian ints after the 8-byte magic + 8-byte chunk header
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_png_bytes_from_the_warm_server(fig):
    data = export.figure_to_bytes(fig, "png", width=600, height=400, scale=1)
    assert data[:8] == PNG_MAGIC
    assert _png_size(data) == (600, 400)
    renderer = export._renderer
    assert renderer is not None and renderer.alive()
    pid = renderer.kaleido.subprocess.pid
    again = export.figure_to_bytes(fig, "png", width=300, height=200, scale=2)
    assert _png_size(again) == (600, 400)  # scale 2
    assert export._renderer is renderer and renderer.kaleido.subprocess.pid == pid  # the same browser drew both


def test_png_defaults_to_the_figure_size(t):
    f = charts.top_entities_chart(t.entities)
    data = export.figure_to_bytes(f, "png", scale=1)
    assert _png_size(data) == (f.layout.width, f.layout.height)


def test_svg_is_svg_with_escaped_text(t):
    f = charts.quotes_by_speaker_chart(t.quotes, entities=t.entities)
    svg = export.figure_to_bytes(f, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert "Vladimir Putin" in svg
    assert "<script" not in svg  # Lavrov's "<script>" label is text, not markup
    assert "Sergey Lavrov &#60;script&#62;" in svg


def test_html_is_offline(fig):
    page = export.figure_to_bytes(fig, "html").decode("utf-8")
    # plotly.js mentions its CDN only as a default topojson URL inside the library; no script is fetched
    assert "<script src=" not in page and 'src="https://' not in page
    assert "Plotly.newPlot" in page
    assert len(page) > 1_000_000  # plotly.js is inlined


def test_save_figure_format_from_suffix(tmp_path, fig):
    png = export.save_figure(fig, tmp_path / "a" / "timeline.png", scale=1)
    assert png.read_bytes()[:8] == PNG_MAGIC
    svg = export.save_figure(fig, tmp_path / "timeline.svg")
    assert svg.read_text().lstrip().startswith("<svg")
    forced = export.save_figure(fig, tmp_path / "timeline.img", format="svg")
    assert forced.read_text().lstrip().startswith("<svg")
    html_ = export.save_figure(fig, tmp_path / "timeline.html")
    assert "<html>" in html_.read_text()[:200]
    with pytest.raises(ValueError, match="unsupported export format 'gif'"):
        export.save_figure(fig, tmp_path / "timeline.gif")


def test_empty_figure_exports(tmp_path):
    png = export.save_figure(charts.empty_figure("Nothing"), tmp_path / "empty.png", scale=1)
    assert png.read_bytes()[:8] == PNG_MAGIC


def test_table_to_csv_bytes_round_trips(t):
    data = export.table_to_csv_bytes(t.threats)
    back = pd.read_csv(io.BytesIO(data))
    assert list(back.columns) == list(t.threats.columns)
    assert list(back["threat_id"]) == ["t1", "t2", "t3"]
    assert "Sergey Lavrov <script>" in set(back["actor_name"])  # CSV keeps the raw text
    assert export.table_to_csv_bytes(None) == b"\n"


def test_figure_data_long_table(t):
    d = export.figure_data(charts.threat_categories_chart(t.threats))
    assert set(d["trace"]) == {"red line", "economic", "de-escalation"}
    assert d.loc[d["trace"] == "de-escalation", "x"].tolist() == [-1]
    s = export.figure_data(charts.threat_sankey_chart(t.threats))
    assert list(s.columns) == ["source", "target", "value"] and s["value"].sum() == 4  # threats only
    c = export.figure_data(charts.corpus_overview_chart(t.documents))
    assert list(c.columns) == ["Title", "Outlet", "Published", "Sentences", "Status"]


def test_export_all_writes_every_chart_and_its_data(tmp_path, t):
    paths = export.export_all(t, tmp_path, formats="png", scale=1)
    assert sorted(p.name for p in paths) == sorted(f"{c}.{e}" for c in charts.ALL_CHARTS for e in ("csv", "png"))
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    assert (tmp_path / "threat_sankey.png").read_bytes()[:8] == PNG_MAGIC
    threats = pd.read_csv(tmp_path / "threat_timeline.csv")
    assert list(threats["published"].str[:10]) == ["2021-12-01", "2021-12-06", "2022-01-21"]
    docs = pd.read_csv(tmp_path / "corpus_overview.csv")
    assert "text" not in docs.columns and len(docs) == 4


@pytest.mark.slow
def test_export_all_from_a_tables_directory_with_html(tmp_path, t):
    tables = tmp_path / "tables"
    tables.mkdir()
    for name, df in t.as_dict().items():
        df.to_parquet(tables / f"{name}.parquet")
    paths = export.export_all(tables, tmp_path / "out", formats=("html",))
    assert len(paths) == 2 * len(charts.ALL_CHARTS)
    page = (tmp_path / "out" / "cooccurrence_network.html").read_text()
    assert "<script src=" not in page and "Plotly.newPlot" in page


def test_static_images_leave_out_hover_and_click_data_only(t, fig):
    spec = export.static_spec(fig)
    points = [tr for tr in spec["data"] if tr.get("x") is not None and tr["x"][0] is not None]
    assert points and all("customdata" not in tr and "hovertext" not in tr for tr in spec["data"])
    assert [list(tr["x"]) for tr in points] == [list(tr.x) for tr in fig.data if tr.customdata is not None]
    assert fig.data[0].customdata is not None  # the figure itself keeps them
    sankey = export.static_spec(charts.threat_sankey_chart(t.threats))["data"][0]
    assert "customdata" not in sankey["link"] and "label" not in sankey["link"] and "customdata" not in sankey["node"]
    assert "United States" in sankey["node"]["label"] and sum(sankey["link"]["value"]) == 4
    # and the picture is the same as from the whole figure
    full = export.figure_to_bytes(fig, "png", scale=1)
    with export._lock:
        direct = export._renderer.render(fig.to_plotly_json(), dict(format="png", width=1000, height=fig.layout.height, scale=1))
    assert full == direct


def test_an_image_chromium_cannot_draw_raises_instead_of_returning_junk():
    # a 1000 x 80,000 px canvas is past Chromium's limit: it answers with a few junk bytes
    with pytest.raises(RuntimeError, match="not a PNG"):
        export.figure_to_bytes(charts.empty_figure("Too tall"), "png", height=40_000, scale=2)


# --- a missing, broken or hanging browser fails in seconds, never hangs -------------------------

BROKEN = [pytest.param("/bin/false", "is not a working browser", id="bin-false"),
          pytest.param("/nonexistent/chromium", "does not exist", id="missing")]


@pytest.mark.parametrize(("browser", "why"), BROKEN)
def test_a_broken_browser_fails_in_seconds_naming_the_fix(monkeypatch, fig, browser, why):
    monkeypatch.setenv("BROWSER_PATH", browser)
    start = time.monotonic()
    with pytest.raises(export.BrowserError) as err:
        export.figure_to_bytes(fig, "png", scale=1)
    assert time.monotonic() - start < 30
    msg = str(err.value)
    assert f"BROWSER_PATH={browser}" in msg and why in msg
    assert "apt-get install chromium" in msg
    assert export._renderer is None  # nothing half-started is kept


@pytest.mark.parametrize(("browser", "why"), BROKEN)
def test_cli_export_with_a_broken_browser_exits_in_seconds(tmp_path, t, browser, why):
    tables = tmp_path / "tables"
    tables.mkdir()
    for name, df in t.as_dict().items():
        df.to_parquet(tables / f"{name}.parquet")
    env = {**os.environ, "BROWSER_PATH": browser}
    start = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "ukraine_briefs.cli", "export", "--tables", str(tables),
                          "--out", str(tmp_path / "out"), "--format", "png,html"],
                         capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.monotonic() - start
    assert elapsed < 30, f"took {elapsed:.1f} s"
    assert res.returncode == 2, res.stderr
    assert f"BROWSER_PATH={browser}" in res.stderr and why in res.stderr
    assert "apt-get install chromium" in res.stderr
    assert "Traceback" not in res.stderr
    assert not list((tmp_path / "out").glob("*.png"))


def test_check_browser_accepts_debian_chromium_and_refuses_a_non_executable(tmp_path, monkeypatch):
    if not Path(export.DEBIAN_CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    assert export.check_browser() in {export.DEBIAN_CHROMIUM, export.find_browser()}
    plain = tmp_path / "chromium"
    plain.write_text("not a program")
    monkeypatch.setenv("BROWSER_PATH", str(plain))
    with pytest.raises(export.BrowserError, match=f"BROWSER_PATH={plain} is not executable"):
        export.check_browser()


@pytest.fixture
def hanging_browser(tmp_path):
    """A 'browser' that answers --version and then never speaks the DevTools protocol."""
    pidfile = tmp_path / "pid"
    script = tmp_path / "hanging-chromium"
    script.write_text("#!/bin/sh\n"
                      'for a in "$@"; do [ "$a" = --version ] && { echo "Chromium 999 (fake)"; exit 0; }; done\n'
                      f"echo $$ > {pidfile}\n"
                      "exec sleep 600\n")
    script.chmod(0o755)
    return script, pidfile


def test_a_browser_that_never_starts_times_out_and_is_killed(monkeypatch, fig, hanging_browser):
    script, pidfile = hanging_browser
    monkeypatch.setenv("BROWSER_PATH", str(script))
    monkeypatch.setattr(export, "START_TIMEOUT", 3.0)
    start = time.monotonic()
    with pytest.raises(TimeoutError, match=f"{script} did not start within 3 s"):
        export.figure_to_bytes(fig, "png", scale=1)
    assert time.monotonic() - start < 30
    assert export._renderer is None
    pid = int(pidfile.read_text())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the fake browser is gone (or a zombie being reaped)
        try:
            state = Path(f"/proc/{pid}/stat").read_text().split()[2]
        except FileNotFoundError:
            break
        if state == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the hanging browser (pid {pid}) was left running")


def test_every_browser_call_has_a_deadline(fig):
    export.figure_to_bytes(fig, "svg")  # the warm browser is up
    start = time.monotonic()
    with pytest.raises(export.ExportTimeoutError, match="did not render an image within 0.5 s"):
        export._renderer._call(asyncio.sleep(30), 0.5, "render an image")
    assert time.monotonic() - start < 5
    assert export.figure_to_bytes(fig, "svg").lstrip().startswith(b"<svg")  # the cancelled call blocked nothing
