"""Time expressions resolved against the publication date (the `dates` table).

News briefs rarely give full dates: they say "on Thursday", "last week", "in
January", "seven years ago". Each expression is resolved against the document's
publication date, using the tense of the verb that governs it (spaCy tags and
dependencies) to pick the past or the coming Thursday / January. Patterns, month
and weekday names, count words and the spun paraphrases ("final week" = last
week) live in ``data/time_expressions.v1.yaml``.

Values: ISO day ``2021-12-02``, month ``2022-01``, ISO week ``2021-W47``, year
``2014``, and the TimeML forms quarter ``1998-Q3``, half ``1997-H1``, season
``1998-SU`` and decade ``199`` (docs/dates.md); ``date`` is the first day of that
period (for charts). Durations ("for three weeks" ``P3W``), sets ("every Monday"
``XXXX-WXX-1``) and vague references ("recently" ``PAST_REF``) are rows with a value
and no date (`extent`).

Anchored relatives ("two days later", "the following month", "that year") and anaphoric
phrases ("the year", "year-end", "the same quarter next year") count from the story's
reference time: the nearest resolved date before them in the sentence, else the
paragraph, else publication (`story`); followed by an event ("two days after Biden
muddled the message") they stay rows with ``value=None``.

Modules: `patterns` (rules and regexes), `tense`, `resolve` (a value against an anchor
date), `extent` (durations, sets, vague, spelled-out years), `find` (candidates,
selection), `story` (reference time), `extract` (`doc_dates`). The `events` view over the
built tables is `ukraine_briefs.tables.queries.events_frame`.
"""
from __future__ import annotations

from ukraine_briefs.extract.dates.extract import doc_dates
from ukraine_briefs.extract.dates.patterns import RULES_FILE, anchored_rules, rules
from ukraine_briefs.extract.dates.resolve import resolve_month, resolve_part, resolve_season, resolve_weekday
from ukraine_briefs.extract.dates.tense import FUTURE_AUX, FUTURE_HEADS, span_tense, verb_tense

__all__ = [
    "FUTURE_AUX",
    "FUTURE_HEADS",
    "RULES_FILE",
    "anchored_rules",
    "doc_dates",
    "resolve_month",
    "resolve_part",
    "resolve_season",
    "resolve_weekday",
    "rules",
    "span_tense",
    "verb_tense",
]
