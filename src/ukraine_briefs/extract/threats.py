"""Threat language: who threatens whom, with what, on what condition.

Rules are data (`data/threat_taxonomy.v1.yaml`, see `docs/threats.md`): spaCy
`Matcher` and `DependencyMatcher` patterns built from it find *anchors*
(consequence nouns, threat verbs, red-line phrases, de-escalation phrases); the
dependency tree then decides whether an anchor is a threat *issued* (modal,
conditional or a threatening speech act) rather than one perceived, negated, past
or asked about, and finds the actor (the quote's speaker, else the subject of the
reporting or threatening clause) and the target (the party whose act the condition
names, else the object of the warning).

One record per sentence and family (threat / de-escalation): the category is the
highest in the taxonomy's ``priority``, the intensity the highest of its anchors.
"""
from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections import defaultdict
from typing import Iterable, Iterator, Sequence

import numpy as np
import pandas as pd
from spacy.attrs import LEMMA, LOWER, POS
from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span, Token

from ukraine_briefs.tables.filters import doc_positions
from ukraine_briefs.extract.nlp import doc_index
from ukraine_briefs.types import Mention, Quote, Threat, to_frame

TAXONOMY = "threat_taxonomy.v1.yaml"
THREAT_CATEGORIES = ("military", "economic", "diplomatic", "red_line", "unspecified")
DEESCALATION = "deescalation"

_PRONOUNS_1ST = {"i", "we", "us", "our", "me", "my"}
_PRONOUNS_3RD_PERSON = {"he", "she", "him", "her", "his"}
_PRONOUNS_DEICTIC = {"it", "this", "that", "these", "those", "they", "there"}
_VICTIM_PREPS = {"against", "into", "on", "in", "across", "throughout", "near", "along", "to", "toward",
                 "towards", "inside", "over", "at", "around", "upon"}
_LINE_VERBS = {"cross", "violate", "breach", "overstep", "exceed", "ignore", "step", "tolerate"}
_LABEL_LINE = re.compile(r"^[A-Z][^\n.!?“”\"]{1,80}:\s*$")
_HEADING_LABEL = re.compile(r"^([A-Z][\w.’' -]{2,40}):\s*[“\"]")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


# ---------------------------------------------------------------- taxonomy
def _load(name: str):
    try:
        from ukraine_briefs import lexicons

        return lexicons.load(name)
    except ImportError:  # pragma: no cover - lexicons is the lead's; keep a tiny loader
        import yaml

        from ukraine_briefs.config import DATA_DIR

        return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


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


@functools.lru_cache(maxsize=2)
def lexicon(name: str = TAXONOMY) -> Lexicon:
    """The parsed taxonomy (cached)."""
    return Lexicon(_load(name))


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
                                    bool(p.get("protective"))), p["patterns"])
    de = tax["deescalation"]
    add("deesc:nouns", _Rule("deesc", DEESCALATION), _word_patterns(de["nouns"], ("NOUN", "PROPN", "ADJ")))
    add("deesc:verbs", _Rule("deesc", DEESCALATION), _word_patterns(de["verbs"], ("VERB",)))
    add("deesc:patterns", _Rule("deesc", DEESCALATION), de.get("patterns") or [])
    add("disavowal", _Rule("disavowal", DEESCALATION), de.get("disavowal_patterns") or [])
    add("cond:phrase", _Rule("cond", ""), tax["conditions"]["patterns"])
    for p in tax.get("dependency_patterns") or ():
        key = f"dep:{p['id']}"
        rules[key] = _Rule("threat", p["category"], bool(p.get("issued")), bool(p.get("negated_ok")))
        dep.add(key, [p["pattern"]])
    return matcher, dep, rules


# ---------------------------------------------------------------- parties
@dataclasses.dataclass(frozen=True)
class Party:
    """A resolved actor or target."""

    entity_id: str | None
    name: str | None
    affiliation: str | None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@functools.lru_cache(maxsize=1)
def _gazetteer_index() -> tuple[dict, dict, dict]:
    """(alias -> entry, id -> entry, surname -> entry) from the actor gazetteer + our extras."""
    # our extras first: they fill affiliations the gazetteer leaves empty ("the West" -> NATO)
    entries: list[dict] = list(lexicon().extra_parties)
    try:
        data = _load("actors.v1.yaml")
        entries.extend((data or {}).get("actors") or [])
    except (FileNotFoundError, OSError, KeyError, TypeError):
        pass
    alias: dict[str, dict] = {}
    by_id: dict[str, dict] = {}
    surnames: dict[str, list[dict]] = {}
    for e in entries:
        by_id.setdefault(e["id"], e)
        for a in [e["name"], *(e.get("aliases") or ())]:
            alias.setdefault(str(a).lower(), e)
        if e.get("type") == "PERSON" and e.get("surname_ok", True) is not False:
            surnames.setdefault(str(e["name"]).split()[-1].lower(), []).append(e)
    unique = {k: v[0] for k, v in surnames.items() if len(v) == 1}
    return alias, by_id, unique


@functools.lru_cache(maxsize=1)
def _actors_frame() -> pd.DataFrame | None:
    try:
        from ukraine_briefs.extract import gazetteer

        df = gazetteer.actors()
        return df.set_index("entity_id") if "entity_id" in df.columns else None
    except Exception:  # the entities helper may not have landed gazetteer.actors()
        return None


@functools.lru_cache(maxsize=1)
def _actor_affiliations() -> dict[str, str]:
    """entity_id -> affiliation of the gazetteer actors (first row of an id wins), as a plain dict."""
    df = _actors_frame()
    if df is None:
        return {}
    out: dict[str, str] = {}
    for eid, aff in zip(df.index, df["affiliation"]):
        if eid not in out:
            out[eid] = aff
    return {k: v for k, v in out.items() if isinstance(v, str) and v}


