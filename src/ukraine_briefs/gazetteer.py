"""The actor gazetteer (data/actors.*): canonical names, aliases, affiliations.

PLACEHOLDER until the entities issue lands: returns no patterns.
"""
from __future__ import annotations


def ruler_patterns() -> list[dict]:
    """spaCy EntityRuler patterns for every known actor and alias."""
    return []
