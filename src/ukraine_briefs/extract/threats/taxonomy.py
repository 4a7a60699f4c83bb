"""The threat taxonomy (`data/threat_taxonomy.v1.yaml`) parsed once into a read-only `Lexicon`.

The rules are data so an analyst can add a consequence noun, a modal or a
de-escalation phrase without touching Python (see `docs/threats.md`); this module
is the one place that reads the file and turns its lists into sets and ordinal
tables for the matcher and the clause analysis.
"""
from __future__ import annotations

import dataclasses
import functools
from typing import Iterable

from ukraine_briefs import lexicons

TAXONOMY = "threat_taxonomy.v1.yaml"
THREAT_CATEGORIES = ("military", "economic", "diplomatic", "red_line", "unspecified")


def _forms(words: Iterable[str]) -> set[str]:
    """Lower-cased words with naive plurals, for matching where the lemmatiser fails."""
    out = set()
    for w in words:
        w = str(w).lower()
        out.add(w)
        if " " in w:
            continue
        out.update({w + "s", w + "es"})
        if w.endswith("y"):
            out.add(w[:-1] + "ies")
    return out


@dataclasses.dataclass(frozen=True)
class _Rule:
    kind: str  # threat / deesc / disavowal / cond
    category: str
    issued: bool = False  # a speech act: no modal or condition needed
    negated_ok: bool = False
    intensity: int = 0  # a floor set by the pattern
    protective: bool = False  # parties around it are protected, not targeted ("defend its allies")
    hostile: bool = False  # a coercive act that is a threat by itself when issued ("would strike")
    needs_party: bool = False  # a construction: kept only when its actor resolves to a party
    needs_target: bool = False  # ... and its target too (ultimatums, displays of force)


class Lexicon:
    """The taxonomy file, parsed into sets and ordinal tables (read-only)."""

    def __init__(self, tax: dict):
        self.tax = tax
        self.priority = list(tax["priority"])
        self.base = {c: int(v.get("base_intensity", 1)) for c, v in tax["categories"].items()}
        self.cat_modifiers = {c: set(v.get("modifiers") or ()) for c, v in tax["categories"].items()}
        mod = tax["modality"]
        self.modals = set(mod["modals"])
        self.intent_heads = set(mod["intent_heads"]) | {"threat"}
        self.hypothetical = set(mod["hypothetical_modifiers"])
        self.comm_verbs = {w for w in mod["communication_verbs"] if " " not in w}
        self.comm_nouns = set(mod["communication_nouns"])
        self.commissive = set(mod.get("commissive_verbs") or ())
        self.affirm_negated = set(tax["negation"].get("affirmative_when_negated") or ())
        self.neg_words = set(tax["negation"]["words"])
        self.perception = set(tax["perception"]["heads"])
        cond = tax["conditions"]
        self.cond_marks = set(cond["marks"])
        self.act_nouns = _forms(cond["act_nouns"])
        self.act_dets = set(cond["act_determiners"])
        self.disavowal = set(tax["deescalation"]["disavowal_verbs"])
        inten = tax["intensity"]
        self.levels: dict[str, int] = {}
        for level, words in inten["modifiers"].items():
            for w in words:
                self.levels[str(w).lower()] = int(level)
        self.intensifiers = set(inten["intensifiers"])
        self.combination_cap = int(inten.get("combination_cap", 3))
        self.question_share = float(tax["question"]["interviewer_question_share"])
        self.extra_parties = list(tax.get("extra_parties") or ())
        nt = tax.get("non_threat") or {}
        self.non_threat_mods = set(nt.get("modifiers") or ())
        self.non_threat_carriers = set(nt.get("carriers") or ())
        self.carriers = set(tax.get("carrier_verbs") or ())
        self.weak_nouns = set(tax.get("weak_consequence_nouns") or ())
        self.passive_targets = set(cond.get("passive_target_verbs") or ())
        self.inverted_auxes = set(cond.get("inverted_auxes") or ())
        acts = tax.get("coercive_acts") or {}
        self.act_objects = {v: set(objs) for v, objs in (acts.get("objects_required") or {}).items()}
        self.act_excluded = {v: set(objs) for v, objs in (acts.get("objects_excluded") or {}).items()}
        self.act_verbs = {str(w).split()[0] for group in ("hostile", "conditional")
                          for words in (acts.get(group) or {}).values() for w in words}
        ult = tax.get("ultimatums") or {}
        self.deadline_verbs = set(ult.get("deadline_verbs") or ())
        self.deadline_nouns = set(ult.get("deadline_nouns") or ())
        self.backing_verbs = set(ult.get("backing_verbs") or ())
        self.agent_nouns = set(tax.get("agent_nouns") or ())
        self.reply_objects = set(tax.get("reply_objects") or ())
        self.relief = set(tax.get("relief_verbs") or ())
        self.refusal = set(tax.get("refusal_heads") or ())
        self.institutions = set(tax.get("institution_nouns") or ())


@functools.lru_cache(maxsize=2)
def lexicon(name: str = TAXONOMY) -> Lexicon:
    """The parsed taxonomy (cached)."""
    return Lexicon(lexicons.load(name))
