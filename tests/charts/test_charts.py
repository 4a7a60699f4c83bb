"""Charts: titled figures from tables, consistent colours, evidence in customdata, escaped text, never raising."""
from __future__ import annotations

import html.parser
import json
import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from conftest_charts import build, sentiment_series
from ukraine_briefs import charts
from ukraine_briefs.charts import palette
from ukraine_briefs.tables.evidence import evidence_for
from ukraine_briefs.tables.io import Tables
from ukraine_briefs.types import to_frame

RUSSIA, US = palette.OKABE_ITO["vermillion"], palette.OKABE_ITO["blue"]


@pytest.fixture(scope="module")
def t() -> Tables:
    return build()


def _all_figures(t):
    figs = {name: make(t) for name, make in charts.ALL_CHARTS.items()}
    figs["sentiment_series"] = charts.sentiment_chart(sentiment_series(), entities=t.entities)
    return figs


def _rendered(obj):
    """Drop ``customdata`` that no hovertemplate shows: plotly never renders it (it is for click handlers)."""
    if isinstance(obj, dict):
        shows = "customdata" in str(obj.get("hovertemplate", ""))
        return {k: _rendered(v) for k, v in obj.items() if k != "customdata" or shows}
    if isinstance(obj, list):
        return [_rendered(v) for v in obj]
    return obj


def _strings(fig: go.Figure) -> str:
    """Every string plotly will render (names, text, hovertext, labels, titles) as one JSON blob."""
    return json.dumps(_rendered(fig.to_plotly_json()), default=str)


# --------------------------------------------------------------------- every chart


@pytest.mark.parametrize("name", list(charts.ALL_CHARTS))
def test_every_chart_is_titled_and_drawn(t, name):
    fig = charts.ALL_CHARTS[name](t)
    assert isinstance(fig, go.Figure)
    assert fig.layout.meta == {"chart": name, "empty": False}
    assert fig.layout.title.text
    assert len(fig.data) >= 1


@pytest.mark.parametrize("name", list(charts.ALL_CHARTS))
def test_every_chart_on_empty_tables_says_no_data(name):
    fig = charts.ALL_CHARTS[name](Tables.empty())
    assert fig.layout.meta["empty"] is True
    assert fig.layout.title.text
    assert fig.layout.annotations[0].text == "No data for this selection"


@pytest.mark.parametrize("fn,args", [
    (charts.top_entities_chart, (pd.DataFrame({"x": [1]}),)),
    (charts.threat_sankey_chart, (pd.DataFrame({"category": ["military"]}),)),
    (charts.sentiment_chart, (pd.DataFrame({"mean": ["not a number"], "period": ["soon"]}),)),
    (charts.cooccurrence_network_chart, (None, None)),
    (charts.threat_timeline_chart, (pd.DataFrame({"threat_id": ["x"]}), None)),
])
def test_charts_never_raise_on_bad_input(fn, args):
    fig = fn(*args)
    assert isinstance(fig, go.Figure)
    assert fig.layout.meta["empty"] is True


def test_no_raw_markup_from_articles_reaches_any_figure(t):
    # plotly renders hover text / names / labels as HTML: article text must arrive escaped
    for name, fig in _all_figures(t).items():
        blob = _strings(fig)
        assert "<script" not in blob, name
        assert "<img" not in blob, name
        assert "<b>now" not in blob, name


def test_escaped_text_is_still_shown(t):
    fig = charts.quotes_by_speaker_chart(t.quotes, entities=t.entities)
    labels = [y for tr in fig.data for y in tr.y]
    assert "Sergey Lavrov &lt;script&gt;" in labels
    hover = " ".join(h for tr in fig.data for h in tr.hovertext)
    assert "de-escalate &lt;b&gt;now&lt;/b&gt;" in hover


def test_esc_wraps_and_escapes():
    assert charts.esc("a & b <c>", width=None) == "a &amp; b &lt;c&gt;"
    # quotes stay: plotly knows no &quot; and would show it literally
    assert charts.esc('<img src=x onerror="alert(1)">', width=None) == '&lt;img src=x onerror="alert(1)"&gt;'
    assert charts.esc("it's", width=None) == "it's"
    assert charts.esc("one two three", width=7) == "one two<br>three"
    assert charts.esc(None) == ""
    assert charts.esc(float("nan")) == ""


