"""Direct quotes and their speakers. PLACEHOLDER until the quotes issue lands."""
from __future__ import annotations

from typing import Iterator, Sequence

from spacy.tokens import Doc

from ukraine_briefs.types import Mention, Quote


def doc_quotes(doc: Doc, *, doc_id: str, mentions: Sequence[Mention] = ()) -> Iterator[Quote]:
    """Yield every direct quote of ``doc`` with its attributed speaker."""
    return iter(())
