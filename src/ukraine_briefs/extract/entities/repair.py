"""Junk guards for mentions: datelines, photo credits, mis-typed names, verbs glued to a name.

The small English model types news-agency datelines (``MINSK, BelTA -``),
photographers in credit lines (``Photo: Dmytro Larin/Shutterstock``), platforms
(Twitter), weapons (Patriot) and cities (Melitopol) as PERSON, and glues a verb to
a name (``Thanked Zelenskyy``). The rules are data (``data/entity_repair.v1.yaml``);
the gazetteer's type still wins over everything here.
"""
from __future__ import annotations

import functools
import re

import regex

from ukraine_briefs.extract import gazetteer as gz
from ukraine_briefs.extract.entities.inflection import rules


@functools.lru_cache(maxsize=1)
def _compiled() -> dict:
    r = rules()
    return {
        "mistypes": {gz.key(k): str(v).upper() for k, v in (r.get("mistypes") or {}).items()},
        "leading": {str(w) for w in r.get("leading_words") or ()},
        "credit": [re.compile(p, re.IGNORECASE) for p in r.get("credit_before") or ()],
        "datelines": [regex.compile(p) for p in r.get("dateline_patterns") or ()],
    }


def mistype(surface: str) -> str | None:
    """The type the data file gives a name the model often mis-types (``Patriot`` -> ``PRODUCT``), or None.

    Examples:
        >>> mistype("Twitter"), mistype("Melitopol"), mistype("Dmytro Kuleba")
        ('ORG', 'GPE', None)
    """
    return _compiled()["mistypes"].get(gz.key(surface))


def is_credit(text: str, start: int, end: int) -> bool:
    """Whether the mention ``text[start:end]`` is a photo or agency credit.

    A name right after ``Photo:``, ``Photo by``, ``Фото:`` or a slash, or right before
    a slash (``Dmytro Larin/Shutterstock``), or holding a slash itself.

    Examples:
        >>> t = "Kuleba in Kyiv. Photo: Dmytro Larin/Shutterstock"
        >>> is_credit(t, t.index("Dmytro"), t.index("/"))
        True
        >>> is_credit(t, 0, 6)
        False
    """
    if "/" in text[start:end] or text[end:end + 2].lstrip(" ")[:1] == "/":
        return True
    before = text[max(0, start - 40):start]
    before = before[before.rfind("\n") + 1:]
    return any(p.search(before) for p in _compiled()["credit"])


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of news-agency datelines at the start of paragraphs.

    Examples:
        >>> t = "Title\\n\\nMINSK, BelTA - Lukashenko met Shoigu."
        >>> [t[s:e] for s, e in dateline_spans(t)]
        ['MINSK, BelTA - ']
    """
    out = []
    for m in re.finditer(r"(?:^|\n)(?=\S)", text):
        start = m.end()
        line_end = text.find("\n", start)
        line = text[start:line_end if line_end != -1 else len(text)]
        for p in _compiled()["datelines"]:
            d = p.match(line)
            if d and d.end() < len(line):  # a dateline is followed by the story
                out.append((start, start + d.end()))
                break
    return out


def leading_cut(surface: str, label: str = "PERSON") -> int:
    """Characters to drop from the start of a mention: a listed verb, adverb or mis-typed word glued to a name.

    Examples:
        >>> s = "Thanked Zelenskyy"
        >>> s[leading_cut(s):]
        'Zelenskyy'
        >>> leading_cut("Dmytro Kuleba")
        0
        >>> leading_cut("Facebook, Syniehubov", "ORG")
        10
    """
    words = surface.split(" ")
    first = words[0].rstrip(",;:")  # "Facebook, Syniehubov thanked ...": the model ran over the comma
    glued = label in ("PERSON", "ORG", "NORP") and mistype(first) is not None  # not "Patriot Act" (LAW)
    if len(words) >= 2 and (first in _compiled()["leading"] or glued):
        return len(words[0]) + 1  # also a platform or weapon run into a name ("Facebook Syniehubov")
    return 0
