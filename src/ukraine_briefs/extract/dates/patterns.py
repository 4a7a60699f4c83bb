"""The time-expression rules (`data/time_expressions.v1.yaml`) and the regexes built from them.

Month and weekday names, count words, holidays and the spun paraphrases ("final
week" = last week) are data; this module reads the file once and compiles one
regex per kind of expression, plus case-sensitive twins run over the lower-cased
text (Python's ``re`` is about 1.6x slower with IGNORECASE).
"""
from __future__ import annotations

import functools
import re
from typing import Iterable, Iterator

from ukraine_briefs import lexicons

RULES_FILE = "time_expressions.v1.yaml"


@functools.lru_cache(maxsize=1)
def rules() -> dict:
    """The parsed ``time_expressions.v1.yaml`` (cached)."""
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
    sp = r["spelled_numbers"]
    # the `numbers` words and spelled numbers to ninety-nine, written compactly (a flat list of
    # every number word made the "ago" and "later" patterns three times slower)
    num_all = rf"(?:{_alt(sp['tens'])})(?:[\s-](?:{_alt(sp['units'])}))?|{_alt(sp['teens'])}|{_alt(r['numbers'])}"
    num = _alt(r["numbers"])  # anchored forms scan every text: the short list keeps them fast
    units = _alt(r["ago_units"])
    holidays = list(r.get("holidays") or {})
    # typographic apostrophes too: New Year’s Day
    hol = _alt(holidays + [h.replace("'", "\u2019") for h in holidays if "'" in h]) or "(?!x)x"
    f = re.IGNORECASE
    year = r"(?:1[89]|20)\d\d"
    # "of 1997" / "of last year" / "of the year" after a quarter, half or season
    of_year = rf"\s+of\s+(?:(?:fiscal\s+)?(?P<year>{year})\b|(?P<yrel>the|this|last|next|the current|the previous|the next|that)\s+year\b)"
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
            r"(?:\b(?P<dec>(?:1[89]|20)\d)0['\u2019]?s|['\u2019](?P<dd>\d)0s"
            rf"|\b(?P<cent>{_alt(r['spelled_numbers']['centuries'])})[\s-]+(?P<dw>{_alt(r['decade_words'])}))\b", f),
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
            rf"\b(?:(?:just|only|about|nearly|almost|some|more than)\s+)?(?P<n>\d+|{num_all})\s+(?P<unit>{units})\s+ago\b",
            f,
        ),
        # "mid-1990", "early-1991": a hyphen after these words only
        "year": re.compile(r"\b(?=[12]\d\d\d)(?:(?<![\d,.$\u20ac\u00a3#/-])|(?<=\b[Mm]id-)|(?<=\b[Ee]arly-)|(?<=\b[Ll]ate-))(?P<year>(?:1[89]|20)\d\d)\b(?!\d|,\d|s\b|\s*-\s*(?:year|minute|hour|day|km|mile))"),
        "relative": _items_regex(r["relative"]),
        "period_part": _items_regex(r["period_parts"]["items"]),
        **_extent_patterns(r, wd),
    }


def count_words() -> dict[str, int | None]:
    """Count words of durations and sets: number words ("three", "twenty-four"), a/an, vague counts (None)."""
    r = rules()
    sp = r["spelled_numbers"]
    out: dict[str, int | None] = {"a": 1, "an": 1, "a couple of": 2}
    out.update(sp["units"])
    out.update(sp["teens"])
    for t, tv in sp["tens"].items():
        out[t] = tv
        for u, uv in sp["units"].items():
            out[f"{t}-{u}"] = out[f"{t} {u}"] = tv + uv
    for w in r["durations"]["vague_counts"]:
        out.setdefault(w, None)
    return out


@functools.lru_cache(maxsize=1)
def number_words() -> dict[str, int]:
    """Counts in "N years ago" / "N weeks later": the ``numbers`` words and every spelled number
    to ninety-nine ("eighteen months ago", "twenty-five years ago")."""
    out = {w: n for w, n in count_words().items() if n is not None}
    out.update(rules()["numbers"])
    return out


def spelled_year_value(text: str) -> int | None:
    """The year a spelled-out year names: "nineteen ninety-eight" 1998, "two thousand and eight" 2008.

    Examples:
        >>> spelled_year_value("twenty twenty-two"), spelled_year_value("two thousand eleven")
        (2022, 2011)
    """
    sp = rules()["spelled_numbers"]
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    small = {**sp["units"], **sp["teens"], **sp["tens"]}
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(small.get(w, 0) for w in words[2:])
    if words and words[0] in sp["centuries"]:
        rest = [w for w in words[1:] if w != "oh"]
        if rest == ["hundred"]:
            return sp["centuries"][words[0]] * 100
        if rest and all(w in small for w in rest):
            return sp["centuries"][words[0]] * 100 + sum(small[w] for w in rest)
    return None