def affiliation(entity_id: str | None, name: str | None, label: str | None = None) -> str | None:
    """The state or bloc an entity speaks for; a country or bloc is its own affiliation."""
    aff = _actor_affiliations().get(entity_id)
    if aff:
        return aff
    alias, by_id, _ = _gazetteer_index()
    for entry in (by_id.get(entity_id or ""), alias.get((name or "").lower())):
        if entry is not None and entry.get("affiliation"):
            return entry["affiliation"]
    if label == "GPE" or (entity_id or "").startswith("gpe:"):
        return name
    return None


def _strip_name(text: str) -> str:
    text = re.sub(r"[’']s$", "", text.strip(" “”\"‘’',;:"))
    text = re.sub(r"^(the|The|Mr\.?|Mrs\.?|Ms\.?|gentlemen\.)\s+", "", text)
    return text.strip()


def resolve_party(text: str, *, mentions: Sequence[Mention] = (), label: str | None = None) -> Party | None:
    """Canonical entity and affiliation for a surface name (entities' resolver, else the gazetteer)."""
    text = _strip_name(text)
    if not text:
        return None
    try:
        from ukraine_briefs.extract import entities

        hit = entities.resolve_name(text, mentions=mentions)
    except Exception:  # resolver not there yet (or failed on odd input): fall back
        hit = None
    if hit:
        eid, name = hit
        return Party(eid, name, affiliation(eid, name, label))
    entry = _gazetteer_entry(text, label)
    if entry is not None:
        return Party(entry["id"], entry["name"], entry.get("affiliation") or None)
    if label == "GPE":
        return Party(f"gpe:{_slug(text)}", text, text)
    return None


@functools.lru_cache(maxsize=1 << 14)  # pure in (text, label); the same names recur in every article
def _gazetteer_entry(text: str, label: str | None) -> dict | None:
    """The gazetteer entry a stripped name spells: alias, else (people) surname, else a close surname."""
    alias, _, surnames = _gazetteer_index()
    entry = alias.get(text.lower()) or alias.get("the " + text.lower())
    if entry is None and label in (None, "PERSON"):
        last = text.split()[-1].lower() if text.split() else ""
        entry = surnames.get(last)
        if entry is None and len(last) > 4:
            try:
                from rapidfuzz import process

                best = process.extractOne(last, list(surnames), score_cutoff=80)
                entry = surnames[best[0]] if best else None
            except ImportError:  # pragma: no cover
                entry = None
    return entry


class _Parties:
    """Token -> resolved party, from the mention table, the NER and the gazetteer."""

    def __init__(self, doc: Doc, mentions: Sequence[Mention]):
        self.doc = doc
        self.mentions = mentions
        self.by_token: dict[int, Mention] = {}
        for m in mentions:
            span = doc.char_span(m.start_char, m.end_char, alignment_mode="expand")
            if span is not None:
                for t in span:
                    self.by_token.setdefault(t.i, m)
        self.cache: dict[int, Party | None] = {}

    def of(self, tok: Token) -> Party | None:
        if tok.i in self.cache:
            return self.cache[tok.i]
        party = None
        m = self.by_token.get(tok.i)
        if m is not None and m.entity_id:
            party = Party(m.entity_id, m.canonical_name, affiliation(m.entity_id, m.canonical_name, m.label))
            if party.affiliation is None and m.label in ("GPE", "NORP", "ORG", "LOC", "PERSON"):
                alt = resolve_party(m.canonical_name or m.surface, mentions=self.mentions, label=m.label)
                party = alt if alt is not None and alt.affiliation else party
            if party.affiliation is None:  # our extras know blocs the gazetteer leaves open ("Western")
                entry = _gazetteer_index()[0].get(_strip_name(m.surface).lower())
                if entry is not None and entry.get("affiliation"):
                    party = Party(entry["id"], entry["name"], entry["affiliation"])
        elif tok.ent_type_ in ("PERSON", "GPE", "NORP", "ORG", "LOC", "LANGUAGE"):
            ent = next((e for e in self.doc.ents if e.start <= tok.i < e.end), None)
            if ent is not None:
                label = ent.label_ if ent.label_ != "LANGUAGE" else "NORP"
                party = resolve_party(ent.text, mentions=self.mentions, label=label)
        if party is None and m is None and tok.pos_ in ("PROPN", "NOUN", "ADJ"):
            party = resolve_party(tok.text, mentions=self.mentions, label="LOC")
            if party is not None and not tok.is_title and party.entity_id not in {e["id"] for e in lexicon().extra_parties}:
                party = None  # lower-case words resolve only to the listed blocs ("the alliance")
        self.cache[tok.i] = party
        return party

    def first(self, tokens: Iterable[Token], *, skip_aff: str | None = None, victims: bool = True,
              passive_victims: bool = False) -> tuple[Party, Token] | None:
        """First party among ``tokens`` (in the given order) with an affiliation."""
        for t in tokens:
            if t.is_punct or t.is_space:
                continue
            if not victims and _victim(t, passive=passive_victims):
                continue
            p = self.of(t)
            if p is not None and p.affiliation and p.affiliation != skip_aff:
                return p, t
        return None


def _locative(tok: Token) -> bool:
    """Token names a place where something happens ("ministers in Sweden")."""
    t = tok
    while t.dep_ in ("compound", "amod", "poss", "case", "det", "conj", "appos", "nmod") and t.head.i != t.i:
        t = t.head
    return t.dep_ == "pobj" and t.head.lower_ in ("in", "at", "near", "inside", "outside", "across")


def _victim(tok: Token, *, passive: bool = False) -> bool:
    """Token names the party acted upon ("aggression against Ukraine", "invade Ukraine")."""
    t = tok
    while t.dep_ in ("compound", "amod", "poss", "case", "det", "conj", "appos", "nmod") and t.head.i != t.i:
        t = t.head
    if t.dep_ == "pobj" and t.head.lower_ in _VICTIM_PREPS:
        return True
    if t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_ in lexicon().act_nouns:
        return True  # "invasion of Ukraine"
    if passive and t.dep_ == "nsubjpass" and t.lemma_ not in lexicon().act_nouns:
        return True  # "if NATO is threatened"; not "any Russian move ... would be met with"
    if t.dep_ == "dobj" and t.head.lemma_ in {"invade", "attack", "reinvade", "occupy", "annex", "threaten", "intimidate"}:
        return True
    return False


