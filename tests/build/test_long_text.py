"""A long text is parsed in pieces cut at line ends and joined into one Doc: the same rows as one parse,
every offset into the cleaned text (a 1M-character text parsed whole peaked at 3.07 GB)."""
import dataclasses

import pandas as pd
import pytest

from ukraine_briefs.build import batch
from ukraine_briefs.types import to_frame

PARAGRAPHS = [
    "Russian President Vladimir Putin warned on Tuesday that Moscow would respond to any NATO expansion.",
    "\"We will take retaliatory measures,\" Putin told reporters in Moscow.",
    "Ukrainian Foreign Minister Dmytro Kuleba said on 12 January 2022 that Kyiv would not be intimidated.",
    "U.S. Secretary of State Antony Blinken met Sergei Lavrov in Geneva on Friday, officials said.",
]


def test_pieces_join_back_and_cut_after_line_ends():
    text = "\n".join(PARAGRAPHS * 5)
    parts = batch.pieces(text, size=250)
    assert "".join(parts) == text
    assert len(parts) > 4 and all(len(p) <= 250 for p in parts)
    assert all(p.endswith("\n") for p in parts[:-1])
    # no line end in the window: after a full stop, else after a space, else at the size
    one_line = " ".join(PARAGRAPHS)
    assert [p[-2:] for p in batch.pieces(one_line, size=200)] == [". ", "d."]
    assert batch.pieces("x" * 25, size=10) == ["x" * 10, "x" * 10, "x" * 5]


def test_a_long_text_parsed_in_pieces_gives_the_rows_of_one_parse(nlp, monkeypatch):
    text = "\n".join(PARAGRAPHS * 3)
    whole = next(batch.parse(nlp, [text]))
    monkeypatch.setattr(batch, "PIECE_CHARS", 300)
    assert len(batch.pieces(text, 300)) > 3
    short, joined = batch.parse(nlp, ["Kuleba spoke in Kyiv.", text])
    assert short.text == "Kuleba spoke in Kyiv." and joined.text == text
    got = batch.extract_doc(joined, doc_id="d", published=None, sentiment_method="fast")
    want = batch.extract_doc(whole, doc_id="d", published=None, sentiment_method="fast")
    for table in batch.DOC_TABLES:
        assert [dataclasses.asdict(r) for r in got[table]] == [dataclasses.asdict(r) for r in want[table]], table
    assert len(got["sentences"]) == 12 and sum(q.kind != "indirect" for q in got["quotes"]) == 3
    for s in got["sentences"]:
        assert text[s.start_char:s.end_char] == s.text
    assert [s.paragraph_id for s in got["sentences"]] == list(range(12))
    assert [text[q.start_char:q.end_char] for q in got["quotes"]] == [q.text for q in got["quotes"]]


def test_a_text_over_extract_chars_is_extracted_in_chunks_with_whole_text_rows(nlp, monkeypatch):
    """A text far longer than an article is extracted chunk by chunk (bounded memory): offsets, sentence and
    paragraph numbers and quote/threat ids are those of the whole text, and the rows equal one extraction."""
    text = "\n".join(PARAGRAPHS * 6)
    want = batch.extract_doc(next(batch.parse(nlp, [text])), doc_id="d", published=None, sentiment_method="fast")
    monkeypatch.setattr(batch, "PIECE_CHARS", 300)
    monkeypatch.setattr(batch, "EXTRACT_CHARS", 900)
    chunks = list(batch.parse_chunks(nlp, ["Kuleba spoke in Kyiv.", text], chunk_chars=900))
    assert [c[0] for c in chunks].count(1) >= 3 and [c[3] for c in chunks if c[0] == 1][-1]
    assert all(len(c[2].text) <= 900 for c in chunks)
    got = batch.process_batch([batch.Item("d", text, None)], sentiment_method="fast")
    for table in batch.DOC_TABLES:
        pd.testing.assert_frame_equal(got[table], to_frame(table, want[table]), obj=table)
    direct = got["quotes"][got["quotes"]["kind"] != "indirect"]
    assert list(direct["quote_id"]) == [f"d:q{n}" for n in range(6)]
    assert got["quotes"]["quote_id"].is_unique
    assert got["threats"]["threat_id"].is_unique and len(got["sentences"]) == 24
    assert [text[s:e] for s, e in zip(got["sentences"]["start_char"], got["sentences"]["end_char"])] == list(
        got["sentences"]["text"])
    assert list(got["sentences"]["paragraph_id"]) == list(range(24))
