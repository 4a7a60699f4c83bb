"""Publication dates for articles that come without metadata: right, or no answer.

A wrong publication date is worse than none (it moves every relative date of the
article and every point on the time charts), so an answer needs evidence, in this order:

0. a date in the article's address (``url`` from metadata: ".../2022/02/24/..."): ``high``;
1. a time stamp or a dated byline near the top ("Updated 10:32 GMT, 3 March 2022",
   "By Olena Kovalenko | March 9, 2022"): confidence ``high``;
2. a wire dateline ("MOSCOW, May 9, 2022 (AP) —"; with a year: ``high``). A dateline
   without a year ("KYIV, Feb 24 (Reuters) -") takes the year of a full date of the text
   on that month-day, else the latest year (not after today, not before the latest year the
   text names) in which that day falls on a weekday the lead paragraph names: ``medium``;
3. the latest fully dated event ("on Friday, April 8, 2022"), when the text's weekdays
   corroborate it (the date is written with its weekday, or that weekday is named); a bare
   weekday named for a day after it in the same week moves the answer on to that day
   ("On Monday, Feb. 21, 2022, ... said on Tuesday" -> 22 February): ``medium``.

A recalled date ("A year ago, on Feb. 24, 2022", a timeline line "Feb. 24, 2022: ...") is
no evidence. Year-less dates without a weekday written beside them, and weekdays named
anywhere in the text, are too weak and give no answer: the old rule (any year in which a
month-day fell on any weekday of the text) dated a 1 February 2022 article 2026-02-04.
Words (months in English, German and French, stamp and byline words, agencies) are data:
``data/publication_dates.v1.yaml``.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from ukraine_briefs import lexicons

RULES_FILE = "publication_dates.v1.yaml"


@dataclass
class Inferred:
    date: dt.date
    note: str  # how the date was found, with its confidence (also `documents.date_note`)
    confidence: str = "medium"  # high (stamp, byline, dateline with a year) / medium


@functools.lru_cache(maxsize=1)
def _rules() -> dict:
    return lexicons.load(RULES_FILE)


def _alt(words) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _rx() -> dict[str, re.Pattern]:
    r = _rules()
    mon = rf"(?P<mon>{_alt(r['months'])})\.?"
    wd_words = list(r["weekdays"]) + list(r["weekday_abbreviations"])
    wd = rf"(?:(?P<wd>{_alt(wd_words)})(?<=[a-z]{{3}})\.?,?[ \t]+(?:the[ \t]+)?)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    f = re.IGNORECASE
    return {
        # "Thursday, Feb. 24, 2022", "March 9, 2022", "Feb 24" (year optional)
        "mdy": re.compile(rf"\b{wd}{mon}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*[:.]\d)(?:,?\s+{year}\b)?", f),
        # "Thu 10 Feb 2022", "24. Februar 2022", "1 June 2022", "30 June" (year optional)
        "dmy": re.compile(rf"\b{wd}(?P<day>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{mon}(?:,?\s+{year}\b)?", f),
        "iso": re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"),
        "dateline": re.compile(
            rf"^[A-Z][A-Z.'\u2019 -]+(?:,\s+[A-Z][\w.' -]*?)?,\s+(?i:{mon})\s+(?P<day>\d{{1,2}})(?:,\s+{year})?"
            rf"\s+\((?P<agency>{_alt(r['agencies'])})\)\s*[-\u2013\u2014]", re.MULTILINE),
        "stamp": re.compile(rf"^\W*(?:{_alt(r['stamp_words'])})\b", f),
        "byline": re.compile(rf"^\W*(?:{_alt(r['byline_words'])})\s+[A-Z]", f),
        "weekday": re.compile(rf"\b(?P<wd>{_alt(r['weekdays'])})\b", f),
        "year": re.compile(r"\b((?:19|20)\d\d)\b"),
        "recall": re.compile(rf"(?:{_alt(r['recall_before'])})\s*(?:on\s+|in\s+)?$", f),
    }


def _weekday(word: str | None) -> int | None:
    if not word:
        return None
    w = word.lower().rstrip(".")
    r = _rules()
    return r["weekdays"].index(w) if w in r["weekdays"] else r["weekday_abbreviations"].get(w)


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _dates(text: str) -> list[tuple[int, int, int, int | None, int | None, str]]:
    """(start, month, day, year or None, weekday written beside it or None, surface) of each date."""
    months = _rules()["months"]
    out = []
    for name in ("mdy", "dmy", "iso"):
        for m in _rx()[name].finditer(text):
            g = m.groupdict()
            mon = int(g["mon"]) if name == "iso" else months[g["mon"].lower()]
            if not 1 <= int(g["day"]) <= 31:
                continue
            if g.get("mon", "")[:1].islower() and g["mon"].lower() in ("may", "mar", "march", "sun", "sat"):
                continue  # "may" the verb
            out.append((m.start(), mon, int(g["day"]), int(g["year"]) if g.get("year") else None,
                        _weekday(g.get("wd")), m.group(0)))
    return sorted(out)


def _head(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()][: int(_rules()["head_lines"])]


def _from_head(text: str, today: dt.date) -> Inferred | None:
    """A time stamp or a dated byline near the top: "Updated 10:32 GMT, 3 March 2022"."""
    for line in _head(text):
        kind = "time stamp" if _rx()["stamp"].match(line) else "byline" if _rx()["byline"].match(line) else None
        bare = kind is None and len(line) <= 40  # a line holding only a date: "1 June 2022"
        if kind is None and not bare:
            continue
        for _, mon, day, year, wd, surface in _dates(line):
            d = _make(year, mon, day) if year else None
            if d is None or d > today or (wd is not None and d.weekday() != wd):
                continue
            if bare and len(line) - len(surface) > 12:
                continue
            return Inferred(d, f"inferred from the text (confidence high): {kind or 'date line'} {line[:80]!r}", "high")
    return None


def _lead_weekdays(text: str, start: int) -> set[int]:
    lead = re.split(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])", text[start:start + 600])[:2]
    return {_weekday(m.group("wd")) for s in lead for m in _rx()["weekday"].finditer(s)}


def _latest_year(text: str, today: dt.date) -> int | None:
    years = [int(y) for y in _rx()["year"].findall(text) if int(y) <= today.year]
    return max(years) if years else None


def _from_dateline(text: str, today: dt.date) -> Inferred | None:
    """A wire dateline: "KYIV, Feb 24 (Reuters) -"; its year from the text when it has none."""
    m = _rx()["dateline"].search(text[:1500])
    if m is None:
        return None
    mon, day = _rules()["months"][m.group("mon").lower()], int(m.group("day"))
    line = m.group(0)[:60]
    if m.group("year"):
        d = _make(int(m.group("year")), mon, day)
        if d is not None and d <= today:
            return Inferred(d, f"inferred from the text (confidence high): dateline {line!r}", "high")
        return None
    same = {y for _, mo, da, y, _, _ in _dates(text) if y and (mo, da) == (mon, day)}
    if len(same) == 1:
        d = _make(same.pop(), mon, day)
        if d is not None and d <= today:
            return Inferred(d, f"inferred from the text (confidence medium): dateline {line!r}, "
                               f"year from the full date {d.isoformat()} in the text", "medium")
    # the year the text names last, or the next, where the date is the weekday the lead names;
    # both agreeing (or neither) gives no answer. A same-day story of one year cannot be told
    # from a day-after story of the next by weekdays alone (a date's weekday moves on by one).
    y = _latest_year(text, today)
    named = _lead_weekdays(text, m.end())
    fits = [d for d in (_make(y, mon, day), _make(y + 1, mon, day)) if y and d and d <= today
            and d.weekday() in named] if y else []
    if len(fits) == 1:
        d = fits[0]
        return Inferred(d, f"inferred from the text (confidence medium): dateline {line!r}, taken in {d.year}: "
                           f"of {y} (the latest year the text names) and {y + 1}, the only one in which it is "
                           f"the {_rules()['weekdays'][d.weekday()].title()} the lead names", "medium")
    return None


def _from_events(text: str, today: dt.date) -> Inferred | None:
    """The latest fully dated event written with its weekday ("on Friday, April 8, 2022").

    Only a date with its weekday beside it counts: on real news, a full date alone is as often
    history ("Sept. 11, 2001") or a plan ("the May 3, 2016 primary") as the day reported, and a
    weekday named elsewhere agrees with any date one time in seven. A year-less one ("on
    Wednesday, March 1") takes the latest year the text names, or the next, if exactly one fits.
    """
    floor = _latest_year(text, today)
    events: list[tuple[dt.date, str]] = []
    for start, mon, day, year, wd, surface in _dates(text):
        line_start = text.rfind("\n", 0, start) + 1
        if wd is None or not text[line_start:start].strip() \
                or _rx()["recall"].search(text[max(0, start - 25):start]):
            continue  # no weekday; a timeline entry "Feb. 24, 2022: ..."; a recalled date "A year ago, on ..."
        if year:
            d = _make(year, mon, day)
        elif floor is not None:
            fits = [c for c in (_make(floor, mon, day), _make(floor + 1, mon, day)) if c and c.weekday() == wd]
            d = fits[0] if len(fits) == 1 else None
        else:
            d = None
        if d is not None and d.weekday() == wd and d <= today:
            events.append((d, surface))
    if not events:
        return None
    d, surface = max(events)
    return Inferred(d, f"inferred from the text (confidence medium): latest event dated with its weekday "
                       f"{' '.join(surface.split())!r}", "medium")


_URL_DATE = re.compile(
    r"[/_-](?P<y>(?:19|20)\d\d)(?P<s>[/_-]?)(?P<m>0[1-9]|1[0-2])(?P=s)(?P<d>0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")


def _from_url(url: str | None, today: dt.date) -> Inferred | None:
    """A date in the article's address: ".../2022/02/24/...", "...-2022-02-24/", ".../20220224-..."."""
    m = _URL_DATE.search(url or "")
    d = _make(int(m["y"]), int(m["m"]), int(m["d"])) if m else None
    if d is None or d > today:
        return None
    return Inferred(d, f"inferred from the url (confidence high): {m.group(0).strip('/_-')!r}", "high")


def infer_published(text: str, *, today: dt.date | None = None, url: str | None = None) -> Inferred | None:
    """Infer a publication date from the article's address or text, or None when the evidence is weak.

    Examples:
        >>> infer_published("KYIV, Feb 24 (Reuters) - Russian forces attacked on Thursday. "
        ...                 "Stocks fell to their 2022 lows.", today=dt.date(2026, 1, 1)).date
        datetime.date(2022, 2, 24)
        >>> infer_published("Blinken met Lavrov on Thursday. In an interview on December 2 he said.") is None
        True
    """
    today = today or dt.date.today()
    return _from_url(url, today) or _from_head(text, today) or _from_dateline(text, today) \
        or _from_events(text, today)
