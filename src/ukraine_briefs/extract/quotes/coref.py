"""Descriptions that refer back: "the official" is the "senior Ukrainian official" introduced before.

News introduces an unnamed source once in full ("A senior Ukrainian official
told CNN ...") and then shortens it ("the official said"). A definite
description whose head names nobody (official, diplomat, ministry, spokesman)
refers to the latest earlier noun phrase with the same head word in the last
few paragraphs; that fuller phrase gives the speaker's affiliation ("Ukrainian"
-> Ukraine). Named people are `pronouns`' and `speakers`' job: this step never
turns a description into a person.
"""
from __future__ import annotations

import re

from ukraine_briefs.extract.quotes.context import _back, _Ctx
from ukraine_briefs.extract.quotes.sources import description_head, text_affiliation

_DEFINITE = re.compile(r"^(?:the|this|that|these|those)\s", re.I)
_MAX_PARAGRAPHS = 6


def _phrase_at(ctx: _Ctx, pos: int) -> str | None:
    """The noun phrase headed by the token at ``pos`` (its left dependents and the head)."""
    span = ctx.doc.char_span(pos, pos + 1, alignment_mode="expand")
    if span is None:
        return None
    head = span[0]
    left = [t for t in head.subtree if t.i <= head.i]
    # keep the contiguous run ending at the head ("two senior US defence officials")
    run = [head]
    for t in reversed(left[:-1]):
        if t.i != run[0].i - 1 or t.is_punct and t.text not in ("-", "."):
            break
        run.insert(0, t)
    return ctx.text[run[0].idx:head.idx + len(head.text)]


def description_antecedent(ctx: _Ctx, surface: str | None, at: int) -> str | None:
    """The fuller earlier phrase that a definite description (``the official``) at ``at`` refers back to.

    Only phrases outside quotes count, nearest first; a phrase counts when it
    tells more than the description (an affiliation, or more words).
    """
    if not surface or not _DEFINITE.match(surface.strip()):
        return None
    head = description_head(surface)
    if not head or len(head) < 3:
        return None
    lo = _back(ctx, at, _MAX_PARAGRAPHS)
    own = len(surface.split())
    pattern = re.compile(rf"\b{re.escape(head)}\b", re.I)
    for m in reversed(list(pattern.finditer(ctx.text, lo, at))):
        if "\x00" in ctx.masked[m.start():m.end()]:
            continue
        phrase = _phrase_at(ctx, m.start())
        if phrase is None or description_head(phrase) != head:
            continue
        if text_affiliation(phrase) or len(phrase.split()) > own:
            return phrase
    return None
