"""The story's reference time: what anchored relatives and anaphoric phrases count from (issue 19).

News moves its story through time: "On March 3, delegations met in Belarus. Two days later,
a ceasefire collapsed." A reader counts "two days later" from March 3, not from the
publication day. Each expression that counts from another time takes, as its reference, the
nearest resolved date before it in its sentence, else in its paragraph, else the
publication day:

- anchored relatives ("two days later", "the following month", "that year", "a year earlier");
- anaphoric phrases ("the year", "year-end", "the same quarter next year", "the same period a
  year ago"); "the current year" and "this fiscal year" stay deictic (publication);
- a year-less month, quarter, half or season after an explicit past year that frames its sentence
  or shares its verb takes that year ("In 2019, output was strongest in the third quarter" ->
  ``2019-Q3``);
- "a year earlier" / "a year ago" keep the granularity of a month, quarter, half or season
  reference ("rose in September from a year earlier" -> ``2021-09``; "in the second quarter
  compared with a year earlier" -> ``2021-Q2``).
"""
from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc

from ukraine_briefs.extract.dates.extent import duration_value
from ukraine_briefs.extract.dates.patterns import anchored_rules, rules
from ukraine_briefs.extract.dates.resolve import _add_months, _char_span, _number, _period
from ukraine_briefs.extract.dates.tense import _governor, span_tense
from ukraine_briefs.extract.nlp import doc_index

_DIR_FORWARD = {"next"}
_GRAN_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}
#: granularities a reference may have; a year counted from a quarter keeps the quarter
_POINT = {"day", "week", "month", "quarter", "half", "season", "year"}
_YEARLESS = ("month", "month_day", "day_month", "part", "season")
_PARTS = {"quarter": ("Q", 3), "half": ("H", 6)}
#: a reference fine enough to hold the period an anaphor names ("the quarter" is not in a year)
_FINE_ENOUGH = {"year": _POINT, "half": {"day", "week", "month", "quarter", "half"},
                "quarter": {"day", "week", "month", "quarter"}, "month": {"day", "week", "month"},
                "week": {"day", "week"}}


def _shift_years(res_row: list, n: int) -> tuple[str, str | None, str, dt.date | None]:
    """The period of ``res_row`` moved by ``n`` years, at its own granularity ("2022-Q2" -> "2021-Q2")."""
    _, value, gran, first = res_row
    if gran == "week":
        return ("relative", *_period("week", first.replace(year=first.year + n)
                                     if not (first.month == 2 and first.day == 29) else first + dt.timedelta(days=365 * n)))
    y = int(value[:4]) + n
    try:
        new_first = first.replace(year=first.year + n)
    except ValueError:  # 29 February
        new_first = first.replace(year=first.year + n, day=28)
    return ("relative", f"{y:04d}{value[4:]}", gran, new_first)


def _reference(i: int, kept: list, res: list, sents: list, paras: list, grans=_POINT,
               cataphora: bool = False) -> int | None:
    """Index of the nearest resolved date before ``i`` in its sentence, else in its paragraph.

    With ``cataphora``, a day or month later in the sentence comes before the paragraph: "The
    year-end rally pushed the Dow to a record on Dec. 29" (a January article) is about that
    December's year.
    """
    def usable(j: int) -> bool:
        return res[j][3] is not None and res[j][2] in grans and res[j][0] not in ("duration", "set", "vague")

    js = [j for j in range(i) if sents[j] == sents[i] and usable(j)]
    if js:
        return js[-1]
    if cataphora:
        js = [j for j in range(i + 1, len(kept)) if sents[j] == sents[i] and usable(j)
              and res[j][2] in ("day", "month") and kept[j][2] not in ("anaphor", "same_period", "anchored")]
        if js:
            return js[0]
    js = [j for j in range(i) if paras[j] == paras[i] and usable(j)]
    return js[-1] if js else None


