"""Resolving a matched time expression to a value against an anchor (the publication date).

Weekdays, months, quarters and halves, seasons, "ago" and deictic relatives each
pick their year, week or day from the anchor and the clause's tense; values are
ISO days, months and weeks, years, and the TimeML forms for parts of a year,
seasons and decades (docs/dates.md), each with its first day.
"""
from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Span

from ukraine_briefs.extract.dates.extent import resolve_extent
from ukraine_briefs.extract.dates.patterns import number_words, rules
from ukraine_briefs.extract.dates.tense import compound_modifier, expression_tense, noun_attached, span_tense
from ukraine_briefs.extract.nlp import doc_index

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
                  modifier: str | None = None, noun: bool = False) -> dt.date | None:
    """The month (or month and day) meant without a year: the year by tense, else by proximity.

    ``noun``: the day dates a noun ("the donors' conference March 6", "the summit on Nov. 16"), not
    the past verb, so an event up to two months ahead is the coming one.

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
        # a day of the coming week in a past clause is a plan that changed ("Parades on May 9 were
        # cancelled" on May 3), not the same day a year before (that would carry its year)
        ahead = int(rules()["past_clause_noun_ahead_days" if noun else "past_clause_ahead_days"])
        soon = [c for c in cands if day and 0 < (c - ref).days <= ahead]
        if soon:
            return soon[0]
        past = [c for c in cands if c <= ref]
        return past[-1] if past else None
    # no tense (or present): the nearer one; ties go to the past
    return min(cands, key=lambda c: (abs((c - ref).days), c > ref))


def _number(word: str) -> int | None:
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    return number_words().get(word)


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")



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
        d = resolve_month(int(mon), pub, expression_tense(span), int(day))
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
        d = resolve_month(mon, pub, expression_tense(span), day, noun=noun_attached(span))
        if d is None:
            return ("month", *unresolved)
        return ("month", *(_period("day", d) if day else _period("month", d)))
    if name == "month":
        if pub is None:
            return ("month", *unresolved)
        mon = r["months"][m.group("mon").lower().rstrip(".")]
        tense = expression_tense(span)
        if tense not in ("future", "past") and compound_modifier(span):
            # "teeing up the November showdown": the nearer one; "will blow a November matchup" ahead,
            # "in that October speech, Brainard chimed in" back
            tense = None
        d = resolve_month(mon, pub, tense, modifier=m.group("rel"))
        return ("month", *_period("month", d)) if d else ("month", *unresolved)
    if name == "weekday":
        if pub is None:
            return ("weekday", *unresolved)
        wd = r["weekdays"][m.group("wd").lower()]
        d = resolve_weekday(wd, pub, expression_tense(span), m.group("mod"))
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
            tense = span_tense(span) or ""
            offset = int(item["by_tense"].get(tense, item["by_tense"]["other"]))
            if tense != "future" and pub.weekday() < 2 and "other_early_week" in item["by_tense"]:
                offset = int(item["by_tense"]["other_early_week"])
        d = _shift(pub, item["unit"], offset)
        if item["unit"] in ("month", "year") and item["offset"] == 0:
            d = pub
        return ("relative", *_period(item["unit"], d))
    if name == "anchored":
        return ("relative", *unresolved)  # placed by doc_dates, from another date of the sentence
    if name == "duration" and pub is not None and not m.group("pre") \
            and re.search(r"\bin\s+$", doc_index(doc).text[max(0, start - 4):start]) and expression_tense(span) == "future":
        # "run for reelection in two years": a point that far ahead, not a length
        n, unit = _number(m.group("n") or ""), r["durations"]["units"][m.group("unit").lower()]
        unit = {"D": "day", "W": "week", "M": "month", "Y": "year"}.get(unit)
        before = doc_index(doc).text[max(0, start - 60):start].lower()
        if n and unit and " ".join(m.group("n").lower().split()) not in ("a", "an", "one", *r["durations"]["vague_counts"]) \
                and not re.search(r"\b(?:first|highest|lowest|biggest|largest|worst|best|most|least|since)\b", before):
            # not "can accept in a year" (a rate), "the first such White Book in 10 years" (a length)
            return ("relative", *_period(unit, _shift(pub, unit, n)))
    if name in ("duration", "duration_bare", "duration_compound", "set", "vague", "spelled_year"):
        return resolve_extent(name, m)
    if name in ("anaphor", "same_period"):
        # counted from publication here; `story` moves them to the story's reference time
        if pub is None:
            return ("relative", *unresolved)
        if name == "same_period":
            return ("relative", *_period("year" if m.group("unit").lower() == "period" else m.group("unit").lower()
                                         if m.group("unit").lower() in ("day", "week", "month", "year") else "year", pub))
        item = r["anaphora"][next(int(k[1:]) for k, v in m.groupdict().items() if v is not None)]
        if item["unit"] == "quarter":  # "the latest quarter": the last one completed by publication
            y, k = divmod(pub.year * 4 + (pub.month - 1) // 3 - (item.get("default") == "completed"), 4)
            return ("relative", *_part_value("Q", y, k + 1))
        return ("relative", *_period(item["unit"], _shift(pub, item["unit"], int(item["offset"]))))
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
        if m.group("dw"):  # "the nineteen seventies"
            dec = int(r["spelled_numbers"]["centuries"][m.group("cent").lower()]) * 10 + int(r["decade_words"][m.group("dw").lower()])
        elif m.group("dec"):
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

