"""Time expressions of one document resolved against its publication date (the `dates` table).

`doc_dates` takes the candidates (`find`), resolves each (`resolve`), then places
what only the document can place: a weekday in apposition to a full date or set
against "last week", one weekday name one day per article, and anchored relatives
("two days later") counted from another date of the same sentence.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

import pandas as pd
from spacy.tokens import Doc

from ukraine_briefs.extract.dates.find import _candidates, _compound_modifier, _select
from ukraine_briefs.extract.dates.patterns import _patterns, anchored_rules, rules
from ukraine_briefs.extract.dates.resolve import _add_months, _day_in_month, _number, _period, _resolve, _week
from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.types import DateExpr

_POINT_IN_TIME = re.compile(r"\b(?:1[89]|20)\d0s\b|\b(?:spring|summer|autumn|fall|winter)\b.*\b(?:1[89]|20)\d\d\b",
                            re.IGNORECASE)


_DIR_FORWARD = {"next"}
_GRAN_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}


def _weekday_contrast(doc: Doc, kept: list, res: list, sents: list, fixed: dict, pub: dt.date) -> None:
    """A bare weekday said to come *after* "last week" is not early in last week.

    "Tuesday's call was held after a meeting in Stockholm last week" (a Monday article):
    read by tense, Tuesday is the one six days back, which leaves "after [an event] last
    week" only the Monday before it. The writer sets the day against last week, so Tuesday
    is the coming one, even when a spun copy put the clause in the past tense. The rule
    moves a weekday by seven days only when all hold: same sentence, the weekday comes
    first and the word "after" stands between it and a week-valued expression, the tense
    put the weekday in that very week, and in its first half (Monday-Wednesday). "Putin on
    Friday warned, after the talks last week" keeps Friday: most of the week lies before it.
    "Blinken said on Friday that he met Lavrov last week" (no "after") keeps it too.
    """
    text = doc_index(doc).text
    for i, (start, end, name, m) in enumerate(kept):
        if name != "weekday" or m.group("mod") or i in fixed or res[i][3] is None or res[i][3] >= pub \
                or res[i][3].weekday() > 2:
            continue
        week = _week(res[i][3])[0]
        if any(j > i and sents[j] == sents[i] and kept[j][2] != "anchored" and res[j][2] == "week"
               and res[j][1] == week and re.search(r"\bafter\b", text[end:kept[j][0]], re.IGNORECASE)
               for j in range(len(kept))):
            res[i][1:] = _period("day", res[i][3] + dt.timedelta(days=7))
            fixed[i] = "contrast"


def _weekday_per_document(kept: list, res: list, fixed: dict) -> None:
    """One weekday name, one day per article: a bare "Tuesday" that :func:`_weekday_contrast` moved
    places the document's other bare "Tuesday"s.

    Spun copies change tenses sentence by sentence ("he held" for "will hold"); the day does
    not change, and within the seven days either side of publication a bare name is the only
    way the article has to say it. A weekday dated in apposition ("Friday, Jan. 21") places
    only itself: news style dates a day more than a week away, so a bare "Friday" in the same
    article is likely another one. "Tuesday last week" is explicit and places only itself.
    """
    by_name: dict[str, set] = {}
    for i, how in fixed.items():
        if how == "contrast":
            by_name.setdefault(kept[i][3].group("wd").lower(), set()).add(tuple(res[i][1:]))
    for i, (start, end, name, m) in enumerate(kept):
        if name != "weekday" or m.group("mod") or i in fixed:
            continue
        days = by_name.get(m.group("wd").lower())
        if days and len(days) == 1:
            res[i][1:] = list(next(iter(days)))


def _resolve_anchored(doc: Doc, i: int, kept: list, res: list, sents: list,
                      pub: dt.date | None) -> tuple[str, str | None, str, dt.date | None]:
    """An anchored relative: an offset from another date of its sentence, not from publication.

    "before"/"after" followed at once by a date take that date ("the day before Christmas");
    closing a clause ("the day before,") or with "later"/"earlier"/"following"/"previous" they
    take the nearest resolved date before them in the sentence ("on Tuesday; a day earlier").
    Followed by an event ("two days after Biden muddled the message") or with no date in the
    sentence, the row stays, ``relative`` with ``value=None`` (granularity ``unknown``): the anchor
    is an event the table cannot date. An anchor coarser than the unit ("last week ... the
    following day") places nothing either. "The previous week/month/year" without an anchor
    keeps its deictic reading (the one before publication), as before.
    """
    start, end, _, m = kept[i]
    a = anchored_rules()
    text = doc_index(doc).text
    g = m.groupdict()
    word = (g["dir"] or g["dir2"] or g["ord"] or g["ord2"] or "").lower()
    word = " ".join(word.split())
    unit = a["units"][(g["unit"] or g["unit2"] or g["unit3"] or g["unit4"] or g["unit5"]).lower()]
    n = _number(g["n"]) if g["n"] else (0 if g["unit5"] else 1)
    if n is None:
        return ("relative", None, "unknown", None)
    sign = 1 if (word in a["forward"] or word in _DIR_FORWARD) else -1
    usable = [j for j in range(len(kept)) if j != i and sents[j] == sents[i] and res[j][3] is not None
              and res[j][2] in _GRAN_ORDER]
    anchor = None
    if word in ("before", "after"):
        rest = text[end:]
        follows = [j for j in usable if j > i and not text[end:kept[j][0]].strip()]
        if follows:
            anchor = follows[0]
        elif re.match(r"\s*(?:[,.;:!?)\u2014\u2013]|$)", rest):
            anchor = max((j for j in usable if j < i), default=None)
    else:
        anchor = max((j for j in usable if j < i), default=None)
    if anchor is None:
        phrase = text[start:end]
        if pub is not None and g["ord"] and _patterns()["relative"].fullmatch(phrase):
            # "the previous week" with nothing to anchor it: the deictic reading, from publication
            mm = _patterns()["relative"].fullmatch(phrase)
            return _resolve(doc, start, end, "relative", mm, pub)
        return ("relative", None, "unknown", None)
    a_gran, first = res[anchor][2], res[anchor][3]
    if _GRAN_ORDER[a_gran] > _GRAN_ORDER[unit]:
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


def doc_dates(doc: Doc, *, doc_id: str, published: dt.date | None) -> Iterator[DateExpr]:
    """Yield every time expression of ``doc`` resolved against ``published``.

    Without a publication date, only expressions carrying their own year resolve;
    the rest keep ``value=None``. spaCy DATE entities naming a point in time that
    no rule matched are yielded unresolved so misses stay visible.
    """
    if isinstance(published, dt.datetime):
        published = published.date()
    elif published is not None and not isinstance(published, dt.date):
        ts = pd.Timestamp(published)
        published = None if pd.isna(ts) else ts.date()
    idx = doc_index(doc)
    kept = _select(_candidates(doc))
    res = [list(_resolve(doc, s, e, name, m, published)) for s, e, name, m in kept]
    sents = [idx.sent_id(s) for s, _, _, _ in kept]
    fixed: dict[int, str] = {}  # weekdays placed by their sentence, not by tense: index -> how
    for i, (start, end, name, m) in enumerate(kept):
        nxt = kept[i + 1] if i + 1 < len(kept) else None
        between = idx.text[end:nxt[0]] if nxt else ""
        if name == "weekday" and nxt:
            # "Friday, Jan. 21": a weekday in apposition to a full date takes that date
            if nxt[2] in ("month_day", "day_month", "iso") and re.fullmatch(r",?\s*", between) \
                    and res[i + 1][2] == "day":
                res[i][1:] = res[i + 1][1:]
                fixed[i] = "apposition"
            # "on Tuesday last week": that weekday of the week named right after it
            elif not m.group("mod") and res[i + 1][2] == "week" and res[i + 1][3] is not None \
                    and re.fullmatch(r",?\s*(?:of\s+)?", between):
                wd = rules()["weekdays"][m.group("wd").lower()]
                res[i][1:] = _period("day", res[i + 1][3] + dt.timedelta(days=wd))
                fixed[i] = "week"
        # "began on February 20 and collapsed on the 25th": the month named before it in the sentence
        if name == "nth":
            ctx = [res[j][1] for j in range(i) if res[j][2] in ("day", "month") and res[j][1]
                   and sents[j] == sents[i]]
            if ctx:
                res[i][1:] = _day_in_month(int(ctx[-1][:4]), int(ctx[-1][5:7]), int(m.group("day")))
    if published is not None:
        _weekday_contrast(doc, kept, res, sents, fixed, published)
        _weekday_per_document(kept, res, fixed)
    for i, (start, end, name, m) in enumerate(kept):
        if name == "anchored":
            res[i] = list(_resolve_anchored(doc, i, kept, res, sents, published))
    for i, (start, end, name, m) in enumerate(kept):
        kind, value, gran, first = res[i]
        yield DateExpr(
            doc_id=doc_id,
            sent_id=sents[i],
            start_char=start,
            end_char=end,
            text=idx.text[start:end],
            kind=kind,
            value=value,
            granularity=gran,
            date=first,
        )
    # spaCy DATE entities that no rule took but that name a point in time (a
    # decade or a season with a year in a form the rules miss) stay visible,
    # unresolved; durations
    # ("recent months", "7 1/2 year") and bare numbers are not points in time.
    for ent in doc.ents:
        if ent.label_ != "DATE" or any(not (ent.end_char <= s or ent.start_char >= e) for s, e, _, _ in kept):
            continue
        point = _POINT_IN_TIME.search(ent.text)
        if not point or _compound_modifier(idx.text, ent.start_char + point.end()):
            continue  # durations, bare numbers, "1990s-era" (an attribute)
        yield DateExpr(doc_id, idx.sent_id(ent.start_char), ent.start_char, ent.end_char, ent.text,
                       "absolute", None, "unknown", None)

