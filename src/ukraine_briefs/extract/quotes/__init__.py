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

Wire style (AP, Reuters, BBC, translated Ukrainian/Russian/Polish news) refers
back to speakers in many ways, each resolved by a small rule: a pronoun goes to
the latest person subject or speaker of the same or last two paragraphs whose
gender (Mr/Ms, first name, an earlier "she said") fits, the main clause's subject
before a reported one; a description ("the Kremlin spokesman", "the Russian
leader", "the 44-year-old", "the statement") to the person or body it fits, by
the words next to their mentions, their gazetteer role, or as the person just
named; a sentence after the quote may name the speaker ("That was the message
from X"); a colon ending the previous paragraph introduces it; Q/A transcripts
answer for the person the introduction names. Guillemets («», spaced or not) and
German „“ marks are read by their glyph.

Every step looks only at the quote's paragraph and a few before it, so the cost
is linear in the document. Cue verbs, pronouns, descriptions, role synonyms,
first names and institution words are data: ``data/quote_cues.v1.yaml``.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import pandas as pd
from spacy.tokens import Doc, Token

from ukraine_briefs import lexicons
from ukraine_briefs.extract.nlp import DocIndex, doc_index
from ukraine_briefs.types import Mention, Quote, to_frame

CUES_FILE = "quote_cues.v1.yaml"

DOUBLE_MARKS = "“”\"„«»"
SINGLE_MARKS = "‘’'‚"
ALL_MARKS = DOUBLE_MARKS + SINGLE_MARKS
OPENING_GLYPHS = "“„«‘‚"
CLOSING_PUNCT = ".,;:!?)]}…—–-"
OPENING_CONTEXT = "([{—–-:/"
SPEAKER_LABELS = ("PERSON", "ORG", "GPE", "NORP")
DASHES = "-–—"
# a dialogue dash: at paragraph start, or spaced inside it ("... invasion - said X")
DASH_SEP = re.compile(r"(?:^|\s)[-–—]{1,2}(?=\s|[A-Za-z“\"])\s*")
DATELINE = re.compile(r"[A-Z]{2,}[A-Z .'’-]*(?:,\s*[A-Z][A-Za-z .]+)?\s*(?:\([A-Za-z .]+\))?\s*[—–-]{1,2}\s+")
# "the so-called “Normandy format”": a term, not a quotation
SCARE_LEAD = re.compile(
    r"(?:(?:so-called|so called|dubbed|termed|known as|calls?|called|labelled|labeled|branded)\s+(?:an?\s+|the\s+)?"
    r"|(?:the\s+)?(?:term|word|phrase|label|slogan|name)s?\s+"
    r"|(?P<call>call(?:s|ed|ing)?\s+(?:it|them|this|that|(?:its|their|his|her|the)\s+\w+)\s+(?:an?\s+|the\s+)?))$", re.I)
_STRONG_CUES = r"(?:said|says|stated|told|added|warned|insisted|wrote|tweeted|explained|noted)"
# an attribution inside a quote whose closing mark is missing: ", Blinken said." / ", said the official."
LOST_CLOSE = re.compile(
    r"([,?!])\s+(?=(?:(?:he|she|they)\s+|(?:(?:the|a|an)\s+)?(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*\s+)"
    + _STRONG_CUES + r"\b|" + _STRONG_CUES + r"\s+(?:the\s+|a\s+)?[A-Z])")
NAME_POS = ("PROPN", "NOUN", "DET", "ADJ", "PUNCT", "ADP", "NUM", "CCONJ")
ORPHAN_ATTR = re.compile(
    r"\s*[,–—-]*\s*(?:(?:he|she|they)\s+|(?:the\s+|a\s+)?(?:[A-Z][\w.’'-]*\s+){1,4})?" + _STRONG_CUES + r"\b")
# words that start a new clause between a quote and a later verb
CLAUSE_WORDS = frozenset("if when that because as while and but although after before since unless which who whom whether so".split())
INLINE_LABEL_RE = re.compile(
    r"(?P<name>[A-Z][A-Za-z.’'-]*(?: [A-Z][A-Za-z.’'-]*){0,3})(?:, [^:“”\"\n]{1,50})?: +(?P<rest>\S)")
QA_DOT_RE = re.compile(r"(?P<name>Q|A)\.\s+(?P<rest>\S)")  # "Q. Mr. President, ..." / "A. The threat ..."
LABEL_RE = re.compile(r"^(?P<label>[A-Z][^:“”\"‘’\n]{1,70}?)\s*:\s*$")
WORD_RE = re.compile(r"[A-Za-z0-9’']+")


# --------------------------------------------------------------------------- lexicon

@dataclass(frozen=True)
class _Lexicon:
    cue_forms: dict  # surface form -> cue lemma
    cue_phrases: tuple  # ((word, ...), lemma), longest first
    between: frozenset
    pronouns: frozenset
    anonymous: frozenset
    roles: frozenset
    institutions: frozenset
    documents: frozenset
    honorifics: frozenset
    abbreviations: tuple
    generic_labels: frozenset
    role_synonyms: dict  # role word -> tuple of words/phrases that also show it
    role_aliases: dict
    echo_nouns: frozenset
    anaphors: frozenset
    answer_labels: frozenset
    female: frozenset
    male: frozenset
    female_endings: tuple
    nationalities: dict


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    cfg = lexicons.load(CUES_FILE)
    forms = {}
    for lemma, surfaces in cfg["cue_verbs"].items():
        for s in surfaces:
            forms.setdefault(str(s).lower(), lemma)
    phrases = []
    for lemma, items in cfg["cue_phrases"].items():
        for p in items:
            phrases.append((tuple(str(p).lower().split()), lemma))
    phrases.sort(key=lambda x: -len(x[0]))
    low = lambda key: frozenset(str(w).lower() for w in cfg.get(key, []))  # noqa: E731
    return _Lexicon(
        cue_forms=forms,
        cue_phrases=tuple(phrases),
        between=low("between_words"),
        pronouns=low("person_pronouns"),
        anonymous=low("anonymous_heads"),
        roles=low("role_heads"),
        institutions=low("institution_heads"),
        documents=low("document_heads"),
        honorifics=low("honorifics"),
        abbreviations=tuple(cfg.get("abbreviations", [])),
        generic_labels=low("generic_labels"),
        role_synonyms={str(k).lower(): tuple(str(x).lower() for x in v)
                       for k, v in (cfg.get("role_synonyms") or {}).items()},
        anaphors=low("anaphor_heads"),
        role_aliases={str(k).lower(): str(v).lower() for k, v in (cfg.get("role_holder_aliases") or {}).items()},
        echo_nouns=low("echo_nouns"),
        answer_labels=low("answer_labels"),
        female=low("female_first_names"),
        male=low("male_first_names"),
        female_endings=tuple(str(x).lower() for x in cfg.get("female_surname_endings", [])),
        nationalities={str(k).lower(): str(v).lower() for k, v in (cfg.get("nationality_words") or {}).items()},
    )


# --------------------------------------------------------------------------- records

@dataclass
class _Speaker:
    surface: str | None
    entity_id: str | None = None
    name: str | None = None
    label: str | None = None  # PERSON / ORG / ... ; None for a description


@dataclass
class _Q:
    start: int
    end: int
    para: int
    origin: str  # mark / transcript / dash
    open_at: int | None = None  # position of the opening mark
    close_at: int | None = None  # position just after the closing mark
    closed: bool = True
    kind: str = "full"
    attribution: str = "unresolved"
    cue: str | None = None
    cue_pos: int | None = None
    cue_i: int | None = None  # token index of the cue word
    speaker: _Speaker | None = None


@dataclass
class _Ctx:
    doc: Doc
    idx: DocIndex
    text: str
    mentions: list
    paras: list  # [(start, end)]
    masked: str = ""  # text with quote interiors blanked, for cue search
    mention_starts: list = field(default_factory=list)  # start_char of each mention, for bisect
    mention_genders: dict | None = None
    intro_end: int | None = None  # start of a transcript's first line (what comes before introduces it)
    label_speakers: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- marks

def _flank(p: str, i: int) -> tuple[bool, bool]:
    """(can_open, can_close) of the mark at ``p[i]`` judged by its neighbours."""
    prev = p[i - 1] if i > 0 else None
    nxt = p[i + 1] if i + 1 < len(p) else None
    left_open = prev is None or prev.isspace() or prev in OPENING_CONTEXT or prev in ALL_MARKS
    right_close = nxt is None or nxt.isspace() or nxt in CLOSING_PUNCT or nxt in ALL_MARKS
    can_open = left_open and nxt is not None and not nxt.isspace()
    can_close = (prev is not None and not prev.isspace()) and right_close
    if can_open and can_close:  # e.g. between two dashes: trust the glyph
        return (p[i] in OPENING_GLYPHS, p[i] not in OPENING_GLYPHS)
    return can_open, can_close


def _double_spans(p: str) -> list[tuple[int, int, bool, bool]]:
    """Top-level double-quoted spans of a paragraph: (open_at, close_end, opened, closed).

    ``open_at`` is the mark's offset (or 0 for a quote whose opening mark is
    missing), ``close_end`` the offset after the closing mark (or ``len(p)``).

    Examples:
        >>> _double_spans("“We act,” he said. “Ukraine. “")  # closing typed as opening
        [(0, 9, True, True), (19, 30, True, True)]
        >>> _double_spans("the word “defense” and “open")  # unbalanced: runs to the end
        [(9, 18, True, True), (23, 28, True, False)]
    """
    spans = []
    depth = 0
    start = 0
    for i, ch in enumerate(p):
        if ch not in DOUBLE_MARKS:
            continue
        can_open, can_close = _flank(p, i)
        prev = p[i - 1] if i > 0 else None
        nxt = p[i + 1] if i + 1 < len(p) else None
        if ch in "«»":
            # guillemets say which way they face, and French typography spaces them: « ... »
            can_open, can_close = ch == "«", ch == "»" and depth > 0
        if not can_open and not can_close:
            floating = (prev is None or prev.isspace()) and (nxt is None or nxt.isspace())
            if floating:
                # spun copies close with an opening mark: "Ukraine. “"
                if depth:
                    can_close = True
                elif ch in OPENING_GLYPHS and nxt is not None and p[i + 1:].strip():
                    can_open = True
            else:  # glued on both sides: "Ukraine.“Mr" closes, "d“Other" opens
                if depth and (prev in ".,!?;…" or ch not in OPENING_GLYPHS):
                    can_close = True
                else:
                    can_open = ch in OPENING_GLYPHS or not depth
        if can_open and not (depth and can_close):
            if depth == 0:
                start = i
            depth += 1
        elif can_close:
            if depth == 0:
                # a closing mark with no opening one: the quote ran from paragraph start,
                # if an attribution follows (not 5'10" tall)
                if not spans and p[:i].strip() and ORPHAN_ATTR.match(p, i + 1):
                    spans.append((0, i + 1, False, True))
                continue
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1, True, True))
    if depth:
        spans.append((start, len(p), True, False))
    return spans


