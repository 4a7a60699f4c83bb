"""Threat language. PLACEHOLDER until the threats issue lands."""
from __future__ import annotations

from typing import Iterator, Sequence

from spacy.tokens import Doc

from ukraine_briefs.types import Mention, Quote, Threat


def doc_threats(
    doc: Doc, *, doc_id: str, mentions: Sequence[Mention] = (), quotes: Sequence[Quote] = ()
) -> Iterator[Threat]:
    """Yield every threat or warning issued in ``doc``."""
    return iter(())
