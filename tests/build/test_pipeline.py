"""The build on the seeds: eight tables with the contract's schemas, cache, incremental rebuild, manifest, CLI."""
import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from ukraine_briefs import config
from ukraine_briefs.api import open_tables
from ukraine_briefs.build import batch, merge, run, store
from ukraine_briefs.cli import main
from ukraine_briefs.extract import sentiment
from ukraine_briefs.ingest import corpus as corpus_mod
from ukraine_briefs.ingest.corpus import read_corpus
from ukraine_briefs.tables.io import read_tables
from ukraine_briefs.types import SCHEMAS, to_frame, validate

pytestmark = pytest.mark.slow


def test_all_tables_match_schema(seed_corpus):
    for t in config.TABLES:
        df = seed_corpus.table(t)
        validate(df, t)
        assert list(df.columns[: len(SCHEMAS[t])]) == list(SCHEMAS[t])


def test_documents_and_sentences_on_seeds(seed_corpus):
    docs = seed_corpus.documents.set_index("doc_id")
    assert (docs["status"] == "ok").all()
    sents = seed_corpus.sentences
    counts = sents.groupby("doc_id").size()
    assert (docs["n_sentences"] == counts.reindex(docs.index)).all()
    # every sentence's offsets point into the stored cleaned text
    text = docs["text"].to_dict()
    for r in sents.itertuples():
        assert text[r.doc_id][r.start_char : r.end_char] == r.text
    # a sentence never spans two paragraphs; the headline is paragraph 0
    assert not sents["text"].str.contains("\n").any()
    first = sents[(sents.doc_id == "004_f7b56a30d10889f8") & (sents.sent_id == 0)].iloc[0]
    assert first.paragraph_id == 0 and first.text.startswith("Antony Blinken:")
    label = sents[sents.text == "Efi Koutsokosta, euronews:"]
    assert len(label) == 1 and label.iloc[0].doc_id == "004_f7b56a30d10889f8"
    assert docs.loc["002_2a04001c2d71372e", "published"] == pd.Timestamp("2021-12-06")
    assert sents["sentiment"].between(-1, 1).all()


def test_offsets_of_every_table_point_into_text(seed_corpus):
    text = seed_corpus.documents.set_index("doc_id")["text"].to_dict()
    for t, col in (("mentions", "surface"), ("quotes", "text"), ("dates", "text")):
        for r in seed_corpus.table(t).itertuples():
            assert text[r.doc_id][r.start_char : r.end_char] == getattr(r, col), (t, r)