def _single_spans(p: str, blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """‘Single-quoted’ spans outside double quotes; apostrophes (``Russia’s``) never pair."""
    def inside(i):
        return any(a <= i < b for a, b in blocked)

    spans = []
    i = 0
    n = len(p)
    while i < n:
        ch = p[i]
        if ch in SINGLE_MARKS and not inside(i):
            prev = p[i - 1] if i else None
            nxt = p[i + 1] if i + 1 < n else None
            opens = (prev is None or prev.isspace() or prev in OPENING_CONTEXT) and nxt is not None and nxt.isalnum()
            if opens and ch != "’":
                for j in range(i + 2, min(n, i + 400)):
                    cj = p[j]
                    if cj in ("’", "'") and not inside(j):
                        after = p[j + 1] if j + 1 < n else None
                        if p[j - 1].isspace():
                            continue
                        if after is None or not after.isalnum():
                            spans.append((i, j + 1))
                            i = j
                            break
        i += 1
    return spans


def _inner(p: str, a: int, b: int) -> tuple[int, int]:
    """Shrink ``p[a:b]`` to the quoted words: drop marks and surrounding spaces."""
    while a < b and (p[a] in ALL_MARKS or p[a].isspace()):
        a += 1
    while b > a and (p[b - 1] in ALL_MARKS or p[b - 1].isspace()):
        b -= 1
    return a, b


# --------------------------------------------------------------------------- sentences

def _sentence_bounds(masked: str, lo: int, hi: int, lex: _Lexicon) -> list[int]:
    """Sentence start offsets in ``masked[lo:hi]`` (quote interiors are blanked there)."""
    starts = [lo]
    d = DATELINE.match(masked, lo, hi)
    if d:  # "KYIV, Ukraine (AP) — Russia's foreign minister warned ..."
        starts.append(d.end())
    for m in re.finditer(r"[.!?…](?:[”\"’]?)(\s+|(?=[A-Z][a-z]))", masked[lo:hi]):
        end = lo + m.end()
        dot = lo + m.start()
        word = masked[max(lo, dot - 6):dot + 1].split()[-1] if masked[max(lo, dot - 6):dot + 1].split() else ""
        if any(word.endswith(a) for a in lex.abbreviations) and len(word) <= 5:
            continue
        if end < hi:
            nxt = masked[end]
            if nxt.isupper() or nxt in ALL_MARKS or nxt in DASHES or nxt.isdigit() or nxt == "\x00":
                starts.append(end)
    return starts


# --------------------------------------------------------------------------- mentions

def _fallback_mentions(doc: Doc) -> list:
    """Model entities standing in for `Mention`s when the caller passed none."""
    out = []
    for e in doc.ents:
        if e.label_ in SPEAKER_LABELS:
            out.append(_M(e.start_char, e.end_char, e.label_, None, _clean_name(e.text)))
    return out


@dataclass
class _M:
    start_char: int
    end_char: int
    label: str
    entity_id: str | None
    canonical_name: str


def _as_m(m) -> _M:
    return _M(int(m.start_char), int(m.end_char), str(m.label), m.entity_id, m.canonical_name)


def _clean_name(s: str) -> str:
    lex = _lexicon()
    words = [w for w in s.replace("\n", " ").split() if w.lower() not in lex.honorifics]
    words = [w for w in words if w.lower() not in lex.cue_forms]
    return " ".join(words).strip(" ,.") or s.strip()


def _speaker_from_mention(m: _M, surface: str) -> _Speaker:
    return _Speaker(surface=surface, entity_id=m.entity_id, name=m.canonical_name, label=m.label)


def _resolve_name(text: str, mentions: Sequence) -> tuple[str, str] | None:
    """Ask the entities stage to link a bare name (``Mr. Glazer``) to a canonical actor."""
    from ukraine_briefs.extract import entities  # lazy: entities is the heavier module

    return entities.resolve_name(text, mentions=mentions)


# --------------------------------------------------------------------------- public API

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
    ms = [_as_m(m) for m in mentions] if mentions else _fallback_mentions(doc)
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
        )


def quotes_frame(docs: Iterable[tuple[str, Doc]], *, mentions: dict | None = None) -> pd.DataFrame:
    """The `quotes` table of ``(doc_id, doc)`` pairs (mentions optional, by doc id)."""
    mentions = mentions or {}
    rows = []
    for doc_id, doc in docs:
        rows.extend(doc_quotes(doc, doc_id=doc_id, mentions=mentions.get(doc_id, ())))
    return to_frame("quotes", rows)


# --------------------------------------------------------------------------- finding quotes

def _label_of(ctx: _Ctx, pid: int) -> str | None:
    """The speaker label of a transcript line (``Antony Blinken, US Secretary of State:``)."""
    a, b = ctx.paras[pid]
    p = ctx.text[a:b].strip()
    m = LABEL_RE.match(p)
    if not m:
        return None
    label = m.group("label").strip()
    if len(label.split()) > 9 or any(ch.isdigit() for ch in label):
        return None
    name = label.split(",")[0].strip()
    words = name.split()
    if not 1 <= len(words) <= 4:
        return None
    caps = sum(1 for w in words if w[:1].isupper())
    lo = a + len(ctx.text[a:b]) - len(ctx.text[a:b].lstrip())
    person = any(x.label == "PERSON" and x.start_char < lo + len(name) for x in _mentions_between(ctx, lo, b))
    single_ok = person or name.isupper() or name.lower() in _lexicon().generic_labels
    if caps < len(words) or (len(words) < 2 and not single_ok):
        return None
    return name


def _inline_label(ctx: _Ctx, pid: int) -> tuple[str, int] | None:
    """An interview line that starts with its speaker: ``BLINKEN: Well, ...`` -> (name, offset of words)."""
    a, b = ctx.paras[pid]
    m = INLINE_LABEL_RE.match(ctx.text, a, b) or QA_DOT_RE.match(ctx.text, a, b)
    if not m:
        return None
    name = m.group("name")
    words = name.split()
    person = any(x.label == "PERSON" and x.start_char < a + len(name) for x in _mentions_between(ctx, a, b))
    if len(words) == 1 and not (name.isupper() or person):
        return None
    return name, m.start("rest") - a


def _find_quotes(ctx: _Ctx) -> list[_Q]:
    text = ctx.text
    labels = {pid: _label_of(ctx, pid) for pid in range(len(ctx.paras))}
    labels = {k: v for k, v in labels.items() if v}
    inline = {pid: _inline_label(ctx, pid) for pid in range(len(ctx.paras)) if pid not in labels}
    inline = {k: v for k, v in inline.items() if v}
    lex = _lexicon()
    lows = {v[0].lower() for v in inline.values()}
    qa = bool(lows & (lex.generic_labels - lex.answer_labels)) and bool(lows & lex.answer_labels)
    if 0 in inline and sum(1 for v in inline.values() if v[0] == inline[0][0]) < 2 and not qa:
        del inline[0]  # a headline "Antony Blinken: “...”" is a colon lead-in, unless the label recurs
    names = [v[0] for v in inline.values()]
    if len(inline) < 2 or (len(set(names)) == len(names) and not qa):
        inline = {}  # one "Name: words" line is a colon lead-in, not an interview
    transcript = len(labels) >= 2
    quotes: list[_Q] = []
    in_block_of: str | None = None
    block_quoted = True
    block_len = 0
    for pid, (a, b) in enumerate(ctx.paras):
        p = text[a:b]
        if not p.strip():
            continue
        if transcript and pid in labels:
            if ctx.intro_end is None:
                ctx.intro_end = a
            in_block_of = labels[pid]
            block_len = 0
            block_quoted = True
            continue
        if pid in inline:
            if ctx.intro_end is None:
                ctx.intro_end = a
            in_block_of, off = inline[pid]
            block_len = 1
            block_quoted = True  # unlabelled lines after "NAME: words" may be narrative
            s, e = _inner(p, off, len(p))
            if e > s:
                q = _Q(a + s, a + e, pid, "transcript", open_at=a + off, close_at=b)
                q.attribution = "transcript"
                q.speaker = _Speaker(surface=in_block_of)
                quotes.append(q)
            continue
        if in_block_of is not None:
            stripped = p.strip()
            next_is_label = (pid + 1) in labels or (pid + 1) in inline
            starts_quoted = stripped[:1] in DOUBLE_MARKS
            if block_len == 0:
                block_quoted = starts_quoted  # the layout of the first answer holds for the block
            # a quoted line between an answer and the next question is a section heading
            is_heading = block_len > 0 and (
                (block_quoted and next_is_label and len(stripped.split()) <= 20) or _is_heading(ctx, pid))
            if block_len == 0 or (starts_quoted == block_quoted and not is_heading):
                block_len += 1
                s, e = _inner(p, 0, len(p))
                if e > s:
                    q = _Q(a + s, a + e, pid, "transcript", open_at=a, close_at=b)
                    q.attribution = "transcript"
                    q.speaker = _Speaker(surface=in_block_of)
                    quotes.append(q)
                continue
            in_block_of = None
        dash = _dash_quotes(ctx, pid, a, p)
        if dash:
            quotes.extend(dash)
            continue
        doubles = _double_spans(p)
        found = []
        for o, c, opened, closed in doubles:
            s, e = _inner(p, o, c)
            if e <= s:
                continue
            if not closed:
                m = LOST_CLOSE.search(p, s, e)
                if m:  # “We will respond, Blinken said. ... : the closing mark was lost
                    c, closed = m.start(1) + 1, True
                    s, e = _inner(p, o, c)
            q = _Q(a + s, a + e, pid, "mark", open_at=a + o if opened else None,
                   close_at=a + c if closed else None, closed=closed)
            found.append(q)
        blocked = [(o, c) for o, c, _, _ in doubles]
        for o, c in _single_spans(p, blocked):
            s, e = _inner(p, o, c)
            if e > s:
                found.append(_Q(a + s, a + e, pid, "mark", open_at=a + o, close_at=a + c))
        found.sort(key=lambda q: q.start)
        quotes.extend(found)
    return quotes


