"""Reading an article for evidence of its publication date: written dates, sentences, head lines, lead, era.

The parts `ingest.pubdate` weighs: every date written with its year and weekday, the sentence and
tense of each, the page's head and last lines (stamps, bylines, menus), the weekday the lead names
for the story's day, the years and era markers that set a floor for a year-less date, and the
checks every answer must pass. Words and patterns are in ``data/publication_dates.v1.yaml``.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass

from ukraine_briefs import lexicons

RULES_FILE = "publication_dates.v1.yaml"


@dataclass
class _Date:
    start: int
    end: int
    mon: int
    day: int
    year: int | None
    wd: int | None  # the weekday written beside it
    surface: str


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
    # the weekday beside its date, also in parentheses as Asian wires write it: "on Thursday (March 17)"
    wd = rf"(?:(?P<wd>{_alt(wd_words)})(?<=[a-z]{{3}})\.?,?[ \t]+(?:\([ \t]*)?(?:the[ \t]+)?)?"
    year = r"(?P<year>(?:19|20)\d\d)"
    f = re.IGNORECASE
    place = r"[A-Z][A-Z.'\u2019 -]+(?:,\s+[A-Z][\w.' -]*?)?"
    agency = rf"\((?P<agency>{_alt(r['agencies'])})\)"
    return {
        # "Thursday, Feb. 24, 2022", "March 9, 2022", "Feb 24", "Tue, Apr 26 2022" (year optional)
        "mdy": re.compile(rf"\b{wd}{mon}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*[:.]\d)(?:,?\s+{year}\b)?", f),
        # "Thu 10 Feb 2022", "24. Februar 2022", "1 June 2022", "30 June" (year optional)
        "dmy": re.compile(rf"\b{wd}(?P<day>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?{mon}(?:,?\s+{year}\b)?", f),
        "iso": re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"),
        # numeric stamps of the head only: "15.09.2022", "08/03/2022", "9/30/2022", "2022/09/24"
        "num": re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<year>(?:19|20)\d\d)\b"),
        "ymd": re.compile(r"\b(?P<year>(?:19|20)\d\d)/(?P<mon>\d{1,2})/(?P<day>\d{1,2})\b"),
        # "KYIV, Feb 24 (Reuters) -", "MOSCOW, May 9, 2022 (AP) —", "March 1 (Reuters) -", "ISTANBUL, March 29 —"
        "dateline": re.compile(
            rf"^[ \t]*(?:(?P<place>{place}),\s+)?(?i:{mon})\s+(?P<day>\d{{1,2}})(?:,\s+{year})?"
            rf"\s+(?:{agency}\s*)?[-\u2013\u2014]", re.MULTILINE),
        "stamp": re.compile(rf"^\W*(?:{_alt(r['stamp_words'])})\b", f),
        "byline": re.compile(rf"^\W*(?:{_alt(r['byline_words'])})\s+[A-Z]", f),
        "weekday": re.compile(rf"\b(?P<wd>{_alt(r['weekdays'])})\b", f),
        "year": re.compile(r"(?<![\d/.-])((?:19|20)\d\d)(?![\d/-])"),
        "recall": re.compile(rf"(?:{_alt(r['recall_before'])})\s*(?:on\s+|in\s+)?$", f),
        "future": re.compile(rf"(?<![\w'])(?:{_alt(r['future_markers'])})(?!\w)", f),
        # what a date line may hold besides its date: "at 4:31 p.m. EST", "/ 5:41 AM /", "(GMT+3)"
        # ... and a relative update note of a scraped page ("Updated 3 hours ago")
        "clock": re.compile(r"\b\d{1,2}[:.h]?\d{2}\b\s*(?:[ap]\.?\s?m\.?)?|\b(?:GMT|UTC|CET|CEST|EET|EEST|BST|"
                            r"E[SD]T|C[SD]T|P[SD]T|IST|MSK|HKT|Uhr)\b(?:\s*[+-]\s*\d{1,2})?|\bat\b|"
                            r"\b(?:updated|modified)\s+(?:\d{1,2}|an?)\s+(?:minute|hour|day)s?\s+ago\b", f),
        "reported": re.compile(rf"\b(?:{_alt(r['reporting_verbs'])})\s+(?:on\s+|late\s+|early\s+)?$", f),
        "sentence": re.compile(r"(?<=[.!?\"\u201d])\s+(?=[A-Z\"\u201c])|\n+"),
    }


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


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


@functools.lru_cache(maxsize=8)
def _dates(text: str) -> tuple[_Date, ...]:
    """Every written date of the text (month names and ISO), with its year and weekday when written."""
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
            out.append(_Date(m.start(), m.end(), mon, int(g["day"]), int(g["year"]) if g.get("year") else None,
                             _weekday(g.get("wd")), " ".join(m.group(0).split())))
    return sorted(out, key=lambda d: d.start)


@functools.lru_cache(maxsize=4)
def _breaks(text: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the sentence breaks of a text, found once per text."""
    found = [(m.start(), m.end()) for m in _rx()["sentence"].finditer(text)]
    return [a for a, _ in found], [b for _, b in found]


