"""The actor gazetteer: coverage, aliases and transliterations, metonyms, ruler patterns."""
from __future__ import annotations

import re

import pytest

from ukraine_briefs.extract import gazetteer as gz


def test_gazetteer_is_broad_and_well_formed():
    table = gz.actors()
    assert len(table) >= 150
    assert table["entity_id"].is_unique
    assert table["entity_id"].str.match(r"^(person|org|gpe|loc|norp|fac|event|law):[a-z0-9_]+$").all()
    # every affiliation names another entry (a state or bloc), never a typo
    names = set(table["canonical_name"])
    affs = set(table["affiliation"].dropna())
    assert affs <= names
    wd = table["wikidata_id"].dropna()
    assert wd.map(lambda q: bool(re.fullmatch(r"Q[1-9][0-9]*", q))).all()
    # the crisis' actors beyond the seeds
    for eid in [
        "person:olaf_scholz", "person:emmanuel_macron", "person:boris_johnson", "person:liz_truss",
        "person:alexander_lukashenko", "person:andrzej_duda", "person:kaja_kallas", "person:gabrielius_landsbergis",
        "person:egils_levits", "person:josep_borrell", "person:antonio_guterres", "person:helga_schmid",
        "person:maria_zakharova", "person:sergei_shoigu", "person:oleksii_reznikov", "person:ned_price",
        "gpe:mariupol", "gpe:kharkiv", "gpe:luhansk", "gpe:donetsk", "loc:donbas", "loc:crimea",
    ]:
        assert gz.get(eid) is not None, eid


@pytest.mark.parametrize(
    "alias, entity_id",
    [
        ("Zelensky", "person:volodymyr_zelenskyy"),
        ("Zelenskiy", "person:volodymyr_zelenskyy"),
        ("Zelenskyy", "person:volodymyr_zelenskyy"),
        ("Volodymyr Zelensky", "person:volodymyr_zelenskyy"),
        ("Volodymyr Zelenskiy", "person:volodymyr_zelenskyy"),
        ("Volodmir Zelensky", "person:volodymyr_zelenskyy"),
        ("Kyiv", "gpe:kyiv"),
        ("Kiev", "gpe:kyiv"),
        ("Sergey Lavrov", "person:sergey_lavrov"),
        ("Sergei Lavrov", "person:sergey_lavrov"),
        ("Oleksii Reznikov", "person:oleksii_reznikov"),
        ("Oleksi Reznikov", "person:oleksii_reznikov"),
        ("Dmitry Peskov", "person:dmitry_peskov"),
        ("Dmitri Peskov", "person:dmitry_peskov"),
        ("Donbas", "loc:donbas"),
        ("Donbass", "loc:donbas"),
        ("the Donbass", "loc:donbas"),
        ("Crimea", "loc:crimea"),
        ("Lugansk", "gpe:luhansk"),
        ("Kharkov", "gpe:kharkiv"),
        ("Mariupol", "gpe:mariupol"),
        ("Aliaksandr Lukashenka", "person:alexander_lukashenko"),
        ("the Kremlin", "org:kremlin"),
        ("The White House", "org:white_house"),
        ("U.S.", "gpe:united_states"),
        ("the North Atlantic Treaty Organization", "org:nato"),
        ("Organization for Security and Cooperation in Europe", "org:osce"),
        ("North Stream 2", "fac:nord_stream_2"),
        ("Minsk Agreement", "law:minsk_agreements"),
        ("Putin", "person:vladimir_putin"),
        ("Blinken", "person:antony_blinken"),
        ("Mariusz Blaszczak", "person:mariusz_blaszczak"),
        ("Mariusz Błaszczak", "person:mariusz_blaszczak"),
    ],
)
def test_alias_resolves_to_canonical_id(alias, entity_id):
    assert gz.lookup(alias).entity_id == entity_id


@pytest.mark.parametrize(
    "entity_id, affiliation",
    [
        ("person:antony_blinken", "United States"),
        ("person:dmitry_peskov", "Russia"),
        ("person:jens_stoltenberg", "NATO"),
        ("person:volodymyr_zelenskyy", "Ukraine"),
        ("person:alexander_lukashenko", "Belarus"),
        ("org:kremlin", "Russia"),
        ("gpe:moscow", "Russia"),
        ("org:white_house", "United States"),
        ("gpe:washington", "United States"),
        ("gpe:kyiv", "Ukraine"),
        ("person:sascha_glaeser", None),  # not in the gazetteer
        ("loc:donbas", None),
    ],
)
def test_affiliation_of(entity_id, affiliation):
    assert gz.affiliation_of(entity_id) == affiliation


def test_metonyms_point_to_their_state():
    assert gz.get("org:kremlin").metonym_for == "gpe:russia"
    assert gz.get("gpe:moscow").metonym_for == "gpe:russia"
    assert gz.get("org:white_house").metonym_for == "gpe:united_states"
    assert gz.get("gpe:washington").metonym_for == "gpe:united_states"
    assert gz.get("gpe:kyiv").metonym_for == "gpe:ukraine"


def test_ambiguous_surnames_do_not_resolve_alone():
    assert gz.lookup("Johnson") is None  # Boris Johnson is flagged surname_ok: false
    assert gz.lookup("Sullivan") is None  # Jake Sullivan and John Sullivan
    assert gz.lookup("Boris Johnson").entity_id == "person:boris_johnson"


def _ids_by_pattern(patterns):
    by_text = {}
    for p in patterns:
        by_text.setdefault(p["pattern"], set()).add(p["id"])
    return by_text


