"""Dashboard widget logic without a browser: filters, tabs, evidence, escaping, downloads, Voila config.

Runs on the small hand-built tables of `conftest_charts` (real seed sentences plus a
hostile article), so it needs neither spaCy nor Chromium.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import nbformat
import pytest

from conftest_charts import build
from ukraine_briefs import charts
from ukraine_briefs.dashboard import Dashboard, DownloadButton, FilterState
from ukraine_briefs.dashboard.evidence import evidence_html
from ukraine_briefs.dashboard.panel import ChartPanel
from ukraine_briefs.dashboard.serve import prepare_template, start, voila_command
from ukraine_briefs.dashboard.tabs import document_reader_html, headline_html, quotes_html
from ukraine_briefs.tables import timeseries
from ukraine_briefs.tables.evidence import evidence_for

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard"


@pytest.fixture(scope="module")
def tables():
    return build()


@pytest.fixture()
def app(tables):
    return Dashboard(tables)


def _docs(app) -> list[str]:
    return sorted(app.tables.documents["doc_id"])


# -- filters ------------------------------------------------------------------------------

def test_filter_controls_offer_the_corpus_choices(app):
    bar = app.filters
    assert bar.dates == [dt.date(2021, 12, 1), dt.date(2021, 12, 6), dt.date(2022, 1, 21)]
    assert list(bar.outlets.options) == ["AP", "Evil <Outlet>", "Reuters"]
    # readable names, spaCy's codes as values
    assert list(bar.entity_types.options) == [("Countries, cities (GPE)", "GPE"), ("Organisations (ORG)", "ORG"),
                                              ("People (PERSON)", "PERSON")]


def test_outlet_control_drives_state_and_every_table(app):
    app.filters.outlets.value = ("Reuters",)
    assert app.state.outlets == ("Reuters",)
    assert _docs(app) == ["d002"]
    assert set(app.tables.threats["threat_id"]) == {"t2"}
    assert "Showing <b>1</b> of 4 documents" in app.filters.summary.value


def test_date_slider_full_range_means_no_date_filter(app):
    assert app.state.start is None and app.state.end is None  # undated documents stay in
    assert "bad" in _docs(app)
    app.filters.date_range.index = (1, 2)
    assert app.state.start == dt.date(2021, 12, 6) and app.state.end is None
    assert _docs(app) == ["d002", "evil"]
    app.filters.reset()
    assert app.state.start is None and _docs(app) == ["bad", "d001", "d002", "evil"]


def test_actor_filter_keeps_documents_mentioning_the_actor(app):
    app.filters.submit("Vladimir Putin")
    assert app.state.actors == ("Vladimir Putin",)
    assert _docs(app) == ["d001", "d002"]
    assert app.filters.actor_text.value == ""  # ready for the next name
    assert [c.description for c in app.filters.actor_chips.children] == ["Vladimir Putin ×"]


@pytest.mark.parametrize("typed, how", [("putin", "alias"), ("Poutin", "alias"), ("Puttin", "close spelling")])
def test_actor_typed_as_alias_or_misspelling_is_applied(app, typed, how):
    app.filters.reset()
    app.filters.submit(typed)
    assert app.state.actors == ("Vladimir Putin",)
    assert app.filters.actor_note.value == f"<span class='ub-muted'>{typed} → Vladimir Putin ({how})</span>"


def test_actor_that_matches_nothing_says_so_and_reset_clears_everything(app):
    app.filters.reset()
    app.filters.submit("Lavrov")
    app.filters.submit("Zorglub")
    assert app.state.actors == ("Sergey Lavrov <script>",)
    assert "No actor matches “Zorglub”" in app.filters.actor_note.value
    app.filters.actor_chips.children[0].click()  # a chip removes its actor
    assert app.state.actors == ()
    app.filters.actor_text.value = "Lavrov"  # typed, not submitted: no filter yet
    assert app.state.actors == ()
    app.filters.reset()
    assert (app.state.actors, app.filters.actor_text.value, app.filters.actor_note.value) == ((), "", "")
    assert app.filters.actor_chips.children == ()


def test_filter_state_kwargs_and_description():
    s = FilterState(start=dt.date(2021, 12, 1), outlets=("AP",))
    assert s.as_kwargs() == {"start": dt.date(2021, 12, 1), "end": None, "outlets": ["AP"],
                             "entity_types": None, "actors": None, "one_per_story": False}
    assert s.describe() == "2021-12-01 to …; AP"


# -- tabs follow the filters ------------------------------------------------------------------

def test_every_tab_draws_its_charts(app):
    expected = {
        "Overview": ["threat_sankey", "sentiment_over_time", "corpus_overview"],
        "Entities": ["cooccurrence_network", "top_entities", "cooccurrence_matrix", "mention_volume"],
        "Quotes": ["quotes_by_speaker", "quotes_by_source"],
        "Sentiment": ["sentiment_over_time", "tone_small_multiples"],
        "Threats": ["threat_sankey", "threat_timeline", "threat_categories", "deescalation_pairs"],
        "Documents": [],
    }
    for tab in app.tabs:
        app.select(tab.title)
        if tab.title not in expected:  # a tab another change adds (Stories) is tested with it
            continue
        assert [p.chart for p in tab.panels] == expected[tab.title]
        for p in tab.panels:
            assert p.n_renders == 1 and len(p.figure.data) > 0, p.name
            assert p.fig.layout.meta["empty"] is False, p.name
            assert p.figure.layout.width is None  # on screen a chart follows its panel's width


def test_the_first_page_carries_the_overview_only_other_tabs_are_made_when_opened(app):
    from ipywidgets import Widget

    overview, threats = app.tabs[0], app.tabs[4]
    assert overview.built and [p.n_renders for p in overview.panels] == [1, 1, 1]
    assert all(p.figure is not None and p.png is not None for p in overview.panels)
    hidden = app.tabs[1:]
    assert not any(t.built or t.children or t.panels for t in hidden)  # no widget sent for them
    n = len(Widget.widgets)
    app.select("Threats")
    assert threats.built and [p.n_renders for p in threats.panels] == [1, 1, 1, 1]
    assert len(Widget.widgets) > n  # its charts, buttons and layouts exist now, and only now
    assert all(p.nudge is app.nudge for p in threats.panels)


def test_hidden_tabs_redraw_when_opened_after_a_filter_change(app):
    threats = app.select("Threats")
    assert threats.timeline.n_renders == 1
    app.select("Overview")
    app.filters.outlets.value = ("AP",)
    assert threats.timeline.n_renders == 1  # not visible: not redrawn yet
    app.select("Threats")
    assert threats.timeline.n_renders == 2
    assert set(threats.tables.threats["threat_id"]) == {"t1"}


def test_filter_change_changes_the_overview_chart(app):
    overview = app.tabs[0]
    before = overview.overview.fig.data[0].cells.values[0]
    app.filters.outlets.value = ("Reuters",)
    after = overview.overview.fig.data[0].cells.values[0]
    assert len(before) == 4 and list(after) == ["Biden and Putin hold video call"]
    assert "Russia → NATO" in overview.headline.value and "United States" not in overview.headline.value


def test_sentiment_controls_regroup_the_series(app):
    tab = app.select("Sentiment")
    tab.by.value = "speaker"
    names = {tr.name for tr in tab.chart.fig.data}
    assert "Antony Blinken" in names and "Vladimir Putin" in names


def test_quotes_group_by_control_regroups_the_speaker_chart(app):
    tab = app.select("Quotes")
    bars = lambda: {y for tr in tab.by_speaker.fig.data if tr.type == "bar" for y in tr.y}  # noqa: E731
    assert {"Antony Blinken", "Vladimir Putin"} <= bars()
    tab.group_by.value = "affiliation"
    assert {"United States", "Russia"} <= bars() and "Antony Blinken" not in bars()
    tab.group_by.value = "source_type"
    assert bars() == {"named person"}


def test_a_failing_chart_shows_a_message_not_a_traceback(tables):
    def broken(_t):
        raise KeyError("boom")

    panel = ChartPanel("broken", broken)
    panel.refresh(tables)
    assert panel.fig.layout.meta["empty"] is True
    assert "could not be drawn (KeyError)" in panel.fig.layout.annotations[0].text


# -- evidence ---------------------------------------------------------------------------------

def test_evidence_for_a_threat_point(tables):
    ev = evidence_for("threat_timeline", ["t1", "d001", 0, 10], tables)
    assert list(zip(ev["doc_id"], ev["sent_id"])) == [("d001", 0)]
    assert ev["note"][0] == "economic: United States → Russia (“impose”)"


def test_evidence_for_entities_pairs_speakers_and_series(tables):
    ev = evidence_for("top_entities", ["Q_putin"], tables)
    assert list(zip(ev["doc_id"], ev["sent_id"])) == [("d001", 1), ("d002", 0)]
    pair = evidence_for("cooccurrence_edges", ["Q_nato", "Q_putin", "sentence", 1, -0.1], tables)
    assert list(zip(pair["doc_id"], pair["sent_id"])) == [("d002", 0)]
    cell = evidence_for("cooccurrence_matrix", ["Q_blinken", "Q_us"], tables)
    assert list(zip(cell["doc_id"], cell["sent_id"])) == [("d001", 0)]
    quotes = evidence_for("quotes_by_speaker", ["Q_blinken", "Antony Blinken"], tables)
    assert list(zip(quotes["doc_id"], quotes["sent_id"])) == [("d001", 0)]
    series = evidence_for("sentiment_over_time", ["2021-11-29", "Q_putin", 1, "d001:1"], tables, freq="W")
    assert list(zip(series["doc_id"], series["sent_id"])) == [("d001", 1)]
    volume = evidence_for("mention_volume", ["2021-11-29", "Q_putin"], tables, freq="W")
    assert list(zip(volume["doc_id"], volume["sent_id"])) == [("d001", 1)]  # d002 is in the next week
    cats = evidence_for("threat_categories", ["Russia", "red_line"], tables)
    assert list(zip(cats["doc_id"], cats["sent_id"])) == [("d002", 0)]


def test_pooled_other_bar_of_mention_volume_has_evidence(tables):
    # two groups at most: the largest (Lavrov) on its own, every other entity pooled
    fig = charts.mention_volume_chart(timeseries.mentions_by_period(tables, freq="W"), entities=tables.entities,
                                      max_groups=2)
    other = next(tr for tr in fig.data if tr.name == "other")
    assert list(other.customdata[0]) == ["2021-11-29", "other", "except:Q_lavrov"]
    ev = evidence_for("mention_volume", list(other.customdata[0]), tables, freq="W")
    assert list(zip(ev["doc_id"], ev["sent_id"])) == [("d001", 0), ("d001", 1)]  # d002 falls in the next week
    late = evidence_for("mention_volume", list(other.customdata[2]), tables, freq="W")
    assert list(zip(late["doc_id"], late["sent_id"])) == [("evil", 0)]  # Geneva; Lavrov's sentences are his bar's


def test_evidence_for_a_sankey_link_or_node_is_its_threats(tables):
    link = evidence_for("threat_sankey", ["United States", "economic", "t1"], tables)
    assert list(zip(link["doc_id"], link["sent_id"])) == [("d001", 0)]
    assert link["text"][0].startswith("Secretary of State Antony Blinken warned Wednesday at a NATO conference")
    assert link["note"][0] == "economic: United States → Russia (“impose”)"
    red = evidence_for("threat_sankey", ["red line", "NATO", "t2"], tables)
    assert list(red["text"]) == ["Putin once said that he invited Ukraine to officially join NATO The alliance is "
                                 "a safety “red line” for him."]
    # node "Russia" (t2, t3): t3's sentence 3 of "evil" is not in the sentences table
    node = evidence_for("threat_sankey", ["Russia", "", "t2;t3"], tables)
    assert list(zip(node["doc_id"], node["sent_id"])) == [("d002", 0)]
    both = evidence_for("threat_sankey", ["x", "y", "t2;t1"], tables)
    assert list(zip(both["doc_id"], both["sent_id"])) == [("d001", 0), ("d002", 0)]


@pytest.mark.parametrize("tab_name, panel", [("Threats", "sankey"), ("Overview", "sankey")])
def test_clicking_a_sankey_link_shows_its_sentences(app, tab_name, panel):
    chart = getattr(app.select(tab_name), panel)
    fig = chart.figure
    cds = [list(c) for c in fig.data[0].link.customdata]
    i = cds.index(["red line", "NATO", "t2"])
    # what the FigureWidget receives from plotly.js for a click on link i (a node click looks the same)
    fig._handler_js2py_pointsCallback({"new": {
        "event_type": "plotly_click", "device_state": None,
        "points": {"trace_indexes": [0], "point_indexes": [i], "xs": [None], "ys": [None]}}})
    html = app.evidence.body.value
    assert html.startswith("<div class='ub-evidence-head'>Threat flows: actor → category → target: red line → NATO")
    assert "Putin once said that he invited Ukraine to officially join NATO" in html and "(1 sentence)" in html
    assert "pointer-events: none" in chart.children[1].children[0].value  # nodes take no clicks


def test_clicking_a_point_fills_the_evidence_panel(app):
    tab = app.select("Entities")
    def point(entity_id):  # (trace, index) of the bar of ``entity_id`` (one trace per affiliation)
        for tr in tab.top.figure.data:
            ids = [row[0] for row in (tr.customdata if tr.customdata is not None else [])]
            if entity_id in ids:
                return tr, ids.index(entity_id)
        raise AssertionError(entity_id)

    frame = tab.top.show_evidence(*point("Q_putin"))
    assert list(zip(frame["doc_id"], frame["sent_id"])) == [("d001", 1), ("d002", 0)]
    html = app.evidence.body.value
    assert html.startswith("<div class='ub-evidence-head'>Most mentioned entities: Vladimir Putin")
    assert "The threat on our Western frontier is really growing" in html and "(2 sentences)" in html
    geneva = tab.top.show_evidence(*point("Q_geneva"))
    assert list(geneva["doc_id"]) == ["evil"]
    html = app.evidence.body.value
    assert "<script" not in html and "<img" not in html
    assert "Talks &lt;script&gt;" in html  # the hostile title, escaped


def test_evidence_html_escapes_article_text(tables):
    ev = evidence_for("top_entities", ["Q_geneva"], tables)
    out = evidence_html("Geneva <b>", ev)
    assert "Geneva &lt;b&gt;" in out and "<script" not in out and "<img" not in out
    assert "Officials met in Geneva on Friday." in out


# -- escaping of article text in HTML widgets ---------------------------------------------------

def test_reader_quotes_and_headline_are_inert(tables):
    reader = document_reader_html(tables, "evil")
    assert "<script" not in reader.lower() and "<img" not in reader.lower()
    assert "&lt;script&gt;" in reader
    q = quotes_html(tables.quotes, tables.documents)
    assert "<b>now</b>" not in q and "&lt;b&gt;now&lt;/b&gt;" in q and "<script" not in q
    assert "<td class='ub-nowrap'>Sergey Lavrov &lt;script&gt;</td>" in q
    assert "<i>no speaker found</i></span></td><td>“Putin once”" in q
    h = headline_html(tables)
    assert "<script" not in h
    assert "<b>Russia → NATO</b> 1× (mostly red line)" in h and "1 de-escalating statement" in h


def test_documents_tab_lists_articles_newest_first(app):
    tab = app.select("Documents")
    assert [v for _, v in tab.picker.options] == ["evil", "d002", "d001", "bad"]
    assert tab.picker.value == "evil"
    assert "&lt;script&gt;" in tab.reader.value and "<script" not in tab.reader.value


# -- downloads ---------------------------------------------------------------------------------

def test_download_button_sends_bytes_as_a_file(monkeypatch):
    sent = []
    btn = DownloadButton("CSV", filename="x.csv", content=lambda: b"a,b\n1,2\n")
    monkeypatch.setattr(btn, "send", lambda content, buffers=None: sent.append((content, buffers)))
    btn._on_msg(btn, {"event": "request"}, [])
    assert sent == [({"event": "file", "filename": "x.csv", "mime": "text/csv"}, [b"a,b\n1,2\n"])]
    assert (btn.n_sent, btn.status, btn.busy) == (1, "sent 8 bytes", False)
    assert "http" not in btn._esm  # the JavaScript is inline, nothing from a CDN


def test_download_button_reports_errors_on_the_button(monkeypatch):
    def fail():
        raise OSError("disk")

    btn = DownloadButton("PNG", filename="x.png", content=fail)
    monkeypatch.setattr(btn, "send", lambda *a, **k: pytest.fail("nothing to send"))
    assert btn.trigger() is None
    assert btn.status == "error: OSError" and btn.mime == "image/png"


def test_chart_csv_download_is_the_chart_data(app):
    tab = app.select("Threats")
    csv = tab.timeline.csv_bytes().decode("utf-8")
    header = csv.splitlines()[0]
    assert header.startswith("threat_id,stance,doc_id,sent_id")
    assert csv.count("\n") == 4  # header + t1, t2, t3


@pytest.mark.slow
def test_chart_png_download_is_a_png(app):
    data = app.tabs[0].sankey.image_bytes("png")
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    svg = app.tabs[0].sankey.image_bytes("svg")
    assert b"<svg" in svg[:500]


# -- app entry points and Voila configuration -----------------------------------------------------

def test_from_env_without_tables_explains_what_to_do(monkeypatch, tmp_path):
    monkeypatch.delenv("UKRAINE_BRIEFS_TABLES", raising=False)
    msg = Dashboard.from_env()
    assert "UKRAINE_BRIEFS_TABLES" in msg.value and "ukraine-briefs serve" in msg.value


def test_from_env_opens_a_tables_directory(monkeypatch, tmp_path, tables):
    for name, df in tables.as_dict().items():
        df.to_parquet(tmp_path / f"{name}.parquet")
    monkeypatch.setenv("UKRAINE_BRIEFS_TABLES", str(tmp_path))
    app = Dashboard.from_env()
    assert isinstance(app, Dashboard)
    assert len(app.tables.documents) == 4


def test_app_notebook_is_thin():
    nb = nbformat.read(DASHBOARD / "app.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == 1 and all(not c.outputs for c in code)
    assert "Dashboard.from_env()" in code[0].source


def test_voila_json_hides_tracebacks_and_binds_locally():
    cfg = json.loads((DASHBOARD / "voila.json").read_text())
    vc = cfg["VoilaConfiguration"]
    assert vc["show_tracebacks"] is False and vc["strip_sources"] is True and vc["preheat_kernel"] is True
    assert vc["template"] == "ukraine-briefs"
    assert cfg["Voila"]["ip"] == "127.0.0.1"
    assert cfg["MappingKernelManager"]["cull_idle_timeout"] > 0 and cfg["MappingKernelManager"]["cull_interval"] > 0


def test_template_has_no_cdn():
    tpl = (DASHBOARD / "jupyter/voila/templates/ukraine-briefs/index.html.j2").read_text()
    assert "cdn." not in tpl and "https://" not in tpl


def test_voila_command_and_env(tmp_path):
    cmd = voila_command(host="127.0.0.1", port=9123)
    assert cmd[1:3] == ["-m", "voila"] and cmd[3].endswith("dashboard/app.ipynb")
    assert {"--Voila.ip=127.0.0.1", "--Voila.port=9123", "--Voila.port_retries=0", "--no-browser",
            "--template=ukraine-briefs"} <= set(cmd)
    root = prepare_template(root=tmp_path / "data")
    static = root / "voila/templates/ukraine-briefs/static/plotly-widgetbundle.js"
    assert static.stat().st_size > 1_000_000  # plotly.js served locally, once per page
    assert (root / "voila/templates/ukraine-briefs/index.html.j2").exists()


def test_serve_refuses_a_missing_tables_dir(tmp_path):
    with pytest.raises(FileNotFoundError, match="tables directory not found"):
        start(tmp_path / "nope")
