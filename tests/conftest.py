"""Shared fixtures: the spaCy model loaded once per session, and the seed articles."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp():
    """The package's full pipeline (model + paragraph breaks + actor ruler), loaded once."""
    from ukraine_briefs.extract.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory):
    """The seeds built once through the real pipeline: a `Corpus` with all eight tables."""
    from ukraine_briefs.api import load_corpus

    cache = tmp_path_factory.mktemp("seed-cache")
    return load_corpus(SEEDS, cache_dir=cache)


@pytest.fixture(scope="session")
def seed_docs(nlp, seed_corpus):
    """doc_id -> parsed spaCy Doc of the cleaned seed text (what the extractors see)."""
    docs = seed_corpus.documents
    ok = docs[docs["status"] == "ok"]
    return {d: nlp(t) for d, t in zip(ok["doc_id"], ok["text"])}