# ---------------------------------------------------------------- document structure
class _Turns:
    """Transcript turns: paragraph -> speaker label, and which labels mostly ask questions."""

    def __init__(self, doc: Doc, lex: Lexicon):
        idx = doc_index(doc)
        text = doc_index(doc).text
        self.owner: dict[int, str] = {}
        self.heading_owner: dict[int, str] = {}
        turns: dict[str, list[bool]] = {}
        current = None
        for pid, start in enumerate(idx.para_starts):
            s, e = idx.paragraph_span(pid)
            para = text[s:e].strip()
            if not para:
                continue
            if _LABEL_LINE.match(para) and len(para.split()) <= 8:
                current = para.rstrip(":").split(",")[0].strip()
                continue
            m = _HEADING_LABEL.match(para)
            if m:
                self.heading_owner[pid] = m.group(1).strip()
            if current is not None:
                self.owner[pid] = current
                turns.setdefault(current, []).append("?" in para)
        self.interviewers = {
            who for who, qs in turns.items() if qs and sum(qs) / len(qs) >= lex.question_share and len(qs) >= 2
        }


def _is_question(sent: Span) -> bool:
    tail = sent.text.rstrip(" \n“”\"'’‘")
    return tail.endswith("?")


# ---------------------------------------------------------------- clause analysis
def _clause_path(tok: Token) -> list[Token]:
    """``tok`` and its ancestors up to (and including) the head of its clause."""
    path = [tok]
    t = tok
    while t.head.i != t.i:
        if t.i != tok.i and t.dep_ in ("ccomp", "advcl", "relcl", "conj", "parataxis", "ROOT", "acl"):
            break
        if t.i != tok.i and t.pos_ in ("VERB", "AUX") and t.dep_ not in ("xcomp", "auxpass", "aux"):
            break
        t = t.head
        path.append(t)
    return path


def _negated(tok: Token, lex: Lexicon, skip: set[int]) -> Token | None:
    """The negated token on ``tok``'s clause path, if any (ignoring tokens in ``skip``)."""
    for t in _clause_path(tok):
        for c in t.children:
            if c.i in skip:
                continue
            if c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no" and t is tok):
                return t
        if t.dep_ == "pobj" and t.head.lower_ == "without":
            return t
    return None


def _has_modal(tok: Token, lex: Lexicon) -> bool:
    for t in [tok, *tok.ancestors]:
        for c in t.children:
            if c.dep_ in ("aux", "auxpass") and (c.lower_ in lex.modals or c.tag_ == "MD"):
                return True
            if c.dep_ == "aux" and c.lower_ == "to" and t.head.lemma_ in lex.intent_heads:
                return True
        if t.lower_ in lex.modals and t.tag_ == "MD":
            return True
        if t.lemma_ == "go" and any(c.lower_ == "to" for c in t.children) and t.tag_ == "VBG":
            return True
        if t.dep_ in ("ccomp", "advcl", "relcl", "parataxis") or t.lemma_ in lex.comm_verbs:
            break
    return False


def _perceived(tok: Token, lex: Lexicon) -> bool:
    """A governor of ``tok`` perceives or describes it ("the notion that ... poses a threat")."""
    t = tok
    while True:
        if t.lemma_.lower() in lex.perception or t.lower_ in lex.perception:
            return True
        if t.head.i == t.i:
            return False
        if t.dep_ == "conj":  # a coordinated sibling does not govern: "the worries ... and the consequences"
            t = t.head
            while t.dep_ == "conj" and t.head.i != t.i:
                t = t.head
            if t.head.i == t.i:
                return False
        t = t.head


def _hypothetical(tok: Token, lex: Lexicon) -> bool:
    return any(c.lower_ in lex.hypothetical for c in tok.children if c.dep_ in ("amod", "advmod"))


def _warned_of(tok: Token) -> bool:
    """"warned of serious consequences", "threatened with sanctions"."""
    t = tok
    while t.dep_ in ("conj", "appos") and t.head.i != t.i:
        t = t.head
    return t.dep_ == "pobj" and t.head.lower_ in ("of", "with") and t.head.head.lemma_ in ("warn", "threaten", "caution")


def _np_words(tok: Token) -> list[Token]:
    """Modifier tokens of an anchor: its left subtree, conjoined adjectives, copular complement."""
    words = [t for t in tok.subtree if t.i < tok.i] if tok.pos_ in ("NOUN", "PROPN") else []
    if tok.pos_ in ("NOUN", "PROPN"):
        # the parser often detaches stacked adjectives in spun text ("a ‘serious and a united reaction’")
        i = tok.i - 1
        while i >= max(tok.sent.start, tok.i - 8):
            t = tok.doc[i]
            if t.pos_ not in ("ADJ", "CCONJ", "DET", "PUNCT", "ADV", "NOUN", "PROPN") or t.lower_ in ("of", "with"):
                break
            if t not in words:
                words.append(t)
            i -= 1
    for c in tok.children:
        if c.dep_ in ("advmod", "amod", "acomp") and c.i > tok.i:
            words.extend(c.subtree)
    if tok.dep_ in ("nsubj", "nsubjpass"):
        for c in tok.head.children:
            if c.dep_ in ("acomp", "attr", "oprd"):
                words.extend(c.subtree)
    if tok.pos_ == "VERB":
        for c in tok.children:
            if c.dep_ in ("dobj", "advmod", "prep", "xcomp") and c.i > tok.i:
                words.extend(t for t in c.subtree if t.i < c.i + 6)
    return words


