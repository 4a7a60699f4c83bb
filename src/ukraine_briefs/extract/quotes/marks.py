"""Finding quotes: quotation marks, transcript labels and dialogue dashes -> quote spans.

Marks in the corpus are unreliable (spun copies close a quote with an opening
mark, drop marks at paragraph ends, glue sentences), so marks are read by their
surroundings, not their glyph: a mark after a space that touches a word opens, a
mark after a word or punctuation closes, and an open quote always ends at its
paragraph. Guillemets («», spaced or not) and German „“ marks are read by their
glyph. Q/A transcripts (``Antony Blinken:`` on its own line, or ``BLINKEN: ...``)
give one quote per answer line.
"""
from __future__ import annotations

import re

from ukraine_briefs.extract.quotes.context import _Ctx, _is_furniture, _Lexicon, _Q, _Speaker, _lexicon, _mentions_between

DOUBLE_MARKS = "“”\"„«»"
SINGLE_MARKS = "‘’'‚"
ALL_MARKS = DOUBLE_MARKS + SINGLE_MARKS
DOUBLE_RE = re.compile("[" + re.escape(DOUBLE_MARKS) + "]")
SINGLE_RE = re.compile("[" + re.escape(SINGLE_MARKS) + "]")
OPENING_GLYPHS = "“„«‘‚"
CLOSING_PUNCT = ".,;:!?)]}…—–-"
OPENING_CONTEXT = "([{—–-:/"
DASHES = "-–—"
# a dialogue dash: at paragraph start, or spaced inside it ("... invasion - said X")
DASH_SEP = re.compile(r"(?:^|\s)[-–—]{1,2}(?=\s|[A-Za-z“\"])\s*")
DATELINE = re.compile(r"[A-Z]{2,}[A-Z .'’-]*(?:,\s*[A-Z][A-Za-z .]+)?\s*(?:\([A-Za-z .]+\))?\s*[—–-]{1,2}\s+")
_STRONG_CUES = r"(?:said|says|stated|told|added|warned|insisted|wrote|tweeted|explained|noted)"
# an attribution inside a quote whose closing mark is missing: ", Blinken said." / ", said the official."
LOST_CLOSE = re.compile(
    r"([,?!])\s+(?=(?:(?:he|she|they)\s+|(?:(?:the|a|an)\s+)?(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*\s+)"
    + _STRONG_CUES + r"\b|" + _STRONG_CUES + r"\s+(?:the\s+|a\s+)?[A-Z])")
ORPHAN_ATTR = re.compile(
    r"\s*[,–—-]*\s*(?:(?:he|she|they)\s+|(?:the\s+|a\s+)?(?:[A-Z][\w.’'-]*\s+){1,4})?" + _STRONG_CUES + r"\b")
INLINE_LABEL_RE = re.compile(
    r"(?P<name>[A-Z][A-Za-z.’'-]*(?: [A-Z][A-Za-z.’'-]*){0,3})(?:, [^:“”\"\n]{1,50})?: +(?P<rest>\S)")
QA_DOT_RE = re.compile(r"(?P<name>Q|A)\.\s+(?P<rest>\S)")  # "Q. Mr. President, ..." / "A. The threat ..."
LABEL_RE = re.compile(r"^(?P<label>[A-Z][^:“”\"‘’\n]{1,70}?)\s*:\s*$")


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
    for m in DOUBLE_RE.finditer(p):  # only the marks are read: most of a paragraph is words
        i, ch = m.start(), m.group()
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
    if not any(m in p for m in SINGLE_MARKS):
        return spans  # no single mark or apostrophe at all
    i = 0
    n = len(p)
    while i < n:
        m = SINGLE_RE.search(p, i)  # jump to the next single mark: the words between are not read
        if m is None:
            break
        i = m.start()
        ch = p[i]
        if not inside(i):
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
        if re.fullmatch(r"(?:[A-Z]\.)+", word) and m.group(0)[:1] == "." and dot - lo >= 2 \
                and masked[dot - 2:dot - 1].isspace():
            continue  # an initial: "John F. Kerry", "George H.W. Bush"
        if end < hi:
            nxt = masked[end]
            if nxt.isupper() or nxt in ALL_MARKS or nxt in DASHES or nxt.isdigit() or nxt == "\x00":
                starts.append(end)
    return starts


# --------------------------------------------------------------------------- finding quotes

def _label_of(ctx: _Ctx, pid: int) -> str | None:
    """The speaker label of a transcript line (``Antony Blinken, US Secretary of State:``)."""
    a, b = ctx.paras[pid]
    p = ctx.text[a:b].strip()
    m = LABEL_RE.match(p)
    if not m:
        return None
    label = m.group("label").strip()
    if len(label.split()) > 9 or any(ch.isdigit() for ch in label) or _is_furniture(label):
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
