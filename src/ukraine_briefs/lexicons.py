"""One loader for the package's data files (lexicons, alias lists, patterns).

Rules are data: an analyst edits `data/<name>` (YAML, CSV, JSON or JSONL) and the
next build picks it up. Names carry their version (`threat_taxonomy.v1.yaml`).
"""
from __future__ import annotations

import csv
import functools
import json
from pathlib import Path

import yaml

from ukraine_briefs.config import DATA_DIR


def path(name: str) -> Path:
    """Absolute path of data file ``name`` (raises FileNotFoundError naming it)."""
    p = DATA_DIR / name
    if not p.exists():
        raise FileNotFoundError(f"data file {name!r} not found in {DATA_DIR}")
    return p


@functools.lru_cache(maxsize=None)
def load(name: str):
    """Parse ``data/<name>`` by its suffix: YAML/JSON -> object, CSV -> list of dicts, JSONL -> list.

    Cached: treat the result as read-only.

    Examples:
        >>> isinstance(load("boilerplate.v1.yaml")["lines"], list)
        True
    """
    p = path(name)
    suffix = p.suffix.lower()
    with p.open(encoding="utf-8") as fh:
        if suffix in (".yaml", ".yml"):
            return yaml.safe_load(fh)
        if suffix == ".json":
            return json.load(fh)
        if suffix == ".jsonl":
            return [json.loads(line) for line in fh if line.strip()]
        if suffix in (".csv", ".tsv"):
            return list(csv.DictReader(fh, delimiter="\t" if suffix == ".tsv" else ","))
    raise ValueError(f"data file {name!r}: unsupported format {suffix!r}")
