"""`audit`: what an analyst should check in the entities of a built corpus (``ukraine-briefs audit-entities``).

Lists, from the ``mentions`` and ``entities`` tables:

- ``split-in-document``: two PERSON ids in one document that look like one person
  (same surname, one name inside the other, close spellings): the resolution
  should have joined them;
- ``split``: the same across the corpus (``Ławrow`` beside ``Sergey Lavrov``), so
  an alias can be added to the gazetteer;
- ``junk``: PERSON entities that are probably not people: credit lines
  (``Dmytro Larin/Shutterstock``), datelines and agencies, names the data file lists
  as another type (Twitter, Patriot, Melitopol), all-capital or lower-case words;
- ``fuzzy-merge``: spellings joined to an entity by fuzzy matching that are far
  from its name or disagree on the first name, biggest first.

Each row names the entity, the other entity or spelling, a short reason and a
mention count, so the gazetteer (``data/actors.v1.yaml``) or the repair list
(``data/entity_repair.v1.yaml``) can be fixed.
"""
from __future__ import annotations

import re
from collections import defaultdict

import pandas as pd
from rapidfuzz import fuzz

from ukraine_briefs.extract import gazetteer as gz
from ukraine_briefs.extract.entities.names import _first, _surname, matching_key, skeleton
from ukraine_briefs.extract.entities.repair import mistype

COLUMNS = ["kind", "entity_id", "name", "other", "reason", "n_mentions"]
_PARTICLES = {"von", "der", "de", "van", "la", "le", "al", "bin", "da", "di"}


def _alike(a: str, b: str) -> str | None:
    """Why two person names look like one person, or None."""
    ka, kb = gz.key(a), gz.key(b)
    if ka == kb:
        return "same name"
    wa, wb = ka.split(), kb.split()
    if len(wa) == 1 and ka in wb or len(wb) == 1 and kb in wa:
        return "one name inside the other"
    sa, sb = _surname(a), _surname(b)
    fa, fb = _first(a), _first(b)
    if gz.key(sa) == gz.key(sb) and (not fa or not fb or gz.key(fa)[:1] == gz.key(fb)[:1]):
        return "same surname"
    if len(gz.key(sa)) >= 4 and skeleton(sa) == skeleton(sb) and fuzz.ratio(matching_key(sa), matching_key(sb)) >= 80:
        if not fa or not fb or gz.key(fa)[:1] == gz.key(fb)[:1]:
            return "close spellings"
    return None


def _junk_reason(name: str) -> str | None:
    """Why a PERSON entity is probably not a person, or None."""
    words = name.split()
    if "/" in name or re.search(r"\b(?:photo|credit|getty|shutterstock|reuters|afp)\b", name, re.IGNORECASE):
        return "credit line"
    t = mistype(name)
    if t is not None:
        return f"listed as {t} in entity_repair.v1.yaml"
    a = gz.by_alias(name)
    if a is not None and a.type != "PERSON":
        return f"a gazetteer {a.type}"
    if any(c.isdigit() for c in name):
        return "holds digits"
    if len(name) > 3 and name.isupper():
        return "all capitals (a dateline or an acronym)"
    if any(w[0].islower() and w.lower() not in _PARTICLES for w in words if w[:1].isalpha()):
        return "holds a lower-case word"
    if len(words) > 4:
        return "more than four words"
    return None


def audit(mentions: pd.DataFrame, entities: pd.DataFrame, *, min_fuzzy: int = 1) -> pd.DataFrame:
    """Likely splits, junk and large fuzzy merges (columns `COLUMNS`), most mentions first within each kind."""
    rows: list[dict] = []
    names = dict(zip(entities["entity_id"], entities["canonical_name"]))
    counts = dict(zip(entities["entity_id"], entities["n_mentions"]))
    persons = {e: n for e, n in names.items() if str(e).startswith("person:")}

    # splits inside one document
    pm = mentions[mentions["entity_id"].isin(persons)]
    seen = set()
    for doc_id, ids in pm.groupby("doc_id")["entity_id"].unique().items():
        ids = sorted(ids)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                why = _alike(persons[a], persons[b])
                if why:
                    rows.append(dict(kind="split-in-document", entity_id=a, name=persons[a], other=f"{b} ({persons[b]})",
                                     reason=f"{why}, in {doc_id}", n_mentions=int(counts[a] + counts[b])))
                    seen.add((a, b))

    # splits across the corpus, blocked by surname skeleton
    blocks: dict[str, list[str]] = defaultdict(list)
    for e, n in persons.items():
        blocks[skeleton(_surname(n)) or n].append(e)
    for ids in blocks.values():
        ids = sorted(ids)
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if (a, b) in seen or (gz.get(a) is not None and gz.get(b) is not None):
                    continue
                why = _alike(persons[a], persons[b])
                if why:
                    rows.append(dict(kind="split", entity_id=a, name=persons[a], other=f"{b} ({persons[b]})",
                                     reason=why, n_mentions=int(counts[a] + counts[b])))

    # junk typed PERSON
    for e, n in persons.items():
        why = _junk_reason(str(n))
        if why:
            rows.append(dict(kind="junk", entity_id=e, name=n, other="", reason=why, n_mentions=int(counts[e])))

    # fuzzy merges: spellings far from the name, or with another first name
    fz = mentions[mentions["resolution"] == "fuzzy"]
    for (e, surface), n in fz.groupby(["entity_id", "surface"]).size().items():
        name = names.get(e, e)
        whole = str(name) if " " in surface.strip() else _surname(str(name))  # a bare surname against the surname
        ratio = fuzz.ratio(matching_key(surface), matching_key(whole))
        f1, f2 = _first(surface), _first(str(name))
        first_differs = bool(f1 and f2 and gz.key(f1)[:1] != gz.key(f2)[:1])
        if n >= min_fuzzy and (ratio < 75 or first_differs):
            why = "first names disagree" if first_differs else f"spelling {ratio:.0f}% alike"
            rows.append(dict(kind="fuzzy-merge", entity_id=e, name=name, other=surface, reason=why, n_mentions=int(n)))

    out = pd.DataFrame(rows, columns=COLUMNS)
    order = {"split-in-document": 0, "split": 1, "junk": 2, "fuzzy-merge": 3}
    out["_k"] = out["kind"].map(order)
    return out.sort_values(["_k", "n_mentions", "entity_id"], ascending=[True, False, True]).drop(columns="_k").reset_index(drop=True)