def _dash_quotes(ctx: _Ctx, pid: int, a: int, p: str) -> list[_Q]:
    """Dialogue written with dashes: ``- We expect no invasion - said the ambassador.``"""
    lead = p.lstrip()
    if not lead:
        return []
    cuts = [(m.start(), m.end()) for m in DASH_SEP.finditer(p)]
    if not cuts:
        return []
    prefix = p[:cuts[0][0]].strip()
    # dialogue may follow a narrative sentence: "... sent to the border. - Our soldiers are ready - he assured."
    if prefix and (prefix[-1] not in ".!?…" or lead[0] in DASHES or len(cuts) < 2
                   or any(ch in prefix for ch in DOUBLE_MARKS)):
        return []
    segs = []
    for k, (_, e0) in enumerate(cuts):
        end = cuts[k + 1][0] if k + 1 < len(cuts) else len(p)
        segs.append((e0, end))
    lex = _lexicon()
    out = []
    attr_seen = False
    for k, (s, e) in enumerate(segs):
        words = [w.lower().strip(".,;:") for w in p[s:e].split()]
        cue_at = next((j for j, w in enumerate(words[:5]) if w in lex.cue_forms), None)
        if k > 0 and cue_at is not None:
            attr_seen = True
            # the attribution sentence may be followed by more quoted words
            m = re.search(r"[.!?]\s+(?=[A-Z“\"])", p[s:e])
            if m and m.end() < e - s:
                rest_s, rest_e = _inner(p, s + m.end(), e)
                if rest_e > rest_s:
                    out.append(_Q(a + rest_s, a + rest_e, pid, "dash", open_at=a + s + m.end(), close_at=a + e))
            continue
        qs, qe = _inner(p, s, e)
        qe = len(p[:qe].rstrip(",;:"))
        if qe > qs:
            out.append(_Q(a + qs, a + qe, pid, "dash", open_at=a + s, close_at=a + e))
    if not attr_seen:
        return []
    for q in out:
        q.kind = "dash"
    return out


# --------------------------------------------------------------------------- attribution

def _tokens_in(ctx: _Ctx, lo: int, hi: int) -> list[Token]:
    """Tokens wholly inside ``[lo, hi)`` that lie outside every quote."""
    span = ctx.doc.char_span(lo, hi, alignment_mode="contract")
    if span is None:
        return []
    return [t for t in span if "\x00" not in ctx.masked[t.idx:t.idx + len(t.text)] and not t.is_space]


def _cue_tokens(ctx: _Ctx, toks: list[Token]) -> list[tuple[Token, str, int]]:
    """Cue words among ``toks``: (token, lemma, n_tokens) in text order."""
    lex = _lexicon()
    out = []
    lows = [t.text.lower() for t in toks]
    i = 0
    while i < len(toks):
        hit = None
        for words, lemma in lex.cue_phrases:
            if tuple(lows[i:i + len(words)]) == words:
                hit = (toks[i], lemma, len(words))
                break
        if hit is None and lows[i] in lex.cue_forms:
            t = toks[i]
            strong = lows[i] in ("said", "says", "stated", "told", "wrote", "tweeted", "added", "instructed")
            if strong or t.pos_ in ("VERB", "AUX") or (t.pos_ == "PROPN" and t.text[:1].isupper()):
                hit = (t, lex.cue_forms[lows[i]], 1)
        if hit and hit[2] == 1 and hit[0].tag_ == "VB" and i > 0 and lows[i - 1] == "to":
            hit = None  # "plans to write down" reports no speech
        if hit:
            out.append(hit)
            i += hit[2]
        else:
            i += 1
    return out


def _np_after(toks: list[Token], j: int) -> list[Token]:
    """The noun phrase starting at ``toks[j]`` (``said the Texas Republican``)."""
    out = []
    for k, t in enumerate(toks[j:], start=j):
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.lower_ == "of" and out and out[-1].pos_ in ("NOUN", "PROPN") and nxt is not None \
                and nxt.pos_ in ("DET", "PROPN", "NOUN", "ADJ"):
            out.append(t)  # "the head of the National Security Bureau Paweł Soloch"
            continue
        if t.pos_ in ("DET", "PROPN", "NOUN", "ADJ", "PRON", "NUM") or (t.text in (".", "-") and out and t.pos_ == "PUNCT" and out[-1].text[-1:].isalpha() and len(out[-1].text) <= 4):
            if t.pos_ == "PRON" and out:
                break
            out.append(t)
            if t.pos_ == "PRON":
                break
        else:
            break
    return out


def _in_age(t: Token) -> bool:
    """Is ``t`` part of an age description ("the 44-year-old"), which spaCy tags as a DATE?"""
    near = "".join(x.text_with_ws for x in t.doc[max(0, t.i - 4):t.i + 5]).lower()
    return "year-old" in near or "year old" in near


def _np_before(toks: list[Token], j: int) -> list[Token]:
    """The noun phrase ending right before ``toks[j]``, skipping adverbs and time words."""
    lex = _lexicon()
    k = j - 1
    while k >= 0 and (toks[k].text.lower() in lex.between or (
            toks[k].ent_type_ in ("DATE", "TIME") and not _in_age(toks[k]))):
        k -= 1
    out = []
    while k >= 0:
        t = toks[k]
        if t.pos_ in ("PROPN", "NOUN", "ADJ", "DET", "NUM") or t.text in (".", "-", "’s", "'s") and out or t.pos_ == "PRON" and not out:
            out.insert(0, t)
            if t.pos_ == "PRON" or t.pos_ == "DET":
                break
            k -= 1
        else:
            break
    while out and out[0].pos_ == "PUNCT":
        out.pop(0)
    return out


def _subject_of(cue: Token, lo: int, hi: int) -> list[Token] | None:
    """The grammatical subject of the cue verb, when the parse found one in ``[lo, hi)``."""
    head = cue
    if cue.dep_ == "pcomp" and cue.head.lower_ == "as" and cue.head.head is not cue.head:
        head = cue.head.head  # "Putin was quoted as saying" / "Interfax quoted Putin as saying"
        if head.lemma_ == "quote":
            obj = [c for c in head.children if c.dep_ == "dobj" and lo <= c.idx < hi]
            if obj:
                return [t for t in obj[0].subtree if lo <= t.idx < hi] or [obj[0]]
    for _ in range(3):
        subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass") and lo <= c.idx < hi]
        if subj and subj[0].lower_ in ("who", "that") and head.dep_ == "relcl" and lo <= head.head.idx < hi:
            noun = head.head  # the relative clause's antecedent speaks
            return [t for t in noun.subtree if t.i <= noun.i and lo <= t.idx < hi] or [noun]
        if subj:
            s = subj[0]
            # "Zelenskiy's chief of staff, Andriy Yermak, said": the appositive name speaks
            appos = [c for c in s.children if c.dep_ == "appos" and c.pos_ == "PROPN" and lo <= c.idx < hi]
            if appos and s.pos_ != "PROPN":
                s = appos[0]
            toks = [t for t in s.subtree if lo <= t.idx < hi]
            # stop at an appositive or relative clause after the head
            cut = [t for t in toks if t.i > s.i and (t.text == "," or t.dep_ in ("relcl", "acl"))]
            if cut:
                toks = [t for t in toks if t.i < cut[0].i]
            return toks or [s]
        # participles ("Claiming that ...") and clauses hang off the main verb
        if head.head is not head and (head.dep_ == "conj" or (
                head.dep_ in ("advcl", "xcomp", "ccomp") and head.tag_ in ("VBG", "VBN", "VB"))):
            head = head.head
            continue
        break
    return None


def _speaker_tokens(ctx: _Ctx, cue: Token, n: int, lemma: str, toks: list[Token], lo: int, hi: int,
                    *, prefer: str = "before") -> list[Token]:
    """Tokens naming the speaker of cue ``cue`` inside the outside-quote tokens ``toks``."""
    j = next((k for k, t in enumerate(toks) if t.i == cue.i), None)
    if j is None:
        return []
    if lemma == "according to" or toks[j + n - 1].lower_ in ("by", "of"):
        # "according to the spokesman of the ministry, Lukasz Jasina,": the whole phrase
        rest = toks[j + n:]
        stop = next((k for k, t in enumerate(rest) if t.is_punct and t.text not in (",", ".", "-", "’s", "'s")), len(rest))
        rest = rest[:stop]
        while rest and rest[-1].is_punct:
            rest = rest[:-1]
        return rest[:16] if rest and rest[0].pos_ != "PRON" else _np_after(toks, j + n)
    subj = _subject_of(cue, lo, hi)
    if subj:
        masked = any("\x00" in ctx.masked[t.idx:t.idx + len(t.text)] for t in subj)
        if not masked:
            end = subj[-1].idx + len(subj[-1].text)
            name = next((m for m in _mentions_between(ctx, end, cue.idx) if m.label == "PERSON" and m.start_char <= end + 1
                         and m.end_char <= cue.idx), None)
            if name is not None:  # "U.S. Ambassador to the United Nations Linda Thomas-Greenfield told"
                subj = subj + [t for t in toks if end <= t.idx < name.end_char]
            elif ctx.text[end:end + 2] == ", ":
                # "Ukraine’s ambassador to the U.K., Vadym Prystaiko, had told": the apposition names him
                appos = next((m for m in _mentions_between(ctx, end, cue.idx)
                              if m.label == "PERSON" and m.start_char == end + 2
                              and ctx.text[m.end_char:m.end_char + 1] == ","), None)
                if appos is not None:
                    subj = [t for t in toks if appos.start_char <= t.idx < appos.end_char] or subj
            return subj
    before = _np_before(toks, j)
    after = _np_after(toks, j + n)
    # "said the Texas Republican" puts the speaker after; "Blinken said" before
    if prefer == "after":
        return after or before
    if before and not (len(before) == 1 and before[0].pos_ == "PRON" and before[0].text.lower() in ("it", "this", "that", "which", "who")):
        return before
    return []  # "accused Washington of ...": a name after the verb is its object