def _intensity(words: list[Token], base: int, lex: Lexicon) -> int:
    # names are not qualifiers: "United" in "the United States"
    words = [t for t in words if not t.ent_type_ and t.pos_ != "PROPN"]
    text = " ".join(t.lower_ for t in words)
    found: dict[str, int] = {}
    for w in _WORD.findall(text.replace(" - ", "-").replace(" -", "-").replace("- ", "-")):
        if w in lex.levels:
            found[w] = lex.levels[w]
    level = max(found.values(), default=0)
    strong = [w for w, v in found.items() if v >= 2]
    if len(strong) >= 2 and level < lex.combination_cap:
        level += 1
    if level and any(t.lower_ in lex.intensifiers and t.head.lower_ in found for t in words):
        level = min(4, level + 1)
    return max(1, min(4, max(base, level)))


def _category(words: list[Token], default: str, lex: Lexicon) -> str:
    if default not in ("unspecified",):
        return default
    lowers = {t.lower_ for t in words}
    for cat in lex.priority:
        if lex.cat_modifiers.get(cat, set()) & lowers:
            return cat
    return default


# ---------------------------------------------------------------- conditions
@dataclasses.dataclass
class _Condition:
    tokens: set[int]
    span: Span
    head: Token  # the act or the condition clause's verb
    attach: Token  # the token the condition hangs on (the consequence clause)

    def ties(self, tok: Token, span: Span | None = None) -> bool:
        """The condition governs ``tok``'s clause (not some other clause of the sentence)."""
        chain = {tok.i, *(t.i for t in tok.ancestors), *((t.i for t in span) if span is not None else ())}
        return self.attach.i in chain or self.attach.head.i in chain


def _condition(sent: Span, toks: Iterable[int], head: Token, attach: Token) -> _Condition:
    toks = sorted(toks)
    # drop a trailing attribution: "if Russia invades Ukraine, in keeping with two officials"
    for i in toks:
        if i > head.i and sent.doc[i].text in (",", "—", "–", ";") and i - toks[0] >= 3:
            toks = [j for j in toks if j < i]
            break
    return _Condition(set(toks), sent.doc[toks[0]: toks[-1] + 1], head, attach)


def _conditions(sent: Span, phrase_spans: list[Span], lex: Lexicon) -> list[_Condition]:
    out: list[_Condition] = []
    seen: set[int] = set()
    for t in sent:
        # "if Russia invades ..." / "unless ..." (advcl with a conditional mark)
        if t.dep_ == "mark" and t.lower_ in lex.cond_marks and t.head.i not in seen:
            v = t.head
            out.append(_condition(sent, (x.i for x in v.subtree), v, v.head))
            seen.add(v.i)
        # "any Russian incursion would trigger ...": a hypothetical act noun
        elif (t.lower_ in lex.act_nouns or t.lemma_ in lex.act_nouns) and t.pos_ in ("NOUN", "PROPN") and t.i not in seen:
            dets = {c.lower_ for c in t.children if c.dep_ in ("det", "amod")}
            modal_head = t.dep_ in ("nsubj", "nsubjpass") and _has_modal(t.head, lex)
            if "any" in dets or (modal_head and dets & lex.act_dets) or (t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_ in ("cost", "consequence", "price")):
                out.append(_condition(sent, (x.i for x in t.subtree), t, t.head))
                seen.add(t.i)
    for ph in phrase_spans:  # "in case of Russian aggression", "in the event of an invasion"
        of = ph[-1]
        objs = [c for c in of.children if c.dep_ in ("pobj", "pcomp")]
        if objs:
            toks = sorted({x.i for x in objs[0].subtree} | {x.i for x in ph})
        else:
            end = min(sent.end, ph.end + 6)
            toks = list(range(ph.start, end))
        out.append(_condition(sent, toks, objs[0] if objs else ph.root, ph[0].head))
    return out


# ---------------------------------------------------------------- the extractor
@dataclasses.dataclass
class _Anchor:
    span: Span
    root: Token
    rule: _Rule
    key: str


def _anchor_phrase(a: _Anchor) -> str:
    if a.key.startswith(("noun:", "phrase:")):
        left = [t for t in a.root.subtree if t.i <= a.root.i and t.dep_ not in ("det", "poss", "case", "punct", "predet")]
        if left:
            start = min(t.i for t in left)
            while start < a.root.i and a.root.doc[start].is_punct:
                start += 1
            text = a.root.doc[start: a.root.i + 1].text
            return text.strip(" “”\"‘’'")
    return a.span.text.strip(" “”\"‘’'")


def doc_threats(
    doc: Doc,
    *,
    doc_id: str,
    mentions: Sequence[Mention] = (),
    quotes: Sequence[Quote] = (),
    taxonomy: str = TAXONOMY,
) -> Iterator[Threat]:
    """Yield every threat or warning issued in ``doc`` (and de-escalation language, as contrast).

    A threat needs an anchor from the taxonomy that is issued (modal, conditional,
    or a speech act such as "threaten"), not negated, perceived, inside a question
    or inside the condition itself. Actor: the speaker of the enclosing quote, else
    the subject of the reporting or threatening clause; target: the party whose act
    the condition names, else the addressee/object of the threat. A threat left
    without a target takes the one target its actor threatens elsewhere in the
    document, if there is exactly one (interviews: "The economic consequences could
    be very strong").
    """
    records = list(_doc_threats(doc, doc_id=doc_id, mentions=mentions, quotes=quotes, taxonomy=taxonomy))
    by_actor: dict[str, dict[str, Threat]] = {}
    for r in records:
        if r.category != DEESCALATION and r.actor_affiliation and r.target_affiliation:
            by_actor.setdefault(r.actor_affiliation, {}).setdefault(r.target_affiliation, r)
    for r in records:
        if r.category != DEESCALATION and r.actor_affiliation and not r.target_affiliation:
            targets = by_actor.get(r.actor_affiliation, {})
            if len(targets) == 1:
                src = next(iter(targets.values()))
                r.target_id, r.target_name, r.target_affiliation = src.target_id, src.target_name, src.target_affiliation
    yield from records