# --------------------------------------------------------------------- palette


def test_palette_is_okabe_ito_for_main_actors():
    assert palette.affiliation_color("Russia") == "#D55E00"
    assert palette.affiliation_color("United States") == "#0072B2"
    assert palette.affiliation_color("U.S.") == "#0072B2"
    assert palette.affiliation_color("unknown target") == palette.UNKNOWN
    assert palette.category_color("deescalation") == "#009E73"
    assert palette.type_color("PERSON") == "#0072B2"
    # stable for names nobody listed
    assert palette.affiliation_color("Latvia") == palette.affiliation_color("latvia") in palette.TOL_MUTED


def test_one_colour_per_affiliation_across_charts(t):
    top = charts.top_entities_chart(t.entities)
    net = charts.cooccurrence_network_chart(t.cooccurrence, t.entities)
    quotes = charts.quotes_by_speaker_chart(t.quotes, entities=t.entities)
    sankey = charts.threat_sankey_chart(t.threats)
    bars = {tr.name: tr.marker.color for tr in top.data}
    nodes = {tr.name: tr.marker.color for tr in net.data if tr.customdata is not None and tr.name != "edges"}
    qbars = {tr.name: tr.marker.color for tr in quotes.data if isinstance(tr, go.Bar)}
    sk = dict(zip(sankey.data[0].node.label, sankey.data[0].node.color))
    assert bars["Russia"] == nodes["Russia"] == qbars["Russia"] == sk["Russia"] == RUSSIA
    assert bars["United States"] == nodes["United States"] == qbars["United States"] == sk["United States"] == US


# --------------------------------------------------------------------- co-occurrence


def test_network_nodes_sized_by_mentions_and_traceable(t):
    fig = charts.cooccurrence_network_chart(t.cooccurrence, t.entities)
    nodes = {cd[0]: (cd, size) for tr in fig.data if tr.name not in ("edges", "labels") and tr.customdata is not None
             for cd, size in zip(tr.customdata, tr.marker.size)}
    assert set(nodes) == {"Q_blinken", "Q_nato", "Q_us", "Q_russia", "Q_kremlin", "Q_putin", "Q_ukraine", "Q_geneva", "Q_lavrov"}
    assert list(nodes["Q_putin"][0]) == ["Q_putin", "Vladimir Putin", 2, "Russia", "PERSON"]
    assert nodes["Q_putin"][1] > nodes["Q_kremlin"][1]
    edges = next(tr for tr in fig.data if tr.name == "edges")
    assert ["Q_nato", "Q_putin", "sentence", 1, -0.1] in [list(c) for c in edges.customdata]
    assert len(edges.customdata) == 8  # the document-window pair is not drawn


def test_network_is_deterministic_and_pruned(t):
    a = charts.cooccurrence_network_chart(t.cooccurrence, t.entities, top_n=3)
    b = charts.cooccurrence_network_chart(t.cooccurrence, t.entities, top_n=3)
    assert a.to_json() == b.to_json()
    ids = {cd[0] for tr in a.data if tr.name not in ("edges", "labels") and tr.customdata is not None for cd in tr.customdata}
    assert ids == {"Q_lavrov", "Q_nato", "Q_putin"}  # 2 mentions each; ties broken by name


def test_network_colour_by_type_and_npmi_and_window(t):
    fig = charts.cooccurrence_network_chart(t.cooccurrence, t.entities, color_by="type", weight="npmi")
    names = {tr.name: tr.marker.color for tr in fig.data if tr.customdata is not None and tr.name != "edges"}
    assert names == {"PERSON": palette.type_color("PERSON"), "GPE": palette.type_color("GPE"), "ORG": palette.type_color("ORG")}
    doc = charts.cooccurrence_network_chart(t.cooccurrence, t.entities, window="document")
    assert "same document" in doc.layout.title.text
    assert charts.cooccurrence_network_chart(t.cooccurrence, t.entities, window="paragraph").layout.meta["empty"]


