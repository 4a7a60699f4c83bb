"""Table-in, table-out queries over built tables: threat dyads and the dated-events view."""
from __future__ import annotations

import pandas as pd
import pytest

from ukraine_briefs.tables import queries


def test_threat_dyads():
    t = pd.DataFrame({
        "threat_id": ["a-T000", "a-T001", "b-T000", "b-T001"],
        "doc_id": ["a", "a", "b", "b"],
        "text": ["s1", "s2", "s3", "s4"],
        "category": ["economic", "economic", "economic", "red_line"],
        "actor_affiliation": ["United States", "United States", "United States", "Russia"],
        "target_affiliation": ["Russia", "Russia", "Russia", None],
        "intensity": [2, 4, 3, 3],
        "conditional": [True, False, True, False],
    })
    d = pd.DataFrame({"doc_id": ["a", "b"], "published": pd.to_datetime(["2021-12-01", "2022-01-21"])})
    out = queries.threat_dyads(t, d, freq="W")
    rows = out[["actor_affiliation", "target_affiliation", "category", "n_threats", "max_intensity", "n_conditional"]]
    assert rows.values.tolist() == [
        ["United States", "Russia", "economic", 2, 4, 1],
        ["Russia", "unknown", "red_line", 1, 3, 0],
        ["United States", "Russia", "economic", 1, 3, 1],
    ]
    assert out.loc[0, "threat_ids"] == "a-T000; a-T001"
    assert out.loc[0, "evidence"] == "s1; s2"
    assert out.loc[0, "period"] == pd.Timestamp("2021-11-29")


def test_published_of_is_aligned_with_the_rows_and_takes_the_first_of_repeated_doc_ids():
    rows = pd.DataFrame({"doc_id": ["b", "x", "a"]}, index=[7, 3, 5])
    docs = pd.DataFrame({"doc_id": ["a", "b"], "published": ["2021-12-01", "2022-01-21"]})
    want = pd.Series(pd.to_datetime(["2022-01-21", None, "2021-12-01"]), index=[7, 3, 5])
    pd.testing.assert_series_equal(queries.published_of(rows, docs), want, check_names=False)
    repeated = pd.concat([docs, docs.assign(published="2030-01-01")], ignore_index=True)
    pd.testing.assert_series_equal(queries.published_of(rows, repeated), want, check_names=False)
    assert queries.published_of(rows, None).isna().all() and list(queries.published_of(rows, None).index) == [7, 3, 5]


@pytest.mark.slow
def test_events_view(seed_corpus):
    ev = queries.events_frame(seed_corpus.sentences, seed_corpus.dates)
    assert list(ev.columns) == ["doc_id", "sent_id", "date", "value", "granularity", "kind", "expression", "text"]
    assert ev["value"].notna().all()
    one = ev[ev.doc_id == "001_1e948bf9bd27d1c1"]
    assert list(one["sent_id"]) == sorted(one["sent_id"])
    row = one[one.expression == "Thursday"].iloc[0]
    assert "planning to meet" in row.text and row.value == "2021-12-02"
    assert pd.Timestamp(row.date) == pd.Timestamp("2021-12-02")
