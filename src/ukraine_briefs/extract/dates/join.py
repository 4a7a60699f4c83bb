"""Adjacent expressions that make one date, joined after each is resolved.

- a season or month with a spelled-out year: "the summer of nineteen ninety-six" ``1996-SU``,
  "August second, nineteen ninety" ``1990-08-02``, and a spelled day: "March fourth" ``1998-03-04``
  (broadcast transcripts spell dates out);
- a distance with the period it is counted in: "Two years ago this month" ``1996-02``, "A week ago
  today" ``1998-02-25``, "A year ago this week" (TimeML gives the finer period the text names);
- a year possessive before a part of a year: "last year's third-quarter results" ``1988-Q3``.
"""
from __future__ import annotations

import datetime as dt
import functools
import re

from ukraine_briefs.extract.dates.patterns import number_words, rules
from ukraine_briefs.extract.dates.resolve import _add_months, _period

#: rows a distance may be counted in ("this month", "today")
_FINER = {"day": 0, "week": 1, "month": 2, "year": 3}


def _join_pairs(kept: list, res: list, merged) -> tuple[list, list]:
    """Rows and resolutions with each row ``i`` that ``merged(i)`` joins to the next one replaced by one
    row spanning both, with the resolution ``merged`` returns (None: the row stays as it is)."""
    out_k, out_r, i = [], [], 0
    while i < len(kept):
        new = merged(i) if i + 1 < len(kept) else None
        if new is not None:
            s, _, name, m = kept[i]
            out_k.append((s, kept[i + 1][1], name, m))
            out_r.append(new)
            i += 2
            continue
        out_k.append(kept[i])
        out_r.append(res[i])
        i += 1
    return out_k, out_r


def merge_spelled_dates(text: str, kept: list, res: list) -> tuple[list, list]:
    """A season or month followed by a spelled-out year is one date: "the summer of nineteen
    ninety-six" ``1996-SU``, "August second, nineteen ninety" ``1990-08-02`` (broadcast
    transcripts spell years and days out)."""
    r = rules()
    ords = r["spelled_ordinals"]
    if not any(name == "spelled_year" for _, _, name, _ in kept):
        return kept, res
    day_re = "|".join(sorted((re.escape(w) for w in ords), key=len, reverse=True))

    def merged(i: int) -> list | None:
        _, e, name, _ = kept[i]
        nxt = kept[i + 1]
        if nxt[2] != "spelled_year" or not res[i + 1][1] or not res[i][1] or name not in ("season", "month"):
            return None
        between, y = text[e:nxt[0]], int(res[i + 1][1])
        if name == "season":
            if not re.fullmatch(r",?\s+(?:of\s+)?", between, re.IGNORECASE):
                return None
            code = res[i][1][5:]
            return ["absolute", f"{y:04d}-{code}", "season", dt.date(y, int(r["season_start_month"][code]), 1)]
        dm = re.fullmatch(rf"\s+(?:the\s+)?(?P<day>{day_re})(?:\s+of)?,?\s+|,?\s+(?:of\s+)?", between, re.IGNORECASE)
        if not dm:
            return None
        day = ords[dm.group("day").lower()] if dm.group("day") else None
        try:
            first = dt.date(y, int(res[i][1][5:7]), day or 1)
        except ValueError:
            return None
        return ["absolute", first.isoformat() if day else first.isoformat()[:7], "day" if day else "month", first]

    return _join_pairs(kept, res, merged)


@functools.lru_cache(maxsize=1)
def _ordinal_day_regex() -> re.Pattern:
    r = rules()
    words = "|".join(sorted((re.escape(w) for w in r["spelled_ordinals"]), key=len, reverse=True))
    follow = "|".join(re.escape(w) for w in r["ordinal_day_followers"])
    return re.compile(rf"\s+(?:the\s+)?(?P<day>{words})\b(?=\s*(?:[.,;:!?)\u2014\u2013]|$)|\s+(?:{follow})\b)",
                      re.IGNORECASE)


def _ordinal_day(text: str, end: int) -> re.Match | None:
    """A spelled day right after a month ("March fourth", "March the fourth"), before punctuation
    or a function word: "March first quarter" is no day."""
    return _ordinal_day_regex().match(text, end)


