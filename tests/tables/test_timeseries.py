"""Sentiment and mention series: honest counts, no interpolation, event dating, entity tone."""
import math
from types import SimpleNamespace

import pandas as pd
import pytest

from ukraine_briefs.tables import timeseries as ts


def _corpus():
    """Five articles on four days (two on 1 Dec, none on 4-5 Dec), like the seeds."""
    docs = pd.DataFrame({
        "doc_id": ["a", "b", "c", "d", "e"],
        "published": pd.to_datetime(["2021-12-01", "2021-12-01", "2021-12-02", "2021-12-03", "2021-12-06"]),
        "outlet": ["CNN", "Bloomberg", "CNN", None, "CNN"],
    })
    rows = [
        ("a", 0, "Blinken warned Russia.", -0.4), ("a", 1, "Talks went well.", 0.2),
        ("b", 0, "Putin said the threat is growing.", -0.3),
        ("c", 0, "Blinken met Lavrov on Thursday.", 0.0), ("c", 1, "Lavrov said the talks were useful.", 0.3),
        ("d", 0, "Blinken said on Thursday the meeting was frank.", 0.1),
        ("e", 0, "Russia annexed Crimea in 2014.", -0.2), ("e", 1, "Biden and Putin will talk on Tuesday.", 0.05),
    ]
    sents = pd.DataFrame(rows, columns=["doc_id", "sent_id", "text", "sentiment"])
    mentions = pd.DataFrame([
        ("a", 0, 0, "Blinken", "person:antony_blinken", "Antony Blinken"),
        ("a", 0, 15, "Russia", "gpe:russia", "Russia"),
        ("b", 0, 0, "Putin", "person:vladimir_putin", "Vladimir Putin"),
        ("c", 0, 0, "Blinken", "person:antony_blinken", "Antony Blinken"),
        ("c", 0, 11, "Lavrov", "person:sergey_lavrov", "Sergey Lavrov"),
        ("c", 1, 0, "Lavrov", "person:sergey_lavrov", "Sergey Lavrov"),
        ("d", 0, 0, "Blinken", "person:antony_blinken", "Antony Blinken"),
        ("e", 0, 0, "Russia", "gpe:russia", "Russia"),
        ("e", 1, 10, "Putin", "person:vladimir_putin", "Vladimir Putin"),
    ], columns=["doc_id", "sent_id", "start_char", "surface", "entity_id", "canonical_name"])
    quotes = pd.DataFrame([
        ("b", 0, "the threat is growing", "person:vladimir_putin", "Vladimir Putin", -0.5),
        ("c", 1, "the talks were useful", "person:sergey_lavrov", "Sergey Lavrov", 0.4),
        ("d", 0, "the meeting was frank", "person:antony_blinken", "Antony Blinken", 0.1),
    ], columns=["doc_id", "sent_id", "text", "speaker_id", "speaker_name", "sentiment"])
    dates = pd.DataFrame([
        ("c", 0, 24, "Thursday", "2021-12-02", "day", "2021-12-02"),
        ("d", 0, 16, "Thursday", "2021-12-02", "day", "2021-12-02"),
        ("e", 0, 25, "2014", "2014", "year", "2014-01-01"),
        ("e", 1, 30, "Tuesday", "2021-12-07", "day", "2021-12-07"),
    ], columns=["doc_id", "sent_id", "start_char", "text", "value", "granularity", "date"])
    dates["date"] = pd.to_datetime(dates["date"])
    return SimpleNamespace(documents=docs, sentences=sents, mentions=mentions, quotes=quotes, dates=dates)


def test_published_daily_counts_and_no_interpolation():
    out = ts.sentiment_by_period(_corpus(), by="published", freq="D")
    assert list(out["period_label"]) == ["2021-12-01", "2021-12-02", "2021-12-03", "2021-12-06"]  # no 4-5 Dec
    assert list(out["count"]) == [3, 2, 1, 2]
    assert list(out["n_docs"]) == [2, 1, 1, 1]
    assert out["mean"].iloc[0] == pytest.approx((-0.4 + 0.2 - 0.3) / 3)
    # one sentence: no interval rather than a fake one
    single = out[out["count"] == 1].iloc[0]
    assert math.isnan(single["ci_low"]) and math.isnan(single["ci_high"])
    first = out.iloc[0]
    assert first["ci_low"] < first["mean"] < first["ci_high"]
    assert first["evidence"] == "Blinken warned Russia."  # strongest on the mean's (negative) side
    assert first["evidence_ids"] == "a:0;a:1;b:0"
    assert set(out["group"]) == {"all"}


def test_evidence_ids_capped_and_dict_input():
    c = _corpus()
    out = ts.sentiment_by_period(vars(c), freq="M", max_evidence=2)  # a dict of tables works too
    assert out["count"].iloc[0] == 8
    assert out["evidence_ids"].iloc[0] == "a:0;b:0"  # the two most strongly toned, in reading order


