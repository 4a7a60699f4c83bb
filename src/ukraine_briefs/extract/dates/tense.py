"""The tense of the clause that holds a time expression, from spaCy tags and dependencies.

A bare "Thursday" or "January" is the past or the coming one depending on the
verb that governs it ("met on Thursday", "will meet Thursday", "planning to meet
Thursday"); resolution and the season licence both ask this module.
"""
from __future__ import annotations

import functools
import re

from spacy.tokens import Span, Token

from ukraine_briefs.extract.dates.patterns import rules

#: Heads of an infinitive that make it forward-looking ("planning to meet Thursday").
FUTURE_HEADS = frozenset(
    "plan go expect schedule set due intend prepare hope want aim agree seek try propose "
    "promise pledge vow threaten decide arrange invite wish offer".split()
)
FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "ll"})
#: Conjunctions of a condition: a present verb after them is ahead ("if he wins in November").
CONDITIONAL_MARKS = frozenset({"if", "unless", "once", "until"})
#: Heads of an infinitive that leave its time to the clause above ("was the first to make").
PAST_FRAME_HEADS = frozenset("first last only second third latest earliest".split())


def _governor(span: Span) -> Token | None:
    """The nearest verb above the expression in the dependency tree."""
    tok = span.root
    for _ in range(12):
        head = tok.head
        if head is tok:
            break
        tok = head
        if tok.pos_ in ("VERB", "AUX") and not (span.start <= tok.i < span.end):
            return tok
    return None


def verb_tense(verb: Token | None, *, depth: int = 0) -> str | None:
    """``past`` / ``present`` / ``future`` of a verb from its tag and auxiliaries (None if unclear)."""
    if verb is None or depth > 4:
        return None
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_.replace("\u2019", "'") for a in aux}
    if lowers & FUTURE_AUX or any(a.tag_ == "MD" for a in aux):
        return "future"
    if verb.tag_ == "MD" or verb.lower_ in FUTURE_AUX:
        return "future"
    head = verb.head if verb.head is not verb else None
    if "to" in lowers and verb.tag_ == "VB":
        # "planning to meet Thursday", "is going to", "is expected to"
        if head is not None and head.lemma_.lower() in FUTURE_HEADS:
            return "future"
        if head is not None and head.lemma_.lower() in PAST_FRAME_HEADS:
            # "Stoltenberg was the first to raise it on Tuesday": the clause's verb above
            # "first" tells the time ("were likely to vote in November" stays forward)
            up = head.head if head.head is not head else None
            head = up if up is not None and up.pos_ in ("VERB", "AUX") else head
        t = verb_tense(head, depth=depth + 1) if head is not None and head.pos_ in ("VERB", "AUX") else None
        if t is None and head is not None and {c.lower_ for c in head.children if c.dep_ == "mark"} & CONDITIONAL_MARKS:
            return None  # "even if the opposition managed to split the vote in Tuesday's elections": a hypothesis
        return "past" if t == "past" else "future"
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    if marks & CONDITIONAL_MARKS and verb.tag_ in ("VBZ", "VBP"):
        return "future"  # "if he wins in November", "once the ban takes effect on Dec. 1"
    if marks & {"if", "unless"} and verb.tag_ == "VBD":
        return None  # "if he won the election on Nov. 8": a hypothesis ("until Reuters asked in April" stays past)
    if verb.tag_ == "VBD":
        return "past"
    if verb.tag_ == "VBN" and not aux and verb.lemma_.lower() in FUTURE_HEADS:
        return "future"  # "the advertising planned for December", "talks scheduled for January"
    if verb.tag_ == "VBN":
        if any(a.lemma_ == "have" and a.tag_ in ("VBZ", "VBP") for a in aux):
            return "past"  # present perfect: done
        if any(a.tag_ in ("VBZ", "VBP") for a in aux):
            # "talks are scheduled for January": a present plan points forward
            return "future" if verb.lemma_.lower() in FUTURE_HEADS else "present"
        return "past"
    if verb.tag_ == "VBG":
        if any(a.tag_ == "VBD" for a in aux):
            return "past"
        if any(a.tag_ in ("VBZ", "VBP") for a in aux):
            return "present"
        if head is not None and head.lower_ in ("before", "while", "without") and head.head is not head:
            head = head.head  # "stopped giving interviews before announcing his bid in April"
        if head is not None and head.pos_ in ("VERB", "AUX"):
            return verb_tense(head, depth=depth + 1)
        return None
    if verb.tag_ in ("VBZ", "VBP"):
        return "present"
    return None


def span_tense(span: Span | None) -> str | None:
    """Tense of the clause holding a time expression."""
    return verb_tense(_governor(span)) if span is not None else None


@functools.lru_cache(maxsize=1)
def _forward_cue() -> re.Pattern:
    cues = "|".join(re.escape(c) for c in rules()["forward_cues"])
    return re.compile(rf"\b(?:{cues})\b(?:\s+[\w'\u2019.-]+){{0,4}}\s*$", re.IGNORECASE)


def expression_tense(span: Span | None) -> str | None:
    """The tense a year-less date or weekday is read by: its clause's, with two news-style corrections.

    - A dated noun phrase after a forward cue looks forward ("discussed the plan ahead of the
      summit on Nov. 16": the coming Nov. 16, though the clause is past).
    - A weekday or date right after a past-tense verb is that verb's time ("said on Saturday his
      men would take the town": the parser may hang "on Saturday" on "take").
    """
    if span is None:
        return None
    doc = span.doc
    sent_start = span.sent.start
    before = doc[max(sent_start, span.start - 8):span.start]
    if _forward_cue().search(before.text):
        # ahead of an event: the coming one; in a past narrative ("Ahead of the March 1 vote,
        # the minister resigned ...") the nearer one
        return "present" if span_tense(span) == "past" else "future"
    k = span.start - 1
    if k >= sent_start and doc[k].lower_ == "on":
        k -= 1
    if k >= sent_start and doc[k].tag_ == "VBD" and doc[k].pos_ in ("VERB", "AUX"):
        return "past"
    return span_tense(span)


def noun_attached(span: Span | None) -> bool:
    """The expression dates a noun ("the summit on Nov. 16", "the donors' conference March 6"), not a verb."""
    if span is None:
        return False
    tok = span.root
    head = tok.head
    if head.pos_ == "ADP" and head.head is not head:
        head = head.head
    return head is not tok and not (span.start <= head.i < span.end) and head.pos_ in ("NOUN", "PROPN")


def compound_modifier(span: Span | None) -> bool:
    """The expression modifies a noun ("her March comment", "the July confab"): its clause's tense
    says when the noun's event is reported, not when it happens."""
    if span is None:
        return False
    root = span.root
    return root.dep_ in ("compound", "nmod", "amod") and root.head.pos_ in ("NOUN", "PROPN") \
        and not (span.start <= root.head.i < span.end)
