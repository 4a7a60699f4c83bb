"""Bad input gets a row or a note naming the file, and the rest of the corpus is read (issue 21).

Each case puts one bad input next to a good seed article and checks both: the bad
one's exact ``status``/``notes``, and the seed read as it is alone.
"""
import builtins
import codecs
import datetime as dt
import logging
import os
import tracemalloc

import pytest

from ukraine_briefs.ingest import clean, corpus, textio, walk

SEED = "001_1e948bf9bd27d1c1.txt"
SENTENCE = "Russian troops gathered near the border, officials said on Thursday. "  # 69 characters


def _docs(path):
    return {d.doc_id: d for d in corpus.read_corpus(path)}


@pytest.fixture
def with_seed(tmp_path, seeds_dir):
    """A corpus directory holding seed 001 as good.txt; returns the directory and that seed read alone."""
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "good.txt").write_text((seeds_dir / SEED).read_text())
    expected = _docs(alone)["good"]
    corpus_dir = tmp_path / "c"
    corpus_dir.mkdir()
    (corpus_dir / "good.txt").write_text((seeds_dir / SEED).read_text())
    return corpus_dir, expected


def _assert_intact(docs, expected):
    got = docs["good"]
    assert got.status == "ok" and got.notes is None
    assert (got.title, got.text, got.content_hash) == (expected.title, expected.text, expected.content_hash)


# 1. UTF-16 / UTF-32 with a byte-order mark


@pytest.mark.parametrize(
    "encoding, bom, label",
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16 LE"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16 BE"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32 LE"),
        ("utf-32-be", codecs.BOM_UTF32_BE, "UTF-32 BE"),
    ],
)
def test_utf16_utf32_with_bom_decoded(with_seed, encoding, bom, label):
    root, expected = with_seed
    raw = "Kuleba in Kyiv\r\n\r\nDmytro Kuleba said on Thursday that “Ukraine will not yield” to Moscow.\r\n"
    (root / "wide.txt").write_bytes(bom + raw.encode(encoding))
    docs = _docs(root)
    d = docs["wide"]
    assert d.status == "ok"
    assert d.title == "Kuleba in Kyiv"
    assert d.text == "Kuleba in Kyiv\n\nDmytro Kuleba said on Thursday that “Ukraine will not yield” to Moscow."
    assert d.notes == f"decoded as {label} (byte-order mark)"
    _assert_intact(docs, expected)


def test_utf16_with_invalid_bytes_replaced_and_noted():
    data = codecs.BOM_UTF16_LE + "Kyiv ".encode("utf-16-le") + b"\x00\xdc" + "Lviv".encode("utf-16-le")
    assert textio.decode(data) == (
        "Kyiv \ufffdLviv",
        "decoded as UTF-16 LE (byte-order mark); invalid bytes at 10 and after replaced",
    )


def test_utf8_cut_inside_a_character_by_the_read_limit():
    data = "Kyiv – Lviv".encode("utf-8")[:7]  # the dash is 3 bytes: two of them read
    assert textio.decode(data, complete=False) == ("Kyiv ", None)


# 2. over-long texts


@pytest.mark.parametrize(
    "text, limit, expected",
    [
        # a lone paragraph break far back (after the headline) is not used
        ("Headline\n\n" + SENTENCE * 4, 160, (147, "a sentence end")),
        ("Headline\n\n" + SENTENCE + "\n\n" + SENTENCE * 3, 160, (149, "a sentence end")),
        # a sentence end only further back than 10% of the limit: a space near the limit
        ("Headline\n\n" + SENTENCE * 4, 200, (198, "a space")),
        ("Headline\n\n" + SENTENCE * 3 + "\n\n" + SENTENCE, 220, (217, "a paragraph break")),
        ("Headline\n\n" + "word " * 100, 100, (99, "a space")),
        ("Headline\n\n" + "x" * 300, 100, (100, "the character limit")),
        ("short", 100, (5, "the end")),
    ],
)
def test_cut_point(text, limit, expected):
    assert textio.cut_point(text, limit) == expected


def test_over_long_text_with_one_paragraph_break_cut_at_a_sentence(with_seed):
    root, expected = with_seed
    n = 9_000_000 // len(SENTENCE) + 1  # over READ_LIMIT (8 MB): only the head is read
    (root / "huge.txt").write_text("Troops gather on border\n\n" + SENTENCE * n)
    size = (root / "huge.txt").stat().st_size
    docs = _docs(root)
    d = docs["huge"]
    assert d.status == "ok" and d.title == "Troops gather on border"
    # not 23 characters (the headline): the headline and 14,492 whole sentences
    assert d.text == "Troops gather on border\n\n" + (SENTENCE * 14_492)[:-1]
    assert len(d.text) == 999_972
    assert d.notes == f"over 1,000,000 characters: kept the first 999,972, cut at a sentence end (the file has {size:,} bytes)"
    _assert_intact(docs, expected)