def _sentence_of(text: str, pos: int) -> tuple[int, int]:
    """Start and end of the sentence (or line) holding character ``pos``."""
    starts, ends = _breaks(text)
    i = bisect.bisect_right(ends, pos)  # breaks ending at or before pos
    start = ends[i - 1] if i else 0
    j = bisect.bisect_left(starts, pos)  # the first break starting at or after pos
    return start, starts[j] if j < len(starts) else len(text)


def _future(text: str, pos: int) -> bool:
    """Whether the clause up to ``pos`` speaks of the future ("will meet on Wednesday, Nov. 16").

    A day right after a reporting verb is the day of the report ("Turkey said on Friday that a
    deal could be signed next week").
    """
    s, _ = _sentence_of(text, pos)
    if _rx()["reported"].search(text[max(s, pos - 30):pos]):
        return False
    return _rx()["future"].search(text[s:pos]) is not None


def _recalled(text: str, d: _Date) -> bool:
    """A recalled date ("A year ago, on Feb. 24, 2022") or a timeline entry ("Feb. 24, 2022: ...")."""
    line_start = text.rfind("\n", 0, d.start) + 1
    return not text[line_start:d.start].strip() or bool(_rx()["recall"].search(text[max(0, d.start - 25):d.start]))


def _furniture(line: str) -> bool:
    """A line of page furniture: a menu item, "Share this article", "BBC News", "Pjotr Sauer in Kyiv".

    Up to a few words, no digit, no sentence end: it neither counts among the head lines nor opens the body.
    """
    return len(line.split()) <= int(_rules()["furniture_words"]) and not re.search(r"[\d.!?:\"\u201d]", line)


def _unglue(line: str) -> str:
    """A scraped stamp with its parts run together, spaced out: "October 10, 20226:45 AM UTCUpdated" ->
    "October 10, 2022 6:45 AM UTC Updated", "10 Oct 202210 Oct 2022", "06:32Modified:"."""
    line = re.sub(r"(?<!\d)((?:19|20)\d\d)(?=\d{1,2}(?::\d\d|\s+[A-Za-z]))", r"\1 ", line)
    return re.sub(r"(?<=\d)(?=[A-Z][a-z])|(?<=[A-Z]{3})(?=[A-Z][a-z])", " ", line)


def _head(text: str) -> list[tuple[int, str]]:
    """(offset, stripped line) of the first lines, where stamps and bylines stand; furniture lines not counted."""
    out, pos, counted = [], 0, 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            out.append((pos + len(line) - len(line.lstrip()), line.strip()))
            counted += not _furniture(line.strip())
        pos += len(line)
        if counted >= int(_rules()["head_lines"]) or len(out) >= int(_rules()["head_lines_max"]):
            break
    return out


def _tail(text: str) -> list[str]:
    """The last lines of a page, where some sites print "Published 08.10.2022 14:20"."""
    return [ln.strip() for ln in text.rstrip().splitlines()[-int(_rules()["tail_lines"]):] if ln.strip()]


def _line_dates(line: str) -> list[tuple[list[dt.date], str, int]]:
    """Full dates of one head line: (candidate dates, surface, start); numeric "08/03/2022" may give two."""
    found = [([_make(d.year, d.mon, d.day)], d.surface, d.start) for d in _dates(line) if d.year]
    for m in _rx()["num"].finditer(line):
        a, b, y = int(m["a"]), int(m["b"]), int(m["year"])
        cands = [_make(y, b, a)] if m["sep"] == "." else [_make(y, b, a), _make(y, a, b)]
        found.append((cands, m.group(0), m.start()))
    for m in _rx()["ymd"].finditer(line):
        found.append(([_make(int(m["year"]), int(m["mon"]), int(m["day"]))], m.group(0), m.start()))
    return [(sorted({c for c in cands if c}), s, st) for cands, s, st in sorted(found, key=lambda x: x[2])
            if any(cands)]


def _bare_date_line(line: str, surface: str, start: int) -> bool:
    """A line that opens with its date and holds otherwise only a clock time, a zone, an outlet."""
    if start > 0 and not re.fullmatch(r"\W*", line[:start]):
        return False
    rest = _rx()["clock"].sub(" ", line[start + len(surface):])
    return len(re.sub(r"[^A-Za-z]", "", rest)) <= int(_rules()["bare_line_rest"])


