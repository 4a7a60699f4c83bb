"""Values of durations, sets, vague references and spelled-out years (issue 19).

None of these is a point in time an analyst can chart, except a spelled-out year, so
their rows carry a value and no ``date``:

- a duration is an ISO 8601 / TimeML duration: "for three weeks" ``P3W``, "a 12-hour
  ceasefire" ``PT12H``, "for months" ``PXM`` (X: an unknown count);
- a set (a recurring time) takes TimeML's value: "every Monday" / "on Mondays"
  ``XXXX-WXX-1``, "every week" ``P1W``, "every two days" ``P2D``, "every night"
  ``XXXX-XX-XXTNI``, "twice a week" ``P1W``;
- a vague reference is ``PAST_REF`` ("recently"), ``PRESENT_REF`` ("now") or ``FUTURE_REF``
  ("soon").

Granularity: the unit for durations and sets (``week``, ``hour``...), ``vague`` for vague rows.
"""
from __future__ import annotations

import datetime as dt
import re

from ukraine_briefs.extract.dates.patterns import count_words, rules, spelled_year_value, vague_value

_UNIT_NAMES = {"TM": "minute", "TH": "hour", "D": "day", "W": "week", "2W": "week", "M": "month", "Y": "year",
               "DE": "decade"}


def duration_value(n: int | None, code: str) -> str:
    """ISO 8601 duration of ``n`` units (TimeML ``X`` for an unknown count).

    Examples:
        >>> duration_value(3, "W"), duration_value(12, "TH"), duration_value(None, "M"), duration_value(1, "2W")
        ('P3W', 'PT12H', 'PXM', 'P2W')
    """
    if code == "2W":  # a fortnight
        n, code = (None if n is None else 2 * n), "W"
    count = "X" if n is None else str(n)
    return f"PT{count}{code[1]}" if code.startswith("T") else f"P{count}{code}"


def _count(word: str | None) -> int | None:
    """1 when absent; a number; None for a vague count ("several")."""
    if not word:
        return 1
    w = " ".join(word.lower().split())
    if re.fullmatch(r"\d+", w):
        return int(w)
    if re.fullmatch(r"\d+\.\d+", w):
        return None
    return count_words().get(w)


def resolve_extent(name: str, m: re.Match) -> tuple[str, str | None, str, dt.date | None]:
    """(kind, value, granularity, first day) of a duration, set, vague or spelled-year match."""
    r = rules()
    units = r["durations"]["units"]
    g = m.groupdict()
    if name == "spelled_year":
        y = spelled_year_value(m.group(0))
        return ("year", f"{y:04d}", "year", dt.date(y, 1, 1)) if y else ("year", None, "unknown", None)
    if name == "vague":
        return ("vague", vague_value(m), "vague", None)
    if name in ("duration", "duration_bare", "duration_compound"):
        code = units[g["unit"].lower()]
        n = None if name == "duration_bare" else _count(g.get("n"))
        return ("duration", duration_value(n, code), _UNIT_NAMES[code], None)
    # sets
    if g.get("wd") or g.get("wds"):
        day = r["weekdays"][(g.get("wd") or g.get("wds")).lower()] + 1
        return ("set", f"XXXX-WXX-{day}", "day", None)
    if g.get("tod"):
        return ("set", f"XXXX-XX-XXT{r['sets']['times_of_day'][g['tod'].lower()]}", "day", None)
    if g.get("adv"):
        value = r["sets"]["adverbs"][g["adv"].lower()]
        return ("set", value, "day" if "T" in value or value.endswith("D") else
                _UNIT_NAMES.get(value[-1], "unknown"), None)
    unit = (g.get("unit") or g.get("unit2") or g.get("unit3")).lower()
    if unit == "weekend":
        return ("set", "XXXX-WXX-WE", "week", None)
    code = units[unit]
    n = _count(g.get("n")) if g.get("unit") else 1
    return ("set", duration_value(n, code), _UNIT_NAMES[code], None)

