"""spaCy matchers built from the threat taxonomy: the anchors a threat hangs on.

`_TokenMatcher` finds the token patterns (consequence nouns, threat verbs, red-line
and de-escalation phrases) with dict lookups and a `PhraseMatcher` where it can, as
spaCy's `Matcher` alone was half the cost of threat extraction; the taxonomy's
dependency patterns go to a `DependencyMatcher`. Both are built once per vocab.
"""
from __future__ import annotations

import functools
import itertools
from collections import defaultdict
from typing import Iterable, Sequence

from spacy.attrs import LEMMA, LOWER, POS
from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc

from ukraine_briefs.types import DEESCALATION
from ukraine_briefs.extract.threats.taxonomy import TAXONOMY, _forms, _Rule, lexicon


def _word_patterns(words: Iterable[str], pos: Sequence[str]) -> list[list[dict]]:
    single = [w for w in words if " " not in w]
    pats = []
    if single:
        pats.append([{"LEMMA": {"IN": sorted(single)}, "POS": {"IN": list(pos)}}])
        pats.append([{"LOWER": {"IN": sorted(_forms(single))}, "POS": {"IN": list(pos)}}])
    for w in words:
        if " " in w:
            toks = w.split()
            if "VERB" in pos:  # "strike back", "struck back"
                pats.append([{"LEMMA": toks[0]}] + [{"LOWER": t} for t in toks[1:]])
            else:
                pats.append([{"LOWER": t} for t in toks[:-1]] + [{"LOWER": {"IN": sorted(_forms([toks[-1]]))}}])
    return pats


class _TokenMatcher:
    """The taxonomy's token patterns, matched in three ways with one result.

    spaCy's `Matcher` evaluates ``{"IN": [...]}`` sets in Python, token by token and
    pattern by pattern, which made it half the cost of threat extraction. Patterns of
    one token (``{"LEMMA": {"IN": words}, "POS": {"IN": tags}}``) are looked up in
    dicts in one pass over the tokens, patterns of literal words only go to a
    `PhraseMatcher`, and the rest to a `Matcher`. Calling it returns the
    ``(match_id, start, end)`` triples the single `Matcher` would, de-duplicated and
    sorted by (start, end, order of the keys in the taxonomy).
    """

    def __init__(self, vocab):
        self.vocab = vocab
        self.matcher = Matcher(vocab)
        self.phrases = PhraseMatcher(vocab, attr="LOWER")
        self.by_lemma: dict[int, list[tuple[int, frozenset[int] | None]]] = defaultdict(list)
        self.by_lower: dict[int, list[tuple[int, frozenset[int] | None]]] = defaultdict(list)
        self.order: dict[int, int] = {}
        self._n_matcher = 0
        # first words of the Matcher's patterns: it only runs over windows that start at one
        self.start_lemma: set[int] | None = set()
        self.start_lower: set[int] | None = set()

    def __len__(self) -> int:
        return len(self.order)

    def add(self, key: str, patterns: list[list[dict]]) -> None:
        match_id = self.vocab.strings.add(key)
        self.order.setdefault(match_id, len(self.order))
        rest = []
        for pattern in patterns:
            if not (self._single(match_id, pattern) or self._phrase(key, pattern)):
                rest.append(pattern)
        if rest:
            self.matcher.add(key, rest)
            self._n_matcher += len(rest)
            for pattern in rest:
                self._add_start(pattern)

    def _add_start(self, pattern: list[dict]) -> None:
        """Record the words a match of ``pattern`` can start with; None = any token (no gating)."""
        first = pattern[0] if pattern else {}
        literal = [(a, first[a]) for a in ("LEMMA", "LOWER") if a in first]
        if self.start_lemma is None or first.get("OP") or len(literal) != 1:
            self.start_lemma = self.start_lower = None
            return
        attr, value = literal[0]
        values = [value] if isinstance(value, str) else list(value["IN"]) if isinstance(value, dict) and set(value) == {"IN"} else None
        if values is None:
            self.start_lemma = self.start_lower = None
            return
        target = self.start_lemma if attr == "LEMMA" else self.start_lower
        target.update(self.vocab.strings.add(v) for v in values)

    def _single(self, match_id: int, pattern: list[dict]) -> bool:
        if len(pattern) != 1 or not set(pattern[0]) <= {"LEMMA", "LOWER", "POS"}:
            return False
        spec = pattern[0]
        words = [(a, spec[a]) for a in ("LEMMA", "LOWER") if a in spec]
        pos = spec.get("POS")
        if len(words) != 1 or (pos is not None and not (isinstance(pos, dict) and set(pos) == {"IN"})):
            return False
        attr, value = words[0]
        if isinstance(value, str):
            values = [value]
        elif isinstance(value, dict) and set(value) == {"IN"}:
            values = list(value["IN"])
        else:
            return False
        # compared as hashes of the strings (and POS symbol ids), read from the Doc's arrays
        tags = frozenset(POS_IDS[t] for t in pos["IN"] if t in POS_IDS) if pos is not None else None
        index = self.by_lemma if attr == "LEMMA" else self.by_lower
        for v in values:
            index[self.vocab.strings.add(v)].append((match_id, tags))
        return True

    def _phrase(self, key: str, pattern: list[dict]) -> bool:
        options = []
        for spec in pattern:
            if set(spec) != {"LOWER"}:
                return False
            value = spec["LOWER"]
            if isinstance(value, str):
                options.append([value])
            elif isinstance(value, dict) and set(value) == {"IN"}:
                options.append(list(value["IN"]))
            else:
                return False
            if any(v != v.lower() for v in options[-1]):
                return False  # a capital never equals a LOWER value; the PhraseMatcher would lower it
        # the PhraseMatcher compares token by token, so each phrase is added as its tokens
        self.phrases.add(key, [Doc(self.vocab, words=list(words)) for words in itertools.product(*options)])
        return True

    #: tokens after a start position a match may reach (the longest pattern, with its optional
    #: tokens, is 10; a "*" run of the same few words longer than this is not language)
    WINDOW = 24

    def __call__(self, doc: Doc) -> list[tuple[int, int, int]]:
        found = set(self.phrases(doc))
        rows = doc.to_array([LEMMA, LOWER, POS]).tolist()
        by_lemma, by_lower = self.by_lemma, self.by_lower
        starts = []
        gate_lemma, gate_lower = self.start_lemma, self.start_lower
        # one pass over plain integers: creating a Token object per token costs more than the lookups
        for i, (lemma, lower, pos) in enumerate(rows):
            for hits in (by_lemma.get(lemma), by_lower.get(lower)):
                if hits:
                    found.update((m, i, i + 1) for m, tags in hits if tags is None or pos in tags)
            if gate_lemma is not None and (lemma in gate_lemma or lower in gate_lower):
                starts.append(i)
        if self._n_matcher:
            if gate_lemma is None:
                found.update(self.matcher(doc))
            else:
                # the Matcher builds a Token and runs its set predicates in Python at every position:
                # run it only over windows that begin where a pattern can begin (same matches)
                n, lo, hi = len(rows), None, None
                windows = []
                for i in starts:
                    if lo is not None and i <= hi:
                        hi = min(n, i + self.WINDOW)
                        continue
                    if lo is not None:
                        windows.append((lo, hi))
                    lo, hi = i, min(n, i + self.WINDOW)
                if lo is not None:
                    windows.append((lo, hi))
                for lo, hi in windows:  # offsets of matches in a Span are relative to it
                    found.update((m, lo + a, lo + b) for m, a, b in self.matcher(doc[lo:hi]))
        return sorted(found, key=lambda m: (m[1], m[2], self.order[m[0]]))