def test_ruler_patterns():
    patterns = gz.ruler_patterns()
    by_text = _ids_by_pattern(patterns)
    assert by_text["Putin"] == {"person:vladimir_putin"}
    assert by_text["Kiev"] == {"gpe:kyiv"}
    assert by_text["Donbass"] == {"loc:donbas"}
    assert "Johnson" not in by_text and "Price" not in by_text and "Austin" not in by_text
    assert all(p["pattern"][0].isupper() or p["pattern"][0].isdigit() for p in patterns)
    assert all(len(ids) == 1 for ids in by_text.values())
    # curly apostrophes of spun copies are matched too
    assert "Donetsk People’s Republic" in by_text


def test_ids_for_unknown_names_are_stable_slugs():
    assert gz.make_id("Sascha Glaeser", "PERSON") == "person:sascha_glaeser"
    assert gz.make_id("  Jean-Yves  Le Drian ", "PERSON") == gz.get("person:jean_yves_le_drian").entity_id
    assert gz.make_id("Gabrielius Landsbergis’", "PERSON") == "person:gabrielius_landsbergis"


# --------------------------------------------------------------- any script (issue 22)
@pytest.mark.parametrize(
    "name, label, entity_id",
    [
        # transliterated by anyascii, letter by letter; soft signs dropped
        ("Путин", "PERSON", "person:putin"),
        ("Кулеба", "PERSON", "person:kuleba"),
        ("НАТО", "ORG", "org:nato"),
        ("Игорь Терехов", "PERSON", "person:igor_terekhov"),
        ("Ігор Терехов", "PERSON", "person:igor_terekhov"),  # Ukrainian and Russian spelling: one id
        ("Зеленський", "PERSON", "person:zelenskiy"),  # not zelens_kiy
        ("Київ", "GPE", "gpe:kiiv"),  # й, ї survive: transliterated before accents are folded
        ("Ławrow", "PERSON", "person:lawrow"),  # ids keep the Polish spelling (no w -> v)
        ("Straße", "LOC", "loc:strasse"),
        ("習近平", "PERSON", "person:xijinping"),
    ],
)
def test_ids_of_names_in_any_script_are_transliterated(name, label, entity_id):
    assert gz.make_id(name, label) == entity_id


def test_no_name_gets_an_unknown_id():
    # before: every Cyrillic name was "<type>:unknown", so Putin, Kuleba and NATO were one entity
    ids = {gz.make_id(n, "ORG") for n in ["Путин", "Кулеба", "НАТО", "Песков", "Минск"]}
    assert len(ids) == 5 and not any(i.endswith(":unknown") for i in ids)
    # nothing to transliterate: a stable hash of the text, distinct per name
    assert gz.make_id("!!!", "PERSON") == "person:h9a7b006d20"
    assert gz.make_id("—", "PERSON") == "person:h1b93795b97"
    assert gz.make_id("Ъ", "PERSON") == gz.make_id("Ъ", "PERSON") != gz.make_id("ь", "PERSON")
    assert re.fullmatch(r"person:h[0-9a-f]{10}", gz.make_id("«»", "PERSON"))
    assert gz.make_id("2022", "EVENT") == "event:2022"


@pytest.mark.parametrize(
    "alias, entity_id",
    [
        ("Путин", "person:vladimir_putin"),
        ("Путін", "person:vladimir_putin"),
        ("Владимир Путин", "person:vladimir_putin"),
        ("Зеленский", "person:volodymyr_zelenskyy"),
        ("Зеленський", "person:volodymyr_zelenskyy"),
        ("Лавров", "person:sergey_lavrov"),
        ("Кулеба", "person:dmytro_kuleba"),
        ("Шойгу", "person:sergei_shoigu"),
        ("Песков", "person:dmitry_peskov"),
        ("Байден", "person:joe_biden"),
        ("Блинкен", "person:antony_blinken"),
        ("Лукашенко", "person:alexander_lukashenko"),
        ("Пригожин", "person:yevgeny_prigozhin"),
        ("НАТО", "org:nato"),
        ("Россия", "gpe:russia"),
        ("Росія", "gpe:russia"),
        ("Украина", "gpe:ukraine"),
        ("Україна", "gpe:ukraine"),
        ("Киев", "gpe:kyiv"),
        ("Київ", "gpe:kyiv"),
        ("Москва", "gpe:moscow"),
        ("Кремль", "org:kremlin"),
        # Polish
        ("Ławrow", "person:sergey_lavrov"),
        ("Łukaszenko", "person:alexander_lukashenko"),
        ("Łukaszenka", "person:alexander_lukashenko"),
        ("Lukashenko", "person:alexander_lukashenko"),
        ("Szojgu", "person:sergei_shoigu"),
        ("Prigożyn", "person:yevgeny_prigozhin"),
        ("Prigozhin", "person:yevgeny_prigozhin"),
        ("Pieskow", "person:dmitry_peskov"),
        ("Kułeba", "person:dmytro_kuleba"),
        ("Zełenski", "person:volodymyr_zelenskyy"),
    ],
)
def test_cyrillic_and_polish_aliases(alias, entity_id):
    assert gz.lookup(alias).entity_id == entity_id


def test_ruler_knows_both_scripts():
    by_text = _ids_by_pattern(gz.ruler_patterns())
    # listing "Путин" must not hide the Latin surname of "Vladimir Putin" from the ruler
    assert by_text["Putin"] == by_text["Путин"] == {"person:vladimir_putin"}
    assert by_text["НАТО"] == {"org:nato"}
    assert by_text["Ławrow"] == {"person:sergey_lavrov"}
