"""The Stories tab and the "one per story" switch, on the hand-built tables of `conftest_charts`
plus a spun copy of its seed-001 article (no spaCy, no browser)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pandas as pd
import pytest

from conftest_charts import SEED_001, build
from ukraine_briefs import types
from ukraine_briefs.dashboard import Dashboard
from ukraine_briefs.dashboard.stories import StoriesTab, diff_html
from ukraine_briefs.tables import stories

# seed 001 spun: synonym swaps, the paragraphs swapped, and markup a hostile copier added
SPUN_001 = (
    "“The menace on our Western frontier is really growing,” Putin stated at the Kremlin earlier Wednesday.\n\n"
    "Secretary of State Antony Blinken cautioned Wednesday at a NATO convention in Latvia that the U.S. "
    "would impose “high-impact financial measures that we’ve refrained from using in the past” if Russia "
    "invaded its neighbor <script>alert(1)</script>."
)


def tables_with_copy():
    t = build()
    docs = t.documents
    copy = docs[docs["doc_id"] == "d001"].assign(doc_id="d001-spun", outlet="Spin <Blog>", text=SPUN_001,
                                                  published=pd.Timestamp(2021, 12, 3))
    docs = pd.concat([docs, copy], ignore_index=True)
    docs["story_id"] = ["story-d001", "story-d002", "story-evil", None, "story-d001"]
    q = t.quotes
    qcopy = q[q["doc_id"] == "d001"].assign(doc_id="d001-spun", quote_id=lambda d: d["quote_id"] + "-spun")
    q = pd.concat([q, qcopy], ignore_index=True)
    q["quote_group"] = q["quote_id"].str.replace("-spun", "", regex=False).radd("qg-")
    st = types.to_frame("stories", [
        types.Story("story-d001", "d001", "original", "d001", 1.0, 2, False, 0.0, None),
        types.Story("story-d002", "d002", "original", "d002", 1.0, 1, False, 0.0, None),
        types.Story("story-evil", "evil", "original", "evil", 1.0, 1, False, 0.0, None),
        types.Story("story-d001", "d001-spun", "copy", "d001", 1.0, 2, True, 1.5, "spin <b>substitutions</b> 1.5"),
    ])
    return dataclasses.replace(t, documents=types.conform(docs, "documents"), quotes=types.conform(q, "quotes"),
                               stories=st)


@pytest.fixture()
def app():
    return Dashboard(tables_with_copy())


def _card(app, key: str) -> int:
    m = re.search(rf"ub-kpi-{key}'><div class='ub-kpi-v'>([\d,]+)<", app.tabs[0].headline.value)
    return int(m.group(1).replace(",", ""))


def _bars(app) -> dict:
    tab = app.select("Quotes")
    bars = [tr for tr in tab.by_speaker.fig.data if tr.type == "bar"]
    return {str(y): x for tr in bars for x, y in zip(tr.x, tr.y)}


def test_one_per_story_changes_cards_and_quotes_by_speaker(app):
    assert app.filters.one_per_story.value is False
    assert (_card(app, "documents"), _card(app, "quotes")) == (5, 5)
    before = _bars(app)
    app.select("Overview")
    app.filters.one_per_story.value = True
    assert app.state.one_per_story is True and "one per story" in app.filters.summary.value
    assert (_card(app, "documents"), _card(app, "quotes")) == (4, 3)
    after = _bars(app)
    assert before["Vladimir Putin"] == 2 and after["Vladimir Putin"] == 1
    assert before["Antony Blinken"] == 2 and after["Antony Blinken"] == 1
    app.filters.reset()
    assert app.state.one_per_story is False and len(app.tables.documents) == 5


def test_stories_tab_shows_groups_members_and_escaped_diff(app):
    tab = app.select("Stories")
    assert isinstance(tab, StoriesTab)
    assert tab.story.value == "story-d001" and tab.copy.value == "d001-spun"
    assert "Spin &lt;Blog&gt;" in tab.overview_html.value and "<Blog>" not in tab.overview_html.value
    assert "spin &lt;b&gt;substitutions&lt;/b&gt; 1.5" in tab.members_html.value
    d = tab.diff_html.value
    assert "&lt;script&gt;" in d and "<script>" not in d
    assert "<del>warned</del><ins>cautioned</ins>" in d and "<del>threat</del><ins>menace</ins>" in d
    assert "first seen" in tab.quotes_html.value and "Vladimir Putin" in tab.quotes_html.value
    app.filters.one_per_story.value = True
    assert tab.copy.options == () and "Pick a copy" in tab.diff_html.value


def test_diff_html_marks_sentences_without_counterpart():
    d = pd.DataFrame({"sentence": ["New <i>line</i>."], "original": [""], "ratio": [0.0],
                      "diff": [[("insert", "New <i>line</i>.")]]})
    assert diff_html(d) == "<div class='ub-diff'><p class='ub-diff-new'><ins>New &lt;i&gt;line&lt;/i&gt;.</ins></p></div>"
    assert stories.first_per_story(tables_with_copy().documents).tolist() == [True, True, True, True, False]
    assert dt.date(2021, 12, 1) == tables_with_copy().documents["published"].iloc[0].date()


@pytest.mark.slow
@pytest.mark.browser
def test_one_per_story_in_the_browser(tmp_path):
    """Voila in headless Chromium: ticking One per story lowers the cards and the quotes-by-speaker bars."""
    from pathlib import Path

    from dashboard_helpers import CHROMIUM, VoilaServer, launch_chromium
    from ukraine_briefs.config import TABLES

    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    t = tables_with_copy()
    for name in TABLES:
        getattr(t, name).to_parquet(tmp_path / f"{name}.parquet", index=False)
    bars_js = """() => { const out = {};
        for (const d of document.querySelectorAll('.js-plotly-plot')) {
          if (!d.offsetParent) continue;
          for (const tr of d.data || []) if (tr.type === 'bar') tr.y.forEach((y, i) => out[y] = tr.x[i]); }
        return out; }"""

    def card(page, key):
        return page.locator(f".ub-kpi-{key} .ub-kpi-v").first.inner_text()

    with VoilaServer(tmp_path, log_path=tmp_path / "voila.log") as srv, sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        page = browser.new_page(viewport={"width": 1500, "height": 1800})
        page.goto(srv.url, timeout=120_000)
        page.locator(".ub-kpi-documents .ub-kpi-v").first.wait_for(timeout=120_000)
        assert (card(page, "documents"), card(page, "quotes")) == ("5", "5")
        page.locator(".lm-TabBar-tab", has_text="Stories").first.click()
        page.locator(".ub-story-diff del").first.wait_for(timeout=60_000)
        diff = page.locator(".ub-story-diff").first
        assert "<script>alert(1)</script>" in diff.inner_text()  # shown as text, never run
        assert diff.locator("ins", has_text="cautioned").count() == 1
        page.locator(".lm-TabBar-tab", has_text="Quotes").first.click()
        page.wait_for_function(f"() => ({bars_js})()['Vladimir Putin'] === 2", timeout=60_000)
        before = page.evaluate(bars_js)
        page.locator(".ub-one-per-story input").first.check()
        page.wait_for_function(f"() => ({bars_js})()['Vladimir Putin'] === 1", timeout=60_000)
        after = page.evaluate(bars_js)
        page.locator(".lm-TabBar-tab", has_text="Overview").first.click()
        page.wait_for_function("() => document.querySelector('.ub-kpi-documents .ub-kpi-v').innerText === '4'",
                               timeout=60_000)
        assert (card(page, "documents"), card(page, "quotes")) == ("4", "3")
        browser.close()
    assert (before["Vladimir Putin"], before["Antony Blinken"]) == (2, 2)
    assert (after["Vladimir Putin"], after["Antony Blinken"]) == (1, 1)