def test_matrix_is_symmetric_with_pair_customdata(t):
    fig = charts.cooccurrence_matrix_chart(t.cooccurrence, t.entities)
    h = fig.data[0]
    labels = list(h.x)
    i, j = labels.index("Vladimir Putin"), labels.index("Kremlin")
    assert h.z[i][j] == h.z[j][i] == 1
    assert list(h.customdata[i][j]) == ["Q_putin", "Q_kremlin"]
    assert h.z[i][i] is None


# --------------------------------------------------------------------- entities, volume, tone


def test_top_entities_order_and_type_filter(t):
    fig = charts.top_entities_chart(t.entities, n=3)
    assert list(fig.layout.yaxis.categoryarray) == ["Vladimir Putin", "Sergey Lavrov &lt;script&gt;", "NATO"]
    persons = charts.top_entities_chart(t.entities, by_type="PERSON")
    ids = sorted(c[0] for tr in persons.data for c in tr.customdata)
    assert ids == ["Q_blinken", "Q_lavrov", "Q_putin"]
    assert charts.top_entities_chart(t.entities, by_type="LAW").layout.meta["empty"]


def test_mention_volume_from_timeseries_shape(t):
    vol = pd.DataFrame({
        "period": pd.to_datetime(["2021-11-29", "2021-12-06", "2021-11-29"]),
        "group": ["Q_putin", "Q_putin", "Q_blinken"],
        "label": ["Vladimir Putin", "Vladimir Putin", "Antony Blinken"],
        "count": [3, 1, 2],
        "evidence": ["Putin said <x>", "Putin again", "Blinken warned"],
    })
    fig = charts.mention_volume_chart(vol, entities=t.entities)
    by_name = {tr.name: tr for tr in fig.data}
    assert set(by_name) == {"Vladimir Putin", "Antony Blinken"}
    assert list(by_name["Vladimir Putin"].y) == [3, 1]
    assert by_name["Vladimir Putin"].marker.color == RUSSIA
    assert list(by_name["Antony Blinken"].customdata[0]) == ["2021-11-29", "Q_blinken"]
    assert "Putin said &lt;x&gt;" in by_name["Vladimir Putin"].hovertext[0]


def test_sentiment_points_sized_by_count_with_ci_and_no_interpolation(t):
    fig = charts.sentiment_chart(sentiment_series(), entities=t.entities)
    putin = next(tr for tr in fig.data if tr.name == "Vladimir Putin")
    assert putin.mode == "markers"  # no line across the empty weeks
    assert len(putin.x) == 2
    assert putin.marker.size[0] > putin.marker.size[1]
    assert putin.error_y.array[0] == pytest.approx(0.25) and putin.error_y.arrayminus[0] == pytest.approx(0.25)
    assert putin.error_y.array[1] == 0  # single sentence: no interval drawn
    assert "Western frontier is really growing" in putin.hovertext[0]
    assert list(putin.customdata[0][:3]) == ["2021-11-29", "Vladimir Putin", 2]
    # Putin and Lavrov are both Russia: same colour, told apart by symbol
    lavrov = next(tr for tr in fig.data if tr.name.startswith("Sergey Lavrov"))
    assert putin.marker.color == lavrov.marker.color == RUSSIA
    assert putin.marker.symbol != lavrov.marker.symbol


# --------------------------------------------------------------------- threats


def test_threat_timeline_dyads_categories_and_evidence(t):
    fig = charts.threat_timeline_chart(t.threats, t.documents)
    pts = {c[0]: (tr, i) for tr in fig.data if tr.customdata is not None for i, c in enumerate(tr.customdata)}
    assert set(pts) == {"t1", "t2"}  # t3 is de-escalation: not a threat
    dyad = dict(zip(fig.layout.yaxis.tickvals, fig.layout.yaxis.ticktext))
    tr, i = pts["t1"]
    assert dyad[tr.y[i]] == "United States → Russia"
    assert str(tr.x[i])[:10] == "2021-12-01"
    assert tr.marker.color == palette.category_color("economic")
    assert tr.marker.symbol[i] == "diamond"  # conditional: "if Russia invaded its neighbor"
    assert list(tr.customdata[i]) == ["t1", "d001", 0, len(t.sentences.text[0])]
    tr, i = pts["t2"]
    assert dyad[tr.y[i]] == "Russia → NATO" and tr.marker.color == palette.category_color("red_line")
    assert "Russia → unknown target" not in dyad.values()