def _previous_part(i: int, kept: list, res: list, sents: list, paras: list) -> list | None:
    """ "Third-quarter profit rose 10% from the previous quarter": one part before (after) the
    story's quarter or half, not the one before publication's."""
    _, _, name, m = kept[i]
    pmod = m.group("pmod").lower()
    if pmod not in rules().get("part_modifiers_anaphoric", ()) or res[i][1] is None:
        return None
    gran = res[i][2]
    j = _reference(i, kept, res, sents, paras, {gran})
    if j is None:
        return None
    code, n = _PARTS[gran]
    parts = 12 // n
    y, k = divmod(int(res[j][1][:4]) * parts + int(res[j][1][6]) - 1 + int(rules()["part_modifiers"][pmod]), parts)
    return ["relative", f"{y:04d}-{code}{k + 1}", gran, dt.date(y, k * n + 1, 1)]


def _pub_row(pub: dt.date) -> list:
    return ["relative", pub.isoformat(), "day", pub]


def _period_row(unit: str, d: dt.date) -> list:
    return ["relative", *_period(unit, d)]


def _in_period(unit: str, row: list) -> tuple[str, str | None, str, dt.date | None]:
    """The ``unit`` period (day ... year, quarter, half) holding the reference's first day."""
    first = row[3]
    if unit in _PARTS:
        code, months = _PARTS[unit]
        k = (first.month - 1) // months + 1
        return ("relative", f"{first.year:04d}-{code}{k}", unit, dt.date(first.year, (k - 1) * months + 1, 1))
    if unit == "season":
        return ("relative", row[1], "season", first) if row[2] == "season" else ("relative", None, "unknown", None)
    return ("relative", *_period(unit, first))


def _sentence_years(doc: Doc, kept: list, res: list, sents: list, pub: dt.date | None) -> None:
    """A year-less month, quarter, half or season after an explicit year of its sentence takes that year."""
    text = doc_index(doc).text
    for i, (start, end, name, m) in enumerate(kept):
        if name not in _YEARLESS or res[i][0] == "absolute" or res[i][1] is None:
            continue
        js = [j for j in range(i) if sents[j] == sents[i] and res[j][1] and res[j][2] in ("year", "month", "day")
              and res[j][0] in ("absolute", "year") and not re.search(r"\bsince\s+(?:the\s+)?$", text[max(0, kept[j][0] - 12):kept[j][0]])]
        if not js:
            continue
        j = js[-1]
        y = int(res[j][1][:4])
        span, year_span = _char_span(doc, start, end), _char_span(doc, kept[j][0], kept[j][1])
        if pub is not None and y >= pub.year or span_tense(span) == "future":
            continue  # a story year of the present, or a plan, keeps the tense's choice
        sent_start = year_span.sent.start_char if year_span is not None else kept[j][0]
        framing = kept[j][0] - sent_start <= 25  # "In 2019, ...": the year frames the sentence
        if not framing and (span is None or year_span is None or _governor(span) is not _governor(year_span)):
            continue  # "which became legal in late 2013, ... up 36 percent in October": another clause
        res[i][:] = [res[i][0], *_shift_years(res[i], y - int(res[i][1][:4]))[1:]]


