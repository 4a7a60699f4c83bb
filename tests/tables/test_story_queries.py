"""Story queries and the "one per story" filter on small tables shaped like a built corpus."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ukraine_briefs import types
from ukraine_briefs.tables import stories, summary
from ukraine_briefs.tables.filters import filter_tables
from ukraine_briefs.tables.io import as_tables

ORIGINAL = "Blinken warned that Russia would face serious consequences. A senior official said talks would go on."
SPUN = "A senior authentic said talks would go on. Blinken cautioned that Russia would face serious penalties."


@pytest.fixture
def t():
    docs = pd.DataFrame({
        "doc_id": ["cnn", "blog1", "blog2", "ap"],
        "title": ["Blinken warns Russia", "Blinken warns Russia", "Blinken cautions Russia", "Kyiv calm"],
        "outlet": ["CNN", "My Blog", "Spin Daily", "AP"],
        "published": pd.to_datetime(["2022-01-21", "2022-01-22", "2022-01-21", "2022-01-20"]),
        "text": [ORIGINAL, ORIGINAL, SPUN, "Residents of Kyiv appeared calm on Thursday."],
        "story_id": ["story-cnn", "story-cnn", "story-cnn", "story-ap"],
    })
    st = pd.DataFrame([
        types.Story("story-cnn", "cnn", "original", "cnn", 1.0, 3, False, 0.0, None),
        types.Story("story-cnn", "blog1", "copy", "cnn", 1.0, 3, True, 1.5, "scraper residue 1.5 (Source link)"),
        types.Story("story-cnn", "blog2", "copy", "cnn", 1.0, 3, True, 2.0, "spin substitutions 2 (...)"),
        types.Story("story-ap", "ap", "original", "ap", 1.0, 1, False, 0.0, None),
    ])
    q = pd.DataFrame({
        "quote_id": ["cnn:q0", "blog1:q0", "blog2:q0", "ap:q0"],
        "doc_id": ["cnn", "blog1", "blog2", "ap"],
        "text": ["Russia would face serious consequences", "Russia would face serious consequences",
                 "Russia would face serious penalties", "We are not leaving"],
        "speaker_id": ["Q_blinken", "Q_blinken", "Q_blinken", None],
        "speaker_name": ["Antony Blinken", "Antony Blinken", "Antony Blinken", None],
        "quote_group": ["qg-cnn:q0", "qg-cnn:q0", "qg-cnn:q0", "qg-ap:q0"],
    })
    return as_tables({"documents": docs, "stories": st, "quotes": q})


def test_first_per_story_is_the_earliest_kept_member(t):
    # blog2 and cnn share the earliest date: table order decides (cnn first)
    assert stories.first_per_story(t.documents).tolist() == [True, False, False, True]
    assert stories.first_per_story(t.documents, np.array([False, True, True, True])).tolist() == [False, False, True, True]


def test_one_per_story_changes_counts_and_speakers(t):
    all_ = filter_tables(t)
    one = filter_tables(t, one_per_story=True)
    assert sorted(one.documents["doc_id"]) == ["ap", "cnn"]
    assert sorted(one.stories["doc_id"]) == ["ap", "cnn"]
    assert summary.key_figures(all_)["documents"] == 4 and summary.key_figures(one)["documents"] == 2
    assert summary.key_figures(all_)["quotes"] == 4 and summary.key_figures(one)["quotes"] == 2
    assert all_.quotes["speaker_name"].value_counts()["Antony Blinken"] == 3
    assert one.quotes["speaker_name"].value_counts()["Antony Blinken"] == 1
    # combined with an outlet filter: the first of what is left stands for the story
    assert list(filter_tables(t, outlets=["My Blog", "Spin Daily"], one_per_story=True).documents["doc_id"]) == ["blog2"]


def test_overview_and_members(t):
    ov = stories.stories_overview(t)
    assert list(ov["story_id"]) == ["story-cnn", "story-ap"]
    assert ov.iloc[0][["original_id", "n_members", "n_spun", "outlets"]].tolist() == ["cnn", 3, 2, "CNN; Spin Daily; My Blog"]
    assert ov.iloc[0]["first_seen"] == pd.Timestamp("2022-01-21")
    assert list(stories.stories_overview(t, min_members=2)["story_id"]) == ["story-cnn"]
    m = stories.story_members(t, "story-cnn")
    assert list(m["doc_id"]) == ["cnn", "blog2", "blog1"] and list(m["role"]) == ["original", "copy", "copy"]


def test_copy_diff_matches_moved_sentences(t):
    d = stories.copy_diff(t, "blog2")
    assert list(d["sentence"]) == ["A senior authentic said talks would go on.",
                                   "Blinken cautioned that Russia would face serious penalties."]
    assert list(d["original"]) == ["A senior official said talks would go on.",
                                   "Blinken warned that Russia would face serious consequences."]
    assert d["diff"].iloc[0] == [("equal", "A senior "), ("delete", "official"), ("insert", "authentic"),
                                 ("equal", " said talks would go on.")]
    assert ("insert", "penalties.") in d["diff"].iloc[1] and ("delete", "consequences.") in d["diff"].iloc[1]
    assert stories.copy_diff(t, "cnn").empty and stories.copy_diff(t, "nope").empty
    assert stories.copy_diff(t, "blog1")["ratio"].tolist() == [100.0, 100.0]


def test_shared_quotes_and_who_reported_them(t):
    sq = stories.shared_quotes(t)
    assert sq[["quote_group", "n_docs", "first_doc", "speaker_name"]].values.tolist() == [
        ["qg-cnn:q0", 3, "cnn", "Antony Blinken"]]
    r = stories.quote_reports(t, "qg-cnn:q0")
    assert list(r["doc_id"]) == ["cnn", "blog2", "blog1"]
    assert list(r["changed"]) == ["", "penalties", ""]
