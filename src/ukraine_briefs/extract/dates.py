"""Time expressions resolved against the publication date (the `dates` table) and the `events` view.

News briefs rarely give full dates: they say "on Thursday", "last week", "in
January", "seven years ago". Each expression is resolved against the document's
publication date, using the tense of the verb that governs it (spaCy tags and
dependencies) to pick the past or the coming Thursday / January. Patterns, month
and weekday names, count words and the spun paraphrases ("final week" = last
week) live in ``data/time_expressions.v1.yaml``.

Values: ISO day ``2021-12-02``, month ``2022-01``, ISO week ``2021-W47``, year
``2014``, and the TimeML forms quarter ``1998-Q3``, half ``1997-H1``, season
``1998-SU`` and decade ``199`` (docs/dates.md); ``date`` is the first day of that
period (for charts). Durations ("7 1/2 year war", "90-minute", "in recent months")
and vague words ("recently", "lately", "now") are not dates.

Anchored relatives ("two days later", "the day before Christmas", "the following week")
count from another date of the same sentence, not from publication; with no such date
(the anchor is an event: "two days after Biden muddled the message") they stay rows with
``value=None``.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Iterable, Iterator

import pandas as pd
from spacy.tokens import Doc, Span, Token

from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.types import DateExpr

RULES_FILE = "time_expressions.v1.yaml"

#: Heads of an infinitive that make it forward-looking ("planning to meet Thursday").
FUTURE_HEADS = frozenset(
    "plan go expect schedule set due intend prepare hope want aim agree seek try propose "
    "promise pledge vow threaten decide arrange invite wish offer".split()
)
FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "ll"})
_POINT_IN_TIME = re.compile(r"\b(?:1[89]|20)\d0s\b|\b(?:spring|summer|autumn|fall|winter)\b.*\b(?:1[89]|20)\d\d\b",
                            re.IGNORECASE)


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    """The parsed ``time_expressions.v1.yaml`` (cached)."""
    from ukraine_briefs import lexicons

    return lexicons.load(RULES_FILE)


def anchored_rules() -> dict:
    """The ``anchored`` section of the rules file: anchored relatives ("two days later")."""
    return rules()["anchored"]


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


def _month_alt(months: dict[str, int]) -> str:
    """Month names as a regex ending the word; only an abbreviation ("Apr.", "Sept.") takes a dot.

    A name is an abbreviation when a longer name of the same month starts with it, so
    "1 April." leaves the sentence's full stop out while "1 Apr." keeps its dot.
    """
    abbr = {w for w, n in months.items() if any(o != w and o.startswith(w) and months[o] == n for o in months)}
    full = [w for w in months if w not in abbr]
    return rf"(?:(?:{_alt(full)})\b|(?:{_alt(abbr)})\b\.?)"


@functools.lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    r = rules()
    wd = _alt(r["weekdays"])
    mon = _month_alt(r["months"])
    num = _alt(r["numbers"])
    units = _alt(r["ago_units"])
    holidays = list(r.get("holidays") or {})
    # typographic apostrophes too: New Year’s Day
    hol = _alt(holidays + [h.replace("'", "\u2019") for h in holidays if "'" in h]) or "(?!x)x"
    f = re.IGNORECASE
    year = r"(?:1[89]|20)\d\d"
    # "of 1997" / "of last year" / "of the year" after a quarter, half or season
    of_year = rf"\s+of\s+(?:(?P<year>{year})\b|(?P<yrel>the|this|last|next|the current|the previous|the next)\s+year\b)"
    ords = _alt(r["ordinals"])
    parts = _alt(r["year_parts"])
    seasons = _alt(r["seasons"])
    return {
        # "the third quarter", "the first half of 1997", "the final quarter of last year"
        "part": re.compile(
            rf"\b(?:the\s+)?(?P<ord>{ords})[\s-]+(?P<part>{parts})\b(?:{of_year}|(?!\s+of\b))", f),
        # "last quarter", "the next half"? (quarter only in practice): offset from the current part
        "part_rel": re.compile(
            rf"\b(?:the\s+)?(?P<pmod>{_alt(r['part_modifiers'])})\s+(?P<part>{parts})\b(?!\s+of\b)", f),
        # "Q3", "Q4 1997", "H1 1997" (upper case only; H1/H2 only with a year: "H2" is also hydrogen)
        "part_code": re.compile(
            rf"\b(?:(?P<q>Q[1-4])|(?P<h>H[12])(?=\s+(?:of\s+)?{year}))\b"
            rf"(?:\s+(?:of\s+)?(?P<year>{year})\b)?"),
        # "this summer", "the spring of 1996", "in the winter", "mid-summer 1997"
        "season": re.compile(
            rf"\b(?:the\s+)?(?:(?P<smod>this|last|next|past|previous|coming|early|late|mid)[\s-]+)?"
            rf"(?P<season>{seasons})\b(?:,?\s+(?:of\s+)?(?P<year>{year})\b|{of_year.replace('year>', 'year2>')})?", f),
        # "the 1990s", "the early 1980s", "the '90s": TimeML decade values 199 / 198
        "decade": re.compile(
            r"(?:\bthe\s+)?(?:(?:early|late|mid)[\s-]+)?"
            r"(?:\b(?P<dec>(?:1[89]|20)\d)0['\u2019]?s|['\u2019](?P<dd>\d)0s)\b", f),
        # "on the 12th": a day of the month named in context
        "nth": re.compile(
            rf"\bthe\s+(?P<day>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b"
            rf"(?=\s*(?:[.,;:!?)\u2014\u2013]|$)|\s+(?:{_alt(r['ordinal_day_followers'])})\b)", f),
        "weekday": re.compile(
            rf"\b(?:(?P<mod>last|next|this|past|previous|coming)\s+)?(?P<wd>{wd})\b"
            rf"(?:(?:'s|\u2019s)?\s+(?P<part>morning|afternoon|evening|night)\b)?",
            f,
        ),
        "month_day": re.compile(
            rf"\b(?P<mon>{mon})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:%|-|\u2013|[.,]\d))"
            rf"(?:,?\s+(?P<year>(?:1[89]|20)\d\d)\b)?",
            f,
        ),
        "day_month": re.compile(
            rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{mon})"
            rf"(?:,?\s+(?P<year>(?:1[89]|20)\d\d)\b)?",
            f,
        ),
        "month_year": re.compile(
            rf"\b(?:(?P<mod>early|late|mid|the end of|the beginning of|the middle of)[\s-]+)?"
            rf"(?P<mon>{mon}),?\s+(?:(?P<year>(?:1[89]|20)\d\d)\b|(?P<rel>last|this|next)\s+year\b)",
            f,
        ),
        "month": re.compile(
            rf"\b(?:(?P<mod>early|late|mid|the end of|the beginning of|the middle of)[\s-]+)?"
            rf"(?:(?P<rel>last|next|this)\s+)?(?P<mon>{mon})(?!\.?\s*\d)",
            f,
        ),
        "anchored": _anchored_regex(num),
        "iso": re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"),
        "holiday": re.compile(rf"\b(?P<hol>{hol})\b", f),
        "ago": re.compile(
            rf"\b(?:(?:just|only|about|nearly|almost|some|more than)\s+)?(?P<n>\d+|{num})\s+(?P<unit>{units})\s+ago\b",
            f,
        ),
        "year": re.compile(r"(?<![\d,.$\u20ac\u00a3#/-])\b(?P<year>(?:1[89]|20)\d\d)\b(?!\d|,\d|s\b|\s*-\s*(?:year|minute|hour|day|km|mile))"),
        "relative": _items_regex(r["relative"]),
        "period_part": _items_regex(r["period_parts"]["items"]),
    }


def _anchored_regex(num: str) -> re.Pattern:
    """ "two weeks later", "a day earlier", "three days after that", "the day before", "the following week",
    "the previous day", "earlier that day", "the same day".

    The count form needs a count ("two days later"); "the X" forms take a singular unit, so
    "the following days" (a vague stretch) stays out; "next" only with a day ("the next day"):
    "the next week" is the coming week, a deictic ``relative``.
    """
    a = anchored_rules()
    units = a["units"]
    sing = _alt(u for u in units if not u.endswith("s"))
    day_units = _alt(u for u, v in units.items() if v == "day" and not u.endswith("s"))
    every = _alt(units)
    direction = _alt(list(a["forward"]) + list(a["back"]))
    return re.compile(
        rf"\b(?:(?P<n>\d+|{num})\s+(?P<unit>{every})\s+(?P<dir>{direction})"
        rf"|the\s+(?P<unit2>{sing})\s+(?P<dir2>before|after|earlier|prior)"
        rf"|the\s+(?P<ord>following|previous|preceding|prior)\s+(?P<unit3>{sing})"
        rf"|the\s+(?P<ord2>next)\s+(?P<unit4>{day_units})"
        rf"|(?:(?:earlier|later)\s+(?:that|the\s+same)|(?:the|that)\s+same)\s+(?P<unit5>{sing}))\b",
        re.IGNORECASE,
    )


def _items_regex(items: list[dict]) -> re.Pattern:
    """One regex of ``relative``-style items; group ``r<i>`` tells which item matched."""
    # every expression starts a word: the leading check spares trying each alternative at every character
    return re.compile(
        r"\b(?=\w)(?:" + "|".join(f"(?P<r{i}>\\b(?:{item['pattern']})\\b)" for i, item in enumerate(items)) + ")",
        re.IGNORECASE,
    )


# --- tense ------------------------------------------------------------------------------

def _governor(span: Span) -> Token | None:
    """The nearest verb above the expression in the dependency tree."""
    tok = span.root
    for _ in range(12):
        head = tok.head
        if head is tok:
            break
        tok = head
        if tok.pos_ in ("VERB", "AUX") and not (span.start <= tok.i < span.end):
            return tok
    return None


def verb_tense(verb: Token | None, *, depth: int = 0) -> str | None:
    """``past`` / ``present`` / ``future`` of a verb from its tag and auxiliaries (None if unclear)."""
    if verb is None or depth > 4:
        return None
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_.replace("\u2019", "'") for a in aux}
    if lowers & FUTURE_AUX or any(a.tag_ == "MD" for a in aux):
        return "future"
    if verb.tag_ == "MD" or verb.lower_ in FUTURE_AUX:
        return "future"
    head = verb.head if verb.head is not verb else None
    if "to" in lowers and verb.tag_ == "VB":
        # "planning to meet Thursday", "is going to", "is expected to"
        if head is not None and head.lemma_.lower() in FUTURE_HEADS:
            return "future"
        t = verb_tense(head, depth=depth + 1) if head is not None and head.pos_ in ("VERB", "AUX") else None
        return "past" if t == "past" else "future"
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN":
        if any(a.lemma_ == "have" and a.tag_ in ("VBZ", "VBP") for a in aux):
            return "past"  # present perfect: done
        if any(a.tag_ in ("VBZ", "VBP") for a in aux):
            # "talks are scheduled for January": a present plan points forward
            return "future" if verb.lemma_.lower() in FUTURE_HEADS else "present"
        return "past"
    if verb.tag_ == "VBG":
        if any(a.tag_ == "VBD" for a in aux):
            return "past"
        if any(a.tag_ in ("VBZ", "VBP") for a in aux):
            return "present"
        if head is not None and head.pos_ in ("VERB", "AUX"):
            return verb_tense(head, depth=depth + 1)
        return None
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return None


def span_tense(span: Span | None) -> str | None:
    """Tense of the clause holding a time expression."""
    return verb_tense(_governor(span)) if span is not None else None


# --- calendar helpers ---------------------------------------------------------------------

def _week(d: dt.date) -> tuple[str, dt.date]:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}", d - dt.timedelta(days=d.weekday())


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + (month - 1) + n
    return k // 12, k % 12 + 1


def _period(unit: str, d: dt.date) -> tuple[str, str, dt.date]:
    """(value, granularity, first day) of the period of ``unit`` holding ``d``."""
    if unit == "day":
        return d.isoformat(), "day", d
    if unit == "week":
        v, first = _week(d)
        return v, "week", first
    if unit == "month":
        return f"{d.year:04d}-{d.month:02d}", "month", d.replace(day=1)
    return f"{d.year:04d}", "year", dt.date(d.year, 1, 1)


def _shift(pub: dt.date, unit: str, n: int) -> dt.date:
    if unit == "day":
        return pub + dt.timedelta(days=n)
    if unit == "week":
        return pub + dt.timedelta(weeks=n)
    if unit in ("month",):
        y, m = _add_months(pub.year, pub.month, n)
        return dt.date(y, m, 1)
    if unit == "decade":
        return dt.date(pub.year + 10 * n, 1, 1)
    return dt.date(pub.year + n, 1, 1)


_PARTS = {"Q": 4, "H": 2}  # parts of a year per TimeML code


def _part_value(code: str, year: int, i: int) -> tuple[str, str, dt.date]:
    """(value, granularity, first day) of part ``i`` (1-based) of ``year``: ``1998-Q3``."""
    gran = {v: k for k, v in rules()["year_parts"].items()}[code]
    return f"{year:04d}-{code}{i}", gran, dt.date(year, (i - 1) * (12 // _PARTS[code]) + 1, 1)


def resolve_part(code: str, i: int, pub: dt.date, tense: str | None) -> int:
    """The year of quarter/half ``i`` named without one: past -> the latest begun, future -> the next not over.

    Examples:
        >>> resolve_part("Q", 3, dt.date(1998, 3, 4), "future"), resolve_part("Q", 4, dt.date(1998, 3, 4), "past")
        (1998, 1997)
    """
    months = 12 // _PARTS[code]
    starts = [dt.date(y, (i - 1) * months + 1, 1) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if tense == "past":
        return [d for d in starts if d <= pub][-1].year
    if tense == "future":
        return next(d for d in starts if dt.date(*_add_months(d.year, d.month, months), 1) > pub).year
    return pub.year


def _season_start(code: str, year: int) -> dt.date:
    return dt.date(year, int(rules()["season_start_month"][code]), 1)


def resolve_season(code: str, pub: dt.date, tense: str | None, modifier: str | None = None) -> int:
    """The year of a season named without one (a winter takes the year it starts in).

    ``last`` -> the latest one over, ``next`` -> the first to begin after ``pub``;
    otherwise the one under way, else by tense, else the nearer one.

    Examples:
        >>> resolve_season("WI", dt.date(1998, 3, 4), None, "last"), resolve_season("SU", dt.date(1998, 3, 4), "future")
        (1997, 1998)
    """
    occ = []
    for y in range(pub.year - 2, pub.year + 2):
        start = _season_start(code, y)
        occ.append((start, dt.date(*_add_months(start.year, start.month, 3), 1), y))
    mod = (modifier or "").lower()
    over = [o for o in occ if o[1] <= pub]
    ahead = [o for o in occ if o[0] > pub]
    if mod in ("last", "past", "previous"):
        return over[-1][2]
    if mod in ("next", "coming"):
        return ahead[0][2]
    now = [o for o in occ if o[0] <= pub < o[1]]
    if now:
        return now[0][2]
    if tense == "future":
        return ahead[0][2]
    if tense == "past":
        return over[-1][2]
    if mod == "this":
        return pub.year
    return min(over[-1:] + ahead[:1], key=lambda o: min(abs((o[0] - pub).days), abs((o[1] - pub).days)))[2]


def resolve_weekday(weekday: int, pub: dt.date, tense: str | None, modifier: str | None = None) -> dt.date:
    """The day meant by a weekday name in an article of ``pub``.

    Same weekday as publication -> the publication day (news reports the day's
    events), unless ``last``/``next`` says otherwise. Past tense -> the latest
    such day before, future -> the next one, present -> the nearer one, no verb ->
    past (most news refers back).

    Examples:
        >>> resolve_weekday(3, dt.date(2022, 1, 21), "past")
        datetime.date(2022, 1, 20)
        >>> resolve_weekday(3, dt.date(2021, 12, 1), "future")
        datetime.date(2021, 12, 2)
    """
    back = (pub.weekday() - weekday) % 7
    fwd = (weekday - pub.weekday()) % 7
    mod = (modifier or "").lower()
    if mod in ("last", "past", "previous"):
        return pub - dt.timedelta(days=back or 7)
    if mod in ("next", "coming"):
        return pub + dt.timedelta(days=fwd or 7)
    if back == 0:
        return pub
    if tense == "future":
        return pub + dt.timedelta(days=fwd)
    if tense == "present":
        return pub + dt.timedelta(days=fwd) if fwd <= back else pub - dt.timedelta(days=back)
    return pub - dt.timedelta(days=back)


def resolve_month(month: int, pub: dt.date, tense: str | None, day: int | None = None,
                  modifier: str | None = None) -> dt.date | None:
    """The month (or month and day) meant without a year: the year by tense, else by proximity.

    Examples:
        >>> resolve_month(1, dt.date(2021, 12, 6), "future")
        datetime.date(2022, 1, 1)
        >>> resolve_month(7, dt.date(2021, 12, 6), "past")
        datetime.date(2021, 7, 1)
    """
    def make(y: int) -> dt.date | None:
        try:
            return dt.date(y, month, day or 1)
        except ValueError:
            return None

    mod = (modifier or "").lower()
    cands = [c for c in (make(pub.year - 1), make(pub.year), make(pub.year + 1)) if c]
    if not cands:
        return None
    ref = pub if day else pub.replace(day=1)
    if mod == "this":
        return make(pub.year)
    if mod == "last":
        past = [c for c in cands if c < ref]
        return past[-1] if past else None
    if mod == "next":
        fut = [c for c in cands if c > ref]
        return fut[0] if fut else None
    if tense == "future":
        fut = [c for c in cands if c >= ref]
        return fut[0] if fut else None
    if tense == "past":
        past = [c for c in cands if c <= ref]
        return past[-1] if past else None
    # no tense (or present): the nearer one; ties go to the past
    return min(cands, key=lambda c: (abs((c - ref).days), c > ref))


# --- extraction ---------------------------------------------------------------------------

def _number(word: str) -> int | None:
    word = word.lower()
    if word.isdigit():
        return int(word)
    return rules()["numbers"].get(word)


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _preceding_words(text: str, start: int, n: int = 3) -> str:
    return " ".join(text[max(0, start - 40):start].lower().split()[-n:])


@functools.lru_cache(maxsize=1)
def _lower_patterns() -> dict[str, re.Pattern]:
    """Case-sensitive twins of the case-insensitive patterns, to run over the lower-cased text.

    Python's ``re`` is about 1.6x slower with IGNORECASE, and these patterns scan
    every document. A twin is made only for patterns without upper-case literals
    (escapes and group names aside); it finds where the original matches, and the
    original is then matched there, so the match objects are the original's.
    """
    out = {}
    for name, p in _patterns().items():
        literal = re.sub(r"\\.|\(\?P<\w+>|\(\?P=\w+\)", "", p.pattern)
        if p.flags & re.IGNORECASE and not any(c.isupper() for c in literal):
            out[name] = re.compile(p.pattern, p.flags & ~re.IGNORECASE)
    return out


def _finditer(name: str, text: str, low: str | None) -> Iterator[re.Match]:
    """``_patterns()[name].finditer(text)``, located over ``low`` (``text.lower()``, same length) when it can."""
    p = _patterns()[name]
    twin = _lower_patterns().get(name) if low is not None else None
    if twin is None:
        yield from p.finditer(text)
        return
    for lm in twin.finditer(low):
        m = p.match(text, lm.start())
        if m is not None:
            yield m


def _candidates(doc: Doc) -> list[tuple[int, int, str, re.Match]]:
    text = doc_index(doc).text  # doc.text is rebuilt from the tokens on every access
    r = rules()
    out = []
    # rare expressions: skip their regex unless a word they need occurs (str search is far cheaper)
    low = text.lower()
    same = low if len(low) == len(text) else None  # lower() can change the length (rare letters)
    gates = {"part": tuple(r["year_parts"]), "part_rel": tuple(r["year_parts"]), "season": tuple(r["seasons"]),
             "decade": ("0s", "0's", "0\u2019s"), "period_part": tuple(r["period_parts"]["requires"]),
             "part_code": ("q1", "q2", "q3", "q4", "h1", "h2"),
             # every anchored form holds a direction word, "next" or "same" (see `_anchored_regex`)
             "anchored": tuple({w.split()[0] for w in (*anchored_rules()["forward"], *anchored_rules()["back"])}
                               | {"next", "same"})}
    for name in ("anchored", "relative", "ago", "iso", "holiday", "month_day", "day_month", "month_year", "weekday", "month",
                 "year", "period_part", "part_rel", "part", "part_code", "season", "decade", "nth"):
        if name in gates and not any(w in low for w in gates[name]):
            continue
        for m in _finditer(name, text, same):
            start, end = m.span()
            if name == "season" and not _season_licensed(doc, text, m):
                continue
            if name == "decade" and _compound_modifier(text, end):
                continue  # "1990s-era tanks": an attribute, not a time
            if name == "anchored" and m.group("n") \
                    and _preceding_words(text, start, 1) in anchored_rules()["duration_before"]:
                continue  # "for two days after the truce", "the two weeks before": a length of time
            if name == "nth" and _preceding_words(text, start, 1) not in r["ordinal_day_licensors"]:
                continue
            if name == "weekday":
                # the weekday plus its modifier/part of day, without a possessive
                start = m.start("mod") if m.group("mod") else m.start("wd")
                end = m.end("part") if m.group("part") else m.end("wd")
            if name == "month":
                mon = m.group("mon")
                if mon.lower() in r["ambiguous_months"] or len(mon) <= 4:
                    if not mon[0].isupper():
                        continue
                    licensed = bool(m.group("mod") or m.group("rel"))
                    prev = _preceding_words(text, start)
                    licensed = licensed or any(
                        prev == lic or prev.endswith(" " + lic) for lic in r["month_licensors"]
                    ) or _in_date_ent(doc, start, end)
                    if not licensed:
                        continue
                elif not mon[0].isupper() and not m.group("rel"):
                    continue
            if name == "year":
                after = text[end:end + 30].lower().split()
                if after and after[0].strip(".,;:") in r["count_nouns"]:
                    continue
                before = text[max(0, start - 12):start].split()
                if before and before[-1] in r["count_prefixes"]:
                    continue
            out.append((start, end, name, m))
    return out


def _season_licensed(doc: Doc, text: str, m: re.Match) -> bool:
    """A season word is a time with a year or a modifier, or after a time preposition in a past or future clause.

    Generic seasons ("Summer is the most generous season", "a hot summer day") are no
    dates. "fall" also names a drop ("an early fall in prices", "the fall of Kabul"):
    it needs a year or this/last/next.
    """
    smod = (m.group("smod") or "").lower()
    if m.group("year") or m.group("year2") or m.group("yrel") or smod in rules()["part_modifiers"]:
        return True
    if m.group("season").lower() == "fall":
        return False
    if smod:
        return True
    if _preceding_words(text, m.start(), 1) not in rules()["season_licensors"]:
        return False
    word = _char_span(doc, m.start("season"), m.end("season"))
    nxt = doc[word.end] if word is not None and word.end < len(doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and not nxt.is_punct:
        return False  # "in spring leaf", "a hot summer day"
    return span_tense(word) in ("past", "future")


def _compound_modifier(text: str, end: int) -> bool:
    """The expression ends in a hyphen and a word: "1990s-era", "1980s-style"."""
    return bool(re.match(r"-[^\W\d]", text[end:end + 2]))


def _in_date_ent(doc: Doc, start: int, end: int) -> bool:
    return any(e.label_ == "DATE" and e.start_char <= start and end <= e.end_char for e in doc.ents)


def _select(cands: list[tuple[int, int, str, re.Match]]) -> list[tuple[int, int, str, re.Match]]:
    """Longest match wins; no overlaps."""
    kept: list[tuple[int, int, str, re.Match]] = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(c[1] <= k[0] or c[0] >= k[1] for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c[0])


def _resolve(doc: Doc, start: int, end: int, name: str, m: re.Match,
             pub: dt.date | None) -> tuple[str, str | None, str, dt.date | None]:
    """(kind, value, granularity, first day) of one matched expression."""
    r = rules()
    span = _char_span(doc, start, end)
    unresolved = None, "unknown", None
    if name == "year":
        y = int(m.group("year"))
        return ("year", f"{y:04d}", "year", dt.date(y, 1, 1))
    if name == "iso":
        try:
            d = dt.date(int(m.group("year")), int(m.group("mon")), int(m.group("day")))
        except ValueError:
            return ("absolute", *unresolved)
        return ("absolute", *_period("day", d))
    if name == "holiday":
        if pub is None:
            return ("month", *unresolved)
        mon, day = r["holidays"][m.group("hol").lower().replace("\u2019", "'")]
        d = resolve_month(int(mon), pub, span_tense(span), int(day))
        return ("month", *_period("day", d)) if d else ("month", *unresolved)
    if name in ("month_day", "day_month", "month_year"):
        mon = r["months"][m.group("mon").lower().rstrip(".")]
        day = int(m.group("day")) if "day" in m.groupdict() and m.group("day") else None
        year = m.group("year")
        if year is None and m.groupdict().get("rel"):
            if pub is None:
                return ("month", *unresolved)
            year = pub.year + {"last": -1, "this": 0, "next": 1}[m.group("rel").lower()]
        if day is not None and not 1 <= day <= 31:
            return ("month", *unresolved)
        if year is not None:
            try:
                d = dt.date(int(year), mon, day or 1)
            except ValueError:
                return ("absolute", *unresolved)
            return ("absolute", *(_period("day", d) if day else _period("month", d)))
        if pub is None:
            return ("month", *unresolved)
        d = resolve_month(mon, pub, span_tense(span), day)
        if d is None:
            return ("month", *unresolved)
        return ("month", *(_period("day", d) if day else _period("month", d)))
    if name == "month":
        if pub is None:
            return ("month", *unresolved)
        mon = r["months"][m.group("mon").lower().rstrip(".")]
        d = resolve_month(mon, pub, span_tense(span), modifier=m.group("rel"))
        return ("month", *_period("month", d)) if d else ("month", *unresolved)
    if name == "weekday":
        if pub is None:
            return ("weekday", *unresolved)
        wd = r["weekdays"][m.group("wd").lower()]
        d = resolve_weekday(wd, pub, span_tense(span), m.group("mod"))
        return ("weekday", *_period("day", d))
    if name == "ago":
        n = _number(m.group("n"))
        unit = r["ago_units"][m.group("unit").lower()]
        if pub is None or n is None:
            return ("relative", *unresolved)
        d = _shift(pub, unit, -n)
        return ("relative", *_period("year" if unit == "decade" else unit, d))
    if name in ("relative", "period_part"):
        if pub is None:
            return ("relative", *unresolved)
        i = next(int(k[1:]) for k, v in m.groupdict().items() if v is not None)
        item = (r["relative"] if name == "relative" else r["period_parts"]["items"])[i]
        offset = int(item["offset"])
        if "by_tense" in item and pub.weekday() < 5:
            # "the weekend" outside a weekend: the coming one in a future clause, else the last
            offset = int(item["by_tense"].get(span_tense(span) or "", item["by_tense"]["other"]))
        d = _shift(pub, item["unit"], offset)
        if item["unit"] in ("month", "year") and item["offset"] == 0:
            d = pub
        return ("relative", *_period(item["unit"], d))
    if name == "anchored":
        return ("relative", *unresolved)  # placed by doc_dates, from another date of the sentence
    if name in ("part", "part_rel", "part_code"):
        return _resolve_part(m, name, span, pub)
    if name == "season":
        code = r["seasons"][m.group("season").lower()]
        year = m.group("year") or m.group("year2")
        if year:
            return ("absolute", f"{int(year):04d}-{code}", "season", _season_start(code, int(year)))
        if pub is None:
            return ("relative", *unresolved)
        if m.group("yrel"):
            y = pub.year + {"last": -1, "the previous": -1, "next": 1, "the next": 1}.get(m.group("yrel").lower(), 0)
        else:
            y = resolve_season(code, pub, span_tense(span), m.group("smod"))
        return ("relative", f"{y:04d}-{code}", "season", _season_start(code, y))
    if name == "decade":
        if m.group("dec"):
            dec = int(m.group("dec"))
        elif pub is not None:
            # "the '90s": the latest such decade begun by publication
            dec = next(c for c in range(pub.year // 10, 0, -1) if c % 10 == int(m.group("dd")))
        else:
            dec = 190 + int(m.group("dd"))
        return ("year", f"{dec:03d}", "decade", dt.date(dec * 10, 1, 1))
    if name == "nth":
        # the month of the article; doc_dates prefers a month named earlier in the sentence
        if pub is None:
            return ("relative", *unresolved)
        day, tense = int(m.group("day")), span_tense(span)
        step = -1 if tense == "past" and day > pub.day else 1 if tense == "future" and day < pub.day else 0
        return ("relative", *_day_in_month(*_add_months(pub.year, pub.month, step), day))
    return ("absolute", *unresolved)


def _day_in_month(year: int, month: int, day: int) -> tuple[str | None, str, dt.date | None]:
    try:
        return _period("day", dt.date(year, month, day))
    except ValueError:  # "the 31st" of a 30-day month
        return None, "unknown", None


def _resolve_part(m: re.Match, name: str, span: Span | None,
                  pub: dt.date | None) -> tuple[str, str | None, str, dt.date | None]:
    """A quarter or half: "the fourth quarter of 1997", "last quarter", "Q3"."""
    r = rules()
    g = m.groupdict()
    if name == "part_code":
        code, i = ("Q", int(g["q"][1])) if g["q"] else ("H", int(g["h"][1]))
    else:
        code = r["year_parts"][m.group("part").lower()]
        i = None if name == "part_rel" else int(r["ordinals"][m.group("ord").lower()])
        if i == -1:
            i = _PARTS[code]  # "the final quarter"
    if g.get("year"):
        return ("absolute", *_part_value(code, int(g["year"]), i))
    if pub is None:
        return ("relative", None, "unknown", None)
    if name == "part_rel":
        cur = (pub.month - 1) * _PARTS[code] // 12
        y, k = divmod(pub.year * _PARTS[code] + cur + int(r["part_modifiers"][m.group("pmod").lower()]), _PARTS[code])
        return ("relative", *_part_value(code, y, k + 1))
    if g.get("yrel"):
        y = pub.year + {"last": -1, "the previous": -1, "next": 1, "the next": 1}.get(g["yrel"].lower(), 0)
    else:
        y = resolve_part(code, i, pub, span_tense(span))
    return ("relative", *_part_value(code, y, i))


_DIR_FORWARD = {"next"}
_GRAN_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}


def _weekday_contrast(doc: Doc, kept: list, res: list, sents: list, fixed: dict, pub: dt.date) -> None:
    """A bare weekday said to come *after* "last week" is not early in last week.

    "Tuesday's call was held after a meeting in Stockholm last week" (a Monday article):
    read by tense, Tuesday is the one six days back, which leaves "after [an event] last
    week" only the Monday before it. The writer sets the day against last week, so Tuesday
    is the coming one, even when a spun copy put the clause in the past tense. The rule
    moves a weekday by seven days only when all hold: same sentence, the weekday comes
    first and the word "after" stands between it and a week-valued expression, the tense
    put the weekday in that very week, and in its first half (Monday-Wednesday). "Putin on
    Friday warned, after the talks last week" keeps Friday: most of the week lies before it.
    "Blinken said on Friday that he met Lavrov last week" (no "after") keeps it too.
    """
    text = doc_index(doc).text
    for i, (start, end, name, m) in enumerate(kept):
        if name != "weekday" or m.group("mod") or i in fixed or res[i][3] is None or res[i][3] >= pub \
                or res[i][3].weekday() > 2:
            continue
        week = _week(res[i][3])[0]
        if any(j > i and sents[j] == sents[i] and kept[j][2] != "anchored" and res[j][2] == "week"
               and res[j][1] == week and re.search(r"\bafter\b", text[end:kept[j][0]], re.IGNORECASE)
               for j in range(len(kept))):
            res[i][1:] = _period("day", res[i][3] + dt.timedelta(days=7))
            fixed[i] = "contrast"


def _weekday_per_document(kept: list, res: list, fixed: dict) -> None:
    """One weekday name, one day per article: a bare "Tuesday" that :func:`_weekday_contrast` moved
    places the document's other bare "Tuesday"s.

    Spun copies change tenses sentence by sentence ("he held" for "will hold"); the day does
    not change, and within the seven days either side of publication a bare name is the only
    way the article has to say it. A weekday dated in apposition ("Friday, Jan. 21") places
    only itself: news style dates a day more than a week away, so a bare "Friday" in the same
    article is likely another one. "Tuesday last week" is explicit and places only itself.
    """
    by_name: dict[str, set] = {}
    for i, how in fixed.items():
        if how == "contrast":
            by_name.setdefault(kept[i][3].group("wd").lower(), set()).add(tuple(res[i][1:]))
    for i, (start, end, name, m) in enumerate(kept):
        if name != "weekday" or m.group("mod") or i in fixed:
            continue
        days = by_name.get(m.group("wd").lower())
        if days and len(days) == 1:
            res[i][1:] = list(next(iter(days)))


def _resolve_anchored(doc: Doc, i: int, kept: list, res: list, sents: list,
                      pub: dt.date | None) -> tuple[str, str | None, str, dt.date | None]:
    """An anchored relative: an offset from another date of its sentence, not from publication.

    "before"/"after" followed at once by a date take that date ("the day before Christmas");
    closing a clause ("the day before,") or with "later"/"earlier"/"following"/"previous" they
    take the nearest resolved date before them in the sentence ("on Tuesday; a day earlier").
    Followed by an event ("two days after Biden muddled the message") or with no date in the
    sentence, the row stays, ``relative`` with ``value=None`` (granularity ``unknown``): the anchor
    is an event the table cannot date. An anchor coarser than the unit ("last week ... the
    following day") places nothing either. "The previous week/month/year" without an anchor
    keeps its deictic reading (the one before publication), as before.
    """
    start, end, _, m = kept[i]
    a = anchored_rules()
    text = doc_index(doc).text
    g = m.groupdict()
    word = (g["dir"] or g["dir2"] or g["ord"] or g["ord2"] or "").lower()
    word = " ".join(word.split())
    unit = a["units"][(g["unit"] or g["unit2"] or g["unit3"] or g["unit4"] or g["unit5"]).lower()]
    n = _number(g["n"]) if g["n"] else (0 if g["unit5"] else 1)
    if n is None:
        return ("relative", None, "unknown", None)
    sign = 1 if (word in a["forward"] or word in _DIR_FORWARD) else -1
    usable = [j for j in range(len(kept)) if j != i and sents[j] == sents[i] and res[j][3] is not None
              and res[j][2] in _GRAN_ORDER]
    anchor = None
    if word in ("before", "after"):
        rest = text[end:]
        follows = [j for j in usable if j > i and not text[end:kept[j][0]].strip()]
        if follows:
            anchor = follows[0]
        elif re.match(r"\s*(?:[,.;:!?)\u2014\u2013]|$)", rest):
            anchor = max((j for j in usable if j < i), default=None)
    else:
        anchor = max((j for j in usable if j < i), default=None)
    if anchor is None:
        phrase = text[start:end]
        if pub is not None and g["ord"] and _patterns()["relative"].fullmatch(phrase):
            # "the previous week" with nothing to anchor it: the deictic reading, from publication
            mm = _patterns()["relative"].fullmatch(phrase)
            return _resolve(doc, start, end, "relative", mm, pub)
        return ("relative", None, "unknown", None)
    a_gran, first = res[anchor][2], res[anchor][3]
    if _GRAN_ORDER[a_gran] > _GRAN_ORDER[unit]:
        return ("relative", None, "unknown", None)  # a day counted from a week cannot be placed
    if unit == "day":
        d = first + dt.timedelta(days=sign * n)
    elif unit == "week":
        d = first + dt.timedelta(weeks=sign * n)
    elif unit == "month":
        d = dt.date(*_add_months(first.year, first.month, sign * n), 1)
    else:
        d = dt.date(first.year + sign * n, 1, 1)
    return ("relative", *_period(unit, d))


def doc_dates(doc: Doc, *, doc_id: str, published: dt.date | None) -> Iterator[DateExpr]:
    """Yield every time expression of ``doc`` resolved against ``published``.

    Without a publication date, only expressions carrying their own year resolve;
    the rest keep ``value=None``. spaCy DATE entities naming a point in time that
    no rule matched are yielded unresolved so misses stay visible.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    elif published is not None and not isinstance(published, dt.date):
        ts = pd.Timestamp(published)
        published = None if pd.isna(ts) else ts.date()
    idx = doc_index(doc)
    kept = _select(_candidates(doc))
    res = [list(_resolve(doc, s, e, name, m, published)) for s, e, name, m in kept]
    sents = [idx.sent_id(s) for s, _, _, _ in kept]
    fixed: dict[int, str] = {}  # weekdays placed by their sentence, not by tense: index -> how
    for i, (start, end, name, m) in enumerate(kept):
        nxt = kept[i + 1] if i + 1 < len(kept) else None
        between = idx.text[end:nxt[0]] if nxt else ""
        if name == "weekday" and nxt:
            # "Friday, Jan. 21": a weekday in apposition to a full date takes that date
            if nxt[2] in ("month_day", "day_month", "iso") and re.fullmatch(r",?\s*", between) \
                    and res[i + 1][2] == "day":
                res[i][1:] = res[i + 1][1:]
                fixed[i] = "apposition"
            # "on Tuesday last week": that weekday of the week named right after it
            elif not m.group("mod") and res[i + 1][2] == "week" and res[i + 1][3] is not None \
                    and re.fullmatch(r",?\s*(?:of\s+)?", between):
                wd = rules()["weekdays"][m.group("wd").lower()]
                res[i][1:] = _period("day", res[i + 1][3] + dt.timedelta(days=wd))
                fixed[i] = "week"
        # "began on February 20 and collapsed on the 25th": the month named before it in the sentence
        if name == "nth":
            ctx = [res[j][1] for j in range(i) if res[j][2] in ("day", "month") and res[j][1]
                   and sents[j] == sents[i]]
            if ctx:
                res[i][1:] = _day_in_month(int(ctx[-1][:4]), int(ctx[-1][5:7]), int(m.group("day")))
    if published is not None:
        _weekday_contrast(doc, kept, res, sents, fixed, published)
        _weekday_per_document(kept, res, fixed)
    for i, (start, end, name, m) in enumerate(kept):
        if name == "anchored":
            res[i] = list(_resolve_anchored(doc, i, kept, res, sents, published))
    for i, (start, end, name, m) in enumerate(kept):
        kind, value, gran, first = res[i]
        yield DateExpr(
            doc_id=doc_id,
            sent_id=sents[i],
            start_char=start,
            end_char=end,
            text=idx.text[start:end],
            kind=kind,
            value=value,
            granularity=gran,
            date=first,
        )
    # spaCy DATE entities that no rule took but that name a point in time (a
    # decade or a season with a year in a form the rules miss) stay visible,
    # unresolved; durations
    # ("recent months", "7 1/2 year") and bare numbers are not points in time.
    for ent in doc.ents:
        if ent.label_ != "DATE" or any(not (ent.end_char <= s or ent.start_char >= e) for s, e, _, _ in kept):
            continue
        point = _POINT_IN_TIME.search(ent.text)
        if not point or _compound_modifier(idx.text, ent.start_char + point.end()):
            continue  # durations, bare numbers, "1990s-era" (an attribute)
        yield DateExpr(doc_id, idx.sent_id(ent.start_char), ent.start_char, ent.end_char, ent.text,
                       "absolute", None, "unknown", None)


def events_frame(sentences: pd.DataFrame, dates: pd.DataFrame) -> pd.DataFrame:
    """The `events` view: per document, its dated sentences in reading order.

    One row per (sentence, resolved expression): ``doc_id, sent_id, date, value,
    granularity, kind, expression, text`` (``text`` is the sentence), so an analyst
    sees what happened when, not only when it was reported.
    """
    cols = ["doc_id", "sent_id", "date", "value", "granularity", "kind", "expression", "text"]
    if dates is None or not len(dates):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    d = dates[dates["value"].notna() & (dates["value"].astype(str) != "None")]
    d = d.rename(columns={"text": "expression"})[
        ["doc_id", "sent_id", "start_char", "date", "value", "granularity", "kind", "expression"]
    ]
    s = sentences[["doc_id", "sent_id", "text"]]
    out = d.merge(s, on=["doc_id", "sent_id"], how="left")
    out = out.sort_values(["doc_id", "sent_id", "start_char"], kind="stable")
    return out[cols].reset_index(drop=True)