def test_over_long_record_noted_with_its_length(tmp_path):
    body = SENTENCE * 20_000  # 1,380,000 characters, one paragraph
    (tmp_path / "big.jsonl").write_text('{"id": "r", "title": "Troops", "text": "%s"}\n' % body)
    d = _docs(tmp_path)["r"]
    assert d.text == "Troops\n\n" + (SENTENCE * 14_492)[:-1]
    assert d.notes == "over 1,000,000 characters: kept the first 999,955, cut at a sentence end (the text had 1,380,000 characters)"


def test_reading_a_huge_file_holds_a_bounded_amount(tmp_path):
    (tmp_path / "a.txt").write_text("Troops\n\n" + SENTENCE * (30_000_000 // len(SENTENCE)))  # 30 MB
    tracemalloc.start()
    try:
        d = next(corpus.read_corpus(tmp_path / "a.txt"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(d.text) == 999_955
    # the 8 MB head as bytes and as text, the 2M-character cut and its cleaning (23 MB); not 30 MB of each
    assert peak < 30e6, peak


# 3. what the directory walk cannot look at


def test_unreadable_directory_becomes_a_row(with_seed, monkeypatch):
    root, expected = with_seed
    (root / "locked").mkdir()
    (root / "locked" / "inside.txt").write_text("Title\n\nText.")
    real = os.scandir

    def scandir(path):
        if os.path.basename(path) == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    docs = _docs(root)
    assert sorted(docs) == ["good", "locked"]
    d = docs["locked"]
    assert (d.path, d.format) == (str(root / "locked"), "dir")
    assert d.status == "error: cannot read directory (Permission denied); its files are not in the corpus"
    _assert_intact(docs, expected)


def test_broken_link_and_pipe_become_rows(with_seed):
    root, expected = with_seed
    (root / "gone.txt").symlink_to(root / "deleted.txt")
    (root / "notes").symlink_to("nowhere")  # no input suffix on either side: not an input
    os.mkfifo(root / "pipe.txt")  # reading it would block the build
    docs = _docs(root)
    assert sorted(docs) == ["gone", "good", "pipe"]
    assert docs["gone"].status == f"error: broken symbolic link (its target {str(root / 'deleted.txt')!r} does not exist)"
    assert docs["gone"].path == str(root / "gone.txt")
    assert docs["pipe"].status == "error: not a regular file (a pipe, socket or device); not read"
    _assert_intact(docs, expected)


def test_link_loop_is_walked_once(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("A\n\nText.")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    files, skipped = walk.find_inputs(tmp_path)
    assert files == [tmp_path / "sub" / "a.txt"] and skipped == []


# 4. metadata that says what happened


def test_metadata_date_that_does_not_parse_says_what_was_done(tmp_path):
    (tmp_path / "x.txt").write_text("Blinken in Stockholm\n\nOn Thursday, December 2, 2021, Blinken met Lavrov. The interview was frank.")
    (tmp_path / "y.txt").write_text("Blinken in Stockholm\n\nBlinken met Lavrov.")
    (tmp_path / "metadata.csv").write_text("file,published\nx.txt,xx\ny.txt,soon\n")
    docs = _docs(tmp_path)
    assert (docs["x"].published, docs["x"].date_source) == (dt.date(2021, 12, 2), "inferred")
    assert docs["x"].notes == "metadata.csv row 2: published date 'xx' does not parse; inferred from the text as 2021-12-02"
    assert (docs["y"].published, docs["y"].date_source) == (None, "unknown")
    assert docs["y"].notes == "metadata.csv row 3: published date 'soon' does not parse; no date found in the text"


def test_metadata_without_file_column_gets_one_row(with_seed, caplog):
    root, expected = with_seed
    (root / "metadata.csv").write_text("name,title,outlet\ngood.txt,Other title,Bloomberg\nx.txt,X,Y\n")
    with caplog.at_level(logging.WARNING):
        docs = _docs(root)
    assert sorted(docs) == ["good", "metadata.csv"]
    m = docs["metadata.csv"]
    assert m.status == (
        f"error: {root / 'metadata.csv'}: no 'file' column (its columns: 'name', 'title', 'outlet'); "
        "files are read without metadata"
    )
    assert "row 2" not in caplog.text
    _assert_intact(docs, expected)


def test_metadata_row_without_file_value_and_unused_columns(with_seed):
    root, expected = with_seed
    (root / "x.txt").write_text("Kuleba speaks\n\nKuleba said talks matter.")
    (root / "metadata.csv").write_text("file,outlet,author,tags\nx.txt,Ukrinform,Jane Doe,war\n,Lost,,\n")
    docs = _docs(root)
    assert docs["x"].outlet == "Ukrinform"
    assert docs["x"].notes == (
        "metadata.csv: columns not used: 'author', 'tags' "
        "(known: 'doc_id', 'file', 'title', 'outlet', 'url', 'published', 'date_note')"
    )
    assert docs["metadata.csv"].status == f"error: {root / 'metadata.csv'}: row 3 has no 'file' value; row not used"
    _assert_intact(docs, expected)


def test_record_fields_not_used_are_noted(tmp_path):
    (tmp_path / "r.jsonl").write_text('{"id": "a", "text": "Kuleba said talks matter.", "author": "Jane", "lang": "en"}\n')
    assert _docs(tmp_path)["a"].notes == "record 1: fields not used: 'author', 'lang'"


def test_duplicate_doc_id_renamed_with_a_note(with_seed):
    root, expected = with_seed
    (root / "sub").mkdir()
    (root / "a.txt").write_text("First\n\nKuleba spoke.")
    (root / "sub" / "a.txt").write_text("Second\n\nLavrov spoke.")
    docs = _docs(root)
    assert (docs["a"].title, docs["a"].notes) == ("First", None)
    assert docs["a-2"].title == "Second"
    assert docs["a-2"].notes == f"doc id 'a' already used by {root / 'a.txt'}; renamed 'a-2'"
    _assert_intact(docs, expected)


# 5. a missing optional parser


def test_html_parser_import_failure_is_a_row_for_that_page(with_seed, monkeypatch):
    root, expected = with_seed
    (root / "page.html").write_text("<html><body><p>Kuleba said talks matter.</p></body></html>")
    real = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "trafilatura":
            raise ModuleNotFoundError("No module named 'lxml_html_clean'", name="lxml_html_clean")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    docs = _docs(root)
    assert docs["page"].status == (
        "error: cannot parse HTML: module 'lxml_html_clean' is missing "
        "(No module named 'lxml_html_clean'); install it to read HTML pages"
    )
    assert docs["page"].format == "html"
    _assert_intact(docs, expected)


def test_html_parser_crash_is_a_row_for_that_page(tmp_path, monkeypatch):
    (tmp_path / "page.html").write_text("<html><body><p>Text.</p></body></html>")
    (tmp_path / "b.txt").write_text("B\n\nKuleba spoke.")

    def boom(html):
        raise RuntimeError("parser\nbroke")

    monkeypatch.setattr(corpus, "_extract_html", boom)
    docs = _docs(tmp_path)
    assert docs["page"].status == "error: cannot parse HTML: RuntimeError: parser broke"
    assert docs["b"].status == "ok"


def test_unexpected_error_loses_only_its_file(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text("A\n\nKuleba spoke.")
    (tmp_path / "b.txt").write_text("B\n\nLavrov spoke.")
    real = corpus._read_text_file

    def flaky(p, meta):
        if p.name == "a.txt":
            raise KeyError("oops")
        return real(p, meta)

    monkeypatch.setattr(corpus, "_read_text_file", flaky)
    docs = _docs(tmp_path)
    assert docs["a"].status == "error: unexpected error reading the file (KeyError: 'oops')"
    assert docs["b"].status == "ok" and docs["b"].text == "B\n\nLavrov spoke."


# 6. bidirectional controls


def test_bidi_controls_removed_from_title_and_body(with_seed):
    root, expected = with_seed
    (root / "bidi.txt").write_text("\u202eKyiv\u202c warns \u2066Moscow\u2069\n\nPutin\u200f said \u061cno\u200e to \u202aNATO\u202c.")
    (root / "meta.txt").write_text("ignored\n\nLavrov spoke.")
    (root / "metadata.csv").write_text("file,title\nmeta.txt,\"Lavrov \u202eanswers\u202c \u2066Blinken\u2069\"\n")
    docs = _docs(root)
    assert docs["bidi"].title == "Kyiv warns Moscow"
    assert docs["bidi"].text == "Kyiv warns Moscow\n\nPutin said no to NATO."
    assert docs["meta"].title == "Lavrov answers Blinken"
    _assert_intact(docs, expected)


def test_drop_bidi_controls_step_is_in_the_chain():
    assert clean.drop_bidi_controls in clean.STEPS
    assert clean.drop_bidi_controls("a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j\u200ek\u200fl\u061cm") == "abcdefghijklm"
