"""Entity mentions resolved to canonical actors. PLACEHOLDER until the entities issue lands."""
from __future__ import annotations

from typing import Iterator

import pandas as pd
from spacy.tokens import Doc

from ukraine_briefs.types import Mention, to_frame


def doc_mentions(doc: Doc, *, doc_id: str) -> Iterator[Mention]:
    """Yield every entity mention of ``doc`` with its resolved ``entity_id``."""
    return iter(())


def corpus_id_map(mentions: pd.DataFrame) -> dict[str, str]:
    """Cross-document merges of entity ids (old id -> canonical id)."""
    return {}


def entities_frame(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per canonical entity, with counts."""
    return to_frame("entities", [])
