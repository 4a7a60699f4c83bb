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
from ukraine_briefs.extract.dates.join import join_ago, merge_spelled_dates, possessive_years, spelled_days, year_periods
from ukraine_briefs.extract.dates.patterns import rules
from ukraine_briefs.extract.dates.resolve import _day_in_month, _period, _resolve, _week
from ukraine_briefs.extract.dates.story import place_in_story
from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.types import DateExpr

_POINT_IN_TIME = re.compile(r"\b(?:1[89]|20)\d0s\b|\b(?:spring|summer|autumn|fall|winter)\b.*\b(?:1[89]|20)\d\d\b",
                            re.IGNORECASE)


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
    kept, res = merge_spelled_dates(idx.text, kept, res)
    spelled_days(idx.text, kept, res)
    kept, res = join_ago(idx.text, kept, res)
    possessive_years(idx.text, kept, res)
    kept, res = year_periods(idx.text, kept, res, [idx.paragraph_id(k[0]) for k in kept], published)
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
    place_in_story(doc, kept, res, sents, published)
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