def _doc_threats(doc: Doc, *, doc_id: str, mentions: Sequence[Mention], quotes: Sequence[Quote],
                 taxonomy: str) -> Iterator[Threat]:
    if not (doc.has_annotation("DEP") or doc.has_annotation("SENT_START")):
        return  # no sentences (a blank pipeline): nothing to attribute
    lex = lexicon(taxonomy)
    matcher, dep_matcher, rules = _matchers(doc.vocab, taxonomy)
    idx = doc_index(doc)
    parties = _Parties(doc, mentions)
    turns = _Turns(doc, lex)
    vocab_strings = doc.vocab.strings

    by_sent: dict[int, list[_Anchor]] = {}
    cond_phrases: dict[int, list[Span]] = {}
    for match_id, start, end in matcher(doc):
        key = vocab_strings[match_id]
        span = doc[start:end]
        sent_start = doc[start].sent.start
        rule = rules[key]
        if rule.kind == "cond":
            cond_phrases.setdefault(sent_start, []).append(span)
        else:
            by_sent.setdefault(sent_start, []).append(_Anchor(span, span.root, rule, key))
    if doc.has_annotation("DEP"):
        for match_id, token_ids in dep_matcher(doc):
            key = vocab_strings[match_id]
            root = doc[token_ids[0]]
            by_sent.setdefault(root.sent.start, []).append(_Anchor(doc[root.i: root.i + 1], root, rules[key], key))

    quote_list = sorted(quotes, key=lambda q: q.start_char)
    interviewer_speakers = _interviewer_speakers(quote_list, lex)
    person_ents = sorted(
        [(m.start_char, m) for m in mentions if m.label == "PERSON"], key=lambda x: x[0]
    ) or [(e.start_char, e) for e in doc.ents if e.label_ == "PERSON"]

    emitted: list[Threat] = []
    prev_conds: tuple[int, list[_Condition]] = (-1, [])
    n = 0
    sents = idx.sents
    for k, sent in enumerate(sents):
        pid = idx.paragraph_id(sent.start_char)
        # a sentence's conditions serve its own anchors or the next sentence's (inherited): parse no others
        needed = sent.start in by_sent or (k + 1 < len(sents) and sents[k + 1].start in by_sent)
        conds = _conditions(sent, cond_phrases.get(sent.start, []), lex) if needed else []
        anchors = by_sent.get(sent.start, [])
        inherited = None
        if not conds and prev_conds[0] == pid and prev_conds[1]:
            inherited = prev_conds[1]
        prev_conds = (pid, conds)
        if not anchors:
            continue
        if _is_question(sent) or turns.owner.get(pid) in turns.interviewers:
            continue
        if sum(1 for t in sent if t.is_alpha) < 4:  # a bare heading such as "‘Red Line’"
            continue
        quote = _covering_quote(quote_list, anchors[0].root.idx)
        if quote is not None and (quote.speaker_id in interviewer_speakers or quote.speaker_name in interviewer_speakers):
            continue
        cond_tokens = set().union(*(c.tokens for c in conds)) if conds else set()

        threats: list[tuple[_Anchor, str, int]] = []
        deesc: list[_Anchor] = []
        for a in anchors:
            if a.root.i in cond_tokens and a.rule.kind != "disavowal":
                fixed = _garbled_condition(a.root, conds, lex)
                if fixed is None:
                    continue
                conds = fixed
                cond_tokens = set().union(*(c.tokens for c in conds))
            skip = {t.i for t in a.span} if a.rule.negated_ok else set()
            neg = _negated(a.root, lex, skip)
            affirmed = neg is not None and neg.lemma_ in lex.affirm_negated
            if affirmed:
                neg = None  # "would not hesitate to use force", "did not rule out military action"
            if neg is not None and a.rule.category == "red_line" and neg.lemma_ in _LINE_VERBS:
                neg = None  # "warned the West not to cross Russia's red line": the line itself
            if a.rule.kind == "disavowal":
                if neg is not None:
                    deesc.append(a)
                continue
            if a.rule.kind == "deesc":
                if neg is None and not _perceived_deesc(a.root):
                    deesc.append(a)
                continue
            if neg is not None:
                if neg.lemma_ in lex.disavowal:
                    deesc.append(a)
                continue
            if not a.rule.issued and _perceived(a.root, lex):
                continue
            if _embedded_question(a.root) or _not_a_penalty(a.root, lex):
                continue
            tied = [c for c in conds if c.ties(a.root, a.span)]
            issued = (
                a.rule.issued
                or (a.rule.kind == "threat" and affirmed)
                or bool(tied)
                or (inherited is not None and _deictic_subject(a.root))
                or _has_modal(a.root, lex)
                or _hypothetical(a.root, lex)
                or _warned_of(a.root)
                or (a.root.dep_ == "dobj" and a.root.head.lemma_ in lex.commissive)
            )
            if not issued:
                continue
            words = _np_words(a.root)
            if not tied and a.key.startswith("noun:") and a.root.lemma_ in lex.weak_nouns and not _supported(a.root, words, lex):
                continue
            cat = _category(words, a.rule.category, lex)
            threats.append((a, cat, _intensity(words, max(lex.base.get(cat, 1), a.rule.intensity), lex)))

        if threats:
            # the consequence itself names the threat better than the verb that reports it
            threats.sort(key=lambda x: (lex.priority.index(x[1]) if x[1] in lex.priority else 99, -x[2],
                                        x[0].key.startswith(("speech:", "dep:")), x[0].root.i))
            a, cat, _ = threats[0]
            intensity = max(x[2] for x in threats)
            used_conds = [c for c in conds if c.ties(a.root, a.span)] or (
                inherited if inherited and _deictic_subject(a.root) else None) or []
            rec = _record(doc, doc_id, n, sent, a, cat, intensity, used_conds, quote, parties, turns, pid,
                          person_ents, emitted, idx, lex)
            emitted.append(rec)
            n += 1
            yield rec
        if deesc:
            a = sorted(deesc, key=lambda x: x.root.i)[0]
            rec = _record(doc, doc_id, n, sent, a, DEESCALATION, lex.base.get(DEESCALATION, 1), [], quote,
                          parties, turns, pid, person_ents, [], idx, lex)
            n += 1
            yield rec