def test_threat_timeline_stacks_same_day_threats_in_their_row(t):
    three = pd.concat([t.threats.iloc[[0]]] * 3, ignore_index=True).assign(threat_id=["a", "b", "c"])
    fig = charts.threat_timeline_chart(three, t.documents)
    ys = sorted(y for tr in fig.data if tr.customdata is not None for y in tr.y)
    assert ys == pytest.approx([-0.2333, 0.0, 0.2333], abs=1e-3)
    assert list(fig.layout.yaxis.ticktext) == ["United States → Russia"]


def test_threat_timeline_undated_are_counted_not_drawn(t):
    docs = t.documents.assign(published=pd.NaT)
    fig = charts.threat_timeline_chart(t.threats, docs)
    assert fig.layout.meta["empty"] and "No dated threats" in fig.layout.annotations[0].text


def test_threat_categories_deescalation_to_the_left(t):
    fig = charts.threat_categories_chart(t.threats)
    bars = {tr.name: tr for tr in fig.data}
    assert list(bars["de-escalation"].x) == [-1]
    assert list(bars["de-escalation"].customdata[0]) == ["Russia", "deescalation"]
    assert list(bars["economic"].x) == [1] and list(bars["economic"].y) == ["United States"]
    assert "2 threat(s), 1 de-escalating statement(s)" in fig.layout.title.text


def test_threat_sankey_flows(t):
    s = charts.threat_sankey_chart(t.threats).data[0]
    labels = list(s.node.label)
    flows = {(labels[a], labels[b]): v for a, b, v in zip(s.link.source, s.link.target, s.link.value)}
    assert flows[("United States", "economic")] == 1
    assert flows[("economic", "Russia")] == 1
    assert flows[("Russia", "red line")] == 1 and flows[("red line", "NATO")] == 1
    # threats only: t3 ("ready to de-escalate") is de-escalation, drawn in its own view
    assert "de-escalation" not in labels
    assert sum(s.link.value) == 2 * 2
    unknown = charts.threat_sankey_chart(t.threats.assign(target_affiliation=None, target_name=None)).data[0]
    assert dict(zip(unknown.node.label, unknown.node.color))["unknown target"] == palette.UNKNOWN


def test_threat_sankey_links_and_nodes_carry_their_threat_ids(t):
    s = charts.threat_sankey_chart(t.threats).data[0]
    assert [list(c) for c in s.link.customdata] == [
        ["Russia", "red line", "t2"], ["United States", "economic", "t1"],
        ["economic", "Russia", "t1"], ["red line", "NATO", "t2"]]
    assert list(s.link.label) == ["Russia → red line: 1", "United States → economic: 1",
                                  "economic → Russia: 1", "red line → NATO: 1"]
    assert s.link.hovertemplate == "%{label}<extra></extra>"  # customdata is never shown
    assert [list(c) for c in s.node.customdata][:2] == [["United States", "", "t1"], ["Russia", "", "t2"]]


HOSTILE = 'Lavrov said <img src=x onerror="window.__x=1"> & left.'


def test_hostile_sentence_hover_shows_quotes_literally(t):
    threats = t.threats.copy()
    threats.loc[threats["threat_id"] == "t3", "text"] = HOSTILE
    threats.loc[threats["threat_id"] == "t3", "actor_affiliation"] = 'Evil "<b>" Co'
    threats.loc[threats["threat_id"] == "t3", ["category", "stance"]] = ["military", "threat"]
    fig = charts.threat_timeline_chart(threats, t.documents)
    hover = [h for tr in fig.data for h in (tr.hovertext or ()) if "Lavrov said" in h]
    assert hover == ['<b>Evil "&lt;b&gt;" Co → unknown target</b> · military · intensity 1<br>2022-01-21 · '
                     "Talks &lt;script&gt;alert('t')&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;<br>"
                     '<i>Lavrov said &lt;img src=x onerror="window.__x=1"&gt; &amp; left.</i>']
    sankey = charts.threat_sankey_chart(threats).data[0]
    assert 'Evil "&lt;b&gt;" Co → military: 1' in sankey.link.label
    assert 'Evil "&lt;b&gt;" Co' in sankey.node.label
    assert "&quot;" not in _strings(fig) + _strings(charts.threat_sankey_chart(threats))


