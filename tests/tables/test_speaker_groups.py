"""Quotes grouped by person, affiliation and source type: unnamed sources stay visible as groups of their own."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from ukraine_briefs import charts
from ukraine_briefs.tables.evidence import evidence_for
from ukraine_briefs.tables.io import Tables
from ukraine_briefs.tables.speakers import speaker_groups

#: (text, speaker_surface, speaker_id, speaker_name, source_type, speaker_affiliation, sentiment)
QUOTES = [
    ("We will respond decisively", "Blinken", "Q_blinken", "Antony Blinken", "person", "United States", -0.2),
    ("Diplomacy is still possible", "Blinken", "Q_blinken", "Antony Blinken", "person", "United States", 0.4),
    ("The build-up is unprecedented", "a senior US official", None, None, "anonymous", "United States", -0.5),
    ("Nothing is off the table", "US officials", None, None, "anonymous", "United States", -0.3),
    ("These are provocations", "the Kremlin", "org:kremlin", "Kremlin", "organisation", "Russia", -0.6),
    ("Kyiv is sabotaging the talks", "the foreign ministry", None, None, "organisation", "Russia", -0.4),
    ("We are ready", "a Ukrainian defence official", None, None, "anonymous", "Ukraine", 0.1),
    ("It was a mistake", None, None, None, None, None, 0.0),
]


@pytest.fixture()
def tables() -> Tables:
    quotes = pd.DataFrame([{
        "quote_id": f"q{i}", "doc_id": "d1", "sent_id": i, "paragraph_id": i, "start_char": 40 * i,
        "end_char": 40 * i + len(text), "text": text, "speaker_surface": surf, "speaker_id": sid, "speaker_name": name,
        "attribution": "cue" if surf else "unresolved", "cue": "said" if surf else None, "kind": "full",
        "sentiment": tone, "source_type": kind, "speaker_affiliation": aff}
        for i, (text, surf, sid, name, kind, aff, tone) in enumerate(QUOTES)])
    sentences = pd.DataFrame([{"doc_id": "d1", "sent_id": i, "paragraph_id": i, "start_char": 40 * i,
                               "end_char": 40 * i + 39, "text": f'"{q[0]}," someone said.', "sentiment": q[6],
                               "in_quote": False} for i, q in enumerate(QUOTES)])
    t = Tables.empty()
    documents = pd.DataFrame([{c: None for c in t.documents.columns} | {
        "doc_id": "d1", "title": "Talks", "outlet": "wire", "published": pd.Timestamp("2022-02-01"),
        "n_sentences": len(QUOTES)}], columns=t.documents.columns)
    entities = pd.DataFrame([{c: None for c in t.entities.columns} | row for row in (
        {"entity_id": "Q_blinken", "canonical_name": "Antony Blinken", "type": "PERSON", "affiliation": "United States"},
        {"entity_id": "org:kremlin", "canonical_name": "Kremlin", "type": "ORG", "affiliation": "Russia"})],
        columns=t.entities.columns)
    return Tables(documents, sentences,
                  t.mentions, entities, quotes, t.dates, t.threats, t.cooccurrence)


def _bars(fig: go.Figure) -> dict[str, int]:
    return {y: int(x) for tr in fig.data if isinstance(tr, go.Bar) for x, y in zip(tr.x, tr.y)}


def test_grouping_by_person_keeps_unnamed_sources_beside_named_ones(tables):
    fig = charts.quotes_by_speaker_chart(tables.quotes, entities=tables.entities)
    assert _bars(fig) == {"Antony Blinken": 2, "unnamed sources · United States": 2, "Kremlin": 1,
                          "unnamed body · Russia": 1, "unnamed sources · Ukraine": 1}
    assert "4 from unnamed sources" in fig.layout.title.text
    assert "1 quote(s) with no speaker found not shown" in fig.layout.title.text


def test_grouping_by_affiliation_and_by_source_type(tables):
    by_aff = charts.quotes_by_speaker_chart(tables.quotes, entities=tables.entities, by="affiliation")
    assert _bars(by_aff) == {"United States": 4, "Russia": 2, "Ukraine": 1}
    by_type = charts.quotes_by_speaker_chart(tables.quotes, entities=tables.entities, by="source_type")
    assert _bars(by_type) == {"named person": 2, "anonymous source": 3, "organisation": 2}


def test_a_bar_of_unnamed_sources_opens_exactly_their_quotes(tables):
    fig = charts.quotes_by_speaker_chart(tables.quotes, entities=tables.entities)
    cd = next(list(c) for tr in fig.data if isinstance(tr, go.Bar) for c, y in zip(tr.customdata, tr.y)
              if y == "unnamed sources · United States")
    assert cd == ["unnamed:anonymous:United States", "unnamed sources · United States", "speaker"]
    ev = evidence_for("quotes_by_speaker", cd, tables)
    assert sorted(ev["sent_id"]) == [2, 3]
    assert sorted(evidence_for("quotes_by_speaker", ["Russia", "Russia", "affiliation"], tables)["sent_id"]) == [4, 5]
    assert sorted(evidence_for("quotes_by_speaker", ["Q_blinken", "Antony Blinken"], tables)["sent_id"]) == [0, 1]


def test_named_speaker_without_quote_affiliation_takes_its_entity_affiliation(tables):
    q = tables.quotes.assign(speaker_affiliation=None)
    g = speaker_groups(q, tables.entities, by="affiliation")
    assert g["key"].tolist() == ["United States", "United States", "no affiliation", "no affiliation", "Russia",
                                 "no affiliation", "no affiliation", None]
    with pytest.raises(ValueError):
        speaker_groups(q, by="outlet")