@functools.lru_cache(maxsize=8)
def _matchers(vocab, name: str = TAXONOMY) -> tuple[_TokenMatcher, DependencyMatcher, dict[str, _Rule]]:
    """Token matcher + DependencyMatcher built from the taxonomy, once per vocab."""
    tax = lexicon(name).tax
    matcher = _TokenMatcher(vocab)
    dep = DependencyMatcher(vocab)
    rules: dict[str, _Rule] = {}

    def add(key: str, rule: _Rule, patterns: list) -> None:
        if patterns:
            rules[key] = rule
            matcher.add(key, patterns)

    for cat, words in tax["consequence_nouns"].items():
        add(f"noun:{cat}", _Rule("threat", cat), _word_patterns(words, ("NOUN", "PROPN")))
    for cat, words in tax["threat_verbs"].items():
        add(f"verb:{cat}", _Rule("threat", cat), _word_patterns(words, ("VERB",)))
    for cat, words in tax.get("speech_act_verbs", {}).items():
        add(f"speech:{cat}", _Rule("threat", cat, issued=True), _word_patterns(words, ("VERB",)))
    for cat, spec in tax["categories"].items():
        phrases = [w for w in spec.get("nouns") or () if " " in w]
        add(f"phrase:{cat}", _Rule("threat", cat), _word_patterns(phrases, ("NOUN",)))
    for p in tax["patterns"]:
        issued = p["category"] == "red_line" or bool(p.get("issued"))
        negated_ok = p["category"] == "red_line" or bool(p.get("negated_ok"))
        add(f"pat:{p['id']}", _Rule("threat", p["category"], issued, negated_ok, int(p.get("intensity") or 0),
                                    bool(p.get("protective")), needs_party=bool(p.get("needs_party")),
                                    needs_target=bool(p.get("needs_target"))), p["patterns"])
    acts = tax.get("coercive_acts") or {}
    for group in ("hostile", "conditional"):
        for cat, words in (acts.get(group) or {}).items():
            add(f"act:{group}:{cat}", _Rule("threat", cat, hostile=group == "hostile", needs_party=True),
                _word_patterns(words, ("VERB",)))
    de = tax["deescalation"]
    add("deesc:nouns", _Rule("deesc", DEESCALATION), _word_patterns(de["nouns"], ("NOUN", "PROPN", "ADJ")))
    add("deesc:verbs", _Rule("deesc", DEESCALATION), _word_patterns(de["verbs"], ("VERB",)))
    add("deesc:patterns", _Rule("deesc", DEESCALATION), de.get("patterns") or [])
    add("disavowal", _Rule("disavowal", DEESCALATION), de.get("disavowal_patterns") or [])
    add("cond:phrase", _Rule("cond", ""), tax["conditions"]["patterns"])
    ult = tax.get("ultimatums") or {}  # found over the parse by constructions.construction_anchors
    for key, cat in (("ult:deadline", ult.get("deadline_category")), ("ult:backing", ult.get("backing_category"))):
        if cat:
            rules[key] = _Rule("threat", cat, issued=True, needs_party=True, needs_target=True)
    for p in tax.get("dependency_patterns") or ():
        key = f"dep:{p['id']}"
        rules[key] = _Rule("threat", p["category"], bool(p.get("issued")), bool(p.get("negated_ok")),
                           needs_party=bool(p.get("needs_party")), needs_target=bool(p.get("needs_target")))
        dep.add(key, [p["pattern"]])
    return matcher, dep, rules

