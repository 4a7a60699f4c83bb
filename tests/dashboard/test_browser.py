"""The Voila app in headless Chromium: every tab renders, filters redraw, exports download, hostile text stays inert.

Starts ``serve.start`` (the same Voila command as ``ukraine-briefs serve``) on a free
port against the seeds' tables, drives Debian's ``/usr/bin/chromium`` through
Playwright and saves one screenshot per tab under ``build/screenshots/``. Timings
(server start to served page, page open to first rendered chart, PNG export) are
printed and written to ``build/screenshots/timings.json``.
"""
from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from dashboard_helpers import (CHROMIUM, SCREENSHOTS, VoilaServer, build_tables, launch_chromium,
                               write_evil_corpus)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TABS = {"Overview": 3, "Entities": 4, "Quotes": 2, "Sentiment": 2, "Threats": 4, "Documents": 0}
TIMINGS: dict[str, float] = {}
VIEWPORT = {"width": 1500, "height": 2000}


def _record(name: str, seconds: float) -> None:
    TIMINGS[name] = round(seconds, 2)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "timings.json").write_text(json.dumps(TIMINGS, indent=2))
    print(f"\n[timing] {name}: {seconds:.2f} s")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = launch_chromium(p)
        yield b
        b.close()


def _open(browser, url: str):
    """A page on ``url`` that records dialogs and requests leaving 127.0.0.1."""
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    page = ctx.new_page()
    page.dialogs, page.external = [], []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: page.external.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "blob:", "data:")) else None)
    return page


def _visible_tab(page):
    return page.locator(".ub-tab >> visible=true")


def _wait_charts(page, n: int, timeout: float = 90_000) -> None:
    """Wait until the visible tab shows ``n`` drawn charts (a drawn chart has its title)."""
    tab = _visible_tab(page)
    for i in range(n):
        tab.locator(".ub-chart").nth(i).locator(".main-svg .gtitle").first.wait_for(timeout=timeout)


def _open_tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).first.click()
    page.wait_for_function(
        "t => [...document.querySelectorAll('.lm-TabBar-tab.lm-mod-current')].some(e => e.innerText.trim() === t)",
        arg=title)


@pytest.fixture(scope="module")
def seed_server(seed_corpus, tmp_path_factory):
    log = tmp_path_factory.mktemp("voila") / "voila.log"
    with VoilaServer(Path(seed_corpus.tables_dir), log_path=log) as srv:
        _record("server_start_to_served_page", srv.startup_seconds)
        srv.wait_pool_filled(2)  # the next visitor gets a preheated kernel, as on a warm machine
        yield srv


@pytest.fixture(scope="module")
def page(browser, seed_server):
    page = _open(browser, seed_server.url)
    t0 = time.perf_counter()
    page.goto(seed_server.url, timeout=120_000)
    page.locator(".ub-chart .main-svg .gtitle").first.wait_for(timeout=120_000)
    _record("page_open_to_first_chart", time.perf_counter() - t0)
    _wait_charts(page, TABS["Overview"])
    _record("page_open_to_overview_complete", time.perf_counter() - t0)
    yield page
    page.context.close()


def test_page_is_served_without_cdn_or_tracebacks(seed_server, page):
    assert seed_server.first_page.lstrip().lower().startswith("<!doctype html")
    assert page.external == []  # nothing fetched from the internet
    assert "Traceback" not in page.inner_text("body")
    assert page.locator(".ub-header h1").inner_text() == "Ukraine briefs"