def _extent_patterns(r: dict, wd: str) -> dict[str, re.Pattern]:
    """Durations, sets, vague references, spelled-out years and anaphoric phrases (issue 19)."""
    f = re.IGNORECASE
    sp = r["spelled_numbers"]
    units, teens, tens = _alt(sp["units"]), _alt(sp["teens"]), _alt(sp["tens"])
    count = rf"\d+(?:\.\d+)?|(?:{tens})(?:[\s-](?:{units}))?|{teens}|{units}|{_alt(r['durations']['vague_counts'])}|a couple of|an?"
    dunits = _alt(r["durations"]["units"])
    sing = _alt(u for u in r["durations"]["units"] if not u.endswith("s"))
    plural = _alt(u for u in r["durations"]["units"] if u.endswith("s"))
    s = r["sets"]
    vague = [(cat, p) for cat, pats in r["vague"].items() for p in pats]
    year_tail = rf"(?:{tens})(?:[\s-]+(?:{units}))?|{teens}|oh[\s-]+(?:{units})|hundred"
    return {
        "duration": re.compile(
            # "the past year" (no count): a year's length up to now, as "the past two years" is two
            rf"\b(?:the\s+(?P<pre>past|last|next|first|coming|previous|following)\s+)?"
            rf"(?:(?P<n>{count})\s+|(?<=the\spast\s)(?=(?:year|decade)\b)|(?<=the\snext\s)(?=(?:year|decade)\b))"
            rf"(?:more\s+|full\s+|long\s+|consecutive\s+|straight\s+|successive\s+)?(?P<unit>{dunits})\b(?![-\u2011])", f),
        "duration_bare": re.compile(rf"\b(?P<unit>{plural})\b(?![-\u2011])", f),
        "duration_compound": re.compile(
            rf"\b(?=\w+[-\u2011]\w)(?P<n>\d+|{count})[-\u2011](?P<unit>{sing})\b(?![-\u2011](?:{_alt(r['durations']['compound_not_before'])})\b)", f),
        "set": re.compile(
            rf"\b(?:(?:{_alt(s['quantifiers'])})\s+(?:other\s+)?(?P<wd>{wd})\b|on\s+(?P<wds>{wd})s\b"
            rf"|(?:{_alt(s['quantifiers'])})\s+(?P<tod>{_alt(s['times_of_day'])})\b"
            rf"|(?:{_alt(s['quantifiers'])})\s+(?:(?P<n>{count})\s+)?(?P<unit>{dunits}|weekend)\b"
            rf"|(?:{_alt(s['frequencies'])})\s+(?:a|an|per|every)\s+(?P<unit2>{sing})\b"
            rf"|(?P<rate>a|an|per)\s+(?P<unit3>{sing})\b"
            rf"|(?P<adv>{_alt(s['adverbs'])})\b)", f),
        # a look-ahead on the first letters spares trying every phrase at every word (5x faster)
        "vague": re.compile(
            rf"\b(?=[{''.join(sorted({p[0].lower() for _, p in vague}))}])(?:"
            + "|".join(rf"(?P<v{i}>{p})" for i, (_, p) in enumerate(vague)) + r")\b(?![-\u2011])", f),
        "spelled_year": re.compile(
            rf"\b(?:(?:{_alt(sp['centuries'])})[\s-]+(?:{year_tail})|two[\s-]+thousand(?:[\s-]+and)?"
            rf"(?:[\s-]+(?:(?:{tens})(?:[\s-]+(?:{units}))?|{teens}|{units}))?)\b(?![\s-]+(?:hundred|thousand)\b)", f),
        "anaphor": _items_regex(r["anaphora"]),
        "same_period": re.compile(
            rf"\bthe\s+(?:same|comparable|(?P<ya>year[- ](?:earlier|ago|before)|prior[- ]year))\s+(?P<unit>{_alt(r['same_period_units'])})\b"
            rf"(?:\s+(?P<shift>{_alt(r['same_period_shifts'])})\b)?", f),
    }


@functools.lru_cache(maxsize=1)
def spelled_date_prefix() -> re.Pattern:
    """A month with an optional day (digits or a spelled ordinal) and a comma, ending where a
    spelled-out year may follow: "August second, | nineteen ninety"."""
    r = rules()
    ords = _alt(r["spelled_ordinals"])
    return re.compile(rf"\b{_month_alt(r['months'])}(?:\s+(?:(?:the\s+)?(?:{ords})|\d{{1,2}}))?,?\s+$", re.IGNORECASE)


def vague_value(m: re.Match) -> str:
    """PAST_REF / PRESENT_REF / FUTURE_REF of a ``vague`` match."""
    vague = [cat for cat, pats in rules()["vague"].items() for _ in pats]
    return next(vague[int(k[1:])] for k, v in m.groupdict().items() if v is not None)


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
        rf"|the\s+(?P<ord3>following|next|previous)\s+(?P<wd>{_alt(rules()['weekdays'])})"
        rf"|(?:(?:earlier|later)\s+(?:in\s+)?(?:that|the\s+same)|(?:the|that)\s+same|that)\s+(?P<unit5>{sing}))\b",
        re.IGNORECASE,
    )


def _items_regex(items: list[dict]) -> re.Pattern:
    """One regex of ``relative``-style items; group ``r<i>`` tells which item matched."""
    # every expression starts a word: the leading check spares trying each alternative at every character
    return re.compile(
        r"\b(?=\w)(?:" + "|".join(f"(?P<r{i}>\\b(?:{item['pattern']})\\b)" for i, item in enumerate(items)) + ")",
        re.IGNORECASE,
    )


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

