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

Cue verbs, pronouns, descriptions and institution words are data:
``data/quote_cues.v1.yaml``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

import pandas as pd
from spacy.tokens import Doc, Token

from ukraine_briefs import lexicons
from ukraine_briefs.nlp import DocIndex, doc_index
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
SCARE_LEAD = re.compile(r"(?:so-called|so called|dubbed|termed|known as|calls?|called|labelled|labeled|branded)\s+(?:an?\s+|the\s+)?$", re.I)
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
    speaker: _Speaker | None = None


@dataclass
class _Ctx:
    doc: Doc
    idx: DocIndex
    text: str
    mentions: list
    paras: list  # [(start, end)]
    masked: str = ""  # text with quote interiors blanked, for cue search
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
    from ukraine_briefs import entities  # lazy: entities is the heavier module

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
    text = doc.text
    ms = [_as_m(m) for m in mentions] if mentions else _fallback_mentions(doc)
    ms.sort(key=lambda m: (m.start_char, m.end_char))
    paras = []
    for i in range(len(idx.para_starts)):
        a, b = idx.paragraph_span(i)
        paras.append((a, max(a, b)))
    ctx = _Ctx(doc=doc, idx=idx, text=text, mentions=ms, paras=paras)
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
    person = any(x.label == "PERSON" and x.start_char < lo + len(name) and x.end_char > lo for x in ctx.mentions)
    single_ok = person or name.isupper() or name.lower() in _lexicon().generic_labels
    if caps < len(words) or (len(words) < 2 and not single_ok):
        return None
    return name


def _inline_label(ctx: _Ctx, pid: int) -> tuple[str, int] | None:
    """An interview line that starts with its speaker: ``BLINKEN: Well, ...`` -> (name, offset of words)."""
    if pid == 0:  # a headline "Antony Blinken: “...”" is a colon lead-in
        return None
    a, b = ctx.paras[pid]
    m = INLINE_LABEL_RE.match(ctx.text, a, b)
    if not m:
        return None
    name = m.group("name")
    words = name.split()
    person = any(x.label == "PERSON" and x.start_char < a + len(name) and x.end_char > a for x in ctx.mentions)
    if len(words) == 1 and not (name.isupper() or person):
        return None
    return name, m.start("rest") - a


def _find_quotes(ctx: _Ctx) -> list[_Q]:
    text = ctx.text
    labels = {pid: _label_of(ctx, pid) for pid in range(len(ctx.paras))}
    labels = {k: v for k, v in labels.items() if v}
    inline = {pid: _inline_label(ctx, pid) for pid in range(len(ctx.paras)) if pid not in labels}
    inline = {k: v for k, v in inline.items() if v}
    names = [v[0] for v in inline.values()]
    if len(inline) < 2 or len(set(names)) == len(names):
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
            in_block_of = labels[pid]
            block_len = 0
            block_quoted = True
            continue
        if pid in inline:
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
    if not lead or lead[0] not in DASHES:
        return []
    cuts = [(m.start(), m.end()) for m in DASH_SEP.finditer(p)]
    if not cuts or p[:cuts[0][0]].strip():
        return []
    segs = []
    for k, (s0, e0) in enumerate(cuts):
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
    for t in toks[j:]:
        if t.pos_ in ("DET", "PROPN", "NOUN", "ADJ", "PRON", "NUM") or (t.text in (".", "-") and out and t.pos_ == "PUNCT" and out[-1].text[-1:].isalpha() and len(out[-1].text) <= 4):
            if t.pos_ == "PRON" and out:
                break
            out.append(t)
            if t.pos_ == "PRON":
                break
        else:
            break
    return out