def _garbled_condition(tok: Token, conds: list[_Condition], lex: Lexicon) -> list[_Condition] | None:
    """Spun "if Russia deciding to engage ... has serious consequences": the consequence
    parsed as the object of the condition's own verb. Split it off the condition."""
    for k, c in enumerate(conds):
        if tok.i in c.tokens and tok.dep_ == "dobj" and tok.head.i == c.head.i and c.head.lemma_ in lex.carriers:
            subj = [ch for ch in c.head.children if ch.dep_ in ("nsubj", "csubj", "nsubjpass")]
            if not subj:
                return None
            toks = {t.i for s in subj for t in s.subtree} | {ch.i for ch in c.head.children if ch.dep_ == "mark"}
            new = _Condition(toks, tok.doc[min(toks): max(toks) + 1], subj[0], tok)
            return conds[:k] + [new] + conds[k + 1:]
    return None


def _supported(tok: Token, words: list[Token], lex: Lexicon) -> bool:
    """A weak consequence noun ("measures", "response") backed by a qualifier, carrier or aim."""
    lowers = {t.lower_ for t in words}
    if lowers & set(lex.levels) or any(lowers & mods for mods in lex.cat_modifiers.values()):
        return True
    if any(t.lower_.startswith(("retaliat", "counter", "punitive")) for t in words):
        return True
    t = tok
    while t.dep_ in ("pobj", "prep", "conj") and t.head.i != t.i:
        t = t.head
    if t.head.lemma_ in lex.carriers and t.head.lemma_ not in ("have", "take", "mean", "coordinate"):
        return True
    return any(c.dep_ == "prep" and c.lower_ in ("against", "on", "for") for c in tok.children)


def _embedded_question(tok: Token) -> bool:
    """Inside "whether ..." or "how far ...": a question about a threat, not one issued."""
    for t in [tok, *tok.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ == "whether" for c in t.children):
            return True
        if t.dep_ in ("ROOT",):
            break
    return False


def _not_a_penalty(tok: Token, lex: Lexicon) -> bool:
    """"a written reaction" supplied to Russia is a reply, not a threatened response."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if any(c.lower_ in lex.non_threat_mods for c in tok.children if c.dep_ in ("amod", "compound")):
        return True
    t = tok
    while t.dep_ in ("pobj", "prep", "conj") and t.head.i != t.i:
        t = t.head
    return t.dep_ in ("dobj", "pobj", "prep") and t.head.lemma_ in lex.non_threat_carriers


def _perceived_deesc(tok: Token) -> bool:
    # "on the verge of a de-escalation" is an estimate, "so hard to defuse" a description
    return any(t.lemma_ in ("verge", "brink", "hope", "hard", "difficult", "impossible", "fail") for t in tok.ancestors)


def _deictic_subject(tok: Token) -> bool:
    """The clause's subject is "it"/"this"/"that" (referring back to a condition)."""
    for t in [tok, *tok.ancestors]:
        for c in t.children:
            if c.dep_ in ("nsubj", "nsubjpass", "expl") and c.lower_ in ("it", "this", "that", "there"):
                return True
        if t.dep_ in ("ccomp", "advcl", "ROOT"):
            break
    return False


def _as_state(party: Party | None) -> Party | None:
    """A group or a capital stands for its state: "Russian" -> Russia, "Moscow" -> Russia."""
    if party is None or not party.entity_id:
        return party
    alias, by_id, _ = _gazetteer_index()
    entry = by_id.get(party.entity_id)
    if party.entity_id.startswith("norp:") or (entry and entry.get("metonym_for")):
        state = by_id.get(entry.get("metonym_for")) if entry and entry.get("metonym_for") else None
        state = state or alias.get((party.affiliation or "").lower())
        if state is not None:
            return Party(state["id"], state["name"], state.get("affiliation") or party.affiliation)
    return party


def _covering_quote(quotes: Sequence[Quote], char: int) -> Quote | None:
    best = None
    for q in quotes:
        if q.start_char <= char < q.end_char:
            if best is None or (q.end_char - q.start_char) < (best.end_char - best.start_char):
                best = q
    return best


def _interviewer_speakers(quotes: Sequence[Quote], lex: Lexicon) -> set[str]:
    asks: dict[str, list[bool]] = {}
    for q in quotes:
        who = q.speaker_id or q.speaker_name
        if who:
            asks.setdefault(who, []).append("?" in (q.text or ""))
    return {w for w, qs in asks.items() if len(qs) >= 2 and sum(qs) / len(qs) >= lex.question_share}


def _comm_governor(tok: Token, lex: Lexicon) -> list[Token]:
    """Reporting verbs / nouns governing ``tok``, nearest first."""
    out = []
    for t in tok.ancestors:
        if (t.pos_ in ("VERB", "AUX") and t.lemma_ in lex.comm_verbs) or (t.pos_ == "NOUN" and t.lemma_ in lex.comm_nouns):
            out.append(t)
    return out


