"""Summaries behind the overview and quotes tabs, as numbers and DataFrames."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest_charts import build
from ukraine_briefs.tables import summary
from ukraine_briefs.tables.io import Tables


@pytest.fixture(scope="module")
def t() -> Tables:
    return build()


def test_key_figures(t):
    k = summary.key_figures(t)
    # t3 ("We are ready to de-escalate now") is de-escalation: counted apart, never as a threat
    assert (k["documents"], k["sentences"], k["threats"], k["deescalations"]) == (4, len(t.sentences), 2, 1)
    # q4 has no speaker found: not attributed
    assert (k["quotes"], k["quotes_attributed"]) == (4, 3)
    assert (k["first_published"], k["last_published"]) == (pd.Timestamp("2021-12-01"), pd.Timestamp("2022-01-21"))


def test_threat_pairs(t):
    pairs, n_de, n_other = summary.threat_pairs(t.threats)
    assert pairs.to_dict("records")[0] == {"actor": "Russia", "target": "NATO", "n": 1, "top_category": "red_line"}
    assert sorted(map(tuple, pairs.values.tolist())) == [("Russia", "NATO", 1, "red_line"),
                                                          ("United States", "Russia", 1, "economic")]
    # t3 is the one de-escalating statement; every other threat is in a listed pair
    assert (n_de, n_other) == (1, 0)
    assert summary.threat_pairs(t.threats, top=1)[1:] == (1, 1)
    none, n_de, n_other = summary.threat_pairs(t.threats.iloc[0:0])
    assert none.empty and (n_de, n_other) == (0, 0)


def test_tone_by_month_leaves_out_undated_documents(t):
    tone = summary.tone_by_month(t)
    assert [str(p) for p in tone.index] == ["2021-12", "2022-01"]
    assert tone.iloc[0] == pytest.approx(t.sentences.loc[t.sentences["doc_id"].isin(["d001", "d002"]),
                                                         "sentiment"].mean())
    assert summary.tone_by_month(Tables.empty()).empty


def test_quotes_table_newest_first_with_speaker(t):
    q = summary.quotes_table(t.quotes, t.documents)
    assert len(q) == len(t.quotes) and q["published"].is_monotonic_decreasing
    assert "Sergey Lavrov <script>" in set(q["speaker"]) and q["speaker"].isna().any()
    # an unresolved source as the text names it is kept apart, never shown as a person
    spun = summary.quotes_table(t.quotes.assign(speaker_surface=[None, None, None, "the authentic"]), t.documents)
    q4 = spun.set_index("quote_id").loc["q4"]
    assert pd.isna(q4["speaker"]) and q4["as_written"] == "the authentic"
    assert pd.isna(spun.set_index("quote_id").loc["q1", "as_written"])


def test_stance_splits_even_when_the_category_is_not_deescalation(t):
    th = t.threats.assign(stance=["threat", "threat", "deescalation"], category=["economic", "red_line", "talks"])
    k = summary.key_figures(Tables(t.documents, t.sentences, t.mentions, t.entities, t.quotes, t.dates, th,
                                   t.cooccurrence))
    assert (k["threats"], k["deescalations"]) == (2, 1)
    assert summary.threat_pairs(th)[1] == 1
    assert len(summary.quotes_table(t.quotes, t.documents, limit=1)) == 1
