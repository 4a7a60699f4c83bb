"""Colours: one function per kind of thing, so every chart colours it the same way.

Colour-blind safe throughout: the Okabe-Ito set for the main actors and threat
categories, Paul Tol's "muted" set for everything else (assigned by a stable hash
of the name, so an actor keeps its colour across charts, runs and filters).

Examples:
    >>> affiliation_color("Russia") == affiliation_color("russian federation")
    True
    >>> affiliation_color(None)
    '#999999'
"""
from __future__ import annotations

import hashlib

# Okabe & Ito (2008), "Color Universal Design".
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# Paul Tol, "muted" qualitative scheme (minus its pale grey).
TOL_MUTED = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
]

UNKNOWN = "#999999"

#: The principal actors of the corpus get fixed, maximally distinct colours.
AFFILIATION_COLORS = {
    "russia": OKABE_ITO["vermillion"],
    "united states": OKABE_ITO["blue"],
    "ukraine": OKABE_ITO["orange"],
    "nato": OKABE_ITO["bluish_green"],
    "european union": OKABE_ITO["sky_blue"],
    "germany": OKABE_ITO["reddish_purple"],
    "belarus": "#882255",
    "united kingdom": "#332288",
    "france": "#44AA99",
    "osce": "#999933",
    "china": "#CC6677",
    "united nations": "#88CCEE",
}

# Spellings seen in tables and metadata -> the key above.
_AFFILIATION_ALIASES = {
    "russian federation": "russia",
    "kremlin": "russia",
    "moscow": "russia",
    "us": "united states",
    "u.s.": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "washington": "united states",
    "eu": "european union",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "kyiv": "ukraine",
    "kiev": "ukraine",
    "un": "united nations",
    "organization for security and co-operation in europe": "osce",
    "organization for security and cooperation in europe": "osce",
    "north atlantic treaty organization": "nato",
}

# Placeholder labels charts use for a missing actor: grey like None.
_NOBODY = {"unknown", "unknown actor", "unknown target", "unaffiliated", "unattributed", "(unattributed)", "other", "other actors", "other targets"}

#: Threat categories (see data/threat_taxonomy); de-escalation is the contrast colour.
CATEGORY_COLORS = {
    "military": OKABE_ITO["vermillion"],
    "red_line": OKABE_ITO["reddish_purple"],
    "economic": OKABE_ITO["orange"],
    "diplomatic": OKABE_ITO["blue"],
    "unspecified": "#7F7F7F",
    "deescalation": OKABE_ITO["bluish_green"],
}

#: Entity types (spaCy labels).
TYPE_COLORS = {
    "PERSON": OKABE_ITO["blue"],
    "ORG": OKABE_ITO["orange"],
    "GPE": OKABE_ITO["bluish_green"],
    "NORP": OKABE_ITO["reddish_purple"],
    "LOC": OKABE_ITO["sky_blue"],
    "FAC": "#999933",
    "EVENT": OKABE_ITO["vermillion"],
    "LAW": "#332288",
}

#: Diverging, colour-blind safe scale for tone (-1 negative .. +1 positive).
TONE_COLORSCALE = "RdBu"
#: Sequential scale for counts.
COUNT_COLORSCALE = "Cividis"


def _missing(name) -> bool:
    return name is None or (isinstance(name, float) and name != name) or str(name).strip() in ("", "None", "nan", "<NA>")


def _hashed(name: str) -> str:
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=4).digest()
    return TOL_MUTED[int.from_bytes(digest, "big") % len(TOL_MUTED)]


def _affiliation_key(affiliation) -> str | None:
    if _missing(affiliation):
        return None
    key = str(affiliation).strip().lower()
    if key in _NOBODY:
        return None
    return _AFFILIATION_ALIASES.get(key, key)


def affiliation_color(affiliation: str | None) -> str:
    """The colour of an actor affiliation (state or bloc); grey when unknown."""
    key = _affiliation_key(affiliation)
    if key is None:
        return UNKNOWN
    return AFFILIATION_COLORS.get(key) or _hashed(key)


def color_for(name: str | None) -> str:
    """The colour of any named group: its affiliation colour if it is one, else a stable Tol colour."""
    return affiliation_color(name)


def category_color(category: str | None) -> str:
    """The colour of a threat category."""
    if _missing(category):
        return CATEGORY_COLORS["unspecified"]
    key = str(category).strip().lower().replace("-", "_").replace(" ", "_")
    if key in ("de_escalation",):
        key = "deescalation"
    return CATEGORY_COLORS.get(key) or _hashed(key)


def type_color(entity_type: str | None) -> str:
    """The colour of an entity type (PERSON, ORG, GPE ...)."""
    if _missing(entity_type):
        return UNKNOWN
    key = str(entity_type).strip().upper()
    return TYPE_COLORS.get(key) or _hashed(key)


def with_alpha(hex_color: str, alpha: float) -> str:
    """``#RRGGBB`` -> ``rgba(r,g,b,alpha)`` (Sankey links, CI bands).

    Examples:
        >>> with_alpha("#0072B2", 0.3)
        'rgba(0,114,178,0.3)'
    """
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha:g})"
