"""Candidate time expressions in a document's text, filtered and de-overlapped.

Every rule's regex runs over the cleaned text (rare kinds only when a word they
need occurs); look-alikes are dropped (counts of years, "1990s-era", a generic
"summer", "may" the verb) and the longest match wins where two overlap.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from ukraine_briefs.extract.dates.patterns import _finditer, anchored_rules, rules, spelled_date_prefix
from ukraine_briefs.extract.dates.resolve import _char_span
from ukraine_briefs.extract.dates.tense import span_tense
from ukraine_briefs.extract.nlp import doc_index

def _preceding_words(text: str, start: int, n: int = 3) -> str:
    return " ".join(text[max(0, start - 40):start].lower().split()[-n:])



def _candidates(doc: Doc) -> list[tuple[int, int, str, re.Match]]:
    text = doc_index(doc).text  # doc.text is rebuilt from the tokens on every access
    r = rules()
    out = []
    # rare expressions: skip their regex unless a word they need occurs (str search is far cheaper)
    low = text.lower()
    same = low if len(low) == len(text) else None  # lower() can change the length (rare letters)
    gates = {"part": tuple(r["year_parts"]), "part_rel": tuple(r["year_parts"]), "season": tuple(r["seasons"]),
             "decade": ("0s", "0's", "0\u2019s", *r["decade_words"]), "period_part": tuple(r["period_parts"]["requires"]),
             "part_code": ("q1", "q2", "q3", "q4", "h1", "h2"),
             # every anchored form holds a direction word, "next" or "same" (see `_anchored_regex`)
             "anchored": tuple({w.split()[0] for w in (*anchored_rules()["forward"], *anchored_rules()["back"])}
                               | {"next", "same", "that"}),
             "duration_compound": ("-", "\u2011"), "duration_bare": tuple(r["durations"]["plural_licensors"]),
             "set": ("every", "each", "on ", "once", "twice", "times", " a ", " an ", "per ", *r["sets"]["adverbs"]),
             "spelled_year": ("eighteen", "nineteen", "twenty", "thousand"), "anaphor": ("year", "month", "quarter", "week"),
             "same_period": ("same", "year-", "year ", "comparable"), "ago": (" ago",)}
    # "the same quarter" before the anchored "the same day": equal lengths keep this order
    for name in ("same_period", "anchored", "relative", "ago", "iso", "holiday", "month_day", "day_month", "month_year",
                 "weekday", "month", "year", "period_part", "part_rel", "part", "part_code", "season", "decade", "nth",
                 "anaphor", "set", "vague", "spelled_year", "duration", "duration_compound", "duration_bare"):
        if name in gates and not any(w in low for w in gates[name]):
            continue
        for m in _finditer(name, text, same):
            start, end = m.span()
            if name == "season" and not _season_licensed(doc, text, m):
                continue
            if name == "decade" and _compound_modifier(text, end):
                continue  # "1990s-era tanks": an attribute, not a time
            if name == "decade" and m.group("dec") and re.search(r"['\u2019]s$", m.group(0)) \
                    and not re.match(r"(?:the|early|late|mid)\b", m.group(0), re.IGNORECASE) \
                    and _preceding_words(text, start, 1) not in ("the", "early", "late", "mid"):
                continue  # "fiscal 1990's first quarter": a year's possessive ("the 1990's" is the decade)
            if name == "anchored" and m.group("n") \
                    and _preceding_words(text, start, 1) in anchored_rules()["duration_before"]:
                continue  # "for two days after the truce", "the two weeks before": a length of time
            if name == "nth" and _preceding_words(text, start, 1) not in r["ordinal_day_licensors"]:
                continue
            if name in _EXTENT and not _extent_licensed(doc, text, name, m):
                continue
            if name == "relative" and re.match(r"final\b", m.group(0), re.IGNORECASE) \
                    and _preceding_words(text, start, 1) == "the":
                continue  # "in the final week" of a campaign: its last part, not last week
            if name == "relative" and _title_words(doc, start, end):
                continue  # "CBS This Morning", ABC's "This Week": a programme's name
            if name == "anaphor" and "the Year" in m.group(0):
                continue  # "Person of the Year": a title
            if name == "weekday" and (_preceding_words(text, start, 1) == "one"
                                      or _preceding_words(text, start, 1) in ("a", "any", "some")
                                      and re.match(r"\s+(?:in|of|during)\b", text[m.end():m.end() + 8])
                                      or (m.group("mod") or "").lower() == "last" and _preceding_words(text, start, 1) == "the"):
                continue  # "One Sunday in late 2001", "the last Friday in August": not a day near publication
            if name == "relative" and m.group(0).lower() == "today" and _preceding_words(text, start, 1) == "usa":
                continue  # the newspaper USA Today
            if name == "weekday" and _preceding_words(text, start, 1) in r["weekday_event_names"] \
                    and text[:start].rstrip()[-1:].isalpha() and re.search(r"[A-Z]\w*\s*$", text[max(0, start - 12):start]):
                continue  # "Super Tuesday", "Black Monday": an event's name, not the last or next such day
            if name == "weekday":
                # the weekday plus its modifier/part of day, without a possessive
                start = m.start("mod") if m.group("mod") else m.start("wd")
                end = m.end("part") if m.group("part") else m.end("wd")
            if name == "month":
                mon = m.group("mon")
                if mon.lower() in r["ambiguous_months"] or len(mon) <= 4:
                    if not mon[0].isupper():
                        continue
                    licensed = bool(m.group("mod") or m.group("rel"))
                    prev = _preceding_words(text, start)
                    licensed = licensed or any(
                        prev == lic or prev.endswith(" " + lic) for lic in r["month_licensors"]
                    ) or _in_date_ent(doc, start, end)
                    if not licensed:
                        continue
                elif not mon[0].isupper() and not m.group("rel"):
                    continue
            if name == "year":
                after = text[end:end + 30].lower().split()
                if after and after[0].strip(".,;:") in r["count_nouns"]:
                    continue
                before = text[max(0, start - 12):start].split()
                if before and before[-1] in r["count_prefixes"]:
                    continue
            out.append((start, end, name, m))
    return out


_EXTENT = ("duration", "duration_bare", "duration_compound", "set", "vague", "spelled_year")


def _extent_licensed(doc: Doc, text: str, name: str, m: re.Match) -> bool:
    """Durations, sets, vague words and spelled-out years that are times, not counts or other senses.

    "a week" / "one year" is a duration after a licensing word ("for a week", "more than a
    year"), not in "$5 billion a year"; a bare plural only after "for"/"over" ("for months");
    "several"-type counts make no compound ("a few-day"); "daily" only as an adverb ("updated
    daily", not "a daily briefing"); "soon" not in "as soon as"; a spelled-out year only
    after a time word ("in nineteen ninety-four", not "two thousand troops").
    """
    r = rules()
    d = r["durations"]
    prev = _preceding_words(text, m.start(), 2)
    last = prev.split()[-1] if prev else ""
    if name == "duration":
        n = (m.group("n") or "").lower()
        if text[max(0, m.start() - 1):m.start()] == "/":
            return False  # "7 1/2 year war": a fraction the pattern cannot count
        if not n and (m.group("pre") or "").lower() == "next":
            # "over the next year" is a length (P1Y); "In 1986 ... the next year" is a year
            return last in d["next_year_licensors"]
        if n in ("a", "an", "one") and not m.group("pre"):
            return last in d["one_licensors"] or prev in d["one_licensors"]
        return not re.match(r"\s*[-\u2011]", text[m.end():m.end() + 2])
    if name == "duration_bare":
        return last in d["plural_licensors"]
    if name == "duration_compound":
        return (m.group("n") or "").lower() not in d["vague_counts"] and (m.group("n") or "").lower() not in ("a", "an")
    if name == "set":
        if m.group("rate"):
            # "a few hundred metres a week", "$5 billion a year": a rate after a count or a plural noun
            tok = _char_span(doc, m.start(), m.end())
            prev_tok = doc[tok.start - 1] if tok is not None and tok.start > 0 else None
            return prev_tok is not None and (prev_tok.tag_ in ("NNS", "CD") or prev_tok.lower_ in ("times", "once", "twice"))
        adv = m.group("adv")
        if adv and adv.lower() in r["sets"]["adverbs_needing_pos"]:
            tok = _char_span(doc, m.start(), m.end())
            return tok is not None and tok.root.pos_ == "ADV"
        return True
    if name == "vague":
        word = m.group(0).lower()
        if text[max(0, m.start() - 1):m.start()] in ("-", "\u2011"):
            return False  # "a Johnny-come-lately"
        if word == "now" and re.match(r"\s+not\b", text[m.end():m.end() + 5]):
            return False  # the spinners' "now not" for "not" (seed 003: "would possibly now not cause")
        if word == "soon" and (last == "as" or text[m.end():m.end() + 3].lower() == " as"):
            return False  # "as soon as next month"
        return True
    if name == "spelled_year":
        # "in nineteen ninety-four"; "August second, nineteen ninety" (a broadcast transcript's date)
        if last in r["spelled_year_licensors"]:
            return True
        after = text[m.end():m.end() + 20].lower().split()
        return bool(spelled_date_prefix().search(text, max(0, m.start() - 40), m.start())) \
            and not (after and after[0].strip(".,;:") in r["count_nouns"])  # "In August, two thousand troops"
    return True


def _season_licensed(doc: Doc, text: str, m: re.Match) -> bool:
    """A season word is a time with a year or a modifier, or after a time preposition in a past or future clause.

    Generic seasons ("Summer is the most generous season", "a hot summer day") are no
    dates. "fall" also names a drop ("an early fall in prices", "the fall of Kabul"):
    it needs a year or this/last/next.
    """
    smod = (m.group("smod") or "").lower()
    if m.group("year") or m.group("year2") or m.group("yrel") or smod in rules()["part_modifiers"]:
        return True
    if m.group("season").lower() == "fall":
        return False
    if smod:
        return True
    if _preceding_words(text, m.start(), 1) not in rules()["season_licensors"]:
        return False
    word = _char_span(doc, m.start("season"), m.end("season"))
    nxt = doc[word.end] if word is not None and word.end < len(doc) else None
    if nxt is not None and nxt.pos_ in ("NOUN", "PROPN") and not nxt.is_punct:
        return False  # "in spring leaf", "a hot summer day"
    return span_tense(word) in ("past", "future")


def _title_words(doc: Doc, start: int, end: int) -> bool:
    """Every word capitalised, more than one, after a name, a possessive or a quotation mark:
    a programme's title ("CBS This Morning", "ABC's This Week"), not a headline's "For Next Week"."""
    words = [w for w in doc_index(doc).text[start:end].split() if w[:1].isalpha()]
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return False
    span = _char_span(doc, start, end)
    if span is None or span.start == 0:
        return False
    prev = doc[span.start - 1]
    return prev.pos_ == "PROPN" or prev.tag_ == "POS" or prev.is_quote


def _compound_modifier(text: str, end: int) -> bool:
    """The expression ends in a hyphen and a word: "1990s-era", "1980s-style"."""
    return bool(re.match(r"-[^\W\d]", text[end:end + 2]))


def _in_date_ent(doc: Doc, start: int, end: int) -> bool:
    return any(e.label_ == "DATE" and e.start_char <= start and end <= e.end_char for e in doc.ents)


def _select(cands: list[tuple[int, int, str, re.Match]]) -> list[tuple[int, int, str, re.Match]]:
    """Longest match wins; no overlaps."""
    kept: list[tuple[int, int, str, re.Match]] = []
    for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), c[0])):
        if all(c[1] <= k[0] or c[0] >= k[1] for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c[0])

