"""Issue 20 in headless Chromium: honest cards, evidence that follows the filters, legible time axes,
actor search by surname or misspelling, a Reset that clears typed text, no server path on the page.

One Voila server over the seeds and one page, driven through Playwright and Debian's
/usr/bin/chromium; every browser call has a deadline.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard_helpers import CHROMIUM, VoilaServer, launch_chromium
from ukraine_briefs.tables.io import as_tables
from ukraine_briefs.tables.summary import key_figures

pytestmark = [pytest.mark.browser, pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api")
if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} not installed", allow_module_level=True)

T = 60_000  # ms: the deadline of every wait


@pytest.fixture(scope="module")
def server(seed_corpus, tmp_path_factory):
    with VoilaServer(Path(seed_corpus.tables_dir), log_path=tmp_path_factory.mktemp("v20") / "voila.log") as srv:
        yield srv


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.set_default_timeout(T)
        page.goto(server.url, timeout=120_000)
        page.locator(".ub-kpi-threats .ub-kpi-v").wait_for(timeout=120_000)
        yield page
        browser.close()


def _tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).first.click(timeout=T)


def _summary(page, text: str) -> None:
    page.locator(".ub-filter-summary", has_text=text).wait_for(timeout=T)


def test_cards_count_threats_without_deescalation_and_no_path_is_shown(page, seed_corpus):
    t = as_tables(seed_corpus)  # the tables the server was started on
    n_threats = int((t.threats["stance"] == "threat").sum())
    assert 0 < n_threats < len(t.threats)  # the seeds have both
    assert page.locator(".ub-kpi-threats .ub-kpi-v").inner_text(timeout=T) == str(n_threats)
    de = int((t.threats["stance"] == "deescalation").sum())
    assert page.locator(".ub-kpi-deescalations .ub-kpi-v").inner_text(timeout=T) == str(de)
    k = key_figures(t)  # quotes with a speaker found (direct quotes; the quotes change counts reported speech apart)
    assert k["quotes_attributed"] < k["quotes"]
    assert page.locator(".ub-kpi-quotes .ub-kpi-v").inner_text(timeout=T) == str(k["quotes_attributed"])
    body = page.inner_text("body", timeout=T)
    assert str(seed_corpus.tables_dir) not in body and not re.search(r"(/tmp/|/work/|/home/)", body)


def test_truncated_evidence_says_n_of_m_and_is_cleared_by_a_filter_change(page):
    _tab(page, "Entities")
    bar = page.locator(".ub-chart-top_entities .barlayer .point").first
    bar.wait_for(timeout=T)
    box = bar.bounding_box(timeout=T)
    page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
    count = page.locator(".ub-evidence .ub-ev-count").inner_text(timeout=T)
    shown, total = map(int, re.fullmatch(r"\((\d+) of (\d+) sentences\)", count).groups())
    assert shown == 30 < total
    assert page.locator(".ub-evidence .ub-ev").count() == 30
    outlets = page.locator(".ub-outlets select")
    outlets.select_option(label=outlets.locator("option").first.inner_text(timeout=T), timeout=T)
    page.locator(".ub-evidence .ub-ev-cleared").wait_for(timeout=T)
    assert page.locator(".ub-evidence .ub-ev").count() == 0


def test_single_outlet_time_axis_has_no_sub_day_ticks(page):
    _tab(page, "Sentiment")
    # the drawn chart (a redraw replaces the widget; the one with a title is the current one)
    plot = page.locator(".ub-chart-sentiment_over_time .js-plotly-plot:has(.gtitle)").first
    plot.locator(".xtick text").first.wait_for(timeout=T)
    ticks = plot.locator(".xtick text").all_text_contents()  # SVG text has no innerText
    assert ticks and not any(re.search(r"\d:\d\d", x) for x in ticks), ticks
    dtick = plot.evaluate("el => el._fullLayout.xaxis.dtick", timeout=T)  # what plotly drew with
    assert str(dtick).startswith("M") or float(dtick) >= 86_400_000, dtick
    page.locator(".ub-filters button", has_text="Reset filters").click(timeout=T)
    _summary(page, "all documents")


@pytest.mark.parametrize("typed, actor", [("Putin", "Vladimir Putin"), ("Stoltenbreg", "Jens Stoltenberg")])
def test_actor_typed_as_surname_or_misspelling_is_applied(page, typed, actor):
    box = page.locator(".ub-actor-text input")
    box.fill(typed, timeout=T)
    box.press("Enter", timeout=T)
    _summary(page, actor)
    page.locator(".ub-chip", has_text=actor).wait_for(timeout=T)
    assert actor in page.locator(".ub-actor-note").inner_text(timeout=T)
    page.locator(".ub-filters button", has_text="Reset filters").click(timeout=T)
    _summary(page, "all documents")


def test_reset_clears_typed_text(page):
    box = page.locator(".ub-actor-text input")
    box.fill("Lavr", timeout=T)  # typed, never submitted
    page.locator(".ub-filters button", has_text="Reset filters").click(timeout=T)
    page.wait_for_function("() => document.querySelector('.ub-actor-text input').value === ''", timeout=T)
    page.wait_for_timeout(2500)  # anything the browser sent after the click has arrived by now
    _summary(page, "all documents")
    assert page.locator(".ub-chip").count() == 0
    assert page.locator(".ub-actor-text input").input_value(timeout=T) == ""