def _body_start(text: str) -> int:
    """Offset of the article body: after the title and the stamp, byline and date lines."""
    head = _head(text)
    body = head[1][0] if len(head) > 1 else 0
    for off, raw in head[1:]:
        line = _unglue(raw)
        meta = _furniture(line) or _rx()["stamp"].match(line) or _rx()["byline"].match(line) \
            or any(_bare_date_line(line, s, st) for _, s, st in _line_dates(line))
        if not meta:
            return off
        body = off + len(raw)
    return body


def _lead_weekdays(text: str) -> list[int]:
    """Weekdays the lead (first two sentences of the body) names for the story's days, in order.

    A weekday written beside a date ("Thursday, Feb. 24") names that date, not the story's day,
    and one in a sentence about the future ("talks will resume on Tuesday") a day to come.
    """
    start = _body_start(text)
    stops = [m.start() for m in _rx()["sentence"].finditer(text, start) if m.start() > start][:2]
    end = stops[1] if len(stops) > 1 else len(text)
    beside = [(d.start, d.end) for d in _dates(text) if d.wd is not None]
    out = []
    for m in _rx()["weekday"].finditer(text, start, end):
        if any(s <= m.start() < e for s, e in beside) or _future(text, m.start()):
            continue
        out.append(_weekday(m.group("wd")))
    return out


@functools.lru_cache(maxsize=8)
def _story_weekday(text: str) -> int | None:
    """The story's own day among the lead's weekdays: the one the others lie closest before.

    "Wagner said on Saturday ..., a claim Kyiv denied on Sunday" is a Sunday story.
    """
    named = set(_lead_weekdays(text))
    if not named:
        return None
    return min(named, key=lambda w: (max((w - o) % 7 for o in named), w))


@functools.lru_cache(maxsize=8)
def _markers(text: str) -> tuple[tuple[dict, str], ...]:
    """The era markers the text carries outside a sentence about the future, each with its first such match
    (one scan of the text per marker, shared by `_era` and `_ceiling`)."""
    found = []
    for marker in _rules().get("era_markers", []):
        for m in re.finditer(marker["pattern"], text, re.IGNORECASE):
            s, e = _sentence_of(text, m.start())
            if not _rx()["future"].search(text[s:e]):
                found.append((marker, m.group(0)))
                break
    return tuple(found)


def _era(text: str) -> tuple[dt.date, str] | None:
    """The latest date the text's era markers imply it was written after ("President Biden": 2021-01-20)."""
    found = [(dt.date.fromisoformat(str(mk["since"])), words) for mk, words in _markers(text)]
    return max(found) if found else None


def _ceiling(text: str) -> tuple[dt.date, str] | None:
    """The earliest date the text's office titles imply it was written before ("Chancellor Olaf Scholz": 2025-05-06).

    A title in the present ("Defence Minister Oleksii Reznikov said") is written while its holder
    is in office; "former", "then-" and "the late" are excluded by the patterns.
    """
    found = [(dt.date.fromisoformat(str(mk["until"])), words) for mk, words in _markers(text) if "until" in mk]
    return min(found) if found else None


def _upto_note(text: str, today: dt.date) -> str:
    ceiling = _ceiling(text)
    if ceiling is not None and ceiling[0] <= today:
        return f"{ceiling[0].isoformat()} ({ceiling[1]!r} is written before it)"
    return "today"


@functools.lru_cache(maxsize=8)
def _floor_year(text: str, today: dt.date) -> int | None:
    """The latest year the text names in a sentence not about the future, or its era's: the story is not older."""
    years = [int(m.group(1)) for m in _rx()["year"].finditer(text)
             if int(m.group(1)) <= today.year and not _future(text, m.start())]
    era = _era(text)
    if era is not None:
        years.append(era[0].year)
    return max(years) if years else None


def _fitting(mon: int, day: int, weekday: int, floor: int, today: dt.date) -> list[dt.date]:
    """The days ``mon``-``day`` from the year ``floor`` up to today that fall on ``weekday``."""
    days = (_make(y, mon, day) for y in range(floor, today.year + 1))
    return [d for d in days if d and d <= today and d.weekday() == weekday]


def _floor_note(text: str, floor: int) -> str:
    era = _era(text)
    if era is not None and era[0].year == floor:
        return f"{floor} ({era[1]!r} is written after {era[0].isoformat()})"
    return f"{floor} (the latest year the text names)"


def _consistent(d: dt.date, text: str, today: dt.date) -> bool:
    """Not after today, not before the text's era, not before a fully dated event it reports as past."""
    era = _era(text)
    if d > today or (era is not None and d < era[0]):
        return False
    return all(_make(x.year, x.mon, x.day) is None or _make(x.year, x.mon, x.day) <= d
               for x in _dates(text) if x.year and not _future(text, x.start))