def _np_before(toks: list[Token], j: int) -> list[Token]:
    """The noun phrase ending right before ``toks[j]``, skipping adverbs and time words."""
    lex = _lexicon()
    k = j - 1
    while k >= 0 and (toks[k].text.lower() in lex.between or toks[k].ent_type_ in ("DATE", "TIME")):
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
    if lemma == "according to":
        # "according to the spokesman of the ministry, Lukasz Jasina,": the whole phrase
        rest = toks[j + n:]
        stop = next((k for k, t in enumerate(rest) if t.is_punct and t.text not in (",", ".", "-", "’s", "'s")), len(rest))
        rest = rest[:stop]
        while rest and rest[-1].is_punct:
            rest = rest[:-1]
        return rest[:12] if rest and rest[0].pos_ != "PRON" else _np_after(toks, j + n)
    subj = _subject_of(cue, lo, hi)
    if subj:
        masked = any("\x00" in ctx.masked[t.idx:t.idx + len(t.text)] for t in subj)
        if not masked:
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
                return _Speaker(surface, sp.entity_id, sp.name, sp.label), "pronoun"
            return _Speaker(surface), "unresolved"
        return None, "unresolved"  # "who warned", "it has been said": no speaker named
    root = _phrase_root(toks)
    over = [m for m in ctx.mentions if m.start_char < e and m.end_char > s and m.label in SPEAKER_LABELS]
    # the mention must be the phrase's head: "The President of Ukraine" is not Ukraine
    heads = [m for m in over if m.start_char <= root.idx < m.end_char and m.label != "NORP"]
    if heads:
        return _speaker_from_mention(heads[0], surface), "explicit"
    # a possessor is not the speaker: "Zelenskiy's chief of staff"
    persons = [m for m in over if m.label == "PERSON" and not ctx.text[m.end_char:m.end_char + 2] in ("'s", "’s")]
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
        return _Speaker(surface), "document"
    if head in lex.anonymous or head_sg in lex.anonymous:
        # "The spokesman added" right after "Kremlin spokesman Dmitry Peskov said": him;
        # "the official" never resolves (officials are not in role_heads)
        person = _earlier_role_holder(ctx, head_sg, s, prior, surface) \
            if head_sg in lex.roles and words[0] == "the" else None
        if person is not None:
            return _speaker_from_mention(person, surface), "title"
        return _Speaker(surface), "title"
    if head_sg in lex.institutions:
        org = _earlier_org(ctx, surface, s)
        if org is not None:
            return _speaker_from_mention(org, surface), "title"
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
        return _Speaker(surface), "title"
    if capitalized:
        res = _resolve_name(surface, raw_mentions)
        if res:
            return _Speaker(surface, res[0], res[1], "PERSON"), "explicit"
        return _Speaker(surface), "explicit"  # a name we cannot link: kept as text only
    return _Speaker(surface), "unresolved"


_ROLE_WORDS = {
    "ukraine": "ukrainian", "ukraine's": "ukrainian", "russia": "russian", "russia's": "russian",
    "us": "us", "u.s": "us", "american": "us", "america's": "us", "united": "us", "states": "",
    "uk": "uk", "british": "uk", "britain's": "uk", "spokesman": "spokesperson",
    "spokeswoman": "spokesperson", "defense": "defence", "the": "", "of": "", "s": "",
}


def _role_key(text: str) -> frozenset:
    words = re.findall(r"[a-z.'’]+", text.lower().replace("’", "'"))
    return frozenset(w for w in (_ROLE_WORDS.get(x.strip("."), x.strip(".")) for x in words) if w)


@functools.lru_cache(maxsize=1)
def _roles_index() -> dict:
    """Role words -> (entity_id, name) of gazetteer people, for roles held by one person only."""
    from ukraine_briefs import gazetteer

    index: dict = {}
    for a in gazetteer.load_actors().values():
        if a.type == "PERSON" and a.role:
            index.setdefault(_role_key(a.role), []).append((a.entity_id, a.canonical_name))
    return {k: v[0] for k, v in index.items() if len(v) == 1 and len(k) >= 2}


def _role_holder(description: str) -> tuple[str, str] | None:
    """The actor whose gazetteer role is exactly this description ("the Russian foreign minister")."""
    return _roles_index().get(_role_key(description))


def _earlier_org(ctx: _Ctx, description: str, before: int) -> _M | None:
    """The latest earlier ORG mention holding every word of ``the foreign ministry`` (so not the defence one)."""
    want = {w for w in WORD_RE.findall(description.lower()) if w not in ("the", "a", "an", "its", "their")}
    for m in reversed(ctx.mentions):
        if m.end_char <= before and m.label == "ORG" and want <= set(WORD_RE.findall(ctx.text[m.start_char:m.end_char].lower())):
            return m
    return None


def _earlier_role_holder(ctx: _Ctx, role: str, before: int, prior: list[_Q], description: str = "") -> _M | None:
    """The person a definite description refers back to, or None.

    Someone already quoted and named in this or the last paragraph needs only the
    role near one of their mentions ("said the Texas Republican" for Rep. McCaul,
    introduced with "Republicans"); anyone else needs every word of the
    description near a mention, at most three paragraphs back ("the Ukrainian
    ambassador" for "The Ukrainian ambassador to Poland, Andrij Deszczyca").
    """
    quoted = {(q.speaker.entity_id, q.speaker.name) for q in prior if q.speaker is not None and q.speaker.name}
    modifiers = [w for w in WORD_RE.findall(description.lower()) if w not in ("the", "a", "an")] or [role]
    persons = [m for m in ctx.mentions if m.label == "PERSON" and m.end_char <= before]
    here = ctx.idx.paragraph_id(before)
    evidence: dict = {}  # entity -> (has role, has every description word)
    latest: dict = {}
    for k, m in enumerate(persons):
        key = (m.entity_id, m.canonical_name)
        prev_end = persons[k - 1].end_char if k > 0 else 0
        nxt = persons[k + 1].start_char if k + 1 < len(persons) else m.end_char + 60
        # the window stops at the neighbouring names
        window = ctx.text[max(m.start_char - 40, prev_end):min(m.end_char + 60, nxt)].lower()
        has_role, has_all = evidence.get(key, (False, False))
        evidence[key] = (has_role or role in window, has_all or all(w in window for w in modifiers))
        latest[key] = m
    for key, m in sorted(latest.items(), key=lambda kv: -kv[1].start_char):
        gap = here - ctx.idx.paragraph_id(m.start_char)
        has_role, has_all = evidence[key]
        if (key in quoted and has_role and gap <= 1) or (has_all and len(modifiers) > 1 and gap <= 3):
            return m
    return None


