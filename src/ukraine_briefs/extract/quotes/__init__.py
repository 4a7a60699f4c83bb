"""Direct quotes and their speakers: the `quotes` table.

Quotation marks in the corpus are unreliable (spun copies close a quote with an
opening mark, drop marks at paragraph ends, glue sentences), so marks are read by
their surroundings, not their glyph: a mark after a space that touches a word
opens, a mark after a word or punctuation closes, and an open quote always ends
at its paragraph. Speakers come from the cue around each quote (`said`, the spun
`stated`, `instructed newshounds`, a colon lead-in, a transcript label, a dialogue
dash) and are linked to the document's entity mentions. When no rule holds the
quote stays `unresolved`: a quote given to the wrong speaker is worse than none.

Columns set here: ``kind`` is full (a whole sentence or clause), partial (words
inside reported speech: ``He demanded “legally binding” guarantees``), heading
(in a headline or section heading), dash (dialogue introduced by dashes) or
scare (a term in marks, never attributed); ``attribution`` says how the speaker
was found: explicit, pronoun, title (a description, linked only when the text or
the gazetteer names exactly one person), transcript, continuation, document or
unresolved. ``sentiment`` stays 0.0: the pipeline fills it.

The steps, one module each: `marks` (quote spans), `cues` (cue words and the
speaker's words), `speakers`, `pronouns` and `roles` (linking them to an entity),
`attribution` (the order of the rules), `carry` (speakers of cue-less quotes);
`context` holds what they share.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import pandas as pd
from spacy.tokens import Doc

from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.extract.quotes.attribution import _attribute
from ukraine_briefs.extract.quotes.context import SPEAKER_LABELS, _clean_name, _Ctx, _Speaker
from ukraine_briefs.extract.quotes.coref import description_antecedent
from ukraine_briefs.extract.quotes.marks import _find_quotes
from ukraine_briefs.extract.quotes.sources import source_of, text_affiliation
from ukraine_briefs.types import Mention, Quote, to_frame

__all__ = ["doc_quotes", "quotes_frame"]


def _fallback_mentions(doc: Doc, doc_id: str) -> list[Mention]:
    """The model's entities standing in for `Mention`s when the caller passed none: names, no ids."""
    idx = doc_index(doc)
    return [
        Mention(doc_id, idx.sent_id(e.start_char), idx.paragraph_id(e.start_char), e.start_char, e.end_char,
                e.text, e.label_, None, _clean_name(e.text), "model")
        for e in doc.ents
        if e.label_ in SPEAKER_LABELS
    ]


def doc_quotes(doc: Doc, *, doc_id: str, mentions: Sequence[Mention] = ()) -> Iterator[Quote]:
    """Yield every direct quote of ``doc`` with its attributed speaker.

    Args:
        doc: the parsed cleaned text (offsets are into ``doc.text``).
        doc_id: the document id; quote ids are ``f"{doc_id}:q{n}"``.
        mentions: the document's `Mention` records (from ``entities.doc_mentions``);
            speakers link to their ``entity_id``/``canonical_name``. Without
            them the model's PERSON/ORG entities give names but no ids.

    Unbalanced marks never raise: an open quote ends at its paragraph.
    """
    idx = doc_index(doc)
    text = doc_index(doc).text
    ms = list(mentions) if mentions else _fallback_mentions(doc, doc_id)
    ms.sort(key=lambda m: (m.start_char, m.end_char))
    paras = []
    # DocIndex.paragraph_span re-reads doc.text (rebuilt from tokens) per call: spans from `text` instead
    starts = idx.para_starts
    for i, a in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        paras.append((a, a + len(text[a:end].rstrip())))
    ctx = _Ctx(doc=doc, idx=idx, text=text, mentions=ms, paras=paras, mention_starts=[m.start_char for m in ms])
    quotes = _find_quotes(ctx)
    masked = list(text)
    for q in quotes:
        lo = q.open_at if q.open_at is not None else q.start
        hi = q.close_at if q.close_at is not None else q.end
        for k in range(lo, hi):
            if masked[k] != "\n":
                masked[k] = "\x00"
    ctx.masked = "".join(masked)
    _attribute(ctx, quotes, list(mentions))
    for n, q in enumerate(quotes):
        sp = q.speaker or _Speaker(None)
        source_type, affiliation = source_of(sp.surface, sp.entity_id, sp.name, sp.label, q.attribution)
        if affiliation is None and sp.name is None and source_type in ("anonymous", "organisation", "document"):
            # "the official said" after "a senior Ukrainian official told CNN": the fuller phrase says whose
            affiliation = text_affiliation(description_antecedent(ctx, sp.surface, q.cue_pos or q.start))
        yield Quote(
            quote_id=f"{doc_id}:q{n}",
            doc_id=doc_id,
            sent_id=idx.sent_id(q.start),
            paragraph_id=idx.paragraph_id(q.start),
            start_char=q.start,
            end_char=q.end,
            text=text[q.start:q.end],
            speaker_surface=sp.surface,
            speaker_id=sp.entity_id,
            speaker_name=sp.name,
            attribution=q.attribution,
            cue=q.cue,
            kind=q.kind,
            sentiment=0.0,
            source_type=source_type,
            speaker_affiliation=affiliation,
        )


def quotes_frame(docs: Iterable[tuple[str, Doc]], *, mentions: dict | None = None) -> pd.DataFrame:
    """The `quotes` table of ``(doc_id, doc)`` pairs (mentions optional, by doc id)."""
    mentions = mentions or {}
    rows = []
    for doc_id, doc in docs:
        rows.extend(doc_quotes(doc, doc_id=doc_id, mentions=mentions.get(doc_id, ())))
    return to_frame("quotes", rows)