def _phrase_root(toks: list[Token]) -> Token:
    """The syntactic head of a speaker phrase (its token governed from outside it)."""
    ids = {t.i for t in toks}
    roots = [t for t in toks if t.head.i not in ids or t.head is t]
    nouns = [t for t in roots if t.pos_ in ("NOUN", "PROPN", "PRON")]
    if nouns:
        return nouns[0]
    nouns = [t for t in toks if t.pos_ in ("NOUN", "PROPN")]
    return nouns[-1] if nouns else toks[-1]


def _speaker_from_tokens(ctx: _Ctx, toks: list[Token], at: int, prior: list[_Q], raw_mentions) -> tuple[_Speaker | None, str]:
    """Link speaker tokens to an entity: (speaker, attribution)."""
    lex = _lexicon()
    if not toks:
        return None, "unresolved"
    s, e = toks[0].idx, toks[-1].idx + len(toks[-1].text)
    surface = ctx.text[s:e]
    words = [t.text.lower() for t in toks]
    if len(toks) == 1 and toks[0].pos_ == "PRON":
        if words[0] in lex.pronouns:
            sp = _pronoun_antecedent(ctx, s, prior, words[0])
            if sp is not None:
                shown = surface if sp.name is not None else sp.surface  # a description stays readable
                return _Speaker(shown, sp.entity_id, sp.name, sp.label), "pronoun"
            return _Speaker(surface), "unresolved"
        return None, "unresolved"  # "who warned", "it has been said": no speaker named
    root = _phrase_root(toks)
    over = [m for m in _mentions_between(ctx, max(0, s - 200), e) if m.end_char > s and m.label in SPEAKER_LABELS]
    # the mention must be the phrase's head: "The President of Ukraine" is not Ukraine
    heads = [m for m in over if m.start_char <= root.idx < m.end_char and m.label != "NORP"]
    if heads:
        return _speaker_from_mention(_fuller_name(ctx, heads[0]), surface), "explicit"
    # a possessor is not the speaker: "Zelenskiy's chief of staff"
    persons = [m for m in over if m.label == "PERSON" and not ctx.text[m.end_char:m.end_char + 2] in ("'s", "’s")]
    orgs = [m for m in over if m.label == "ORG"]
    if root.tag_ in ("NNS", "NNPS") and not persons and len(orgs) == 1 and root.text.lower() not in lex.documents:
        # "The G7 foreign ministers said", "NATO allies said": the body speaks as one
        return _speaker_from_mention(orgs[0], surface), "title"
    if len({(m.entity_id, m.canonical_name) for m in persons}) > 1 and "and" in words:
        return _Speaker(surface), "unresolved"  # "Blinken and Lavrov said": no single speaker
    # "the spokesman of the ministry, Lukasz Jasina": the name in apposition speaks
    appos = [m for m in persons if ctx.text[:m.start_char].rstrip().endswith(",")]
    if appos and len(appos) == 1:
        return _speaker_from_mention(appos[0], surface), "explicit"
    if persons and root.text.lower() not in lex.anonymous:
        m = min(persons, key=lambda m: abs(m.end_char - at))
        return _speaker_from_mention(m, surface), "explicit"
    head = root.text.lower()
    head_sg = head[:-1] if head.endswith("s") and head[:-1] in (lex.anonymous | lex.roles | lex.institutions) else head
    if head in lex.documents or head_sg in lex.documents:
        # "the Kremlin statement said": the organisation behind the document speaks
        orgs = [m for m in over if m.label in ("ORG", "GPE")]
        if len(orgs) == 1:
            return _speaker_from_mention(orgs[0], surface), "document"
        # "Lavrov's statement": its author
        owners = [m for m in over if ctx.text[m.end_char:m.end_char + 2] in ("'s", "’s")]
        if len(owners) == 1:
            return _speaker_from_mention(owners[0], surface), "document"
        if words[0] == "the" and not over:
            issuer = _document_issuer(ctx, head_sg, s, prior)
            if issuer is not None:  # "In a statement, the ministry said ... “...,” the statement said"
                return _Speaker(surface, issuer.entity_id, issuer.name, issuer.label), "document"
        return _Speaker(surface), "document"
    if head in lex.anonymous or head_sg in lex.anonymous:
        # "The spokesman added" right after "Kremlin spokesman Dmitry Peskov said": him;
        # "the official" never resolves (officials are not in role_heads)
        definite = words[0] == "the" or "'s" in words or "’s" in words
        person = _earlier_role_holder(ctx, head_sg, s, prior, surface) \
            if head_sg in lex.roles and definite else None
        if person is not None:
            return _speaker_from_mention(person, surface), "title"
        return _Speaker(surface), "title"
    if head_sg in lex.institutions:
        org = _earlier_org(ctx, surface, s)
        if org is not None:
            return _speaker_from_mention(org, surface), "title"
        actor = _gazetteer_exact(surface)  # "the Russian foreign ministry", named in full
        if actor is not None:
            return _Speaker(surface, actor[0], actor[1], actor[2]), "title"
        return _Speaker(surface), "title"
    capitalized = [t for t in toks if t.text[:1].isupper() and t.text.lower() not in lex.honorifics]
    if head_sg in lex.roles or words[0] in ("the", "a", "an") or "'s" in words or "’s" in words:
        # only a definite description points back ("the Texas Republican"); never guess otherwise
        person = _earlier_role_holder(ctx, head_sg, s, prior, surface) if head_sg in lex.roles and words[0] == "the" else None
        if person is not None:
            return _speaker_from_mention(person, surface), "title"
        holder = _role_holder(surface) if words[0] != "a" else None
        if holder is not None:  # "The President of Ukraine": the one gazetteer actor with that role
            return _Speaker(surface, holder[0], holder[1], "PERSON"), "title"
        if words[0] == "the" and (head_sg in lex.anaphors or YEAR_OLD.search(surface)):
            # "the 44-year-old said", "the New York Democrat told reporters": the person just named
            sp = _pronoun_antecedent(ctx, s, prior, None, max_back=1)
            if sp is not None:
                return _Speaker(surface, sp.entity_id, sp.name, sp.label), "title"
        return _Speaker(surface), "title"
    if capitalized:
        if len(toks) == 1:
            first = _first_name_holder(ctx, toks[0].text, s)
            if first is not None:  # "Wladimir told reporters" after "Wladimir Klitschko"
                return _speaker_from_mention(first, surface), "explicit"
        res = _resolve_name(surface, raw_mentions)
        if res:
            return _Speaker(surface, res[0], res[1], "PERSON"), "explicit"
        return _Speaker(surface), "explicit"  # a name we cannot link: kept as text only
    return _Speaker(surface), "unresolved"


FUNCTION_WORDS = frozenset("the a an of for to in on at and ''".split())
COORDINATED = re.compile(r"\s*(?:,|,?\s*(?:and|or|but))\s*")
YEAR_OLD = re.compile(r"\byear-old$|\d+-year-old\b", re.I)


def _gazetteer_exact(surface: str) -> tuple[str, str, str] | None:
    """(entity_id, name, type) of the one gazetteer actor called exactly ``surface``, else None."""
    from ukraine_briefs.extract import gazetteer

    ids = gazetteer.alias_index().get(gazetteer.key(surface))
    if not ids:  # "Ukraine's foreign ministry" is listed as "Ukrainian Foreign Ministry"
        adjective = {v: k for k, v in _lexicon().nationalities.items() if " " not in v}
        swapped = re.sub(r"\b(\w+)['’]s\b", lambda m: adjective.get(m.group(1).lower(), m.group(0)), surface)
        ids = gazetteer.alias_index().get(gazetteer.key(swapped)) if swapped != surface else None
    if not ids or len(ids) != 1:
        return None
    a = gazetteer.get(next(iter(ids)))
    return (a.entity_id, a.canonical_name, a.type) if a is not None else None


def _fuller_name(ctx: _Ctx, m: _M) -> _M:
    """A bare surname the entity stage left unlinked ("Wang") -> the earlier full name ("Wang Wenbin")."""
    if m.label not in ("PERSON", "ORG") or _gz_profile(m.entity_id) or len(m.canonical_name.split()) != 1:
        return m
    w = m.canonical_name.lower()
    fuller = {(o.entity_id, o.canonical_name): o for o in _mentions_between(ctx, _back(ctx, m.start_char), m.start_char)
              if (o.label == "PERSON" or (o.label == "ORG" and not _gz_profile(o.entity_id)
                                          and _name_gender(o.canonical_name)))  # "Oleksandr Kubrakov" as ORG and len(o.canonical_name.split()) >= 2
              and w in (o.canonical_name.split()[-1].lower(), o.canonical_name.split()[0].lower())}  # "Wang Wenbin"
    return next(iter(fuller.values())) if len(fuller) == 1 else m


def _first_name_holder(ctx: _Ctx, word: str, before: int) -> _M | None:
    """The latest earlier person whose first name is ``word`` (AP style for family members)."""
    w = word.lower()
    for m in reversed(_mentions_between(ctx, _back(ctx, before), before)):
        if m.label != "PERSON":
            continue
        names = ctx.text[m.start_char:m.end_char].split()
        if len(names) >= 2 and names[0].lower() == w:
            return m
    return None