def _gender_clues(ctx: _Ctx, prior: list[_Q]) -> dict:
    """(entity_id, name) -> "he"/"she" from earlier pronoun attributions and Mr./Ms. titles."""
    clues = {}
    for q in prior:
        if q.attribution == "pronoun" and q.speaker is not None and q.speaker.surface:
            clues[(q.speaker.entity_id, q.speaker.name)] = q.speaker.surface.lower()
    for m in ctx.mentions:
        before = ctx.text[max(0, m.start_char - 5):m.start_char].lower()
        if re.search(r"\bmr\.?\s*$", before):
            clues.setdefault((m.entity_id, m.canonical_name), "he")
        elif re.search(r"\b(?:mrs|ms)\.?\s*$", before):
            clues.setdefault((m.entity_id, m.canonical_name), "she")
    return clues


def _pronoun_antecedent(ctx: _Ctx, at: int, prior: list[_Q], pronoun: str = "he") -> _Speaker | None:
    """The most recent person speaker or person subject before ``at`` (same or last two paragraphs).

    A person already called by the other pronoun ("she added") is skipped.
    """
    pid = ctx.idx.paragraph_id(at)
    want = {"he": "he", "him": "he", "his": "he", "she": "she", "her": "she"}.get(pronoun, "he")
    clues = _gender_clues(ctx, prior)

    def clash(entity_id, name) -> bool:
        return clues.get((entity_id, name), want) != want

    best: tuple[int, _Speaker] | None = None
    for q in prior:
        if q.speaker is None or q.cue_pos is None or q.cue_pos >= at:
            continue
        if clash(q.speaker.entity_id, q.speaker.name):
            continue
        if q.speaker.label not in (None, "PERSON") or q.attribution == "unresolved":
            continue
        if q.speaker.label is None and q.attribution not in ("title",):
            continue
        if pid - ctx.idx.paragraph_id(q.cue_pos) <= 2 and (best is None or q.cue_pos > best[0]):
            best = (q.cue_pos, q.speaker)
    for m in ctx.mentions:
        if m.label != "PERSON" or m.end_char > at or pid - ctx.idx.paragraph_id(m.start_char) > 2:
            continue
        if "\x00" in ctx.masked[m.start_char:m.end_char]:
            continue
        span = ctx.doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
        if span is None or not any(t.dep_ in ("nsubj", "nsubjpass") for t in span):
            continue
        if clash(m.entity_id, m.canonical_name):
            continue
        if best is None or m.start_char > best[0]:
            best = (m.start_char, _speaker_from_mention(m, ctx.text[m.start_char:m.end_char]))
    return best[1] if best else None


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


def _colon_speaker(ctx: _Ctx, q: _Q, ar: _Around, done: list[_Q], raw_mentions) -> None:
    """A colon lead-in with no verb: ``Antony Blinken: “...”``, ``And from the ministry: “...”``."""
    toks = [t for t in _tokens_in(ctx, ar.before_lo, ar.lo_mark) if t.text != ":"]
    while toks and toks[0].pos_ in ("CCONJ", "ADP", "ADV", "PUNCT"):
        toks = toks[1:]
    if toks and len(toks) <= 8:
        sp, how = _speaker_from_tokens(ctx, toks, ar.lo_mark, done, raw_mentions)
        if sp is not None and how != "unresolved":
            q.speaker, q.attribution, q.cue_pos = sp, how, toks[-1].idx


def _kind(ctx: _Ctx, q: _Q, ar: _Around) -> str:
    n_words = len(ar.inner.split())
    if SCARE_LEAD.search(ar.before) and n_words <= 4:
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
        found = _find_cue(ctx, q, ar)
        if found is not None:
            tok, lemma, n, toks, lo, hi, prefer = found
            sp_toks = _speaker_tokens(ctx, tok, n, lemma, toks, lo, hi, prefer=prefer)
            sp, how = _speaker_from_tokens(ctx, sp_toks, tok.idx, done, raw_mentions)
            q.cue, q.cue_pos = lemma, tok.idx
            if sp is not None:
                q.speaker, q.attribution = sp, how
        elif ar.before.strip().endswith(":"):
            _colon_speaker(ctx, q, ar, done, raw_mentions)
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
    if name.lower() in _lexicon().generic_labels:  # "QUESTION:" names no one
        ctx.label_speakers[name] = q.speaker = _Speaker(name)
        return
    # the label's own line: find it before the quote
    for m in reversed(ctx.mentions):
        if m.end_char <= q.start and m.label == "PERSON" and _same_name(ctx.text[m.start_char:m.end_char], name):
            sp = _speaker_from_mention(m, name)
            break
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
