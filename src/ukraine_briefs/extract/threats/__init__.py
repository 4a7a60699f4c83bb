"""Threat language: who threatens whom, with what, on what condition (the `threats` table).

One module per job: `taxonomy` reads the rules file, `matcher` finds the anchors,
`clauses` decides which are issued threats, `constructions` adds the threats stated without
the word (coercive acts, ultimatums, demands backed by a sanction) and their stance checks,
`parties` resolves actor and target, `extract` puts them together in `doc_threats`. Aggregations over the built table
(`threat_dyads`) live in `ukraine_briefs.tables.queries`.
"""
from __future__ import annotations

from ukraine_briefs.extract.threats.extract import doc_threats, threats_frame
from ukraine_briefs.extract.threats.parties import Party, affiliation, resolve_party
from ukraine_briefs.types import DEESCALATION
from ukraine_briefs.extract.threats.taxonomy import TAXONOMY, THREAT_CATEGORIES, Lexicon, lexicon

__all__ = [
    "DEESCALATION",
    "TAXONOMY",
    "THREAT_CATEGORIES",
    "Lexicon",
    "Party",
    "affiliation",
    "doc_threats",
    "lexicon",
    "resolve_party",
    "threats_frame",
]