def _document_issuer(ctx: _Ctx, head: str, before: int, prior: list[_Q]) -> _Speaker | None:
    """Who issued "the statement": the latest speaker (this or the last paragraph) introduced with it."""
    here = ctx.idx.paragraph_id(before)
    for q in reversed(prior):
        if q.speaker is None or q.speaker.name is None or q.cue_pos is None or q.cue_pos >= before:
            continue
        if here - q.para > 1:
            break
        lead = ctx.text[ctx.paras[q.para][0]:max(q.cue_pos, q.open_at or q.start)].lower()
        if head in lead:
            return q.speaker
    return None


_ROLE_WORDS = {
    "ukraine": "ukrainian", "ukraine's": "ukrainian", "russia": "russian", "russia's": "russian",
    "us": "us", "u.s": "us", "american": "us", "america's": "us", "united": "us", "states": "",
    "uk": "uk", "british": "uk", "britain's": "uk", "spokesman": "spokesperson",
    "spokeswoman": "spokesperson", "defense": "defence", "the": "", "of": "", "s": "",
}


def _role_key(text: str) -> frozenset:
    words = re.findall(r"[a-z.'’]+", text.lower().replace("’", "'"))
    out = set()
    nations = _lexicon().nationalities
    for x in words:
        x = x.strip(".")
        if x in nations and " " not in nations[x] and x not in _ROLE_WORDS:
            x = nations[x]  # "belarusian" and "belarus" agree
        w = _ROLE_WORDS.get(x, None)
        if w is None:  # "nato's secretary general"
            x = re.sub(r"'s?$", "", x)
            w = _ROLE_WORDS.get(x, x)
        if w:
            out.add(w)
    return frozenset(out)


@functools.lru_cache(maxsize=1)
def _roles_index() -> dict:
    """Role words -> (entity_id, name) of gazetteer people, for roles held by one person only."""
    from ukraine_briefs.extract import gazetteer

    index: dict = {}
    for a in gazetteer.load_actors().values():
        if a.type == "PERSON" and a.role:
            index.setdefault(_role_key(a.role), []).append((a.entity_id, a.canonical_name))
    return {k: v[0] for k, v in index.items() if len(v) == 1 and len(k) >= 2}


@functools.lru_cache(maxsize=4096)
def _role_holder(description: str) -> tuple[str, str] | None:
    """The actor whose gazetteer role is exactly this description ("the Russian foreign minister").

    Failing that, role words are swapped for the gazetteer's ("the Russian leader"
    -> President of Russia), per ``role_holder_aliases``.
    """
    index = _roles_index()
    hit = index.get(_role_key(description))
    if hit is None:
        desc = description.lower()
        for word, alias in _lexicon().role_aliases.items():
            if re.search(rf"\b{re.escape(word)}\b", desc):
                hit = index.get(_role_key(re.sub(rf"\b{re.escape(word)}\b", alias, desc)))
                if hit is not None:
                    break
    return hit


def _earlier_org(ctx: _Ctx, description: str, before: int) -> _M | None:
    """The latest earlier ORG mention holding every word of ``the foreign ministry`` (so not the defence one)."""
    want = {w for w in WORD_RE.findall(description.lower()) if w not in ("the", "a", "an", "its", "their")}
    earlier = list(reversed(_mentions_between(ctx, _back(ctx, before), before)))
    for m in earlier:
        if m.label == "ORG" and want <= set(WORD_RE.findall(ctx.text[m.start_char:m.end_char].lower())):
            return m
    lex = _lexicon()
    if len(want) == 1 and next(iter(want)) in lex.institutions:
        # translated news calls a ministry "the department" or "the agency": the latest
        # institution named in this or the last paragraph
        here = ctx.idx.paragraph_id(before)
        for m in earlier:
            if here - ctx.idx.paragraph_id(m.start_char) > 1:
                break
            words = set(WORD_RE.findall(m.canonical_name.lower()))
            if m.label == "ORG" and words & INSTITUTION_WORDS:
                return m
    return None


INSTITUTION_WORDS = frozenset("ministry department agency office service committee council".split())


def _gz_profile(entity_id: str | None) -> str:
    """Lower-cased gazetteer role and affiliation of an actor ("" outside the gazetteer)."""
    if not entity_id:
        return ""
    from ukraine_briefs.extract import gazetteer

    a = gazetteer.get(entity_id)
    if a is None:
        return ""
    return f"{a.role or ''} | {a.affiliation or ''}".lower()


def _shows(word: str, *texts: str) -> bool:
    """Does ``word`` (or a synonym, or its country for a nationality) occur in one of ``texts``?"""
    lex = _lexicon()
    alts = (word, *lex.role_synonyms.get(word, ()))
    if word in lex.nationalities:
        alts = alts + (lex.nationalities[word],)
    return any(alt in t for alt in alts for t in texts if t)


def _mention_window(ctx: _Ctx, persons: list, k: int) -> str:
    """Words describing ``persons[k]``: up to the neighbouring names, and not across a verb.

    "Dmitry Peskov, the Kremlin spokesman, said Putin ...": the description is
    Peskov's, so Putin's window starts after "said".
    """
    m = persons[k]
    lo = max(m.start_char - 40, persons[k - 1].end_char if k > 0 else 0)
    hi = min(m.end_char + 60, persons[k + 1].start_char if k + 1 < len(persons) else m.end_char + 60)
    left = ctx.doc.char_span(lo, m.start_char, alignment_mode="contract")
    if left is not None:
        verbs = [t for t in left if t.pos_ == "VERB" or t.text.lower() in _lexicon().cue_forms]
        if verbs:
            lo = verbs[-1].idx + len(verbs[-1].text)
    right = ctx.doc.char_span(m.end_char, hi, alignment_mode="contract")
    if right is not None:
        verbs = [t for t in right if t.pos_ == "VERB" or t.text.lower() in _lexicon().cue_forms]
        if verbs:
            hi = verbs[0].idx
    return ctx.text[lo:hi].lower()


def _earlier_role_holder(ctx: _Ctx, role: str, before: int, prior: list[_Q], description: str = "") -> _M | None:
    """The person a definite description refers back to, or None.

    Someone already quoted and named in this or the last paragraph needs only the
    role near one of their mentions or in their gazetteer role ("said the Texas
    Republican" for Rep. McCaul, introduced with "Republicans"; "added the
    minister" for the foreign minister); anyone else needs every word of the
    description (or a synonym: "the Russian leader" for the President of Russia)
    near a mention or in their role, at most three paragraphs back ("the
    Ukrainian ambassador" for "The Ukrainian ambassador to Poland, Andrij
    Deszczyca"). Description words are read next to each mention only up to the
    neighbouring name or verb, so the description goes to the right person.
    """
    quoted = {(q.speaker.entity_id, q.speaker.name) for q in prior if q.speaker is not None and q.speaker.name}
    # "Putin's spokesman" is not Putin: the possessor is no candidate, and no description word
    owners = [m for m in _mentions_between(ctx, before, before + len(description)) if m.label == "PERSON"]
    owner_words = {w.lower() for m in owners for w in WORD_RE.findall(ctx.text[m.start_char:m.end_char])}
    owner_keys = {(m.entity_id, m.canonical_name) for m in owners}
    desc = description.lower()
    phrases = [ph for ph in _lexicon().role_synonyms if " " in ph and ph in desc]
    for ph in phrases:  # "the Head of State": one role, not three words
        desc = desc.replace(ph, " ")
    words = [re.sub(r"['’]s$", "", w) for w in WORD_RE.findall(desc)]
    modifiers = [w for w in words if w not in FUNCTION_WORDS and w not in owner_words] + phrases or [role]
    here = ctx.idx.paragraph_id(before)
    # evidence from the last ten paragraphs only, so long documents stay linear
    first = ctx.paras[max(0, here - 10)][0]
    persons = [m for m in _mentions_between(ctx, first, before) if m.label == "PERSON"]
    evidence: dict = {}  # entity -> (has role, has every description word)
    latest: dict = {}
    for k, m in enumerate(persons):
        key = (m.entity_id, m.canonical_name)
        window = _mention_window(ctx, persons, k)
        profile = _gz_profile(m.entity_id)
        has_role, has_all = evidence.get(key, (False, False))
        evidence[key] = (has_role or _shows(role, window, profile),
                         has_all or all(_shows(w, window, profile) for w in modifiers))
        latest[key] = m
    near = []
    for key, m in sorted(latest.items(), key=lambda kv: -kv[1].start_char):
        if key in owner_keys:
            continue
        gap = here - ctx.idx.paragraph_id(m.start_char)
        has_role, has_all = evidence[key]
        if (key in quoted and has_role and gap <= 1) or (has_all and len(modifiers) > 1 and gap <= 3):
            return m
        if has_all and gap <= 1:
            near.append(m)
    # "Scholz met Putin ... the chancellor said": the only person close by who holds the role
    if len(near) == 1:
        return near[0]
    # several hold it ("President Zelensky spoke with President Macron. ... the Head of State wrote"):
    # the subject of the main clause of the latest sentence naming one of them
    if near:
        sid = max(ctx.idx.sent_id(m.start_char) for m in near)
        mains = []
        for m in near:
            span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None and ctx.idx.sent_id(m.start_char) == sid and _is_subject(span)[1]:
                mains.append(m)
        if len(mains) == 1:
            return mains[0]
    return None


def _back(ctx: _Ctx, at: int, paragraphs: int = 10) -> int:
    """Offset of the paragraph ``paragraphs`` before the one holding ``at`` (how far rules look back)."""
    return ctx.paras[max(0, ctx.idx.paragraph_id(at) - paragraphs)][0]


def _mentions_between(ctx: _Ctx, lo: int, hi: int) -> list:
    """Mentions lying wholly inside ``[lo, hi)`` (bisect on the sorted starts)."""
    i = bisect.bisect_left(ctx.mention_starts, lo)
    j = bisect.bisect_left(ctx.mention_starts, hi)
    return [m for m in ctx.mentions[i:j] if m.end_char <= hi]


def _name_gender(name: str | None) -> str | None:
    """"he"/"she" from a first name (``Jen Psaki``) or a feminine Slavic surname, else None."""
    lex = _lexicon()
    words = (name or "").lower().split()
    if not words:
        return None
    if words[0] in lex.female:
        return "she"
    if words[0] in lex.male:
        return "he"
    if len(words) >= 2 and words[-1].endswith(lex.female_endings):
        return "she"
    return None