# --------------------------------------------------------------------- quotes and corpus


def test_quotes_by_speaker_counts_and_tone(t):
    fig = charts.quotes_by_speaker_chart(t.quotes, entities=t.entities)
    bars = [tr for tr in fig.data if isinstance(tr, go.Bar)]
    dots = [tr for tr in fig.data if isinstance(tr, go.Scatter)]
    count = {y: x for tr in bars for x, y in zip(tr.x, tr.y)}
    tone = {y: x for tr in dots for x, y in zip(tr.x, tr.y)}
    assert count == {"Antony Blinken": 1, "Vladimir Putin": 1, "Sergey Lavrov &lt;script&gt;": 1}  # unattributed q4 left out
    assert tone["Vladimir Putin"] == pytest.approx(-0.5)
    assert tone["Sergey Lavrov &lt;script&gt;"] == pytest.approx(0.4)
    assert ["Q_putin", "Vladimir Putin", "speaker"] in [list(c) for tr in bars for c in tr.customdata]
    with_unattributed = charts.quotes_by_speaker_chart(t.quotes, include_unattributed=True)
    assert "(no speaker found)" in [y for tr in with_unattributed.data for y in tr.y]
    # a source as written ("the authentic") with no speaker found is no person of its own
    spun = t.quotes.assign(speaker_surface=[None, None, None, "the authentic"])
    ys = [y for tr in charts.quotes_by_speaker_chart(spun).data for y in tr.y]
    assert "the authentic" not in ys
    assert "1 quote(s) with no speaker found not shown" in charts.quotes_by_speaker_chart(spun).layout.title.text


def test_corpus_overview_table(t):
    fig = charts.corpus_overview_chart(t.documents)
    cells = fig.data[0].cells.values
    assert list(cells[0][:2]) == ["Blinken warns Russia of economic measures", "Biden and Putin hold video call"]
    assert list(cells[2]) == ["2021-12-01", "2021-12-06", "2022-01-21", "–"]
    assert cells[4][3] == "bad.txt: could not decode bytes"
    assert "&lt;script&gt;" in cells[0][2] and "<script" not in cells[0][2]
    assert "4 document(s), 3 parsed without error" in fig.layout.title.text


# --------------------------------------------------------------------- document reader


