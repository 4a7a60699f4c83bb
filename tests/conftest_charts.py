"""Small hand-built tables (real seed sentences + plain news sentences) for the chart, filter and export tests.

Imported by name (tests/ is on the path) by tests/charts/, the filter, dashboard and aggregation tests; built with
`types.to_frame`, so the frames have exactly the contract's columns and dtypes.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from ukraine_briefs import types
from ukraine_briefs.tables.io import Tables

# seed 001 (2021-12-01), two of its paragraphs
SEED_001 = (
    "Secretary of State Antony Blinken warned Wednesday at a NATO conference in Latvia that the U.S. "
    "would impose “high-impact economic measures that we’ve refrained from using in the past” if Russia "
    "invaded its neighbor.\n\n"
    "“The threat on our Western frontier is really growing,” Putin said at the Kremlin earlier Wednesday."
)
# seed 002 (2021-12-06)
SEED_002 = (
    "Putin once said that he invited Ukraine to officially join NATO The alliance is a safety “red line” for him.\n\n"
    "Both aides said that the call may ease friction or trigger further escalation."
)
# a hostile article: markup must come out inert everywhere
EVIL = (
    "Officials met in Geneva on Friday. <script>alert('x')</script> The talks will resume next week, "
    "Lavrov said <img src=x onerror=alert(1)>.\n\n"
    "“We are ready to de-escalate <b>now</b>,” Lavrov said."
)


# Field orders as these fixtures write them; fields added to types.py later get a neutral default.
_FIELDS = {
    "documents": "doc_id title outlet url published date_source date_note path format text n_sentences n_words content_hash status",
    "sentences": "doc_id sent_id paragraph_id start_char end_char text sentiment in_quote",
    "mentions": "doc_id sent_id paragraph_id start_char end_char surface label entity_id canonical_name resolution",
    "entities": "entity_id canonical_name type affiliation aliases wikidata_id n_mentions n_docs",
    "quotes": "quote_id doc_id sent_id paragraph_id start_char end_char text speaker_surface speaker_id speaker_name attribution cue kind sentiment",
    "dates": "doc_id sent_id start_char end_char text kind value granularity date",
    "threats": "threat_id doc_id sent_id start_char end_char text trigger category actor_id actor_name actor_affiliation target_id target_name target_affiliation conditional condition intensity speaker_id",
    "cooccurrence": "entity_a entity_b window count n_docs npmi",
}
_DEFAULTS = {"int64": 0, "float64": 0.0, "bool": False, "str": None, "datetime64[ns]": None}


def rec(table: str, *values) -> dict:
    """A row of ``table`` from positional values in the order of ``_FIELDS``."""
    names = _FIELDS[table].split()
    assert len(names) == len(values), (table, values)
    row = {c: _DEFAULTS[d] for c, d in types.SCHEMAS[table].items()}
    row.update(zip(names, values))
    return row


TEXTS = {"d001": SEED_001, "d002": SEED_002, "evil": EVIL}
EVIL_TITLE = "Talks <script>alert('t')</script> & <img src=x onerror=alert(2)>"


def span(doc_id: str, needle: str, nth: int = 0) -> tuple[int, int]:
    text = TEXTS[doc_id]
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def _mention(doc_id, surface, label, entity_id, name, sent_id=0, paragraph_id=0, nth=0):
    s, e = span(doc_id, surface, nth)
    return rec("mentions", doc_id, sent_id, paragraph_id, s, e, surface, label, entity_id, name, "gazetteer")


def build() -> Tables:
    documents = types.to_frame("documents", [
        rec("documents", "d001", "Blinken warns Russia of economic measures", "AP", None, dt.date(2021, 12, 1),
                       "metadata", None, "d001.txt", "txt", SEED_001, 2, 50, "h1", "ok"),
        rec("documents", "d002", "Biden and Putin hold video call", "Reuters", None, dt.date(2021, 12, 6),
                       "metadata", None, "d002.txt", "txt", SEED_002, 2, 40, "h2", "ok"),
        rec("documents", "evil", EVIL_TITLE, "Evil <Outlet>", None, dt.date(2022, 1, 21),
                       "metadata", None, "evil.txt", "txt", EVIL, 3, 30, "h3", "ok"),
        rec("documents", "bad", "Broken file", "AP", None, None, "unknown", None, "bad.txt", "txt", "", 0, 0, "h4",
                       "bad.txt: could not decode bytes"),
    ])
    p2 = SEED_001.index("“The threat")
    sentences = types.to_frame("sentences", [
        rec("sentences", "d001", 0, 0, 0, p2 - 2, SEED_001[: p2 - 2], -0.4, False),
        rec("sentences", "d001", 1, 1, p2, len(SEED_001), SEED_001[p2:], -0.6, True),
        rec("sentences", "d002", 0, 0, 0, 108, SEED_002[:108], -0.2, False),
        rec("sentences", "evil", 0, 0, 0, 34, EVIL[:34], 0.1, False),
    ])
    mentions = types.to_frame("mentions", [
        _mention("d001", "Antony Blinken", "PERSON", "Q_blinken", "Antony Blinken"),
        _mention("d001", "NATO", "ORG", "Q_nato", "NATO"),
        _mention("d001", "Latvia", "GPE", "Q_latvia", "Latvia"),
        _mention("d001", "U.S.", "GPE", "Q_us", "United States"),
        _mention("d001", "Russia", "GPE", "Q_russia", "Russia"),
        _mention("d001", "Putin", "PERSON", "Q_putin", "Vladimir Putin", 1, 1),
        _mention("d001", "Kremlin", "ORG", "Q_kremlin", "Kremlin", 1, 1),
        _mention("d002", "Putin", "PERSON", "Q_putin", "Vladimir Putin"),
        _mention("d002", "Ukraine", "GPE", "Q_ukraine", "Ukraine"),
        _mention("d002", "NATO", "ORG", "Q_nato", "NATO"),
        _mention("evil", "Geneva", "GPE", "Q_geneva", "Geneva"),
        _mention("evil", "Lavrov", "PERSON", "Q_lavrov", "Sergey Lavrov", 2, 0),
        _mention("evil", "Lavrov", "PERSON", "Q_lavrov", "Sergey Lavrov", 3, 1, nth=1),
    ])
    entities = types.to_frame("entities", [
        rec("entities", "Q_blinken", "Antony Blinken", "PERSON", "United States", "Blinken; Brinken", None, 1, 1),
        rec("entities", "Q_nato", "NATO", "ORG", "NATO", "NATO", None, 2, 2),
        rec("entities", "Q_latvia", "Latvia", "GPE", "Latvia", "Latvia", None, 1, 1),
        rec("entities", "Q_us", "United States", "GPE", "United States", "U.S.", None, 1, 1),
        rec("entities", "Q_russia", "Russia", "GPE", "Russia", "Russia", None, 1, 1),
        rec("entities", "Q_putin", "Vladimir Putin", "PERSON", "Russia", "Putin; Poutin", None, 2, 2),
        rec("entities", "Q_kremlin", "Kremlin", "ORG", "Russia", "Kremlin", None, 1, 1),
        rec("entities", "Q_ukraine", "Ukraine", "GPE", "Ukraine", "Ukraine", None, 1, 1),
        rec("entities", "Q_geneva", "Geneva", "GPE", None, "Geneva", None, 1, 1),
        rec("entities", "Q_lavrov", "Sergey Lavrov <script>", "PERSON", "Russia", "Lavrov", None, 2, 1),
    ])
    q1 = span("d001", "high-impact economic measures that we’ve refrained from using in the past")
    q2 = span("d001", "The threat on our Western frontier is really growing,")
    q3 = span("evil", "We are ready to de-escalate <b>now</b>,")
    quotes = types.to_frame("quotes", [
        rec("quotes", "q1", "d001", 0, 0, *q1, SEED_001[q1[0]:q1[1]], "Antony Blinken", "Q_blinken", "Antony Blinken",
                    "explicit", "warn", "partial", -0.3),
        rec("quotes", "q2", "d001", 1, 1, *q2, SEED_001[q2[0]:q2[1]], "Putin", "Q_putin", "Vladimir Putin",
                    "explicit", "say", "full", -0.5),
        rec("quotes", "q3", "evil", 3, 1, *q3, EVIL[q3[0]:q3[1]], "Lavrov", "Q_lavrov", "Sergey Lavrov <script>",
                    "explicit", "say", "full", 0.4),
        rec("quotes", "q4", "d002", 0, 0, 0, 10, "Putin once", None, None, None, "unresolved", None, "partial", 0.0),
    ])
    wd = span("d001", "Wednesday")
    fr = span("evil", "Friday")
    dates = types.to_frame("dates", [
        rec("dates", "d001", 0, *wd, "Wednesday", "weekday", "2021-12-01", "day", dt.date(2021, 12, 1)),
        rec("dates", "evil", 0, *fr, "Friday", "weekday", "2022-01-21", "day", dt.date(2022, 1, 21)),
    ])
    t1 = (0, len(SEED_001[: p2 - 2]))
    t2 = span("d002", "Putin once said that he invited Ukraine to officially join NATO The alliance is a safety “red line” for him.")
    t3 = span("evil", "We are ready to de-escalate <b>now</b>,")
    threats = types.to_frame("threats", [
        rec("threats", "t1", "d001", 0, *t1, SEED_001[t1[0]:t1[1]], "impose", "economic", "Q_us", "United States",
                     "United States", "Q_russia", "Russia", "Russia", True, "if Russia invaded its neighbor", 3, "Q_blinken"),
        rec("threats", "t2", "d002", 0, *t2, SEED_002[t2[0]:t2[1]], "red line", "red_line", "Q_putin", "Vladimir Putin",
                     "Russia", "Q_nato", "NATO", "NATO", False, None, 2, None),
        rec("threats", "t3", "evil", 3, *t3, EVIL[t3[0]:t3[1]], "de-escalate", "deescalation", "Q_lavrov",
                     "Sergey Lavrov <script>", "Russia", None, None, None, False, None, 1, "Q_lavrov"),
    ])
    cooccurrence = types.to_frame("cooccurrence", [
        rec("cooccurrence", "Q_blinken", "Q_nato", "sentence", 1, 1, 0.8),
        rec("cooccurrence", "Q_blinken", "Q_us", "sentence", 1, 1, 0.9),
        rec("cooccurrence", "Q_russia", "Q_us", "sentence", 1, 1, 0.7),
        rec("cooccurrence", "Q_kremlin", "Q_putin", "sentence", 1, 1, 0.6),
        rec("cooccurrence", "Q_nato", "Q_putin", "sentence", 1, 1, -0.1),
        rec("cooccurrence", "Q_nato", "Q_ukraine", "sentence", 1, 1, 0.5),
        rec("cooccurrence", "Q_putin", "Q_ukraine", "sentence", 1, 1, 0.5),
        rec("cooccurrence", "Q_geneva", "Q_lavrov", "sentence", 1, 1, 1.0),
        rec("cooccurrence", "Q_nato", "Q_putin", "document", 2, 2, 0.3),
    ])
    return Tables(documents, sentences, mentions, entities, quotes, dates, threats, cooccurrence)


def sentiment_series():
    """The shape of the `timeseries` tone series: a gap in December's third week."""
    return pd.DataFrame({
        "period": pd.PeriodIndex(["2021-11-29", "2021-12-06", "2022-01-17"], freq="W"),
        "group": ["Vladimir Putin", "Vladimir Putin", "Sergey Lavrov <script>"],
        "mean": [-0.55, -0.2, 0.4],
        "count": [2, 1, 1],
        "ci_low": [-0.8, float("nan"), float("nan")],
        "ci_high": [-0.3, float("nan"), float("nan")],
        "evidence": ["“The threat on our Western frontier is really growing,” Putin said at the Kremlin earlier Wednesday.",
                     SEED_002.split("\n\n")[0], "Lavrov said <img src=x onerror=alert(1)>"],
    })
