"""Reading a corpus: formats, metadata, publication dates, and bad input."""
import datetime as dt
import json
import logging

import pytest

from ukraine_briefs.ingest import corpus, pubdate
from ukraine_briefs.types import to_frame, validate


def _docs(path):
    return {d.doc_id: d for d in corpus.read_corpus(path)}


def test_seeds_with_metadata(seeds_dir):
    docs = _docs(seeds_dir)
    assert sorted(docs) == [
        "000_71ffaa25917f853c", "001_1e948bf9bd27d1c1", "002_2a04001c2d71372e",
        "003_b615234f99288862", "004_f7b56a30d10889f8",
    ]
    assert {d: docs[d].published.isoformat() for d in docs} == {
        "000_71ffaa25917f853c": "2021-12-02",
        "001_1e948bf9bd27d1c1": "2021-12-01",
        "002_2a04001c2d71372e": "2021-12-06",
        "003_b615234f99288862": "2022-01-21",
        "004_f7b56a30d10889f8": "2021-12-03",
    }
    assert all(d.status == "ok" and d.date_source == "metadata" and d.date_note for d in docs.values())
    assert docs["001_1e948bf9bd27d1c1"].outlet == "Bloomberg (blog repost)"
    # the headline is the first paragraph of the stored text (headline quotes are evidence)
    d4 = docs["004_f7b56a30d10889f8"]
    assert d4.text.startswith("Antony Blinken: “In case of Russian aggression in Ukraine, we will respond”\n\n")
    validate(to_frame("documents", docs.values()), "documents")


def test_title_from_first_line_without_metadata(tmp_path, seeds_dir):
    (tmp_path / "a.txt").write_text((seeds_dir / "003_b615234f99288862.txt").read_text())
    d = _docs(tmp_path)["a"]
    assert d.title == (  # "My Blog", "Politics" dropped
        "Blinken warns any Russian ‘invasion’ of Ukraine can be met with a ‘serious and a united reaction’ "
        "following Lavrov assembly"
    )
    assert d.date_source == "unknown" and d.published is None  # the text names weekdays but no month-day


def test_jsonl_and_csv_records(tmp_path):
    recs = [
        {"id": "a1", "title": "Lavrov speaks", "text": "Lavrov said on Friday that Russia will not attack.",
         "published": "2022-01-21", "outlet": "TASS", "url": "http://example.org/a1"},
        {"title": "No text here"},
        "not an object",
    ]
    (tmp_path / "batch.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n{broken json\n")
    (tmp_path / "more.csv").write_text('title,text,published,outlet\nKuleba,"Kuleba said talks matter.",2022-02-01,Ukrinform\n')
    docs = _docs(tmp_path)
    a1 = docs["a1"]
    assert (a1.title, a1.outlet, a1.published, a1.status) == ("Lavrov speaks", "TASS", dt.date(2022, 1, 21), "ok")
    assert a1.text == "Lavrov speaks\n\nLavrov said on Friday that Russia will not attack."
    assert docs["batch-2"].status == "error: record 2 has no 'text'"
    assert docs["batch-3"].status.startswith("error: line 3: invalid JSON")
    assert docs["batch-4"].status.startswith("error: line 4: invalid JSON")
    assert docs["more-2"].outlet == "Ukrinform" and docs["more-2"].status == "ok"


def test_html_page(tmp_path):
    body = " ".join(["Ukrainian Foreign Minister Dmytro Kuleba said the talks with Russia must go on."] * 6)
    html = f"""<html><head><title>Kuleba on talks</title></head><body><nav>Home | World</nav>
    <article><h1>Kuleba on talks</h1><p>{body}</p><p>{body}</p></article><footer>Cookie policy</footer></body></html>"""
    (tmp_path / "page.html").write_text(html)
    d = _docs(tmp_path)["page"]
    assert d.status == "ok" and d.format == "html"
    assert "Dmytro Kuleba said the talks" in d.text and "Cookie policy" not in d.text


