"""The story step's memo: a rebuild after one document changed, was added or removed gives the stories,
story ids and quote groups a fresh run gives, and recomputes only the documents that changed.

The corpus is the seeds, a spun copy of each (tests/fixtures/stories/spun) and 22 clean news texts
(tests/fixtures/stories/clean): five stories of two and 22 of one.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from ukraine_briefs.extract import stories
from ukraine_briefs.extract.stories import memo as memo_mod
from test_stories import _docs as story_docs  # same corpus as the story tests

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "stories"
QUOTES = {
    "seed-000_71ff:q0": "The threat on our Western frontier is really growing",
    "spun-000_71ff:q0": "The menace on our Western border is really growing",
    "seed-001_1e94:q0": "We will respond to any aggression against Ukraine with serious consequences",
    "clean-a:q0": "Russia has no veto, Russia has no say",
}


def _docs() -> pd.DataFrame:
    """The corpus of test_stories.py (seeds, spun copies, clean texts) with content hashes."""
    return _rehash(story_docs())


def _rehash(docs: pd.DataFrame) -> pd.DataFrame:
    docs = docs.copy()
    docs["content_hash"] = [hashlib.sha1(f"{d}\n{t}\n{p}".encode()).hexdigest()
                            for d, t, p in zip(docs["doc_id"], docs["text"], docs["published"])]
    return docs


def _quotes(docs: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"quote_id": list(QUOTES), "text": list(QUOTES.values())})


def _run(docs: pd.DataFrame, memo=None):
    return stories.provenance(docs, [docs.iloc[:10], docs.iloc[10:]], [_quotes(docs)], memo=memo)


def _same(a, b) -> None:
    pd.testing.assert_frame_equal(a.stories, b.stories)
    assert a.story_of == b.story_of and a.group_of == b.group_of


@pytest.fixture()
def counted(monkeypatch):
    """Count the documents whose features are computed."""
    seen = []
    real = stories.doc_features

    def count(text, raw):
        seen.append(text[:40])
        return real(text, raw)

    monkeypatch.setattr(stories, "doc_features", count)
    return seen


def _saved_memo(docs: pd.DataFrame, tmp_path: Path) -> memo_mod.Memo:
    memo = memo_mod.Memo("fp")
    first = _run(docs, memo)
    _same(first, _run(docs))  # the memo changes nothing on a first build
    memo.keep_used()
    memo.save(tmp_path / "m")
    return memo_mod.Memo.load(tmp_path / "m", "fp")


def test_changed_document_is_the_only_one_recomputed(tmp_path, counted):
    docs = _docs()
    memo = _saved_memo(docs, tmp_path)
    assert len(memo.docs) == 32 and memo.pairs and memo.aligned
    # the spun copy of the first seed loses its first paragraph: still the same story, new alignment
    i = docs.index[docs["doc_id"] == "spun-000_71ff"][0]
    docs.loc[i, "text"] = docs.loc[i, "text"].split("\n", 1)[1]
    docs = _rehash(docs)
    counted.clear()
    got = _run(docs, memo)
    assert len(counted) == 1
    _same(got, _run(docs))
    assert got.story_of["spun-000_71ff"] == "story-seed-000_71ff"


def test_added_and_removed_documents(tmp_path, counted):
    docs = _docs()
    memo = _saved_memo(docs, tmp_path)
    # the first seed goes (its copy becomes the original of its story); a second copy of the second seed comes
    extra = docs[docs["doc_id"] == "spun-001_1e94"].assign(doc_id="spun2-001_1e94", published=pd.Timestamp(2021, 12, 9))
    docs = _rehash(pd.concat([docs[docs["doc_id"] != "seed-000_71ff"], extra], ignore_index=True))
    counted.clear()
    got = _run(docs, memo)
    assert len(counted) == 1  # the added document only
    _same(got, _run(docs))
    s = got.stories.set_index("doc_id")
    assert s.loc["spun-000_71ff", ["role", "n_members"]].tolist() == ["original", 1]
    assert s.loc["spun2-001_1e94", ["story_id", "role", "n_members"]].tolist() == ["story-seed-001_1e94", "copy", 3]
    memo.keep_used()
    assert len(memo.docs) == 32 and not any("seed-000_71ff" in k for k in memo.docs)


def test_changed_raw_text_redoes_the_evidence(tmp_path, counted):
    docs = _docs()
    memo = _saved_memo(docs, tmp_path)
    key = docs.loc[docs["doc_id"] == "clean-" + sorted((FIX / "clean").glob("*.txt"))[0].stem[:8], "content_hash"].iloc[0]
    memo.docs[key].raw = b"stale"
    counted.clear()
    got = _run(docs, memo)
    assert len(counted) == 1
    _same(got, _run(docs))


def test_memo_of_other_code_is_not_used(tmp_path):
    docs = _docs()
    memo = memo_mod.Memo("fp")
    _run(docs, memo)
    memo.save(tmp_path / "m")
    assert memo_mod.Memo.load(tmp_path / "m", "other").docs == {}
    (tmp_path / "bad").write_bytes(b"not a memo")
    assert memo_mod.Memo.load(tmp_path / "bad", "fp").docs == {}