def _subject_party(verb: Token, parties: _Parties, person_before, lex: Lexicon) -> tuple[Party | None, bool]:
    """Party of ``verb``'s subject (or of "from X"/possessor for a noun); (party, was_pronoun)."""
    subj = [c for c in verb.children if c.dep_ in ("nsubj",)]
    if verb.pos_ == "NOUN":
        subj = [gc for c in verb.children if c.dep_ == "prep" and c.lower_ == "from" for gc in c.children if gc.dep_ == "pobj"]
        subj += [c for c in verb.children if c.dep_ == "poss"]
    if not subj:
        agent = [gc for c in verb.children if c.dep_ == "agent" for gc in c.children if gc.dep_ == "pobj"]
        subj = agent
    if not subj and verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp", "conj"):
        # "the Kremlin brushed off that appeal, saying Kyiv should negotiate": the participle's subject
        subj = [c for c in verb.head.children if c.dep_ == "nsubj"]
    for s in subj:
        if s.lower_ in _PRONOUNS_3RD_PERSON:
            return person_before(), True
        if s.lower_ in _PRONOUNS_1ST or s.lower_ in _PRONOUNS_DEICTIC:
            return None, True
        order = [s, *sorted((t for t in s.subtree if t.i != s.i), key=lambda t: abs(t.i - s.i))]
        # prefer a PERSON in the subject phrase ("Secretary of State Antony Blinken")
        order = [t for t in order if not _locative(t)]  # "Foreign ministers in Sweden" are not Swedish
        persons = [t for t in order if t.ent_type_ == "PERSON"]
        hit = parties.first(persons + order)
        if hit:
            return hit[0], False
    return None, False


def _record(doc, doc_id, n, sent, a: _Anchor, cat, intensity, conds, quote, parties: _Parties, turns: _Turns,
            pid, person_ents, emitted, idx, lex) -> Threat:
    def person_before() -> Party | None:
        prior = [m for c, m in person_ents if c < a.root.idx]
        if not prior:
            return None
        m = prior[-1]
        if isinstance(m, Mention):
            return Party(m.entity_id, m.canonical_name, affiliation(m.entity_id, m.canonical_name, "PERSON"))
        return resolve_party(m.text, mentions=parties.mentions, label="PERSON")

    # ---- actor
    actor: Party | None = None
    speaker_id = None
    comm = _comm_governor(a.root, lex)
    if quote is not None and (quote.speaker_id or quote.speaker_name):
        speaker_id = quote.speaker_id
        actor = Party(quote.speaker_id, quote.speaker_name, affiliation(quote.speaker_id, quote.speaker_name, "PERSON"))
        if actor.affiliation is None and quote.speaker_name:
            alt = resolve_party(quote.speaker_name, mentions=parties.mentions, label="PERSON")
            actor = alt if alt is not None else actor
    owner = turns.owner.get(pid) or turns.heading_owner.get(pid)
    if actor is None and owner:  # a transcript turn: the label's speaker says it all
        actor = resolve_party(owner, mentions=parties.mentions, label="PERSON")
        speaker_id = actor.entity_id if actor is not None else None
    if actor is None:
        for v in comm:
            p, _ = _subject_party(v, parties, person_before, lex)
            if p is not None:
                actor = p
                break
    if actor is None and owner:
        actor = resolve_party(owner, mentions=parties.mentions, label="PERSON")
    if actor is None and cat == "red_line":
        # "X will be a red line (for him)": X is what must not happen; the issuer is "him"
        # or the person just named ("Putin It has been said that ... will be a red line")
        for_him = [gc for c in a.root.children if c.dep_ == "prep" and c.lower_ == "for" for gc in c.children]
        prior = person_before()
        para_start = idx.paragraph_span(pid)[0]
        if for_him or (prior is not None and any(c >= para_start for c, _ in person_ents if c < a.root.idx)):
            actor = prior
    if actor is None and not (cat == "red_line" and a.root.dep_ in ("attr", "acomp")):
        for t in [a.root, *a.root.ancestors]:
            if t.pos_ in ("VERB", "AUX") or a.rule.issued:
                p, _ = _subject_party(t, parties, person_before, lex)
                if p is not None:
                    actor = p
                    break
    actor_aff = actor.affiliation if actor else None

    # ---- target
    target: Party | None = None
    for c in conds:
        head = c.head
        subj_deps = ("nsubj", "nsubjpass") if head.lemma_ in lex.passive_targets else ("nsubj",)
        subj = [t for t in head.children if t.dep_ in subj_deps] if head.pos_ in ("VERB", "AUX") else []
        if head.pos_ not in ("VERB", "AUX") and head.dep_ in ("nsubj", "csubj"):  # garbled: the subject itself
            subj = [head]
        order: list[Token] = []
        for s in subj:
            order.extend(sorted(s.subtree, key=lambda t: abs(t.i - s.i)))
        hit = parties.first(order, skip_aff=actor_aff, victims=head.lemma_ in lex.passive_targets)
        if hit:
            target = hit[0]
            break
        if head.pos_ in ("NOUN", "PROPN"):  # an act noun: "any Russian incursion", "aggression on the part of Russia"
            order.extend(t for t in head.subtree if t.i < head.i)
            order.extend(t for t in head.subtree if t.i > head.i)
        order.extend(doc[i] for i in sorted(c.tokens))
        hit = parties.first(order, skip_aff=actor_aff, victims=False, passive_victims=True)
        if hit:
            target = hit[0]
            break
    if target is None and not a.rule.protective:
        objs: list[Token] = []
        verbs = [*comm, a.root, *a.root.ancestors]
        verbs += [c for c in a.root.children if c.dep_ == "xcomp"]  # "threatened to cut off gas to Ukraine"
        for v in verbs:
            for ch in v.children:
                if ch.dep_ in ("dobj", "dative") and ch.i != a.root.i:
                    objs.extend(sorted(ch.subtree, key=lambda t: abs(t.i - ch.i)))
                if ch.dep_ == "prep" and ch.lower_ in (("with",) if cat == DEESCALATION else ("on", "against", "for", "to")):
                    objs.extend(gc for gc in ch.subtree if gc.i != ch.i)
        if a.rule.category == "red_line" and a.root.dep_ in ("attr", "acomp"):
            for ch in a.root.head.children:
                if ch.dep_ in ("nsubj", "nsubjpass"):
                    objs.extend(ch.subtree)
        hit = parties.first(objs, skip_aff=actor_aff)
        target = hit[0] if hit else None
    if target is None and cat != DEESCALATION and not a.rule.protective:
        in_cond = set().union(*(c.tokens for c in conds)) if conds else set()
        hit = parties.first((t for t in sent if t.i not in in_cond), skip_aff=actor_aff, victims=False)
        target = hit[0] if hit else None
    if target is None and cat != DEESCALATION and actor_aff:
        for prev in reversed(emitted):
            if idx.paragraph_id(prev.start_char) < pid - 8:
                break
            if prev.actor_affiliation == actor_aff and prev.target_affiliation:
                target = Party(prev.target_id, prev.target_name, prev.target_affiliation)
                break
    if target is not None and actor is not None and target.affiliation == actor.affiliation:
        target = None
    target = _as_state(target)
    if actor is not None and actor.entity_id and actor.entity_id.startswith("norp:"):
        actor = _as_state(actor)

    condition = None
    if conds:
        condition = "; ".join(c.span.text.strip(" ,“”\"") for c in conds)
    return Threat(
        threat_id=f"{doc_id}-T{n:03d}",
        doc_id=doc_id,
        sent_id=idx.sent_id(sent.start_char),
        start_char=sent.start_char,
        end_char=sent.end_char,
        text=sent.text.strip(),
        trigger=_anchor_phrase(a),
        category=cat,
        actor_id=actor.entity_id if actor else None,
        actor_name=actor.name if actor else None,
        actor_affiliation=actor_aff,
        target_id=target.entity_id if target else None,
        target_name=target.name if target else None,
        target_affiliation=target.affiliation if target else None,
        conditional=bool(conds),
        condition=condition,
        intensity=int(intensity),
        speaker_id=speaker_id,
    )


