"""Publication dates for articles that come without metadata.

News briefs name the days they report ("on Thursday", "on December 2") but not
the year. A month-day and the weekdays the text names agree in only some years;
we choose the most recent such year no later than today, and take the latest
resolved date as the publication day (an article reports events up to its own
date). Explicit full dates ("December 2, 2021") are used as they are.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_MONTH_DAY = re.compile(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4})\b)?")
_WEEKDAY = re.compile(r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


@dataclass
class Inferred:
    date: dt.date
    note: str


_ADJ_WEEKDAY = re.compile(r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+(?:the\s+)?$")


def _month_days(text: str) -> list[tuple[int, int, int | None, int | None, str]]:
    """(month, day, year or None, weekday written next to it or None, surface)."""
    out = []
    for rx, mi, di in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        for m in rx.finditer(text):
            adj = _ADJ_WEEKDAY.search(text[max(0, m.start() - 12) : m.start()])
            wd = WEEKDAYS.index(adj[1].lower()) if adj else None
            out.append((MONTHS[m[mi].lower().rstrip(".")], int(m[di]), int(m[3]) if m[3] else None, wd, m[0]))
    return out


def infer_published(text: str, *, today: dt.date | None = None) -> Inferred | None:
    """Infer a publication date from the dates and weekdays a text names, or None.

    A year is chosen for the month-days without one so that the most of them
    fall on weekdays the text names (a weekday written beside a date must match
    it); ties go to the most recent year not after today.

    Examples:
        >>> infer_published("Blinken met Lavrov on Thursday. In an interview on December 2 he said.").date
        datetime.date(2021, 12, 2)
    """
    today = today or dt.date.today()
    weekdays = {WEEKDAYS.index(w.lower()) for w in _WEEKDAY.findall(text)}
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= today.year]
    floor = max(years) if years else today.year - 30
    found = _month_days(text)
    resolved: list[tuple[dt.date, str]] = []
    for month, day, year, _, surface in found:
        if year:
            try:
                resolved.append((dt.date(year, month, day), f"explicit date {surface!r}"))
            except ValueError:
                pass
    open_dates = [f for f in found if not f[2]]
    if open_dates and weekdays:
        best = None
        for y in range(today.year, floor - 1, -1):
            score, ok = 0, True
            for month, day, _, wd, _ in open_dates:
                try:
                    d = dt.date(y, month, day)
                except ValueError:
                    continue
                if d > today:
                    ok = False
                elif wd is not None:
                    ok = ok and d.weekday() == wd
                    score += 2
                elif d.weekday() in weekdays:
                    score += 1
            if ok and score and (best is None or score > best[0]):
                best = (score, y)
        if best:
            y = best[1]
            for month, day, _, _, surface in open_dates:
                try:
                    d = dt.date(y, month, day)
                except ValueError:
                    continue
                resolved.append(
                    (d, f"{surface!r} taken in {y}, the latest year since {floor} in which the text's dates "
                        f"fall on the weekdays it names ({surface!r} is a {WEEKDAYS[d.weekday()].title()})")
                )
    if not resolved:
        return None
    date, why = max(resolved)
    return Inferred(date, f"inferred from the text: {why}; latest dated event taken as publication day")