class _TagChecker(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.tags, self.spans = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.stack.append(tag)
        if tag == "span":
            self.spans.append(dict(attrs))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()


def _reader(t, doc_id):
    return charts.document_html(doc_id, documents=t.documents, mentions=t.mentions, quotes=t.quotes,
                                dates=t.dates, threats=t.threats, entities=t.entities)


def test_document_html_script_and_img_onerror_are_inert(t):
    out = _reader(t, "evil")
    p = _TagChecker()
    p.feed(out)
    assert p.stack == []  # well nested
    assert set(p.tags) <= {"div", "h3", "span"}  # no script, img or b tag came through
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert html_title(out) == "Talks &lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;"
    assert "Evil &lt;Outlet&gt;" in out
    # tooltips (attributes) are escaped too: the speaker name holds markup
    quote = next(s for s in p.spans if s.get("class") == "ub-quote")
    assert quote["title"] == "Quote — Sergey Lavrov <script> (explicit, say)"  # parser unescapes the attribute
    assert 'title="Quote — Sergey Lavrov &lt;script&gt; (explicit, say)"' in out


def html_title(out: str) -> str:
    return out.split("<h3", 1)[1].split(">", 1)[1].split("</h3>", 1)[0]


def test_document_html_highlights_from_offsets(t):
    out = _reader(t, "d001")
    p = _TagChecker()
    p.feed(out)
    assert p.stack == []
    kinds = [s["class"] for s in p.spans if "title" in s]
    assert kinds.count("ub-entity") == 7
    assert "ub-quote" in kinds and "ub-date" in kinds and "ub-threat" in kinds
    titles = {s["title"] for s in p.spans if "title" in s}
    assert "Quote — Antony Blinken (explicit, warn)" in titles
    assert "Antony Blinken (PERSON, United States)" in titles
    assert "Date: 2021-12-01 (weekday, day)" in titles
    assert ("Threat (economic, intensity 3): United States → Russia; conditional: if Russia invaded its neighbor") in titles
    # the entity span holds exactly its surface text
    assert '>Antony Blinken</span>' in out
    assert "1 quote" not in out and "2 quotes, 1 threat, 1 date, 7 entities" in out
    assert 'class="ub-legend"' in out


def test_document_html_missing_doc_and_bad_offsets(t):
    assert "No document &lt;x&gt;" in charts.document_html("<x>", documents=t.documents)
    bad = t.mentions.copy()
    bad.loc[bad["doc_id"] == "d002", "end_char"] = 10_000  # past the end: clipped, not an error
    out = charts.document_html("d002", documents=t.documents, mentions=bad)
    assert "0 quotes, 0 threats, 0 dates, 3 entities" in out
    assert out.endswith("escalation.</span></span></span></div></div>")  # clipped at the end of the text
    plain = charts.document_html("d002", documents=t.documents)
    assert "Putin once said" in plain


# --------------------------------------------------------------------- the real seeds


@pytest.mark.slow
def test_all_charts_on_the_seed_corpus(seed_corpus):
    for name, make in charts.ALL_CHARTS.items():
        fig = make(seed_corpus)
        assert fig.layout.meta == {"chart": name, "empty": False}, name
    docs = seed_corpus.documents
    out = charts.document_html("001_1e948bf9bd27d1c1", documents=docs, mentions=seed_corpus.mentions,
                               quotes=seed_corpus.quotes, dates=seed_corpus.dates, threats=seed_corpus.threats,
                               entities=seed_corpus.entities)
    p = _TagChecker()
    p.feed(out)
    assert p.stack == []
    assert 'class="ub-quote"' in out and 'class="ub-threat"' in out


def test_threat_charts_prune_to_top_actors_and_dyads():
    """At scale the Sankey keeps the top actors/targets and the timeline the top dyads."""
    rows = []
    for i in range(30):
        actor = f"Country {i:02d}"
        for k in range(30 - i):  # Country 00 issues 30 threats, Country 29 one
            rows.append(dict(threat_id=f"t{i}-{k}", doc_id="d1", sent_id=0, start_char=0, end_char=5, text="x",
                             trigger="warn", category="economic", actor_id=None, actor_name=actor,
                             actor_affiliation=actor, target_id=None, target_name="Russia",
                             target_affiliation="Russia", conditional=False, condition=None, intensity=2,
                             speaker_id=None))
    threats = to_frame("threats", rows)
    docs = pd.DataFrame({"doc_id": ["d1"], "published": [pd.Timestamp("2022-01-21")], "title": ["T"]})
    sankey = charts.threat_sankey_chart(threats, top_n=5)
    labels = list(sankey.data[0].node.label)
    assert labels[:6] == ["Country 00", "Country 01", "Country 02", "Country 03", "Country 04", "other actors"]
    other = labels.index("other actors")
    assert sankey.data[0].node.customdata[other][2].count(";") + 1 == sum(30 - i for i in range(5, 30))
    timeline = charts.threat_timeline_chart(threats, docs, top_dyads=3)
    assert list(timeline.layout.yaxis.ticktext) == ["Country 02 → Russia", "Country 01 → Russia", "Country 00 → Russia"]
    assert "27 smaller dyads not shown" in timeline.layout.title.text


def test_deescalation_chart_counts_deescalation_only(t):
    fig = charts.deescalation_chart(t.threats)
    bars = [tr for tr in fig.data]
    assert [(y, x) for tr in bars for y, x in zip(tr.y, tr.x)] == [("Russia → unknown target", 1)]
    assert [list(c) for c in bars[0].customdata] == [["Russia", "unknown target", "t3"]]
    only_threats = t.threats[t.threats["threat_id"] != "t3"]
    assert "No de-escalating statements" in charts.deescalation_chart(only_threats).layout.annotations[0].text


def test_time_axis_of_one_day_has_day_ticks_never_hours(t):
    one = t.documents[t.documents["doc_id"] == "d001"]
    fig = charts.threat_timeline_chart(t.threats[t.threats["doc_id"] == "d001"], one)
    ax = fig.layout.xaxis
    assert ax.dtick == 86_400_000 and "%H" not in ax.tickformat and "%d %b" in ax.tickformat
    assert list(ax.range) == ["2021-11-28T00:00:00", "2021-12-04T00:00:00"]  # three days either side


def test_sentiment_axis_is_fitted_to_the_data():
    import pandas as pd
    s = pd.DataFrame({"period": ["2021-11-29", "2021-12-06"], "group": ["Q_putin", "Q_putin"], "mean": [-0.3, -0.1],
                      "count": [3, 4], "ci_low": [-0.32, -0.2], "ci_high": [-0.1, 0.04]})
    fig = charts.sentiment_chart(s)
    lo, hi = fig.layout.yaxis.range
    assert -0.4 < lo < -0.32 and 0.04 < hi < 0.15
    assert fig.layout.xaxis.dtick == 86_400_000 * 7 or fig.layout.xaxis.dtick == 86_400_000


def test_quotes_by_source_type_counts_named_anonymous_and_unresolved(t):
    q = t.quotes.assign(source_type=["person", "person", "person", "anonymous"])
    fig = charts.quotes_by_source_chart(q)
    found, unresolved = fig.data
    assert (found.name, unresolved.name) == ("speaker found", "speaker not resolved")
    assert dict(zip(found.y, found.x)) == {"named person": 3, "anonymous source": 0}
    assert dict(zip(unresolved.y, unresolved.x)) == {"named person": 0, "anonymous source": 1}
    assert [list(c) for c in found.customdata] == [["person"], ["anonymous"]]
    ev = evidence_for("quotes_by_source", ["anonymous"], Tables(t.documents, t.sentences, t.mentions, t.entities, q,
                                                                 t.dates, t.threats, t.cooccurrence))
    assert list(ev["doc_id"]) == ["d002"]


def test_tone_small_multiples_one_panel_per_group():
    s = sentiment_series()
    fig = charts.tone_small_multiples_chart(s, max_panels=2)
    assert fig.layout.meta["chart"] == "tone_small_multiples"
    n = min(2, s["group"].nunique())
    assert len(fig.data) == n and len({tr.xaxis for tr in fig.data}) == n  # each group in its own panel
    assert all(len(c) == 4 for tr in fig.data for c in tr.customdata)
    assert fig.layout.xaxis.dtick in (86_400_000, 7 * 86_400_000)  # days or weeks, never hours


def test_reader_says_a_copy_is_a_copy_and_why_it_was_flagged():
    docs = pd.DataFrame({"doc_id": ["a", "b"], "title": ["Blinken warns Moscow", "Brinken warns <Moscow>"],
                         "text": ["Blinken warned Moscow.", "Brinken warned Moscow."]})
    stories = pd.DataFrame({"story_id": ["s1", "s1"], "doc_id": ["a", "b"], "role": ["original", "copy"],
                            "original_id": ["a", "a"], "similarity": [1.0, 0.93], "n_members": [2, 2],
                            "spun": [False, True], "spun_score": [0.0, 1.5],
                            "spun_reason": [None, "transliteration slips 0.5 (Brinken for <Blinken>)"]})
    line = re.search(r'<div class="ub-provenance"[^>]*>(.*?)</div>', charts.document_html("b", documents=docs, stories=stories)).group(1)
    assert line == ("Copy of “Blinken warns Moscow” (similarity 0.93); flagged as a spun or machine-translated copy "
                    "(score 1.5): transliteration slips 0.5 (Brinken for &lt;Blinken&gt;)")
    line = re.search(r'<div class="ub-provenance"[^>]*>(.*?)</div>', charts.document_html("a", documents=docs, stories=stories)).group(1)
    assert line == "Original of a story with 1 more copy"
    assert "ub-provenance" not in charts.document_html("a", documents=docs)