def resolve_anchored(doc: Doc, i: int, kept: list, res: list, sents: list, paras: list,
                     pub: dt.date | None) -> tuple[str, str | None, str, dt.date | None]:
    """An anchored relative: an offset from another date, not from publication.

    "before"/"after" followed at once by a date take that date ("the day before Christmas");
    followed by an event ("two days after Biden muddled the message") the row stays ``None``:
    the anchor is an event the table cannot date. Otherwise the anchor is the nearest resolved
    date before it in the sentence, else in the paragraph ("On March 3, ... Two days later"),
    else publication, unless a date follows in the sentence (then which one anchors it is
    unclear). An anchor coarser than the unit places nothing ("last week ... the following day").
    A year counted from a finer anchor keeps its granularity ("in September ... a year earlier").
    """
    start, end, _, m = kept[i]
    a = anchored_rules()
    text = doc_index(doc).text
    g = m.groupdict()
    if g["wd"]:
        return _weekday_after(i, kept, res, sents, paras, g)
    word = " ".join((g["dir"] or g["dir2"] or g["ord"] or g["ord2"] or "").lower().split())
    unit = a["units"][(g["unit"] or g["unit2"] or g["unit3"] or g["unit4"] or g["unit5"]).lower()]
    n = _number(g["n"]) if g["n"] else (0 if g["unit5"] else 1)
    if n is None:
        return ("relative", None, "unknown", None)
    sign = 1 if (word in a["forward"] or word in _DIR_FORWARD) else -1
    grans = _POINT if unit == "year" else set(_GRAN_ORDER)
    usable = [j for j in range(len(kept)) if j != i and sents[j] == sents[i] and res[j][3] is not None
              and res[j][2] in grans and res[j][0] not in ("duration", "set", "vague")]
    anchor: int | None = None
    rest = text[end:]
    if word in ("before", "after"):
        follows = [j for j in usable if j > i and not text[end:kept[j][0]].strip()]
        if follows:
            anchor = follows[0]
        elif not re.match(r"\s*(?:[,.;:!?)\u2014\u2013]|$)", rest):
            # "two days after Biden muddled ...": counted from an event the table cannot date; as in
            # TimeML, the count is a duration ("two days" P2D) and "after" links it to the event
            if g["n"]:
                code = {"day": "D", "week": "W", "month": "M", "year": "Y"}[unit]
                return ("duration", duration_value(n, code), unit, None)
            return ("relative", None, "unknown", None)
    if anchor is None:
        anchor = max((j for j in usable if j < i), default=None)
    if anchor is None:  # the paragraph's last date fine enough to count the unit from
        anchor = _reference(i, kept, res, sents, paras,
                            grans if unit == "year" else {k for k, v in _GRAN_ORDER.items() if v <= _GRAN_ORDER[unit]})
    if anchor is None and (g["unit5"] and not g["unit5"].lower().startswith("same")
                           and re.match(r"(?:earlier |later |in )*that\b", m.group(0), re.IGNORECASE)
                           or sign > 0 and span_tense(_char_span(doc, start, end)) == "past"):
        # "And a couple of years later, he repeated that warning": a past event counted forward
        # cannot count from publication, nor can "that month" point at it; the story's last date
        # before it, in an earlier paragraph
        fine = grans if unit == "year" else {k for k, v in _GRAN_ORDER.items() if v <= _GRAN_ORDER[unit]}
        anchor = max((j for j in range(i) if res[j][3] is not None and res[j][2] in fine
                      and res[j][0] not in ("duration", "set", "vague") and (pub is None or res[j][3] <= pub)),
                     default=None)
    if anchor is None:
        if pub is None or any(j > i for j in usable):
            return ("relative", None, "unknown", None)
        row = _pub_row(pub)
    else:
        row = res[anchor]
    a_gran, first = row[2], row[3]
    if unit == "year" and anchor is not None and a_gran in ("month", "quarter", "half", "season") \
            and (n or g["unit5"]):
        return _shift_years(row, sign * n) if n else ("relative", *_period("year", first))
    if a_gran not in _GRAN_ORDER or _GRAN_ORDER[a_gran] > _GRAN_ORDER[unit]:
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


def _weekday_after(i: int, kept: list, res: list, sents: list, paras: list,
                   g: dict) -> tuple[str, str | None, str, dt.date | None]:
    """ "On Sept. 30 ... The following Tuesday": the first such weekday after (before) the reference day."""
    j = _reference(i, kept, res, sents, paras, {"day"})
    if j is None:
        return ("relative", None, "unknown", None)
    first, wd = res[j][3], rules()["weekdays"][g["wd"].lower()]
    if g["ord3"].lower() == "previous":
        return ("relative", *_period("day", first - dt.timedelta(days=(first.weekday() - wd) % 7 or 7)))
    return ("relative", *_period("day", first + dt.timedelta(days=(wd - first.weekday()) % 7 or 7)))