def test_bad_inputs_each_named_and_rest_processed(tmp_path, seeds_dir, caplog):
    good = (seeds_dir / "001_1e948bf9bd27d1c1.txt").read_text()
    (tmp_path / "good.txt").write_text(good)
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (tmp_path / "latin1.txt").write_bytes("Zelensky à Kiev\n\nLe président a parlé à Genève.".encode("latin-1"))
    huge_par = "Russian troops gathered near the border, officials said on Thursday. " * 50
    (tmp_path / "huge.txt").write_text("Huge\n\n" + "\n\n".join([huge_par] * 1500))  # about 5 MB
    (tmp_path / "metadata.csv").write_text(
        "doc_id,file,title,outlet,url,published,date_note\n"
        "g,good.txt,,Bloomberg,,not-a-date,\n"
        "ghost,missing.txt,Ghost,,,2021-12-01,\n"
    )
    with caplog.at_level(logging.WARNING):
        docs = _docs(tmp_path)
    assert docs["g"].status == "ok" and docs["g"].published is None
    assert docs["g"].notes == "metadata.csv row 2: published date 'not-a-date' does not parse; no date found in the text"
    assert docs["empty"].status == "error: empty file"
    assert docs["binary"].status.startswith("error: binary file")
    assert docs["latin1"].status == "ok" and "Kiev" in docs["latin1"].text and "à" in docs["latin1"].text
    assert "not UTF-8" in docs["latin1"].notes
    huge = docs["huge"]
    assert huge.status == "ok" and len(huge.text) == 997_343 and huge.text.endswith("on Thursday.")
    assert huge.notes == "over 1,000,000 characters: kept the first 997,343, cut at a paragraph break (the file has 5,178,004 bytes)"
    assert docs["ghost"].status == "error: metadata.csv names file 'missing.txt', which does not exist"
    # every message names its file
    for name in ("empty.txt", "binary.txt", "latin1.txt", "huge.txt", "missing.txt", "metadata.csv"):
        assert any(name in r.getMessage() for r in caplog.records), name


def test_missing_corpus_path_raises_clearly(tmp_path):
    with pytest.raises(corpus.CorpusError, match="does not exist"):
        list(corpus.read_corpus(tmp_path / "nope"))


def test_unreadable_metadata_is_reported_and_files_still_read(tmp_path):
    (tmp_path / "a.txt").write_text("Title\n\nPutin spoke on Tuesday.")
    (tmp_path / "metadata.csv").write_bytes(b"\x00\x01binary")
    docs = _docs(tmp_path)
    assert docs["metadata.csv"].status == (
        f"error: {tmp_path / 'metadata.csv'}: cannot read metadata (binary file (NUL bytes), not text); "
        "files are read without it"
    )
    assert docs["a"].status == "ok"


@pytest.mark.parametrize(
    "text, expected",
    [
        # seed 004's "December 2" with the weekday 000 gives for the same meeting, written beside it
        # (issue 19: a year-less date needs a year the text names, and its weekday beside it)
        ("Blinken met Lavrov on Thursday, December 2, their first talks of 2021.", "2021-12-02"),
        # seed 003's events: Geneva on Friday, January 21 (2022), press conference on Wednesday, January 19
        ("Blinken held a meeting Friday, January 21 in Geneva two days after the Wednesday, January 19 press conference, "
         "his first trip of 2022.", "2022-01-21"),
        ("Russia annexed Crimea in 2014. The talks were held on Tuesday, December 7, 2021.", "2021-12-07"),
    ],
)
def test_publication_date_inferred(text, expected):
    got = pubdate.infer_published(text, today=dt.date(2026, 11, 24))
    assert got.date.isoformat() == expected


def test_publication_date_unknown_without_agreement():
    assert pubdate.infer_published("Blinken spoke in Stockholm on December 2.") is None
    # a weekday named elsewhere in the text is too weak to choose the year (issue 19)
    assert pubdate.infer_published("Blinken met Lavrov on Thursday. In an interview on December 2 he said.") is None


def test_inferred_date_recorded_on_document(tmp_path):
    (tmp_path / "x.txt").write_text("Blinken in Stockholm\n\nOn Thursday, December 2, Blinken met Lavrov for the first time in 2021.")
    d = _docs(tmp_path)["x"]
    assert (d.published, d.date_source) == (dt.date(2021, 12, 2), "inferred")
    assert "Thursday" in d.date_note