def test_weekly_and_monthly():
    w = ts.sentiment_by_period(_corpus(), freq="W")
    assert list(w["period_label"]) == ["2021-W48", "2021-W49"]
    assert list(w["count"]) == [6, 2]
    assert w["period"].iloc[0] == pd.Timestamp("2021-11-29")  # Monday of the ISO week
    m = ts.sentiment_by_period(_corpus(), freq="M")
    assert list(m["period_label"]) == ["2021-12"] and m["count"].iloc[0] == 8


def test_event_dating_uses_the_dates_table():
    out = ts.sentiment_by_period(_corpus(), by="event", freq="D")
    # the two Thursday reports land on 2 Dec; the Tuesday preview on 7 Dec; "2014" is too coarse for days
    assert list(out["period_label"]) == ["2021-12-02", "2021-12-07"]
    assert list(out["count"]) == [2, 1]
    assert list(out["n_docs"]) == [2, 1]
    yearly_ok = ts.sentiment_by_period(_corpus(), by="event", freq="M")
    assert "2014-01" not in set(yearly_ok["period_label"])  # year granularity never fakes a month


def test_groups():
    c = _corpus()
    ent = ts.sentiment_by_period(c, group="entity")
    bl = ent[ent.group == "person:antony_blinken"]
    assert list(bl["period_label"]) == ["2021-12-01", "2021-12-02", "2021-12-03"]
    assert set(bl["label"]) == {"Antony Blinken"}
    sp = ts.sentiment_by_period(c, group="speaker")
    assert set(sp["group"]) == {"person:vladimir_putin", "person:sergey_lavrov", "person:antony_blinken"}
    assert sp[sp.group == "person:sergey_lavrov"]["mean"].iloc[0] == pytest.approx(0.4)
    out = ts.sentiment_by_period(c, group="outlet")
    assert set(out["group"]) == {"CNN", "Bloomberg", "unknown"}
    assert out[out.group == "CNN"]["count"].sum() == 6


def test_bad_arguments():
    with pytest.raises(ValueError):
        ts.sentiment_by_period(_corpus(), freq="Q")
    with pytest.raises(ValueError):
        ts.sentiment_by_period(_corpus(), by="reported")
    with pytest.raises(ValueError):
        ts.sentiment_by_period(_corpus(), group="topic")


def test_mentions_by_period():
    out = ts.mentions_by_period(_corpus(), freq="D", entities=["Antony Blinken", "gpe:russia"])
    assert set(out["group"]) == {"person:antony_blinken", "gpe:russia"}
    ru = out[out.group == "gpe:russia"]
    assert list(ru["period_label"]) == ["2021-12-01", "2021-12-06"]
    assert list(ru["count"]) == [1, 1]
    assert ru["share"].iloc[0] == pytest.approx(1 / 3)  # 3 mentions on 1 Dec
    assert ru["evidence"].iloc[0] == "Blinken warned Russia."


def test_entity_tone():
    out = ts.entity_tone(_corpus()).set_index("entity_id")
    bl = out.loc["person:antony_blinken"]
    assert bl["n_sentences"] == 3 and bl["sentence_mean"] == pytest.approx((-0.4 + 0.0 + 0.1) / 3)
    assert bl["n_quotes"] == 1 and bl["quote_mean"] == pytest.approx(0.1)
    lav = out.loc["person:sergey_lavrov"]
    assert lav["n_sentences"] == 2  # two mentions in one sentence count once
    assert out.loc["gpe:russia", "n_quotes"] == 0 and math.isnan(out.loc["gpe:russia", "quote_mean"])


def test_empty_corpus():
    empty = SimpleNamespace(documents=pd.DataFrame(columns=["doc_id", "published", "outlet"]),
                            sentences=pd.DataFrame(columns=["doc_id", "sent_id", "text", "sentiment"]),
                            mentions=pd.DataFrame(), quotes=pd.DataFrame(), dates=pd.DataFrame())
    assert ts.sentiment_by_period(empty).empty
    assert list(ts.sentiment_by_period(empty).columns) == ts.SERIES_COLUMNS
    assert ts.mentions_by_period(empty).empty and ts.entity_tone(empty).empty


@pytest.mark.slow
def test_on_seeds(seed_corpus):
    out = ts.sentiment_by_period(seed_corpus, freq="D")
    assert list(out["period_label"]) == ["2021-12-01", "2021-12-02", "2021-12-03", "2021-12-06", "2022-01-21"]
    assert out["count"].sum() == len(seed_corpus.sentences)
    assert (out["n_docs"] == 1).all()
    assert out["mean"].between(-1, 1).all()
    ev = ts.sentiment_by_period(seed_corpus, by="event", freq="D")
    assert "2021-12-02" in set(ev["period_label"]) and ev["count"].sum() < len(seed_corpus.sentences)
    tone = ts.entity_tone(seed_corpus)
    assert "person:antony_blinken" in set(tone["entity_id"])
    assert tone.set_index("entity_id").loc["person:antony_blinken", "n_quotes"] > 0