def _year_of_story(doc: Doc, kept: list, res: list, sents: list, paras: list) -> None:
    """ "the second half of that year", "the summer of the year": the reference's year."""
    for i, (start, end, name, m) in enumerate(kept):
        if name not in ("part", "season") or not m.groupdict().get("yrel") \
                or m.group("yrel").lower() not in ("that", "the") or res[i][1] is None:
            continue
        j = _reference(i, kept, res, sents, paras)
        if j is not None:
            res[i][:] = [res[i][0], *_shift_years(res[i], res[j][3].year - int(res[i][1][:4]))[1:]]


def _anaphor(i: int, kept: list, res: list, sents: list, paras: list, pub: dt.date | None) -> list | None:
    """ "the year", "year-end", "the same quarter next year", "the same period a year ago"."""
    _, _, name, m = kept[i]
    j = _reference(i, kept, res, sents, paras)
    if j is None and pub is None:
        return None
    row = res[j] if j is not None else _pub_row(pub)
    r = rules()
    if name == "anaphor":
        item = r["anaphora"][next(int(k[1:]) for k, v in m.groupdict().items() if v is not None)]
        unit = item["unit"]
        if item.get("deictic"):
            return None  # counted from publication already
        j = _reference(i, kept, res, sents, paras, _FINE_ENOUGH[unit], cataphora=True)
        if j is None:
            return None  # counted from publication already
        row = res[j]
        out = list(_in_period(unit, row))
        if int(item["offset"]) and out[1]:
            out = list(_shift_years(out, int(item["offset"]))) if unit == "year" else out
        return out
    unit = r["same_period_units"][m.group("unit").lower()]
    if unit == "period":  # "the same period": the reference's own period (a year without one)
        out = list(row if j is not None else _period_row("year", pub)) if row[2] in _POINT else None
        if out is None:
            return None
        out[0] = "relative"
    else:
        if unit in ("day", "week", "month", "quarter", "half") and row[2] not in _GRAN_ORDER and row[2] not in _PARTS:
            return None
        out = list(_in_period(unit, row))
    shift = -1 if m.group("ya") else int(r["same_period_shifts"].get(" ".join((m.group("shift") or "").lower().split()), 0))
    if shift and out[1]:
        out = list(_shift_years(out, shift))
    return out


def _finer_ago(i: int, kept: list, res: list, sents: list, paras: list) -> list | None:
    """ "in September from a year ago": the year-ago period at the granularity of the story's
    reference when that is a month, quarter, half or season (earnings copy: "third-quarter
    profit ... from a year ago" -> the third quarter of last year)."""
    _, _, name, m = kept[i]
    unit = rules()["ago_units"].get(m.group("unit").lower())
    n = _number(m.group("n"))
    if unit != "year" or not n:
        return None
    j = _reference(i, kept, res, sents, paras)
    if j is None or res[j][2] not in ("month", "quarter", "half", "season"):
        return None
    return list(_shift_years(res[j], -n))


def place_in_story(doc: Doc, kept: list, res: list, sents: list, pub: dt.date | None) -> None:
    """Resolve, in reading order, what counts from the story's reference time (see the module doc)."""
    idx = doc_index(doc)
    paras = [idx.paragraph_id(s) for s, _, _, _ in kept]
    _sentence_years(doc, kept, res, sents, pub)
    _year_of_story(doc, kept, res, sents, paras)
    for i, (start, end, name, m) in enumerate(kept):
        if name == "anchored":
            res[i] = list(resolve_anchored(doc, i, kept, res, sents, paras, pub))
        elif name in ("anaphor", "same_period"):
            new = _anaphor(i, kept, res, sents, paras, pub)
            if new is not None:
                res[i] = new
        elif name == "part_rel":
            new = _previous_part(i, kept, res, sents, paras)
            if new is not None:
                res[i] = new
        elif name == "ago" and pub is not None:
            new = _finer_ago(i, kept, res, sents, paras)
            if new is not None:
                res[i] = new