# ---------------------------------------------------------------- aggregation
def threats_frame(records: Iterable[Threat]) -> pd.DataFrame:
    """Threat records -> the ``threats`` table."""
    return to_frame("threats", records)


def _published_of(threats: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """``documents.published`` of each threat's document (first row per doc id; missing when none)."""
    pos = doc_positions(threats, documents) if len(documents) else None
    if pos is None:  # repeated doc ids: the first row of each, as a merge on drop_duplicates would take
        pub = documents[["doc_id", "published"]].drop_duplicates("doc_id")
        return threats[["doc_id"]].merge(pub, on="doc_id", how="left")["published"]
    found = pos >= 0
    published = documents["published"].take(np.where(found, pos, 0)).reset_index(drop=True)
    return published if found.all() else published.where(found)


def threat_dyads(threats: pd.DataFrame, documents: pd.DataFrame, *, freq: str = "W",
                 include_deescalation: bool = True) -> pd.DataFrame:
    """Threats per actor -> target affiliation dyad, period and category, with the evidence.

    Columns: ``period`` (start of the period, from ``documents.published``),
    ``actor_affiliation``, ``target_affiliation``, ``category``, ``n_threats``,
    ``n_docs``, ``max_intensity``, ``mean_intensity``, ``n_conditional``,
    ``threat_ids`` and ``evidence`` ("; "-joined sentence texts). Unknown sides are
    kept as "unknown" so no evidence is silently dropped.

    Examples:
        >>> import pandas as pd
        >>> t = pd.DataFrame({"threat_id": ["a-T000"], "doc_id": ["a"], "text": ["x"], "category": ["economic"],
        ...     "actor_affiliation": ["United States"], "target_affiliation": ["Russia"], "intensity": [3],
        ...     "conditional": [True]})
        >>> d = pd.DataFrame({"doc_id": ["a"], "published": [pd.Timestamp("2021-12-01")]})
        >>> threat_dyads(t, d)[["actor_affiliation", "target_affiliation", "n_threats"]].values.tolist()
        [['United States', 'Russia', 1]]
    """
    cols = ["period", "actor_affiliation", "target_affiliation", "category", "n_threats", "n_docs",
            "max_intensity", "mean_intensity", "n_conditional", "threat_ids", "evidence"]
    if threats is None or len(threats) == 0:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    t = threats[["threat_id", "doc_id", "text", "category", "actor_affiliation", "target_affiliation", "intensity",
                 "conditional"]]
    if not include_deescalation:
        t = t[t["category"] != DEESCALATION]
    published = pd.to_datetime(_published_of(t, documents), errors="coerce")
    # the period of each distinct day, not of each threat
    day, days = pd.factorize(published, use_na_sentinel=False)
    start = pd.Series(days).dt.to_period(freq).dt.start_time.to_numpy()
    t = t.assign(period=start[day])
    for side in ("actor_affiliation", "target_affiliation"):
        t[side] = t[side].where(t[side].notna() & (t[side].astype(str) != "None"), "unknown").astype(str)
    g = t.groupby(["period", "actor_affiliation", "target_affiliation", "category"], dropna=False, sort=True)
    out = g.agg(
        n_threats=("threat_id", "size"),
        n_docs=("doc_id", "nunique"),
        max_intensity=("intensity", "max"),
        mean_intensity=("intensity", "mean"),
        n_conditional=("conditional", "sum"),
    ).reset_index()
    # the text columns joined per group from one stable sort (a Python lambda per group was most of the time)
    group = g.ngroup().to_numpy()
    order = np.argsort(group, kind="stable")
    cut = np.flatnonzero(np.diff(group[order])) + 1
    ids, texts = t["threat_id"].to_numpy(dtype=object)[order], t["text"].to_numpy(dtype=object)[order]
    out["threat_ids"] = ["; ".join(x) for x in np.split(ids, cut)] if len(t) else []
    out["evidence"] = ["; ".join(dict.fromkeys(x)) for x in np.split(texts, cut)] if len(t) else []
    out["n_conditional"] = out["n_conditional"].astype("int64")
    out["max_intensity"] = out["max_intensity"].astype("int64")
    return out[cols].sort_values(["period", "n_threats"], ascending=[True, False], kind="stable").reset_index(drop=True)