def _gender_clues(ctx: _Ctx, prior: list[_Q]) -> dict:
    """(entity_id, name) -> "he"/"she" from earlier pronoun attributions, Mr./Ms. titles and first names."""
    clues = {}
    for q in prior:
        if q.attribution == "pronoun" and q.speaker is not None and q.speaker.surface:
            clues[(q.speaker.entity_id, q.speaker.name)] = q.speaker.surface.lower()
    if ctx.mention_genders is None:
        ctx.mention_genders = _mention_genders(ctx)
    for key, g in ctx.mention_genders.items():
        clues.setdefault(key, g)
    return clues


def _mention_genders(ctx: _Ctx) -> dict:
    """(entity_id, name) -> "he"/"she" from Mr./Ms. titles and first names (once per document)."""
    clues: dict = {}
    for m in ctx.mentions:
        if m.label != "PERSON":
            continue
        key = (m.entity_id, m.canonical_name)
        before = ctx.text[max(0, m.start_char - 5):m.start_char].lower()
        if re.search(r"\bmr\.?\s*$", before):
            clues.setdefault(key, "he")
        elif re.search(r"\b(?:mrs|ms)\.?\s*$", before):
            clues.setdefault(key, "she")
        g = _name_gender(m.canonical_name) or _name_gender(ctx.text[m.start_char:m.end_char])
        if g:
            clues.setdefault(key, g)
    return clues


def _is_subject(span) -> tuple[bool, bool]:
    """(is a subject, of the main clause) for a mention span; appositions count.

    "Russia's ambassador, Vassily Nebenzia, rejected ...": the name stands in
    apposition to the subject. "Psaki said Biden had spoken ...": Biden is the
    subject of a reported clause, Psaki of the main one.
    """
    for t in span:
        subj = t if t.dep_ in ("nsubj", "nsubjpass") else (
            t.head if t.dep_ == "appos" and t.head.dep_ in ("nsubj", "nsubjpass") else None)
        if subj is None and t.dep_ in ("pobj", "compound") and span.end < len(span.doc):
            # "Minister of National Defense Mariusz Błaszczak added": the parser hangs the
            # name under the title; it still ends the subject right before the verb
            x = t
            for _ in range(4):
                if x.dep_ in ("nsubj", "nsubjpass") or x.head is x:
                    break
                x = x.head
            nxt = span.doc[span.end]
            if x.dep_ in ("nsubj", "nsubjpass") and (nxt.i == x.head.i or (
                    nxt.pos_ in ("AUX", "ADV") and nxt.head.i == x.head.i)):
                subj = x
        if subj is None:
            continue
        verb = subj.head
        main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
        return True, main
    first = span[0]
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if first.is_sent_start and nxt is not None and (nxt.text == "," or nxt.pos_ in ("VERB", "AUX")):
        # "Baerbock, meanwhile, called for restraint": a sentence-initial name the parser misread
        return True, True
    return False, False


def _described_subjects(ctx: _Ctx, at: int, max_back: int, clash, want: str | None = None) -> list:
    """Subjects named by a role only ("Ukraine's president thanked Biden") that the gazetteer pins down.

    Returns pronoun candidates ``(position, speaker, main clause)``; only roles
    held by one actor ("President of Ukraine") count.
    """
    lex = _lexicon()
    pid = ctx.idx.paragraph_id(at)
    lo = ctx.paras[max(0, pid - max_back)][0]
    span = ctx.doc.char_span(lo, at, alignment_mode="contract")
    out = []
    if span is None:
        return out
    for t in span:
        if t.pos_ == "PROPN" and (t.dep_ in ("nsubj", "nsubjpass") or (
                t.dep_ == "appos" and t.head.dep_ in ("nsubj", "nsubjpass"))) and _name_gender(t.text):
            # "Anna, a mother of two, said ...": a first name the entity model missed (or called an ORG)
            over = [m for m in _mentions_between(ctx, max(0, t.idx - 60), t.idx + len(t.text) + 60)
                    if m.start_char <= t.idx < m.end_char]
            if any(m.label != "ORG" or _gz_profile(m.entity_id) or m.end_char - m.start_char > len(t.text)
                   for m in over):
                continue
            if "\x00" not in ctx.masked[t.idx:t.idx + len(t.text)] and want in (None, _name_gender(t.text)):
                verb = t.head if t.dep_ != "appos" else t.head.head
                main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
                out.append((t.idx, _Speaker(t.text, None, t.text, "PERSON"), main))
            continue
        if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ != "NOUN" or t.lower_ not in (lex.roles | lex.anonymous):
            continue
        if t.tag_ in ("NNS", "NNPS"):
            continue  # "officials said ... he": a plural is nobody's antecedent
        if "\x00" in ctx.masked[t.idx:t.idx + len(t.text)]:
            continue
        left = [x for x in t.subtree if x.i <= t.i]
        sub = list(t.subtree)
        lo_c, hi_c = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        if any(x.ent_type_ == "PERSON" for x in sub) or any(
                m.label == "PERSON" and m.end_char > lo_c for m in _mentions_between(ctx, max(0, lo_c - 200), hi_c)):
            continue  # "Putin's spokesman", "the ambassador Oksana Markarova": the name decides
        desc = ctx.text[left[0].idx:t.idx + len(t.text)]
        holder = _role_holder(desc)
        if holder is not None and clash(holder[0], holder[1]):
            continue
        verb = t.head
        main = verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")
        if holder is not None:
            out.append((t.idx, _Speaker(desc, holder[0], holder[1], "PERSON"), main))
        else:  # "His commander nodded. “...,” he said.": a description, kept as text
            out.append((t.idx, _Speaker(desc), main))
    return out


def _pronoun_antecedent(ctx: _Ctx, at: int, prior: list[_Q], pronoun: str | None = "he", *,
                        max_back: int = 2) -> _Speaker | None:
    """The most recent person speaker or person subject before ``at`` (same or last two paragraphs).

    A person already called by the other pronoun ("she added"), or whose first
    name says otherwise, is skipped; within one sentence the main clause's
    subject beats a reported one. ``pronoun=None`` checks no gender (for
    descriptions such as "the 44-year-old").
    """
    pid = ctx.idx.paragraph_id(at)
    want = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she"}.get(pronoun or "", None)
    clues = _gender_clues(ctx, prior)

    def clash(entity_id, name) -> bool:
        return want is not None and clues.get((entity_id, name), want) != want

    cands: list[tuple[int, _Speaker, bool]] = []  # (position, speaker, main clause)
    for q in reversed(prior):
        if pid - q.para > max_back + 1:
            break
        if q.speaker is None or q.cue_pos is None or q.cue_pos >= at:
            continue
        if clash(q.speaker.entity_id, q.speaker.name):
            continue
        if q.speaker.label not in (None, "PERSON") or q.attribution == "unresolved":
            continue
        if q.speaker.label is None and q.attribution not in ("title",):
            continue
        if pid - ctx.idx.paragraph_id(q.cue_pos) <= max_back:
            cands.append((q.cue_pos, q.speaker, True))
    for m in _mentions_between(ctx, ctx.paras[max(0, pid - max_back)][0], at):
        if m.label != "PERSON":
            continue
        if "\x00" in ctx.masked[m.start_char:m.end_char]:
            continue
        span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None:
            continue
        is_subj, main = _is_subject(span)
        if not is_subj or clash(m.entity_id, m.canonical_name):
            continue
        cands.append((m.start_char, _speaker_from_mention(m, ctx.text[m.start_char:m.end_char]), main))
    cands.extend(_described_subjects(ctx, at, max_back, clash, want))
    if not cands:
        return None
    best = max(cands, key=lambda c: c[0])
    if not best[2]:
        sid = ctx.idx.sent_id(best[0])
        mains = [c for c in cands if c[2] and ctx.idx.sent_id(c[0]) == sid]
        if mains:
            best = max(mains, key=lambda c: c[0])
    return best[1]


def _sentence_of(ctx: _Ctx, q: _Q) -> tuple[int, int]:
    """Bounds of the (quote-blind) sentence holding the quote, inside its paragraph."""
    a, b = ctx.paras[q.para]
    starts = _sentence_bounds(ctx.masked, a, b, _lexicon())
    lo_mark = q.open_at if q.open_at is not None else q.start
    s = max([x for x in starts if x <= lo_mark] or [a])
    hi_mark = q.close_at if q.close_at is not None else q.end
    nxt = [x for x in starts if x >= hi_mark]
    e = min(nxt) if nxt else b
    return s, e


@dataclass
class _Around:
    """The text around one quote, outside every quote, inside its sentence."""

    before_lo: int
    lo_mark: int
    hi_mark: int
    after_hi: int
    before: str
    after: str
    inner: str
    starts_clause: bool  # the quote opens its sentence (or follows a colon or its own cue)
    ends_clause: bool  # the quote closes its sentence or clause
    other_cue: bool = False  # a cue nearby that we would not trust: no continuation either


def _around(ctx: _Ctx, quotes: list[_Q], qi: int, done: list[_Q]) -> _Around:
    q = quotes[qi]
    pa, _ = ctx.paras[q.para]
    sent_lo, sent_hi = _sentence_of(ctx, q)
    lo_mark = q.open_at if q.open_at is not None else q.start
    hi_mark = q.close_at if q.close_at is not None else q.end
    # after the quote: up to the next quote of the paragraph or the sentence end
    nxt_q = next((o for o in quotes[qi + 1:] if o.para == q.para), None)
    after_hi = min(sent_hi, nxt_q.open_at if nxt_q and nxt_q.open_at is not None else sent_hi)
    prev_q = done[-1] if done and done[-1].para == q.para else None
    before_lo = max(sent_lo, prev_q.close_at if prev_q and prev_q.close_at else sent_lo)
    before, after = ctx.text[before_lo:lo_mark], ctx.text[hi_mark:after_hi]
    inner = ctx.text[q.start:q.end]
    lead = before.strip()
    starts = (not lead or lead.endswith(":") or lead[-1:] in ".!?" or q.origin == "dash"
              or (q.open_at is None and q.start == pa))
    if prev_q is not None and prev_q.kind == "full" and lead[-1:] in ",;" and len(lead.split()) <= 12 \
            and _cue_tokens(ctx, _tokens_in(ctx, before_lo, lo_mark)):
        starts = True  # a quote split by its attribution: “...,” Blinken said, “...”
    ends = inner[-1:] in ".,!?…;:" or not after.strip() or after.strip()[:1] in ".,;:!?—–-"
    return _Around(before_lo, lo_mark, hi_mark, after_hi, before, after, inner, starts, ends)