def test_every_tab_renders_its_charts_and_is_screenshotted(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for i, (title, n) in enumerate(TABS.items()):
        _open_tab(page, title)
        t0 = time.perf_counter()
        _wait_charts(page, n)
        if title == "Documents":
            _visible_tab(page).locator(".ub-reader .ub-text, .ub-reader p").first.wait_for(timeout=60_000)
        else:
            assert _visible_tab(page).locator(".ub-chart").count() == n
            # a chart function that raised shows this message instead of a traceback; none may on the seeds
            assert "could not be drawn" not in _visible_tab(page).text_content()
        _record(f"tab_{title.lower()}_render", time.perf_counter() - t0)
        page.wait_for_timeout(1200)  # let plotly finish its resize/transition before the picture
        path = SCREENSHOTS / f"{i + 1:02d}-{title.lower()}.png"
        page.screenshot(path=str(path), full_page=True)
        print(f"[screenshot] {path}")
        assert path.stat().st_size > 10_000
    _open_tab(page, "Overview")


def test_filter_change_redraws_the_chart(page):
    _open_tab(page, "Overview")
    table = page.locator(".ub-chart-corpus_overview .js-plotly-plot").first
    before = table.inner_html()
    outlets = page.locator(".ub-outlets select")
    first = outlets.locator("option").first.inner_text()
    outlets.select_option(label=first)
    page.locator(".ub-filter-summary", has_text=first).wait_for(timeout=60_000)  # the selection is described
    summary = page.locator(".ub-filter-summary").inner_text()
    shown, total = map(int, re.search(r"Showing (\d+) of (\d+) documents", summary).groups())
    assert 0 < shown < total
    page.wait_for_function(
        "before => { const s = document.querySelector('.ub-chart-corpus_overview .js-plotly-plot');"
        " return s && s.innerHTML !== before && s.querySelector('.gtitle'); }", arg=before, timeout=60_000)
    assert table.inner_html() != before
    page.locator(".ub-filters button", has_text="Reset filters").click()
    page.locator(".ub-filter-summary", has_text="all documents").wait_for(timeout=60_000)


def test_png_export_downloads_a_valid_png(page):
    _open_tab(page, "Overview")
    button = page.locator(".ub-chart-threat_flow .ub-dl-png button")
    times = []
    for _ in range(2):  # the first export warms kaleido's Chromium; the second is the steady state
        t0 = time.perf_counter()
        with page.expect_download(timeout=120_000) as dl:
            button.click()
        data = Path(dl.value.path()).read_bytes()
        times.append(time.perf_counter() - t0)
        assert dl.value.suggested_filename == "threat_flow.png"
        assert data[:8] == PNG_MAGIC and len(data) > 5_000
    _record("png_export_first", times[0])
    _record("png_export_warm", times[1])
    with page.expect_download(timeout=60_000) as dl:
        page.locator(".ub-chart-threat_flow .ub-dl-csv button").click()
    assert Path(dl.value.path()).read_bytes().startswith(b"threat_id,")


def test_clicking_a_point_shows_the_sentences_behind_it(page):
    _open_tab(page, "Overview")
    point = page.locator(".ub-chart-tone_over_time .scatterlayer .point").first
    point.wait_for(timeout=60_000)
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.locator(".ub-evidence .ub-ev").first.wait_for(timeout=60_000)
    head = page.locator(".ub-evidence-head").inner_text()
    # title: actor · period start as a date, never raw ids
    assert re.match(r"How tone moved around the main actors: .+ · \d\d \w{3} 20\d\d", head), head
    assert page.locator(".ub-evidence .ub-ev-text").first.inner_text().strip() != ""


# -- hostile article ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def evil_server(tmp_path_factory):
    root = tmp_path_factory.mktemp("evil")
    tables = build_tables(write_evil_corpus(root / "corpus"), root / "tables")
    with VoilaServer(tables, log_path=root / "voila.log") as srv:
        yield srv


def test_hostile_article_renders_inert_in_reader_and_hovers(browser, evil_server):
    page = _open(browser, evil_server.url)
    page.goto(evil_server.url, timeout=120_000)
    _wait_charts(page, TABS["Overview"])
    # the corpus table shows the hostile title as text
    table_text = page.locator(".ub-chart-corpus_overview .js-plotly-plot").first.text_content()
    assert "<script>window.__pwned=1</script>" in table_text
    # hovers: the hostile sentences reach plotly escaped (plotly renders hover text as HTML) ...
    plot = page.locator(".ub-chart-tone_over_time .js-plotly-plot").first
    plot.wait_for(timeout=60_000)
    found = plot.evaluate(
        """el => { for (const [i, t] of el.data.entries()) {
                     const h = [].concat(t.hovertext || []);
                     const j = h.findIndex(x => String(x).includes('onerror'));
                     if (j >= 0) return {curve: i, point: j, text: String(h[j])}; }
                   return null; }"""
    )
    assert found is not None, "no tone point carries the hostile sentence"
    assert "&lt;img src=x" in found["text"] and "onerror=" in found["text"] and "<img" not in found["text"]
    # ... and show as text when that very point is hovered (no element is created, nothing runs)
    shown = plot.evaluate(
        """(el, f) => { window.Plotly.Fx.hover(el, [{curveNumber: f.curve, pointNumber: f.point}]);
                        const h = el.querySelector('.hoverlayer .hovertext');
                        return h ? h.textContent : null; }""",
        found,
    )
    print("[hover]", shown)
    assert shown is not None and "<img" in shown and "onerror=" in shown  # hover lines wrap at spaces
    assert page.locator(".ub-chart-tone_over_time img").count() == 0
    # the reader: the hostile article is the newest, so it opens first
    _open_tab(page, "Documents")
    reader = _visible_tab(page).locator(".ub-reader")
    reader.locator(".ub-text, p").first.wait_for(timeout=60_000)
    text = reader.inner_text()
    assert "<script>window.__pwned=3</script>" in text
    assert 'onerror="window.__pwned=4"' in text
    assert reader.locator("script").count() == 0 and reader.locator("img").count() == 0
    page.wait_for_timeout(500)
    path = SCREENSHOTS / "hostile-reader.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"[screenshot] {path}")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert page.dialogs == []
    assert page.external == []
    page.context.close()
