"""Entity co-occurrence: counts, n_docs and NPMI per window, and the chart-ready filter."""
from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from ukraine_briefs.tables.cooccurrence import cooccurrence_frame, filter_cooccurrence
from ukraine_briefs.types import Entity, Mention, to_frame, validate


def _m(doc, sent, para, eid):
    return Mention(doc, sent, para, 0, 1, eid, "PERSON", eid, eid, "gazetteer")


MENTIONS = to_frame(
    "mentions",
    [
        # doc a: Blinken and Lavrov share sentence 0; Putin alone in sentence 1 of the same paragraph
        _m("a", 0, 0, "person:antony_blinken"),
        _m("a", 0, 0, "person:sergey_lavrov"),
        _m("a", 0, 0, "person:antony_blinken"),  # repeated mention counts once per window
        _m("a", 1, 0, "person:vladimir_putin"),
        _m("a", 2, 1, "person:joe_biden"),
        # doc b: Blinken and Lavrov again; Biden and Putin together
        _m("b", 0, 0, "person:antony_blinken"),
        _m("b", 0, 0, "person:sergey_lavrov"),
        _m("b", 1, 1, "person:joe_biden"),
        _m("b", 1, 1, "person:vladimir_putin"),
        # doc c: Biden alone
        _m("c", 0, 0, "person:joe_biden"),
    ],
)


def _row(df, a, b, window):
    a, b = sorted((a, b))
    hit = df[(df.entity_a == a) & (df.entity_b == b) & (df.window == window)]
    assert len(hit) == 1, (a, b, window)
    return hit.iloc[0]


def test_counts_per_window():
    co = validate(cooccurrence_frame(MENTIONS), "cooccurrence")
    assert set(co["window"]) == {"sentence", "paragraph", "document"}
    assert (co["entity_a"] < co["entity_b"]).all()
    r = _row(co, "person:antony_blinken", "person:sergey_lavrov", "sentence")
    assert (r["count"], r["n_docs"]) == (2, 2)
    # Blinken-Putin: never in one sentence, once in one paragraph, once in a document
    assert co[(co.window == "sentence") & (co.entity_b == "person:vladimir_putin") & (co.entity_a == "person:antony_blinken")].empty
    assert _row(co, "person:antony_blinken", "person:vladimir_putin", "paragraph")["count"] == 1
    r = _row(co, "person:joe_biden", "person:vladimir_putin", "document")
    assert (r["count"], r["n_docs"]) == (2, 2)


def test_npmi():
    co = cooccurrence_frame(MENTIONS, windows=("sentence",))
    # 6 sentence windows hold mentions: a0 a1 a2 b0 b1 c0
    n = 6
    r = _row(co, "person:antony_blinken", "person:sergey_lavrov", "sentence")
    p_ab, p_a, p_b = 2 / n, 2 / n, 2 / n
    assert r["npmi"] == pytest.approx(math.log(p_ab / (p_a * p_b)) / -math.log(p_ab), abs=1e-6)
    # always together -> npmi 1 only when p(a)=p(b)=p(a,b); here log(3)/log(3) = 1
    assert r["npmi"] == pytest.approx(1.0)
    r = _row(co, "person:joe_biden", "person:vladimir_putin", "sentence")
    expected = math.log((1 / n) / ((3 / n) * (2 / n))) / -math.log(1 / n)
    assert r["npmi"] == pytest.approx(expected, abs=1e-6)
    assert co["npmi"].between(-1, 1).all()


def test_empty():
    assert cooccurrence_frame(MENTIONS.iloc[0:0]).empty
    validate(cooccurrence_frame(MENTIONS.iloc[0:0]), "cooccurrence")
    with pytest.raises(ValueError):
        cooccurrence_frame(MENTIONS, windows=("chapter",))


ENTITIES = to_frame(
    "entities",
    [
        Entity("person:antony_blinken", "Antony Blinken", "PERSON", "United States", "", None, 3, 2),
        Entity("person:sergey_lavrov", "Sergey Lavrov", "PERSON", "Russia", "", None, 2, 2),
        Entity("person:vladimir_putin", "Vladimir Putin", "PERSON", "Russia", "", "Q7747", 2, 2),
        Entity("person:joe_biden", "Joe Biden", "PERSON", "United States", "", "Q6279", 3, 3),
    ],
)


# the filter needs only doc_id and published from the documents table
DOCUMENTS = pd.DataFrame(
    {
        "doc_id": ["a", "b", "c"],
        "published": pd.to_datetime([dt.date(2021, 12, 2), dt.date(2022, 1, 21), None]),
    }
)


def test_filter_by_date_recomputes():
    # only document a (December 2021): Blinken-Lavrov once, in one document
    out = filter_cooccurrence(MENTIONS, ENTITIES, DOCUMENTS, start="2021-12-01", end=dt.date(2021, 12, 31))
    assert out[["name_a", "name_b", "count", "n_docs"]].values.tolist() == [["Antony Blinken", "Sergey Lavrov", 1, 1]]
    assert out.iloc[0]["npmi"] == pytest.approx(1.0)
    assert (out.iloc[0]["affiliation_a"], out.iloc[0]["affiliation_b"]) == ("United States", "Russia")
    assert (out.iloc[0]["type_a"], out.iloc[0]["type_b"]) == ("PERSON", "PERSON")


def test_filter_by_affiliation_type_and_count():
    out = filter_cooccurrence(MENTIONS, ENTITIES, DOCUMENTS, affiliations=["Russia"], window="document")
    assert out[["entity_a", "entity_b", "count"]].values.tolist() == [
        ["person:sergey_lavrov", "person:vladimir_putin", 2]
    ]
    out = filter_cooccurrence(MENTIONS, ENTITIES, DOCUMENTS, min_count=2)
    assert out[["entity_a", "entity_b"]].values.tolist() == [["person:antony_blinken", "person:sergey_lavrov"]]
    assert filter_cooccurrence(MENTIONS, ENTITIES, DOCUMENTS, types=["ORG"]).empty
    with pytest.raises(ValueError):
        filter_cooccurrence(MENTIONS, ENTITIES, DOCUMENTS, window="chapter")


@pytest.mark.slow
def test_seed_cooccurrence(seed_corpus):
    co = validate(seed_corpus.cooccurrence, "cooccurrence")
    r = _row(co, "person:joe_biden", "person:vladimir_putin", "sentence")
    assert r["count"] >= 3 and r["n_docs"] >= 2
    r = _row(co, "person:antony_blinken", "person:sergey_lavrov", "document")
    assert r["n_docs"] == 5
    out = filter_cooccurrence(
        seed_corpus.mentions, seed_corpus.entities, seed_corpus.documents,
        types=["PERSON"], start="2021-12-01", end="2021-12-06", window="sentence",
    )
    assert {"name_a", "name_b", "type_a", "type_b", "affiliation_a", "affiliation_b"} <= set(out.columns)
    assert set(out["type_a"]) == {"PERSON"}
    pairs = {tuple(sorted(p)) for p in out[["name_a", "name_b"]].values.tolist()}
    assert ("Joe Biden", "Vladimir Putin") in pairs
    # the corpus itself can be passed
    same = filter_cooccurrence(seed_corpus, types=["PERSON"], start="2021-12-01", end="2021-12-06")
    pd.testing.assert_frame_equal(same, out)