def _find_cue(ctx: _Ctx, q: _Q, ar: _Around):
    """The cue attributing quote ``q``: (token, lemma, n_tokens, tokens, lo, hi, prefer) or None.

    Order: an attribution hanging on the quote (“...,” X said / said X), then the
    closest cue before it in its sentence, then (partial quotes only) a cue later
    in the sentence ("... “serious consequences” ..., Blinken told ...").
    """
    after_toks = _tokens_in(ctx, ar.hi_mark, ar.after_hi)
    cues_after = _cue_tokens(ctx, after_toks)
    before_toks = _tokens_in(ctx, ar.before_lo, ar.lo_mark)
    cues_before = _cue_tokens(ctx, before_toks)
    limit = 8 if ar.inner[-1:] in ".!…" and q.origin != "dash" else 14
    # "noting X" after a quote names the object, not the speaker
    finite = [c for c in cues_after if c[0].tag_ != "VBG" or c[2] > 1 or c[0].i != after_toks[0].i]
    if finite:
        tok, lemma, n = finite[0]
        after_toks = [t for t in after_toks if not (t.is_punct and t.i < tok.i)] or after_toks
        pos = next(k for k, t in enumerate(after_toks) if t.i == tok.i)
        # attribution hangs on the quote: “...,” X said — not "... “measures” if NATO continued"
        nameish = all(t.pos_ in NAME_POS for t in after_toks[:pos])
        attached = (ar.inner[-1:] in ",!?…—–-" or ar.after.lstrip()[:1] in ",—–-"
                    or (ar.starts_clause and (pos <= 3 or nameish)))
        lead_in = after_toks[:pos - 1] if pos and after_toks[pos - 1].lower_ == "as" else after_toks[:pos]
        clause = any(t.text.lower() in CLAUSE_WORDS for t in lead_in)  # "quoted as saying" is no clause
        if ar.inner[-1:] in ".!?…" and ar.inner[-2:] != "?!" and q.origin != "dash":
            # after “...ended.” a new sentence may report other speech: “...” Lavrov said Moscow had ...
            clause = clause or any(t.pos_ in ("VERB", "AUX") or t.lower_ == "that" for t in after_toks[pos + n:])
        # "Biden told Putin that “...,” according to a readout": Biden speaks
        readout = lemma == "according to" and cues_before
        if pos <= limit and attached and not clause and not readout:
            ar.ends_clause = True  # “Nothing has changed” said Blinken: the attribution ends it
            return tok, lemma, n, after_toks, ar.hi_mark, ar.after_hi, "after" if pos == 0 else "before"
        ar.other_cue = pos <= limit
    if cues_before:
        tok, lemma, n = cues_before[-1]
        return tok, lemma, n, before_toks, ar.before_lo, ar.lo_mark, "before"
    if not ar.starts_clause and cues_after and not ar.before.strip().endswith(":"):
        tok, lemma, n = cues_after[0]
        # its subject may stand before the quote: "He called it “provocative” and accused ..."
        return tok, lemma, n, after_toks, ar.before_lo, ar.after_hi, "before"
    return None


INTERJECTION = re.compile(r"\s*[,—–-]+\s*[^,—–\"“”«»]{2,40}?\s*[,—–-]+\s*")


def _interjection_cue(ctx: _Ctx, quotes: list[_Q], qi: int):
    """“The sanctions” — Biden paused — “will be ...”: a short clause splitting one quote names its speaker.

    Any verb counts here (paused, smiled, continued), as the clause sits between
    two halves of the same quotation. Same return shape as `_find_cue`.
    """
    q = quotes[qi]
    nxt = quotes[qi + 1] if qi + 1 < len(quotes) else None
    if nxt is None or nxt.para != q.para or q.close_at is None or nxt.open_at is None:
        return None
    lo, hi = q.close_at, nxt.open_at
    if not INTERJECTION.fullmatch(ctx.text, lo, hi):
        return None
    toks = _tokens_in(ctx, lo, hi)
    verbs = [t for t in toks if t.pos_ == "VERB"]
    if len(verbs) != 1:
        return None
    v = verbs[0]
    subj = [c for c in v.children if c.dep_ == "nsubj" and lo <= c.idx < hi]
    if not subj or not (subj[0].ent_type_ == "PERSON" or subj[0].lower_ in _lexicon().pronouns):
        return None
    return v, v.lemma_.lower(), 1, toks, lo, hi, "before"


def _previous_lead_in(ctx: _Ctx, q: _Q, done: list[_Q], raw_mentions) -> None:
    """A quote paragraph introduced by the previous one ending in a colon (``He said:``)."""
    a, b = ctx.paras[q.para - 1]
    if b <= a:
        return
    lo = max(_sentence_bounds(ctx.masked, a, b, _lexicon()))
    toks = _tokens_in(ctx, lo, b)
    cues = _cue_tokens(ctx, toks)
    if cues:
        tok, lemma, n = cues[-1]
        sp_toks = _speaker_tokens(ctx, tok, n, lemma, toks, lo, b, prefer="before")
        sp, how = _speaker_from_tokens(ctx, sp_toks, tok.idx, done, raw_mentions)
        q.cue, q.cue_pos, q.cue_i = lemma, tok.idx, tok.i
        if sp is not None:
            q.speaker, q.attribution = sp, how
        return
    ids = [t for t in toks if t.text != ":"]
    if ids and len(ids) <= 8:  # "Lavrov on sanctions:"
        sp, how = _speaker_from_tokens(ctx, ids, ids[-1].idx, done, raw_mentions)
        if sp is not None and how != "unresolved":
            q.speaker, q.attribution, q.cue_pos = sp, how, ids[-1].idx


def _echo_speaker(ctx: _Ctx, q: _Q, ar: "_Around", done: list[_Q], raw_mentions) -> None:
    """The sentence right after a quote names its speaker: "That was the message from X", "That was X's answer"."""
    lex = _lexicon()
    if not ar.starts_clause or q.close_at is None:
        return
    a, b = ctx.paras[q.para]
    lo = q.close_at
    while lo < b and ctx.text[lo] in " .":
        lo += 1
    if q.para + 1 < len(ctx.paras) and lo >= b:  # the echo may open the next paragraph
        a, b = ctx.paras[q.para + 1]
        lo = a
    m = ECHO_RE.match(ctx.text, lo, b)
    if not m:
        return
    toks = _tokens_in(ctx, m.end(), b)
    if m.group("noun").lower() in lex.echo_nouns and m.group("prep"):
        sp_toks = []
        for t in toks:  # "from Nato Secretary General Jens Stoltenberg on Wednesday"
            if t.pos_ in ("PROPN", "NOUN", "ADJ", "DET") or (t.text in ("-", ".") and sp_toks):
                sp_toks.append(t)
            else:
                break
    else:
        return
    sp, how = _speaker_from_tokens(ctx, sp_toks, q.close_at, done, raw_mentions)
    if sp is not None and sp.name is not None and how in ("explicit", "title"):
        q.speaker, q.attribution, q.cue, q.cue_pos = sp, how, "say", m.start()


ECHO_RE = re.compile(
    r"(?:That|This|Such|These|Those)\s+(?:was|is|were|are|came as|echoed)\s+(?:the\s+|a\s+)?(?:\w+\s+){0,2}?"
    r"(?P<noun>[a-z]+)\s+(?P<prep>from|of|by)\s+")


def _colon_speaker(ctx: _Ctx, q: _Q, ar: _Around, done: list[_Q], raw_mentions) -> None:
    """A colon lead-in with no verb: ``Antony Blinken: “...”``, ``And from the ministry: “...”``."""
    toks = [t for t in _tokens_in(ctx, ar.before_lo, ar.lo_mark) if t.text != ":"]
    while toks and toks[0].pos_ in ("CCONJ", "ADP", "ADV", "PUNCT") and not toks[0].text[:1].isupper() \
            or toks and toks[0].lower_ in ("and", "but", "from", "so"):
        toks = toks[1:]
    cut = next((k for k, t in enumerate(toks) if k > 0 and t.lower_ in ("to", "on", "at", "in", "about")), None)
    if cut is not None:  # "Zelensky to Putin:", "Lavrov on sanctions:": the speaker comes first
        toks = toks[:cut]
    ids = {t.i for t in toks}
    subj = [t for t in toks if t.dep_ in ("nsubj", "nsubjpass") and t.head.i in ids and t.head.pos_ in ("AUX", "VERB")]
    if subj:  # "Lavrov's statement after the meeting was short: “...”": its subject speaks
        toks = [t for t in subj[0].subtree if t.i in ids]
    if toks and len(toks) <= 8:
        sp, how = _speaker_from_tokens(ctx, toks, ar.lo_mark, done, raw_mentions)
        if sp is not None and how != "unresolved":
            q.speaker, q.attribution, q.cue_pos = sp, how, toks[-1].idx


def _kind(ctx: _Ctx, q: _Q, ar: _Around) -> str:
    n_words = len(ar.inner.split())
    lead = SCARE_LEAD.search(ar.before)
    # "Kuleba called it “a full-scale invasion”": a named person's words, not a term
    # (a body "calling its actions a “special operation”" names a term; "the ministry called the move “premature”" quotes)
    named_call = lead is not None and lead.group("call") and (_is_heading(ctx, q.para) or (
        q.speaker is not None and q.speaker.surface is not None and q.attribution != "unresolved"
        and ((q.speaker.label == "PERSON" and q.speaker.name is not None)
             or not lead.group("call").lower().startswith("calling"))))
    if lead and n_words <= 4 and not named_call:
        return "scare"
    if q.origin == "dash":
        return "dash"
    if _is_heading(ctx, q.para):
        return "heading" if (q.speaker is not None or n_words > 3 or _whole_paragraph(ctx, q)) else "scare"
    if ar.starts_clause and ar.ends_clause:
        return "full"
    if n_words <= 6 and _title_case(ar.inner):
        return "scare"  # a name in marks: on “State of the Union”, the “Minsk Agreements”
    if q.cue is None and n_words <= 4:
        return "scare"
    return "partial"


