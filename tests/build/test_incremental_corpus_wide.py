"""An incremental build gives the tables a full build of the same corpus gives, corpus-wide tables included.

The corpus: the five seeds, a spun copy of each (tests/fixtures/stories/spun: five stories of two, quotes
shared across copies) and four clean news texts. One rebuild changes one article (a copy loses its
first paragraph), adds one (a second copy of a seed) and removes one (a seed: its copy becomes the
original of its story); every table must then equal a fresh build's, and the story step must have
computed only the changed and added documents (the rest come from its memo).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from ukraine_briefs import config
from ukraine_briefs.build import run
from ukraine_briefs.extract import stories
from ukraine_briefs.tables.io import read_tables

pytestmark = pytest.mark.slow

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "stories"


def _corpus(seeds_dir: Path, path: Path) -> Path:
    shutil.copytree(seeds_dir, path)
    (path / "metadata.csv").unlink()
    for f in sorted((FIX / "spun").glob("*.txt")):
        shutil.copy(f, path / f"spun_{f.name}")
    for f in sorted((FIX / "clean").glob("*.txt"))[:4]:
        shutil.copy(f, path / f"clean_{f.name}")
    return path


def _equal(a: Path, b: Path) -> None:
    ta, tb = read_tables(a), read_tables(b)
    for t in config.TABLES:
        pd.testing.assert_frame_equal(ta[t].reset_index(drop=True), tb[t].reset_index(drop=True), obj=t)


def test_change_add_remove_one_article_equals_a_full_build(tmp_path, seeds_dir, monkeypatch):
    corpus = _corpus(seeds_dir, tmp_path / "corpus")
    out = tmp_path / "out"
    run.build(corpus, out, progress=False, n_process=1, sentiment="fast")
    copy = corpus / "spun_000_71ffaa25917f853c.txt"
    copy.write_text(copy.read_text(encoding="utf-8").split("\n\n", 1)[1], encoding="utf-8")
    shutil.copy(FIX / "spun" / "001_1e948bf9bd27d1c1.txt", corpus / "spun2_001_1e948bf9bd27d1c1.txt")
    (corpus / "000_71ffaa25917f853c.txt").unlink()

    computed = []
    real = stories.doc_features
    monkeypatch.setattr(stories, "doc_features", lambda text, raw: computed.append(text[:30]) or real(text, raw))
    again = run.build(corpus, out, progress=False, n_process=1, sentiment="fast")
    assert (again.n_parsed, again.n_reused) == (2, 12)
    # the two parsed documents' story features came with their parse; nothing else was recomputed
    assert computed == []
    monkeypatch.undo()

    fresh = tmp_path / "fresh"
    run.build(corpus, fresh, progress=False, n_process=1, sentiment="fast")
    _equal(out, fresh)
    s = read_tables(out)["stories"].set_index("doc_id")
    assert s.loc["spun_000_71ffaa25917f853c", ["role", "n_members"]].tolist() == ["original", 1]
    assert s.loc["spun2_001_1e948bf9bd27d1c1", ["story_id", "role", "n_members"]].tolist() == [
        "story-001_1e948bf9bd27d1c1", "copy", 3]


def test_nothing_changed_loads_no_model(tmp_path, seeds_dir, monkeypatch):
    corpus = _corpus(seeds_dir, tmp_path / "corpus")
    out = tmp_path / "out"
    run.build(corpus, out, progress=False, n_process=1, sentiment="fast")
    from ukraine_briefs.build import batch

    def refuse(*a, **k):
        raise AssertionError("a model was loaded")

    monkeypatch.setattr(batch, "load_nlp", refuse)
    monkeypatch.setattr(stories, "doc_features", refuse)
    again = run.build(corpus, out, progress=False, n_process=1, sentiment="fast")
    assert (again.n_parsed, again.n_reused) == (0, 14)
