"""Publication dates for articles that come without metadata: right, or no answer.

A wrong publication date is worse than none (it moves every relative date of the
article and every point on the time charts), so an answer needs evidence, in this order:

0. a date in the article's address (``url`` from metadata: ".../2022/02/24/..."): ``high``;
1. a time stamp, a dated byline or a line holding only a date near the top ("Updated 10:32
   GMT, 3 March 2022", "By Olena Kovalenko | March 9, 2022", "July 27, 2022 / 5:41 AM / CBS
   News", "15.09.2022, 21:40"; "08/03/2022" only where the lead's weekday tells day/month from
   month/day; menu lines not counted, stamps run together by scraping spaced out; a stamp on one
   of a page's last lines): confidence ``high``;
2. a wire dateline ("MOSCOW, May 9, 2022 (AP) —" with its year: ``high``). One without a
   year ("KYIV, Feb 24 (Reuters) -", "ISTANBUL, March 29 —") takes the year of a full date
   of the text on that month-day, else the one year from the *floor* (the latest year the text
   names in a sentence not about the future, or the year its era markers give: "full-scale
   invasion" is written after 2022-02-24) up to today in which that day is the story's weekday
   (the lead's latest named weekday); that year must be the floor's unless a story filed the
   day after its lead's events fits no other year: ``medium``;
3. a count of the war's days ("List of key events, day 100"; "200 days since Russia launched
   its full-scale invasion"): ``medium``;
4. the invasion's anniversary the story marks on the lead's weekday ("marked the first
   anniversary of Russia's full-scale invasion on Friday"), or a recalled full date with its
   distance, where the lead names the day it gives ("A year ago, on Feb. 24, 2022, ..." with
   "On Friday, Ukrainians gathered"): ``medium``;
5. the latest event written with its weekday ("on Thursday, Feb. 24"), its year the one year
   of the same window in which the day is that weekday; the lead's own weekday one or two days
   later moves the answer on ("launched its invasion on Thursday, Feb. 24" in a story about
   Friday). An upcoming one ("NATO ambassadors will meet on Wednesday, Nov. 16") dates the
   story on the lead's weekday in the six days before it: ``medium``.

Each answer must be consistent: not in the future of today, not before the text's era, not
before a fully dated past event of the text; from 2 on, not after the last day in office of an
official the text names by title ("Defence Minister Oleksii Reznikov": before 2023-09-06). A
recalled date (a timeline line "Feb. 24, 2022: ...", "4 days after the invasion") is no
evidence. Two years that fit equally give no answer; so does a text without any year or era
marker (Aug 25 was a Thursday in 2022, a Wednesday in 2021), and a lead day three to five days
after the latest dated event.
Words (months in English, German and French, stamp and byline words, agencies, future markers,
era markers, the war's day counts) are data: ``data/publication_dates.v1.yaml``.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ukraine_briefs.ingest.pubdate_text import (
    _alt,
    _bare_date_line,
    _ceiling,
    _consistent,
    _Date,
    _dates,
    _fitting,
    _floor_note,
    _floor_year,
    _future,
    _head,
    _line_dates,
    _make,
    _recalled,
    _rules,
    _rx,
    _story_weekday,
    _tail,
    _unglue,
    _upto_note,
    WEEKDAY_NAMES,
)


@dataclass
class Inferred:
    date: dt.date
    note: str  # how the date was found, with its confidence (also `documents.date_note`)
    confidence: str = "medium"  # high (address, stamp, byline, dateline with a year) / medium



def _from_head(text: str, today: dt.date) -> Inferred | None:
    """A time stamp, a dated byline or a line of only a date near the top: "Updated 10:32 GMT, 3 March 2022"."""
    story_wd = _story_weekday(text)
    lines = [(line, False) for _, line in _head(text)] + [(line, True) for line in _tail(text)]
    for line, at_end in lines:
        line = _unglue(line)
        kind = "time stamp" if _rx()["stamp"].match(line) else "byline" if _rx()["byline"].match(line) else None
        if at_end and kind != "time stamp":
            continue  # at the end of a page only a stamp counts, not a date line ("amended on 26 June 2023")
        kind = "time stamp at the end of the page" if at_end else kind
        for cands, surface, start in _line_dates(line):
            if kind is None and not _bare_date_line(line, surface, start):
                continue
            fits = [c for c in cands if c <= today]
            if len(fits) > 1:  # "08/03/2022": 8 March or 3 August, told apart by the lead's weekday
                fits = [c for c in fits if story_wd is not None and c.weekday() == story_wd]
            written = [d.wd for d in _dates(line) if d.wd is not None]
            if len(fits) != 1 or (written and fits[0].weekday() != written[0]):
                continue
            return Inferred(fits[0], f"inferred from the text (confidence high): {kind or 'date line'} "
                                     f"{line[:80]!r}", "high")
    return None


def _from_dateline(text: str, today: dt.date) -> Inferred | None:
    """A wire dateline: "KYIV, Feb 24 (Reuters) -"; its year from the text when it has none."""
    m = _rx()["dateline"].search(text[:1500])
    if m is None or not (m.group("place") or m.group("agency")):
        return None
    mon, day = _rules()["months"][m.group("mon").lower()], int(m.group("day"))
    line = " ".join(m.group(0).split())[:60]
    if m.group("year"):
        d = _make(int(m.group("year")), mon, day)
        if d is not None and d <= today:
            return Inferred(d, f"inferred from the text (confidence high): dateline {line!r}", "high")
        return None
    same = {x.year for x in _dates(text) if x.year and (x.mon, x.day) == (mon, day)}
    if len(same) == 1:
        d = _make(same.pop(), mon, day)
        if d is not None and _consistent(d, text, today):
            return Inferred(d, f"inferred from the text (confidence medium): dateline {line!r}, "
                               f"year from the full date {d.isoformat()} in the text", "medium")
    floor, wd = _floor_year(text, today), _story_weekday(text)
    if floor is None or wd is None:
        return None
    fits = _fitting(mon, day, wd, floor, today)
    # a story filed the day after the events its lead names: where that reading fits another year
    # and the text does not name the year found, no answer ("KYIV, Aug 25 ... on Wednesday":
    # Wednesday 2021 or a Thursday story of 2022)
    later = _fitting(mon, day, (wd + 1) % 7, floor, today)
    if len(fits) != 1 or (later and fits[0].year != floor) or not _consistent(fits[0], text, today):
        return None
    d = fits[0]
    return Inferred(d, f"inferred from the text (confidence medium): dateline {line!r}, taken in {d.year}: "
                       f"the only year from {_floor_note(text, floor)} to {_upto_note(text, today)} in which it is "
                       f"the {WEEKDAY_NAMES[wd]} the lead names", "medium")


def _event_day(x: _Date, floor: int | None, today: dt.date) -> dt.date | None:
    """The day of a date written with its weekday; a year-less one needs the one fitting year."""
    if x.year:
        d = _make(x.year, x.mon, x.day)
        return d if d and d.weekday() == x.wd else None
    fits = _fitting(x.mon, x.day, x.wd, floor, today) if floor is not None else []
    return fits[0] if len(fits) == 1 else None


def _from_events(text: str, today: dt.date) -> Inferred | None:
    """The latest event dated with its weekday ("on Friday, April 8, 2022"), moved to the story's day.

    Only a date with its weekday beside it counts: on real news, a full date alone is as often
    history ("Sept. 11, 2001") or a plan ("the May 3, 2016 primary") as the day reported, and a
    weekday named elsewhere agrees with any date one time in seven.
    """
    floor = _floor_year(text, today)
    past, ahead = [], []
    for x in _dates(text):
        if x.wd is None or _recalled(text, x):
            continue
        d = _event_day(x, floor, today)
        if d is not None:
            (ahead if _future(text, x.start) else past).append((d, x.surface))
    wd = _story_weekday(text)
    if past:
        d, surface = max(past)
        step = (wd - d.weekday()) % 7 if wd is not None else 0
        if 3 <= step <= 5:
            return None  # the lead's day is days after the dated event: the story is later, by how much unsaid
        moved = d + dt.timedelta(days=step) if step <= 2 else d  # 6: the lead's day is the day before
        why = f", moved on to the {WEEKDAY_NAMES[wd]} the lead names" if moved != d else ""
        note = f"latest event dated with its weekday {surface!r}{why}"
        d = moved
    elif ahead and wd is not None:
        f, surface = min(ahead)
        step = (f.weekday() - wd) % 7
        if step == 0:
            return None  # the same weekday a week before, or the day itself: no answer
        d = f - dt.timedelta(days=step)
        note = f"the {WEEKDAY_NAMES[wd]} the lead names, before the upcoming {surface!r}"
    else:
        return None
    if not _consistent(d, text, today) or any(f <= d for f, _ in ahead):
        return None
    return Inferred(d, f"inferred from the text (confidence medium): {note}", "medium")


def _from_ago(text: str, today: dt.date) -> Inferred | None:
    """A full date recalled with its distance: "A year ago, on Feb. 24, 2022, ..." in a Friday lead."""
    counts = _rules()["ago_counts"]
    wd = _story_weekday(text)
    if wd is None:
        return None
    found = []
    for x in _dates(text):
        m = re.search(rf"\b(?P<n>\d{{1,2}}|{_alt(counts)})\s+(?P<unit>year|month|week|day)s?\s+ago,?\s+(?:on\s+)?$",
                      text[max(0, x.start - 40):x.start], re.IGNORECASE)
        if m is None or x.year is None or _make(x.year, x.mon, x.day) is None:
            continue
        n = int(m["n"]) if m["n"].isdigit() else counts[m["n"].lower()]
        unit = m["unit"].lower()
        if unit in ("year", "month"):
            months = x.mon - 1 + n * (12 if unit == "year" else 1)
            d = _make(x.year + months // 12, months % 12 + 1, x.day)
        else:
            d = _make(x.year, x.mon, x.day) + dt.timedelta(days=n * (7 if unit == "week" else 1))
        if d is not None:
            found.append((d, f"{m.group(0).strip()} {x.surface}"))
    if len({d for d, _ in found}) != 1:
        return None
    d, surface = found[0]
    if d.weekday() != wd or not _consistent(d, text, today):
        return None  # the lead's day is not the anniversary's: written before or after it
    return Inferred(d, f"inferred from the text (confidence medium): a recalled date with its distance "
                       f"{surface!r}, on the {WEEKDAY_NAMES[wd]} the lead names", "medium")


def _from_anniversary(text: str, today: dt.date) -> Inferred | None:
    """An anniversary of the invasion the story marks, on the day the lead names.

    "Ukrainians marked the first anniversary of Russia's full-scale invasion on Friday" is 2023-02-24,
    a Friday; with "on Monday" (days before it) there is no answer.
    """
    r, wd = _rules(), _story_weekday(text)
    if wd is None or "anniversaries" not in r:
        return None
    found = set()
    for item in r["anniversaries"]:
        since = dt.date.fromisoformat(str(item["since"]))
        for m in re.finditer(item["pattern"], text, re.IGNORECASE):
            before = text[max(0, m.start() - 30):m.start()]
            if _future(text, m.start()) or re.search(r["anniversary_not_after"], before, re.IGNORECASE):
                continue
            d = _make(since.year + int(r["anniversary_counts"][m["n"].lower()]), since.month, since.day)
            if d is not None:
                found.add((d, " ".join(m.group(0).split())))
    if len({d for d, _ in found}) != 1:
        return None
    d, surface = min(found)
    if d.weekday() != wd or not _consistent(d, text, today):
        return None  # the lead's day is not the anniversary's: written before or after it
    return Inferred(d, f"inferred from the text (confidence medium): the {surface!r} (on {d.isoformat()}), "
                       f"on the {WEEKDAY_NAMES[wd]} the lead names", "medium")


def _from_war_days(text: str, today: dt.date) -> Inferred | None:
    """A count of the war's days: "List of key events, day 100", "200 days since Russia launched its invasion".

    Every count the text gives must agree (within a day); a count in a sentence about the
    future or the past of the story ("4 days after the invasion") is not one.
    """
    r = _rules()
    if "war_days" not in r or not re.search(r"\b(?:Russia|Ukraine)", text):
        return None
    start, title = dt.date.fromisoformat(str(r["war_start"])), text.split("\n", 1)[0].strip()
    found: list[tuple[dt.date, str]] = []
    for item in r["war_days"]:
        scope = title if item.get("title_only") else text
        for m in re.finditer(item["pattern"], scope, re.IGNORECASE | re.MULTILINE):
            n = int(m["n"])
            if n < int(r["war_day_min"]) or (not item.get("title_only") and _future(text, m.start())):
                continue
            found.append((start + dt.timedelta(days=n - 1 if item["count"] == "day" else n), m.group(0)))
    if not found or max(d for d, _ in found) - min(d for d, _ in found) > dt.timedelta(days=1):
        return None
    d, surface = max(found)
    if not _consistent(d, text, today):
        return None
    return Inferred(d, f"inferred from the text (confidence medium): the war's day count {surface!r} "
                       f"(day 1 = {start.isoformat()})", "medium")


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
    text = text[: int(_rules()["scan_chars"])]  # an article's evidence is in its first pages
    found = _from_url(url, today) or _from_head(text, today)
    if found is not None:
        return found
    # what the text itself says: written before its office holders left office
    ceiling = _ceiling(text)
    upto = min(today, ceiling[0]) if ceiling is not None else today
    return _from_dateline(text, upto) or _from_war_days(text, upto) or _from_anniversary(text, upto) \
        or _from_ago(text, upto) or _from_events(text, upto)