_SMALL_WORDS = frozenset("of the and a an in on for to at by with de von".split())


def _title_case(s: str) -> bool:
    words = WORD_RE.findall(s)
    return bool(words) and all(w[:1].isupper() or w.lower() in _SMALL_WORDS for w in words) \
        and any(w[:1].isupper() for w in words)


def _attribute(ctx: _Ctx, quotes: list[_Q], raw_mentions) -> None:
    """Set kind, cue and speaker of every quote, in text order (earlier speakers feed later ones)."""
    done: list[_Q] = []
    for qi, q in enumerate(quotes):
        if q.origin == "transcript":
            _attribute_transcript(ctx, q, raw_mentions)
            done.append(q)
            continue
        ar = _around(ctx, quotes, qi, done)
        prev = done[-1] if done else None
        if prev is not None and prev.para == q.para and prev.close_at is not None and q.open_at is not None \
                and prev.speaker is not None and prev.cue_pos is not None and q.origin == prev.origin == "mark" \
                and prev.close_at <= prev.cue_pos < q.open_at \
                and INTERJECTION.fullmatch(ctx.text, prev.close_at, q.open_at):
            # “The costs” — Biden paused — “will be enormous.”: the second half is his too
            q.speaker, q.attribution, q.cue, q.cue_pos, q.cue_i = (
                prev.speaker, prev.attribution, prev.cue, prev.cue_pos, prev.cue_i)
            q.kind = prev.kind
            done.append(q)
            continue
        if prev is not None and prev.para == q.para and prev.close_at is not None and q.open_at is not None \
                and prev.speaker is not None and prev.kind in ("partial", "full") \
                and COORDINATED.fullmatch(ctx.text[prev.close_at:q.open_at]):
            # “unacceptable” and “irresponsible”: one reported phrase, one speaker
            q.speaker, q.attribution, q.cue, q.cue_pos, q.cue_i = (
                prev.speaker, prev.attribution, prev.cue, prev.cue_pos, prev.cue_i)
            q.kind = "partial"
            done.append(q)
            continue
        found = _find_cue(ctx, q, ar) or _interjection_cue(ctx, quotes, qi)
        if found is not None:
            tok, lemma, n, toks, lo, hi, prefer = found
            sp_toks = _speaker_tokens(ctx, tok, n, lemma, toks, lo, hi, prefer=prefer)
            sp, how = _speaker_from_tokens(ctx, sp_toks, tok.idx, done, raw_mentions)
            q.cue, q.cue_pos, q.cue_i = lemma, tok.idx, tok.i
            if sp is None and tok.dep_ == "conj":
                # "The statement said ... “...” and warned of “...”": the first verb's speaker
                first = next((o for o in reversed(done) if o.cue_i == tok.head.i and o.speaker is not None), None)
                if first is not None:
                    sp, how = first.speaker, first.attribution
            if sp is not None:
                q.speaker, q.attribution = sp, how
        elif ar.before.strip().endswith(":"):
            _colon_speaker(ctx, q, ar, done, raw_mentions)
        elif not ar.before.strip() and q.para > 0 and ctx.text[:ctx.paras[q.para][0]].rstrip().endswith(":"):
            _previous_lead_in(ctx, q, done, raw_mentions)  # "He said:\n\n“We are defending our country.”"
        if q.speaker is None and q.cue is None:
            _echo_speaker(ctx, q, ar, done, raw_mentions)  # "“...” That was the message from X."
        q.kind = _kind(ctx, q, ar)
        if q.speaker is None and q.cue is None and not ar.other_cue and q.kind in ("full", "partial", "dash"):
            _continuation(ctx, q, done, allow_prev_para=q.kind in ("full", "dash"))
        done.append(q)
    _backward_continuation(ctx, quotes)
    _heading_echoes(ctx, quotes)
    for q in quotes:
        if q.kind == "scare":  # a term in quotation marks, nobody's words
            q.speaker, q.cue = None, None
        if q.speaker is None:
            q.attribution = "unresolved"


def _whole_paragraph(ctx: _Ctx, q: _Q) -> bool:
    a, b = ctx.paras[q.para]
    rest = ctx.text[a:q.start] + ctx.text[q.end:b]
    return not re.sub(rf"[\s{re.escape(ALL_MARKS)}.,!?]", "", rest)


def _is_heading(ctx: _Ctx, pid: int) -> bool:
    """Title line, or a short line with no closing punctuation (a section heading)."""
    a, b = ctx.paras[pid]
    p = ctx.text[a:b].strip().rstrip(ALL_MARKS + " ")
    if not p:
        return False
    if pid + 1 < len(ctx.paras) and _label_of(ctx, pid + 1) and ctx.text[a:b].strip()[:1] in DOUBLE_MARKS \
            and len(p.split()) <= 20:
        return True  # a quoted line right before an interview question
    # body paragraphs of spun copies lose their final stop too: only short lines count
    return len(p.split()) <= (40 if pid == 0 else 15) and p[-1:] not in ".!?:;,…"


def _continuation(ctx: _Ctx, q: _Q, done: list[_Q], *, allow_prev_para: bool) -> None:
    """A cue-less quote right after a quote by X (same or next paragraph) is X's."""
    if not done:
        return
    prev = done[-1]
    if prev.speaker is None or prev.attribution == "unresolved" or prev.kind == "scare":
        return
    gap = q.para - prev.para
    if gap == 0 or (gap == 1 and allow_prev_para):
        q.speaker = prev.speaker
        q.attribution = "continuation"
        q.cue_pos = prev.cue_pos


def _backward_continuation(ctx: _Ctx, quotes: list[_Q]) -> None:
    """A quote left open at its paragraph end belongs to the next paragraph's quote speaker."""
    for k in range(len(quotes) - 2, -1, -1):
        q, nxt = quotes[k], quotes[k + 1]
        if q.speaker is None and not q.closed and q.kind == "full" and nxt.para == q.para + 1 \
                and nxt.speaker is not None and nxt.attribution != "unresolved":
            q.speaker, q.attribution, q.cue_pos = nxt.speaker, "continuation", nxt.cue_pos


def _bigrams(s: str) -> set:
    w = [x.lower() for x in WORD_RE.findall(s)]
    return set(zip(w, w[1:]))


def _heading_echoes(ctx: _Ctx, quotes: list[_Q]) -> None:
    """A heading quote repeating words of an attributed quote gets that quote's speaker."""
    for q in quotes:
        if q.kind != "heading" or q.speaker is not None:
            continue
        inner = ctx.text[q.start:q.end]
        bg = _bigrams(inner)
        if len(inner.split()) < 3 or len(bg) < 2:
            continue
        best = None
        for o in quotes:
            if o is q or o.speaker is None or o.attribution == "unresolved" or o.kind == "heading":
                continue
            share = len(bg & _bigrams(ctx.text[o.start:o.end])) / len(bg)
            if share >= 0.75 and (best is None or share > best[0]):
                best = (share, o)
        if best:
            q.speaker = best[1].speaker
            q.attribution = best[1].attribution


def _attribute_transcript(ctx: _Ctx, q: _Q, raw_mentions) -> None:
    """Link a transcript speaker label to its entity (mention, resolver, or earlier label)."""
    name = q.speaker.surface if q.speaker else None
    if not name:
        return
    if name in ctx.label_speakers:
        q.speaker = ctx.label_speakers[name]
        return
    sp = None
    lex = _lexicon()
    if name.lower() in lex.answer_labels and ctx.intro_end is not None:
        # "A:" answers for the one person the introduction names ("a briefing by ... Ned Price")
        people = {(m.entity_id, m.canonical_name): m for m in ctx.mentions
                  if m.label == "PERSON" and m.end_char <= ctx.intro_end}
        if not people:  # no introduction: the one person the document names at all
            people = {(m.entity_id, m.canonical_name): m for m in ctx.mentions if m.label == "PERSON"}
        if len(people) == 1:
            m = next(iter(people.values()))
            ctx.label_speakers[name] = q.speaker = _Speaker(name, m.entity_id, m.canonical_name, "PERSON")
            return
    if name.lower() in lex.generic_labels:  # "QUESTION:" names no one
        ctx.label_speakers[name] = q.speaker = _Speaker(name)
        return
    # the label's name mentioned before the quote; the fullest form wins ("Christiane Amanpour" over "AMANPOUR")
    same = [m for m in ctx.mentions
            if m.end_char <= q.start and _same_name(ctx.text[m.start_char:m.end_char], name)
            # the model may call "CNN's Christiane Amanpour" an ORG: a label speaks, so a person
            and (m.label == "PERSON" or (len(m.canonical_name.split()) >= 2 and not _gz_profile(m.entity_id)))]
    if same:
        m = max(same, key=lambda m: (m.entity_id is not None, len(m.canonical_name.split()), -m.start_char))
        sp = _Speaker(name, m.entity_id, m.canonical_name, "PERSON")
    if sp is None:
        res = _resolve_name(name, raw_mentions)
        if res:
            sp = _Speaker(name, res[0], res[1], "PERSON")
    if sp is None:
        # a shorter later label ("Antony Blinken:") reuses the longer one's entity
        for other, osp in ctx.label_speakers.items():
            if _same_name(other, name):
                sp = osp
                break
    if sp is None:
        sp = _Speaker(name, None, _clean_name(name), None)
    ctx.label_speakers[name] = sp
    q.speaker = sp


def _same_name(a: str, b: str) -> bool:
    wa = [w.lower() for w in WORD_RE.findall(a)]
    wb = [w.lower() for w in WORD_RE.findall(b)]
    return bool(wa and wb) and wa[-1] == wb[-1]
