"""Actor search for the filter bar: what a person types ("Putin", "Poutin", "zelensky") -> canonical actors.

The gazetteer's matching, on the tables side: exact names, ids, affiliations
and aliases (the entities table's ``aliases`` and the gazetteer file
``actors.v1.yaml`` read through `lexicons`), then a bare surname of a person
(unless the gazetteer marks it ambiguous with ``surname_ok: false``), then a
close spelling (RapidFuzz ratio, for spun and misspelt names). Tables may not
import `extract`, so this reads the same data file instead of its code.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
from rapidfuzz import fuzz, process

from ukraine_briefs import lexicons

#: Lowest RapidFuzz ratio (0-100) that counts a typed name as a misspelling of a known one.
FUZZY_CUTOFF = 80


def _key(text) -> str:
    return " ".join(str(text).replace("’", "'").split()).casefold()


def _known(v) -> bool:
    return v is not None and not (isinstance(v, float) and pd.isna(v)) and str(v).strip() not in ("", "None", "nan")


@dataclasses.dataclass(frozen=True)
class ActorMatch:
    """What a typed text resolved to: the canonical ``name`` to filter on and ``how`` it matched."""

    name: str
    how: str  # exact / alias / surname / spelling

    def describe(self, typed: str) -> str:
        """A one-line note for the filter bar ("Poutin → Vladimir Putin (close spelling)")."""
        if self.how == "exact":
            return self.name
        how = {"alias": "alias", "surname": "surname", "spelling": "close spelling"}[self.how]
        return f"{typed} → {self.name} ({how})"


class ActorIndex:
    """Lookup keys (names, aliases, surnames) -> canonical names, for the actors of one entities table."""

    def __init__(self, entities: pd.DataFrame):
        self.exact: dict[str, tuple[str, str]] = {}
        self.surnames: dict[str, set[str]] = {}
        gazetteer = _gazetteer_aliases()
        for row in entities.itertuples(index=False):
            name = str(row.canonical_name)
            if not _known(name):
                continue
            self._add(name, name, "exact")
            self._add(row.entity_id, name, "exact")
            aliases = str(row.aliases).split(";") if _known(getattr(row, "aliases", None)) else []
            for alias in aliases + gazetteer["aliases"].get(_key(name), []):
                self._add(alias, name, "alias")
            if str(row.type) == "PERSON" and " " in name and _key(name) not in gazetteer["no_surname"]:
                self.surnames.setdefault(_key(name.split()[-1]), set()).add(name)
        affiliations = entities["affiliation"] if "affiliation" in entities.columns else []
        for aff in affiliations:
            if _known(aff):
                self._add(aff, str(aff), "exact")
        self._choices = list(self.exact) + list(self.surnames)

    def _add(self, key, name: str, how: str) -> None:
        if _known(key):
            self.exact.setdefault(_key(key), (name, how))

    def match(self, typed: str) -> ActorMatch | None:
        """The actor ``typed`` names, or None. A surname shared by two people matches neither.

        Examples:
            >>> e = pd.DataFrame({"entity_id": ["person:vladimir_putin"], "canonical_name": ["Vladimir Putin"],
            ...                   "type": ["PERSON"], "affiliation": ["Russia"], "aliases": ["Putin"]})
            >>> [ActorIndex(e).match(x).name for x in ("putin", "Poutin", "Vladimir Putin")]
            ['Vladimir Putin', 'Vladimir Putin', 'Vladimir Putin']
        """
        key = _key(typed)
        if not key:
            return None
        if key in self.exact:
            return ActorMatch(*self.exact[key])
        if len(self.surnames.get(key, ())) == 1:
            return ActorMatch(next(iter(self.surnames[key])), "surname")
        if len(key) < 4 or not self._choices:  # "US" or "EU" typed wrong is too short to guess
            return None
        best = process.extractOne(key, self._choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        if best is None:
            return None
        hit = best[0]
        if hit in self.exact:
            return ActorMatch(self.exact[hit][0], "spelling")
        names = self.surnames[hit]
        return ActorMatch(next(iter(names)), "spelling") if len(names) == 1 else None


def _gazetteer_aliases() -> dict:
    """Canonical name (case-folded) -> its aliases in the gazetteer file, and the people whose surname is ambiguous."""
    return _GAZETTEER or _load_gazetteer()


_GAZETTEER: dict = {}


def _load_gazetteer() -> dict:
    try:
        entries = lexicons.load("actors.v1.yaml").get("actors", [])
    except FileNotFoundError:
        entries = []
    aliases: dict[str, list[str]] = {}
    no_surname: set[str] = set()
    for e in entries:
        name = _key(e.get("name", ""))
        aliases[name] = [str(a) for a in e.get("aliases") or []]
        if e.get("surname_ok") is False:
            no_surname.add(name)
    _GAZETTEER.update(aliases=aliases, no_surname=no_surname)
    return _GAZETTEER
