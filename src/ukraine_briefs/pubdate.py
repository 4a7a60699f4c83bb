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


def _month_days(text: str) -> list[tuple[int, int, int | None, str]]:
    out = []
    for m in _MONTH_DAY.finditer(text):
        out.append((MONTHS[m[1].lower().rstrip(".")], int(m[2]), int(m[3]) if m[3] else None, m[0]))
    for m in _DAY_MONTH.finditer(text):
        out.append((MONTHS[m[2].lower().rstrip(".")], int(m[1]), int(m[3]) if m[3] else None, m[0]))
    return out


def infer_published(text: str, *, today: dt.date | None = None) -> Inferred | None:
    """Infer a publication date from the dates and weekdays a text names, or None.

    Examples:
        >>> infer_published("Blinken met Lavrov on Thursday in Stockholm. In an interview on December 2 he said.").date
        datetime.date(2021, 12, 2)
    """
    today = today or dt.date.today()
    weekdays = {WEEKDAYS.index(w.lower()) for w in _WEEKDAY.findall(text)}
    years = [int(y) for y in _YEAR.findall(text) if int(y) <= today.year]
    floor = max(years) if years else today.year - 30
    resolved: list[tuple[dt.date, str]] = []
    for month, day, year, surface in _month_days(text):
        if year:
            try:
                resolved.append((dt.date(year, month, day), f"explicit date {surface!r}"))
            except ValueError:
                pass
            continue
        if not weekdays:
            continue
        for y in range(today.year, floor - 1, -1):
            try:
                d = dt.date(y, month, day)
            except ValueError:
                continue
            if d <= today and d.weekday() in weekdays:
                resolved.append(
                    (d, f"{surface!r} falls on a {WEEKDAYS[d.weekday()].title()} (named in the text) in {y}, "
                        f"the latest such year not before {floor}")
                )
                break
    if not resolved:
        return None
    date, why = max(resolved)
    return Inferred(date, f"inferred from the text: {why}; latest dated event taken as publication day")