def test_incremental_rebuild_reparses_only_changed(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    out = tmp_path / "out"
    first = run.build(corpus, out, progress=False)
    assert (first.n_parsed, first.n_reused) == (5, 0)
    before = read_tables(out)
    again = run.build(corpus, out, progress=False)
    assert (again.n_parsed, again.n_reused) == (0, 5)
    f = corpus / "001_1e948bf9bd27d1c1.txt"
    f.chmod(0o644)
    f.write_text(f.read_text().replace("Stoltenberg told a news conference.", "Stoltenberg told reporters in Riga."))
    third = run.build(corpus, out, progress=False)
    assert (third.n_parsed, third.n_reused) == (1, 4)
    after = read_tables(out)
    unchanged = before["sentences"][before["sentences"].doc_id != "001_1e948bf9bd27d1c1"]
    pd.testing.assert_frame_equal(
        unchanged.reset_index(drop=True),
        after["sentences"][after["sentences"].doc_id != "001_1e948bf9bd27d1c1"].reset_index(drop=True),
    )
    assert after["sentences"]["text"].str.contains("Stoltenberg told reporters in Riga.").any()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["pipeline_version"] == config.PIPELINE_VERSION and manifest["n_parsed"] == 1
    assert manifest["extractors"] == config.extractor_fingerprint()
    assert manifest["source"] == str(corpus)


def test_manifest_records_the_corpus_path(tmp_path):
    """``source`` names the corpus the tables came from (null when the build was given Document records)."""
    src = tmp_path / "c"
    src.mkdir()
    (src / "brief.txt").write_text("Talks in Geneva\n\nBlinken met Lavrov in Geneva on Friday, officials said.")
    run.build(src, tmp_path / "a", progress=False, sentiment="fast")
    assert json.loads((tmp_path / "a" / "manifest.json").read_text())["source"] == str(src)
    run.build(list(read_corpus(src)), tmp_path / "b", progress=False, sentiment="fast")
    assert json.loads((tmp_path / "b" / "manifest.json").read_text())["source"] is None


def test_edited_extractor_data_reextracts_everything(tmp_path, seeds_dir, monkeypatch):
    """A changed rule file (here: a copy of the data folder with one more threat word) invalidates every cached row."""
    out = tmp_path / "out"
    assert run.build(seeds_dir, out, progress=False).n_parsed == 5
    assert run.build(seeds_dir, out, progress=False).n_parsed == 0
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    with (data / "threat_taxonomy.v1.yaml").open("a") as fh:
        fh.write("\n# an edit\n")
    monkeypatch.setattr(config, "DATA_DIR", data)
    config.extractor_fingerprint.cache_clear()
    try:
        report = run.build(seeds_dir, out, progress=False)
    finally:
        config.extractor_fingerprint.cache_clear()
    assert (report.n_parsed, report.n_reused) == (5, 0)


def test_failed_sentiment_fails_only_its_document(tmp_path, seeds_dir, monkeypatch):
    real = sentiment.scores

    def picky(texts, *, method=None):
        if any("Zelenskiy" in t for t in texts):  # only seed 001 spells him so
            raise RuntimeError("bad text")
        return real(texts, method=method)

    monkeypatch.setattr(sentiment, "scores", picky)
    out = tmp_path / "out"
    run.build(seeds_dir, out, progress=False, sentiment="fast", batch_docs=5)
    docs = read_tables(out)["documents"].set_index("doc_id")["status"]
    assert docs["001_1e948bf9bd27d1c1"] == "error: sentiment failed (RuntimeError: bad text)"
    assert (docs.drop("001_1e948bf9bd27d1c1") == "ok").all()
    sents = read_tables(out)["sentences"]
    assert sorted(sents["doc_id"].str[:3].unique()) == ["000", "002", "003", "004"]


def test_sentiment_method_is_part_of_the_cache_key(tmp_path, seeds_dir, seed_corpus):
    out = tmp_path / "out"
    assert run.build(seeds_dir, out, progress=False, sentiment="fast").n_parsed == 5
    fast = read_tables(out)
    assert json.loads((out / "manifest.json").read_text())["sentiment"] == "fast"
    assert run.build(seeds_dir, out, progress=False, sentiment="fast").n_parsed == 0
    report = run.build(seeds_dir, out, progress=False)  # the default: accurate
    assert (report.n_parsed, report.n_reused) == (5, 0)
    accurate = read_tables(out)
    pd.testing.assert_frame_equal(accurate["sentences"], seed_corpus.sentences)
    pd.testing.assert_frame_equal(fast["sentences"].drop(columns="sentiment"), accurate["sentences"].drop(columns="sentiment"))
    # seed 000, sentence 12: the conditional warning the lexicons read as positive
    row = lambda t: t["sentences"].set_index(["doc_id", "sent_id"]).loc[("000_71ffaa25917f853c", 12)]
    assert row(fast)["text"].startswith("“The United States is willing to facilitate this")
    assert row(fast)["sentiment"] > 0.2 and abs(row(accurate)["sentiment"]) < 0.125


def test_failed_extraction_keeps_the_rest(tmp_path, seeds_dir, monkeypatch):
    real = batch.extract_doc

    def flaky(doc, *, doc_id, published, **kw):
        if doc_id == "002_2a04001c2d71372e":
            raise RuntimeError("boom")
        return real(doc, doc_id=doc_id, published=published, **kw)

    monkeypatch.setattr(batch, "extract_doc", flaky)
    out = tmp_path / "out"
    run.build(seeds_dir, out, progress=False)
    t = read_tables(out)
    status = t["documents"].set_index("doc_id")["status"]
    assert status["002_2a04001c2d71372e"] == "error: extraction failed (RuntimeError: boom)"
    assert (status.drop("002_2a04001c2d71372e") == "ok").all()
    assert set(t["sentences"].doc_id) == set(status.index) - {"002_2a04001c2d71372e"}
    # the failed document is retried by the next build
    monkeypatch.setattr(batch, "extract_doc", real)
    assert run.build(seeds_dir, out, progress=False).n_parsed == 1


def test_two_processes_give_identical_tables(tmp_path, seeds_dir, seed_corpus):
    out = tmp_path / "mp"
    run.build(seeds_dir, out, progress=False, n_process=2, batch_docs=2)
    got = read_tables(out)
    for t in config.TABLES:
        exp = seed_corpus.table(t)
        pd.testing.assert_frame_equal(got[t].reset_index(drop=True), exp.reset_index(drop=True), obj=t)


def test_workers_started_during_the_read_give_identical_tables(tmp_path, seeds_dir, seed_corpus, monkeypatch):
    """The early worker start (a core left for the reading process) is the path of machines with more
    cores than workers; forced here by reporting 4 cores, it must start the pool and change nothing."""
    started = []
    real = run.start_pool
    monkeypatch.setattr(run, "_cores", lambda: 4)
    monkeypatch.setattr(run, "start_pool", lambda *a, **k: started.append(a[0]) or real(*a, **k))
    out = tmp_path / "early"
    run.build(seeds_dir, out, progress=False, n_process=2, batch_docs=1)
    assert started == [2]
    got = read_tables(out)
    for t in config.TABLES:
        pd.testing.assert_frame_equal(got[t].reset_index(drop=True), seed_corpus.table(t).reset_index(drop=True), obj=t)


def test_cli_build_writes_eight_tables_and_open_tables_needs_no_spacy(tmp_path, seeds_dir, seed_corpus):
    out = tmp_path / "tables"
    exe = shutil.which("ukraine-briefs") or str(Path(sys.executable).parent / "ukraine-briefs")
    r = subprocess.run([exe, "build", str(seeds_dir), "--out", str(out), "-q"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "5 documents (5 ok, 0 with errors)" in r.stdout
    assert sorted(p.stem for p in out.glob("*.parquet")) == sorted(config.TABLES)
    code = (
        "import sys; from ukraine_briefs import open_tables; c = open_tables(sys.argv[1]); "
        "assert 'spacy' not in sys.modules, 'spacy imported'; print(len(c.documents))"
    )
    r = subprocess.run([sys.executable, "-c", code, str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "5"
    reopened = open_tables(out)
    for t in config.TABLES:
        pd.testing.assert_frame_equal(reopened.table(t), seed_corpus.table(t), obj=t)
    r = subprocess.run([exe, "info", "--tables", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "sentences          278 rows" in r.stdout
    assert f"with spaCy model {config.DEFAULT_MODEL}, sentiment method accurate" in r.stdout


def test_cli_reports_missing_corpus(tmp_path):
    assert main(["build", str(tmp_path / "missing"), "--out", str(tmp_path / "o"), "-q"]) == 2


def test_streamed_tables_equal_in_memory_finalize(tmp_path, seeds_dir, monkeypatch):
    """Part files + run-by-run ParquetWriter give exactly what `finalize` gives over all rows in memory."""
    monkeypatch.setattr(store, "ROW_GROUP", 50)  # several row groups per streamed table
    out = tmp_path / "out"
    run.build(seeds_dir, out, progress=False, batch_docs=2)
    got = read_tables(out)
    assert len(list((out / "_raw" / "sentences").glob("*.parquet"))) == 3  # batches of 2 + 2 + 1
    documents = to_frame("documents", read_corpus(seeds_dir))
    raw = batch.process_batch([batch.Item(d, t, p.date()) for d, t, p in
                                  zip(documents.doc_id, documents.text, documents.published)])
    exp = merge.finalize(documents, raw)
    for t in config.TABLES:
        pd.testing.assert_frame_equal(got[t], exp[t], obj=t)


def test_incremental_rebuild_keeps_parts_and_collects_garbage(tmp_path, seeds_dir):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    out = tmp_path / "out"
    run.build(corpus, out, progress=False, batch_docs=5)
    first = read_tables(out)
    (part,) = [p.stem for p in (out / "_raw" / "mentions").glob("*.parquet")]
    # nothing changed: the build returns without rewriting a table
    mtime = (out / "sentences.parquet").stat().st_mtime_ns
    assert run.build(corpus, out, progress=False).n_parsed == 0
    assert (out / "sentences.parquet").stat().st_mtime_ns == mtime
    f = corpus / "003_b615234f99288862.txt"
    f.chmod(0o644)
    f.write_text(f.read_text().replace("two days after President Joe Biden", "three days after President Joe Biden"))
    assert run.build(corpus, out, progress=False).n_parsed == 1
    index = pd.read_parquet(out / "_raw" / "index.parquet").set_index("doc_id")["part"]
    assert (index.drop("003_b615234f99288862") == part).all() and index["003_b615234f99288862"] != part
    # the old part still holds four documents' rows, so it stays; order follows the corpus
    after = read_tables(out)
    assert list(after["documents"].doc_id) == list(first["documents"].doc_id)
    assert list(after["sentences"].doc_id.unique()) == list(first["sentences"].doc_id.unique())
    assert after["sentences"]["text"].str.contains("three days after President Joe Biden").any()
    f.unlink()
    assert run.build(corpus, out, progress=False).n_parsed == 0
    index = pd.read_parquet(out / "_raw" / "index.parquet")
    assert sorted(p.stem for p in (out / "_raw" / "mentions").glob("*.parquet")) == [part]
    assert len(index) == 4 and "003_b615234f99288862" not in set(read_tables(out)["sentences"].doc_id)


def test_items_take_texts_a_batch_at_a_time(seeds_dir, tmp_path):
    docs = list(read_corpus(seeds_dir))
    staged = tmp_path / "staged.parquet"
    # two documents per row group: the texts are read a group at a time, and only kept there
    meta = store.stage_documents(docs, staged, chunk=2)
    assert "text" not in meta.columns and list(meta["doc_id"]) == [d.doc_id for d in docs]
    assert pq.ParquetFile(staged).num_row_groups == 3
    items = store.Items(staged, [4, 0, 2])
    assert len(items) == 3 and items[0].doc_id == "004_f7b56a30d10889f8"
    assert [i.doc_id for i in items[1:]] == ["000_71ffaa25917f853c", "002_2a04001c2d71372e"]
    assert items[-1].published == datetime.date(2021, 12, 6)
    assert items[0].text == docs[4].text
    assert [[i.doc_id[:3] for i in b] for b in batch.batches(items, 2)] == [["004", "000"], ["002"]]


def test_cross_document_merge_renames_everywhere(tmp_path):
    """A misspelt full name in one article merges with the right one in another, names included."""
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_text(
        "Aid to Kyiv\n\n“The United States has provided Ukraine with military assistance,” said Sascha Glaeser, "
        "research assistant at Defense Priorities.\n\nGlaeser said the aid would continue.\n"
    )
    (corpus / "b.txt").write_text(
        "Aid to Kiev\n\n“Since Russia annexed Crimea in 2014, aid has grown,” said Sascha Glaezer, "
        "research assistant at Defense Priorities.\n\nGlaezer said the aid would continue.\n"
    )
    out = tmp_path / "o"
    run.build(corpus, out, progress=False)
    t = read_tables(out)
    people = t["mentions"][t["mentions"].label == "PERSON"]
    assert set(people["entity_id"]) == {"person:sascha_glaeser"}
    assert set(people["canonical_name"]) == {"Sascha Glaeser"}
    direct = t["quotes"][t["quotes"]["kind"] != "indirect"]
    assert list(direct["speaker_name"]) == ["Sascha Glaeser", "Sascha Glaeser"]
    # reported speech ("Glaezer said the aid would continue") takes the merged name too
    assert set(t["quotes"]["speaker_name"]) == {"Sascha Glaeser"}
    row = t["entities"].set_index("entity_id").loc["person:sascha_glaeser"]
    assert (row.n_docs, row.n_mentions) == (2, 4)
    assert "Sascha Glaezer" in row.aliases.split("; ")


def test_read_cache_rereads_only_changed_files(tmp_path, seeds_dir, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)  # copies keep the seeds' old modification times
    out = tmp_path / "out"
    run.build(corpus, out, progress=False)
    first = read_tables(out, ["documents"])["documents"]
    assert len(pd.read_parquet(out / "_raw" / store.READ_CACHE)) == 5

    reads = []
    real = corpus_mod._read_text_file
    monkeypatch.setattr(corpus_mod, "_read_text_file", lambda p, meta: reads.append(p.name) or real(p, meta))
    run.build(corpus, out, progress=False)
    assert reads == []
    pd.testing.assert_frame_equal(first, read_tables(out, ["documents"])["documents"])

    # a changed metadata row re-reads its file only
    meta = corpus / "metadata.csv"
    meta.chmod(0o644)
    meta.write_text(meta.read_text().replace("euronews (translated repost)", "Euronews English"))
    run.build(corpus, out, progress=False)
    assert reads == ["004_f7b56a30d10889f8.txt"]
    docs = read_tables(out, ["documents"])["documents"]
    assert docs.loc[docs.doc_id == "004_f7b56a30d10889f8", "outlet"].tolist() == ["Euronews English"]

    # an edit of the same size, its modification time set back in the past: still seen (mtime differs)
    f = corpus / "001_1e948bf9bd27d1c1.txt"
    f.chmod(0o644)
    old = f.stat().st_mtime_ns
    f.write_text(f.read_text().replace("told a news conference", "told a NEWS conference"))
    os.utime(f, ns=(old - 10**9, old - 10**9))
    reads.clear()
    report = run.build(corpus, out, progress=False)
    assert reads == ["001_1e948bf9bd27d1c1.txt"] and report.n_parsed == 1
    assert read_tables(out, ["documents"])["documents"]["text"].str.contains("told a NEWS conference").any()


def test_read_cache_covers_html_pages(tmp_path, monkeypatch):
    src = tmp_path / "c"
    src.mkdir()
    body = "Kuleba said on Monday that Ukraine would not give up any territory. " * 3
    page = src / "page.html"
    page.write_text(f"<html><head><title>Kuleba</title></head><body><article><h1>Kuleba</h1><p>{body}</p></article></body></html>")
    os.utime(page, ns=(page.stat().st_mtime_ns - 5 * 10**9,) * 2)  # not "racy"
    reads = []
    real = corpus_mod._read_html
    monkeypatch.setattr(corpus_mod, "_read_html", lambda p, meta: reads.append(p.name) or real(p, meta))
    out = tmp_path / "out"
    run.build(src, out, progress=False)
    run.build(src, out, progress=False)
    assert reads == ["page.html"]  # trafilatura ran once
    docs = read_tables(out, ["documents"])["documents"]
    assert docs["format"].tolist() == ["html"] and "give up any territory" in docs["text"][0]


def test_read_cache_renames_duplicates_afresh(tmp_path):
    """The cache keeps ids as read, so a duplicate renamed x-2 becomes x once the first x is gone."""
    src = tmp_path / "c"
    for sub in ("a", "b"):
        (src / sub).mkdir(parents=True)
        f = src / sub / "brief.txt"
        f.write_text(f"Talks in {sub.upper()}\n\nBlinken met Lavrov in Geneva on Friday, officials said.")
        os.utime(f, ns=(f.stat().st_mtime_ns - 5 * 10**9,) * 2)
    out = tmp_path / "out"
    run.build(src, out, progress=False)
    assert read_tables(out, ["documents"])["documents"]["doc_id"].tolist() == ["brief", "brief-2"]
    shutil.rmtree(src / "a")
    run.build(src, out, progress=False)
    docs = read_tables(out, ["documents"])["documents"]
    assert docs["doc_id"].tolist() == ["brief"] and docs["text"][0].startswith("Talks in B")


def test_read_cache_skips_files_written_moments_ago(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Putin spoke on Monday.\n\nHe said more.")
    assert corpus_mod.read_key(f, None) is None  # racy: a second write this clock tick could keep the mtime
    os.utime(f, ns=(f.stat().st_mtime_ns - 5 * 10**9,) * 2)
    assert len(corpus_mod.read_key(f, None)) == 40
