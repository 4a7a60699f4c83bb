"""Charts at scale: aggregation and pooling past a size, and the evidence their marks still lead to."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from conftest_charts import build, rec
from ukraine_briefs import charts, types
from ukraine_briefs.charts.threats import EVIDENCE_SENTENCES
from ukraine_briefs.tables import filters
from ukraine_briefs.tables.evidence import evidence_for, threats_behind
from ukraine_briefs.tables.io import Tables


def _threat(tid, doc, actor, target, category, intensity=2, sent_id=0, conditional=False):
    return rec("threats", tid, doc, sent_id, 0, 5, f"threat {tid}", "warn", category, None, actor, actor,
               None, target, target, conditional, None, intensity, None)


def _docs(dates: dict[str, dt.date]) -> pd.DataFrame:
    return types.to_frame("documents", [
        rec("documents", d, f"Title {d}", "AP", None, p, "metadata", None, f"{d}.txt", "txt", "x", 1, 1, d, "ok")
        for d, p in dates.items()])


# --------------------------------------------------------------------- threat timeline


@pytest.fixture(scope="module")
def timeline_input():
    # seven documents in the week of Monday 3 January 2022, one in the week of 7 March
    dates = {f"d{i}": dt.date(2022, 1, 3) + dt.timedelta(days=i) for i in range(7)} | {"d7": dt.date(2022, 3, 8)}
    rows = []
    for d in dates:
        rows += [_threat(f"{d}-a", d, "Russia", "NATO", "military", intensity=2),
                 _threat(f"{d}-b", d, "Russia", "NATO", "military", intensity=3 if d == "d2" else 1),
                 _threat(f"{d}-c", d, "Russia", "NATO", "red_line", intensity=1)]
    rows.append(_threat("us-1", "d0", "United States", "Russia", "economic", conditional=True))
    return types.to_frame("threats", rows), _docs(dates)


def test_timeline_draws_points_up_to_max_points(timeline_input):
    threats, docs = timeline_input
    fig = charts.threat_timeline_chart(threats, docs)  # 25 threats: one point each
    assert sum(len(tr.customdata) for tr in fig.data if tr.customdata is not None) == 25
    assert all(len(tr.customdata[0]) == 4 for tr in fig.data if tr.customdata is not None)


def test_timeline_draws_threats_never_deescalation(timeline_input):
    threats, docs = timeline_input
    talks = threats.assign(stance=["deescalation" if i.endswith("-c") else "threat" for i in threats["threat_id"]])
    fig = charts.threat_timeline_chart(talks, docs)
    assert sum(len(tr.customdata) for tr in fig.data if tr.customdata is not None) == 17
    assert "red line" not in {tr.name for tr in fig.data}


def test_timeline_aggregates_per_dyad_week_and_category(timeline_input):
    threats, docs = timeline_input
    # by day 17 bubbles, by week 5
    fig = charts.threat_timeline_chart(threats, docs, max_points=10, max_bubbles=10)
    traces = {tr.name: tr for tr in fig.data}
    assert set(traces) == {"military", "economic", "red line"}
    mil = traces["military"]
    assert [str(x)[:10] for x in mil.x] == ["2022-01-03", "2022-03-07"]
    assert [cd[8] for cd in mil.customdata] == [14, 2]
    # the representative threat is the most intense one; the rest of customdata names the group
    assert list(mil.customdata[0]) == ["d2-b", "d2", 0, 5, "Russia → NATO", "military", "2022-01-03", "W", 14]
    assert list(mil.customdata[1][:4]) == ["d7-a", "d7", 0, 5]
    # lanes: Russia → NATO has two categories around its tick, United States → Russia one on its tick
    rows = dict(zip(fig.layout.yaxis.ticktext, fig.layout.yaxis.tickvals))
    assert list(mil.y) == pytest.approx([rows["Russia → NATO"] - 0.08] * 2)
    assert list(traces["red line"].y) == pytest.approx([rows["Russia → NATO"] + 0.08] * 2)
    assert list(traces["economic"].y) == [rows["United States → Russia"]]
    assert "1 conditional" in traces["economic"].hovertext[0]
    assert mil.hovertext[0].endswith("<br><i>threat d2-b</i>")  # the representative's sentence
    assert "25 threats, one bubble per dyad, week and category" in fig.layout.title.text


def test_timeline_bubble_leads_back_to_its_threats(timeline_input):
    threats, docs = timeline_input
    fig = charts.threat_timeline_chart(threats, docs, max_points=10, max_bubbles=10)
    mil = next(tr for tr in fig.data if tr.name == "military")
    behind = threats_behind("threat_timeline", mil.customdata[0], threats, docs)
    assert sorted(behind["threat_id"]) == sorted(f"d{i}-{k}" for i in range(7) for k in "ab")
    march = threats_behind("threat_timeline", mil.customdata[1], threats, docs)
    assert sorted(march["threat_id"]) == ["d7-a", "d7-b"]
    # a plain point: its one threat
    assert list(threats_behind("threat_timeline", ["us-1", "d0", 0, 5], threats)["threat_id"]) == ["us-1"]


def test_timeline_bubble_period_is_the_finest_that_fits(timeline_input):
    threats, docs = timeline_input
    daily = charts.threat_timeline_chart(threats, docs, max_points=10)  # 17 bubbles by day fit the default 400
    mil = next(tr for tr in daily.data if tr.name == "military")
    assert [cd[8] for cd in mil.customdata] == [2] * 8
    assert {cd[7] for cd in mil.customdata} == {"D"}
    assert "one bubble per dyad, day and category" in daily.layout.title.text
    monthly = charts.threat_timeline_chart(threats, docs, max_points=10, max_bubbles=4)  # by week 5
    mil = next(tr for tr in monthly.data if tr.name == "military")
    assert [list(cd[4:]) for cd in mil.customdata] == [["Russia → NATO", "military", "2022-01-01", "M", 14],
                                                        ["Russia → NATO", "military", "2022-03-01", "M", 2]]
    assert "2022-01: 14 threat(s)" in mil.hovertext[0]
    behind = threats_behind("threat_timeline", mil.customdata[0], threats, docs)
    assert sorted(behind["threat_id"]) == sorted(f"d{i}-{k}" for i in range(7) for k in "ab")


# --------------------------------------------------------------------- threat categories


def _many_actors():
    rows = []
    for i in range(30):
        for k in range(30 - i):  # Country 00 issues 30 threats, Country 29 one
            rows.append(_threat(f"t{i}-{k}", "d1", f"Country {i:02d}", "Russia", "economic" if k % 3 else "deescalation"))
    return types.to_frame("threats", rows)


def test_categories_pool_small_actors_into_one_row():
    threats = _many_actors()
    fig = charts.threat_categories_chart(threats, top_n=5)
    order = list(fig.layout.yaxis.categoryarray)
    assert order[0] == "other actors" and len(order) == 6
    assert set(order[1:]) == {f"Country {i:02d}" for i in range(5)}
    econ = next(tr for tr in fig.data if tr.name == "economic")
    cds = {cd[0]: list(cd) for cd in econ.customdata}
    assert cds["Country 00"] == ["Country 00", "economic"]
    assert cds["other actors"] == ["other actors", "economic", 5]
    assert "25 smaller actors pooled as “other actors”" in fig.layout.title.text
    pooled = threats_behind("threat_categories", cds["other actors"], threats)
    expected = threats[(threats["actor_name"] >= "Country 05") & (threats["category"] == "economic")]
    assert sorted(pooled["threat_id"]) == sorted(expected["threat_id"])
    assert len(threats_behind("threat_categories", ["Country 00", "deescalation"], threats)) == 10


# --------------------------------------------------------------------- Sankey


def test_sankey_link_ids_give_the_evidence_panel_the_same_sentences():
    # 60 documents, one threat each, published in the reverse order of their ids
    n = 60
    dates = {f"d{i:02d}": dt.date(2022, 3, 1) - dt.timedelta(days=i) for i in range(n)}
    docs = _docs(dates)
    threats = types.to_frame("threats", [_threat(f"t{i:02d}", f"d{i:02d}", "United States", "Russia", "economic")
                                         for i in range(n)])
    sentences = types.to_frame("sentences", [rec("sentences", d, 0, 0, 0, 5, f"sentence of {d}", -0.1, False)
                                             for d in dates])
    tables = dataclasses.replace(Tables.empty(), documents=docs, sentences=sentences, threats=threats)
    link = charts.threat_sankey_chart(threats, documents=docs).data[0].link
    cd = list(link.customdata[0])
    ids = cd[2].split(";")
    assert len(ids) == EVIDENCE_SENTENCES
    assert ids == sorted(f"t{i:02d}" for i in range(n - EVIDENCE_SENTENCES, n))  # the earliest published
    assert link.label[0] == "United States → economic: 60"
    everything = evidence_for("threat_sankey", cd[:2] + [";".join(threats["threat_id"])], tables)
    pd.testing.assert_frame_equal(evidence_for("threat_sankey", cd, tables), everything)
    assert len(everything) == 30


# --------------------------------------------------------------------- corpus overview


def test_corpus_overview_caps_rows_failed_first():
    dates = {f"d{i:02d}": dt.date(2022, 1, 1) + dt.timedelta(days=i) for i in range(30)}
    docs = _docs(dates)
    docs.loc[docs["doc_id"] == "d17", "status"] = "error: empty file"
    fig = charts.corpus_overview_chart(docs)
    cells = fig.data[0].cells.values
    assert len(cells[0]) == 20
    assert list(cells[4][:2]) == ["error: empty file", "ok"]
    assert list(cells[2][:3]) == ["2022-01-18", "2022-01-01", "2022-01-02"]
    assert "30 document(s), 29 parsed without error; 20 shown" in fig.layout.title.text
    assert len(charts.corpus_overview_chart(docs, max_rows=40).data[0].cells.values[0]) == 30


# --------------------------------------------------------------------- network by affiliation


def test_network_grouped_by_affiliation():
    t = build()
    fig = charts.cooccurrence_network_chart(t.cooccurrence, t.entities, group_by="affiliation")
    nodes = {cd[1]: list(cd) for tr in fig.data if tr.name not in ("edges", "labels") and tr.customdata is not None
             for cd in tr.customdata}
    assert set(nodes) == {"Russia", "United States", "NATO", "Ukraine", "Geneva"}
    # Russia, Putin (2), the Kremlin and Lavrov (2): the most mentioned member (ties by id) stands for the group
    assert nodes["Russia"] == ["Q_lavrov", "Russia", 6, "Russia", "affiliation", "Q_kremlin;Q_lavrov;Q_putin;Q_russia"]
    assert nodes["Geneva"] == ["Q_geneva", "Geneva", 1, "unaffiliated", "GPE", "Q_geneva"]
    edges = {(cd[0], cd[1]): list(cd) for cd in next(tr for tr in fig.data if tr.name == "edges").customdata}
    # Kremlin-Putin and Blinken-U.S. fall inside one group; NATO-Putin and Putin-Ukraine become Russia's
    assert len(edges) == 6
    assert edges[("Q_lavrov", "Q_blinken")] == ["Q_lavrov", "Q_blinken", "sentence", 1, 0.7,
                                                "Q_kremlin;Q_lavrov;Q_putin;Q_russia", "Q_blinken;Q_us"]
    assert edges[("Q_nato", "Q_lavrov")][3:5] == [1, -0.1]
    assert "by affiliation" in fig.layout.title.text
    # the evidence panel reads the representative ids
    assert nodes["United States"][0] == "Q_blinken"
    ev = evidence_for("cooccurrence_network", nodes["United States"], t)
    assert list(ev["doc_id"]) == ["d001"] and list(ev["note"]) == ["mentions United States"]


# --------------------------------------------------------------------- matrix colour scale


def test_matrix_colours_heavy_tailed_counts_on_a_log_scale():
    t = build()
    c = t.cooccurrence.copy()
    c.loc[(c["entity_a"] == "Q_kremlin") & (c["entity_b"] == "Q_putin"), "count"] = 12_000
    c.loc[(c["entity_a"] == "Q_blinken") & (c["entity_b"] == "Q_us"), "count"] = 40
    h = charts.cooccurrence_matrix_chart(c, t.entities).data[0]
    labels = list(h.x)
    i, j, k = labels.index("Vladimir Putin"), labels.index("Kremlin"), labels.index("NATO")
    assert h.z[i][j] == pytest.approx(4.0792, abs=1e-4)  # log10(12,000)
    assert h.z[i][k] == 0.0  # a single co-mention
    assert "count: 12000" in h.hovertext[i][j]
    assert list(h.colorbar.ticktext) == ["1", "10", "100", "1,000", "10,000"] and list(h.colorbar.tickvals) == [0, 1, 2, 3, 4]
    # below the threshold counts stay linear (and z stays the count)
    assert charts.cooccurrence_matrix_chart(t.cooccurrence, t.entities).data[0].colorbar.ticktext is None


def test_bubble_hover_escapes_article_text(timeline_input):
    threats, docs = timeline_input
    threats = threats.copy()
    threats.loc[threats["threat_id"] == "d2-b", "text"] = 'Lavrov said <img src=x onerror="y"> & left.'
    threats.loc[threats["threat_id"] == "d2-b", "actor_affiliation"] = "Evil <b>"
    docs = docs.assign(title=docs["title"].where(docs["doc_id"] != "d2", "<script>t</script>"))
    fig = charts.threat_timeline_chart(threats, docs, max_points=10, max_bubbles=10)
    hover = next(h for tr in fig.data for h in tr.hovertext if "Lavrov" in h)
    assert hover == ("<b>Evil &lt;b&gt; → NATO</b> · military<br>week of 2022-01-03: 1 threat(s), 0 conditional, "
                     "mean intensity 3.0<br>e.g. &lt;script&gt;t&lt;/script&gt;:<br>"
                     '<i>Lavrov said &lt;img src=x onerror="y"&gt; &amp; left.</i>')
    assert "Evil &lt;b&gt; → NATO" in fig.layout.yaxis.ticktext


@pytest.mark.parametrize("name", ["threat_timeline", "threat_categories", "threat_sankey"])
def test_threat_chart_data_of_an_empty_selection(name):
    # a filter that keeps nothing (actor "Nobody") must give an empty table with a date column, not a cast error
    empty = filters.filter_tables(build(), actors=["Nobody"])
    df = charts.chart_data(name, empty)
    assert len(df) == 0 and str(df["published"].dtype).startswith("datetime64")