def spelled_days(text: str, kept: list, res: list) -> None:
    """ "Today is Wednesday, March fourth": a month row followed by a spelled day becomes that day."""
    ords = rules()["spelled_ordinals"]
    for i, (s, e, name, m) in enumerate(kept):
        if name != "month" or res[i][2] != "month" or res[i][3] is None:
            continue
        dm = _ordinal_day(text, e)
        if dm is None or (i + 1 < len(kept) and kept[i + 1][0] < dm.end()):
            continue
        try:
            day = res[i][3].replace(day=ords[dm.group("day").lower()])
        except ValueError:
            continue
        kept[i] = (s, dm.end(), name, m)
        res[i] = [res[i][0], *_period("day", day)]


def _back(first: dt.date, gran: str, unit: str, n: int) -> dt.date | None:
    """``first`` moved ``n`` units back, kept inside a period of granularity ``gran``."""
    if gran == "week":
        first = first + dt.timedelta(days=3)  # an ISO week is the year's by its Thursday
    if unit == "day":
        return first - dt.timedelta(days=n)
    if unit == "week":
        return first - dt.timedelta(weeks=n)
    y, mo = _add_months(first.year, first.month, -n * (12 if unit == "year" else 1))
    try:
        return first.replace(year=y, month=mo)
    except ValueError:  # 29 February
        return first.replace(year=y, month=mo, day=28)


def join_ago(text: str, kept: list, res: list) -> tuple[list, list]:
    """ "Two years ago this month": the finer period of the deictic row, counted back."""
    units = rules()["ago_units"]

    def merged(i: int) -> list | None:
        _, e, name, m = kept[i]
        nxt = kept[i + 1]
        if name != "ago" or nxt[2] != "relative" or not res[i][1] or res[i + 1][3] is None \
                or not re.fullmatch(r"\s+", text[e:nxt[0]]):
            return None
        unit, n = units[m.group("unit").lower()], number_words().get(" ".join(m.group("n").lower().split()))
        if m.group("n").isdigit():
            n = int(m.group("n"))
        gran = res[i + 1][2]
        if unit not in _FINER or gran not in _FINER or _FINER[gran] >= _FINER[unit] or not n:
            return None
        return ["relative", *_period(gran, _back(res[i + 1][3], gran, unit, n))]

    return _join_pairs(kept, res, merged)


def possessive_years(text: str, kept: list, res: list) -> None:
    """ "last year's third-quarter results", "1988's fourth quarter": the part takes that year."""
    for i in range(1, len(kept)):
        j = i - 1
        if kept[i][2] not in ("part", "season") or res[j][2] != "year" or not res[j][1] or not res[i][1] \
                or not re.fullmatch(r"['\u2019]s\s+", text[kept[j][1]:kept[i][0]]):
            continue
        y = int(res[j][1][:4])
        first = res[i][3]
        res[i] = [res[i][0], f"{y:04d}{res[i][1][4:]}", res[i][2], first.replace(year=y) if first else None]


def year_periods(text: str, kept: list, res: list, paras: list, pub: dt.date | None) -> tuple[list, list]:
    """ "from $3 million in the 1988 quarter": the story's quarter in that year (the quarter named
    before in the paragraph, else the last one completed by publication); "the 1988 period" the
    same with the story's own period."""
    out_k, out_r = [], []
    for i, (s, e, name, m) in enumerate(kept):
        w = re.match(r"\s+(quarter|period)\b", text[e:e + 10])
        if name != "year" or not res[i][1] or w is None or (i + 1 < len(kept) and kept[i + 1][0] < e + w.end()):
            out_k.append(kept[i])
            out_r.append(res[i])
            continue
        y = int(res[i][1])
        refs = [j for j in range(i) if paras[j] == paras[i] and res[j][2] in ("quarter", "half") and res[j][1]]
        if refs:
            gran, part = res[refs[-1]][2], res[refs[-1]][1][5:]
        elif pub is not None:
            gran, part = "quarter", f"Q{((pub.month - 1) // 3 - 1) % 4 + 1}"
        else:
            out_k.append(kept[i])
            out_r.append(res[i])
            continue
        if w.group(1) == "quarter" and gran != "quarter":
            gran, part = "quarter", f"Q{((pub.month - 1) // 3 - 1) % 4 + 1}" if pub else part
        k = int(part[1])
        months = 3 if part[0] == "Q" else 6
        out_k.append((s, e + w.end(), name, m))
        out_r.append([res[i][0], f"{y:04d}-{part}", gran, dt.date(y, (k - 1) * months + 1, 1)])
    return out_k, out_r
