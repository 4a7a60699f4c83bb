"""Who said it, on ordinary news: speaker, source type and affiliation for each construction.

Every case is a realistic wire/broadsheet sentence written for this project and
asserts the exact speaker name (or kept description), ``source_type`` and
``speaker_affiliation``.
"""
from __future__ import annotations

import pytest

from ukraine_briefs.extract import entities, quotes
from ukraine_briefs.extract.quotes.sources import description_head, kind_of_description, text_affiliation


def _quotes(nlp, text):
    doc = nlp(text)
    return list(quotes.doc_quotes(doc, doc_id="t", mentions=list(entities.doc_mentions(doc, doc_id="t"))))


def _row(q):
    return (q.speaker_name, q.speaker_surface if q.speaker_name is None else None, q.source_type, q.speaker_affiliation)


# (text, quote prefix, (speaker_name, description kept when unnamed, source_type, affiliation))
CASES = [
    # anonymous sources, affiliation from the description
    ("“We see no signs of de-escalation,” a senior US defense official told reporters on Tuesday.",
     "We see no signs", (None, "a senior US defense official", "anonymous", "United States")),
    ("“The ministry has no comment,” a spokeswoman for the German foreign ministry said.",
     "The ministry has", (None, "a spokeswoman for the German foreign ministry", "anonymous", "Germany")),
    ("“The alliance will defend every inch of its territory,” diplomats said after the meeting.",
     "The alliance will", (None, "diplomats", "anonymous", None)),
    # a definite description refers back to the fuller one (coref): its affiliation
    ("A senior Ukrainian official warned that the talks might be a delaying tactic.\n\n"
     "The official said the talks had brought “no concessions” to Kyiv.",
     "no concessions", (None, "The official", "anonymous", "Ukraine")),
    ("The Russian foreign ministry summoned the British ambassador on Monday.\n\n"
     "“London is pumping weapons into Ukraine,” the ministry said.",
     "London is pumping", (None, "the ministry", "organisation", "Russia")),
    # institutions and documents
    ("“Russia does not threaten anyone,” the Kremlin said in a statement.",
     "Russia does not", ("Kremlin", None, "organisation", "Russia")),
    ("A statement from the State Department said the decision was “premature”.",
     "premature", ("State Department", None, "document", "United States")),
    ("NATO said on Friday it would send more jets to the Baltic. “Our commitment is ironclad,” it said.",
     "Our commitment", ("NATO", None, "organisation", "NATO")),
    # blocs: "Western diplomats" speak for the West, "Baltic officials" for the Baltic states
    ("“Sanctions must stay until the last Russian soldier leaves,” a Western diplomat told reporters in Brussels.",
     "Sanctions must", (None, "a Western diplomat", "anonymous", "West")),
    ("“We warned about this for years,” Baltic officials said after the vote.",
     "We warned", (None, "Baltic officials", "anonymous", "Baltic states")),
    ("“The grain corridor must reopen,” a senior Dutch diplomat said on Tuesday.",
     "The grain", (None, "a senior Dutch diplomat", "anonymous", "Netherlands")),
    ("US officials said Russia had moved more troops. “We are watching closely,” they said.",
     "We are watching", (None, "US officials", "anonymous", "United States")),
    # people: long appositions, initials, hyphens, inverted cues
    ("Anna Kowalska, a 39-year-old strategist at the Warsaw Institute of International Affairs, said: "
     "“Nobody here believes the troops will leave.”",
     "Nobody here", ("Anna Kowalska", None, "person", None)),
    ("“We will not be intimidated,” said Linda Thomas-Greenfield, the U.S. ambassador to the United Nations.",
     "We will not be", ("Linda Thomas-Greenfield", None, "person", "United States")),
    ("“This is a dangerous moment,” John F. Kerry told the conference.",
     "This is a dangerous", ("John F. Kerry", None, "person", None)),
    ("“Diplomacy is the only way,” quipped the minister, Dmytro Kuleba, as he left the talks.",
     "Diplomacy is", ("Dmytro Kuleba", None, "person", "Ukraine")),
    ("“Many would call that a defeat for the government” if the vote failed, said Piotr Nowak, an analyst "
     "at the Polityka Insight consultancy.",
     "Many would call", ("Piotr Nowak", None, "person", None)),
    # a fragment inside reported speech: the reporting clause's subject (a pronoun resolved)
    ("Polish President Andrzej Duda met Biden in Warsaw. He said the plan was “reckless and dangerous”.",
     "reckless and", ("Andrzej Duda", None, "person", "Poland")),
    ("Putin said the West had ignored Russia’s “legitimate concerns”.",
     "legitimate concerns", ("Vladimir Putin", None, "person", "Russia")),
    # a participle continuing the sentence
    ("In an interview on Monday, Kuleba said the talks could be “long and difficult,” adding, "
     "“Diplomacy is never quick.”",
     "Diplomacy is never", ("Dmytro Kuleba", None, "person", "Ukraine")),
    # a question mark does not cut the attribution off
    ("“What kind of security guarantees are these?” Peskov asked, looking visibly irritated.",
     "What kind", ("Dmitry Peskov", None, "person", "Russia")),
]


@pytest.mark.parametrize("text,prefix,want", CASES)
def test_speaker_source_type_and_affiliation(nlp, text, prefix, want):
    q = next(q for q in _quotes(nlp, text) if q.text.startswith(prefix))
    assert _row(q) == want


def test_carry_over_stops_at_a_new_person(nlp):
    text = ("“We will respond,” Kuleba said. “And we will respond decisively.”\n\n"
            "“Nothing is off the table,” he added.\n\n"
            "British Foreign Secretary Liz Truss also spoke on Monday.\n\n"
            "“Russia must withdraw.”")
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution) for q in qs] == [
        ("Dmytro Kuleba", "explicit"), ("Dmytro Kuleba", "continuation"), ("Dmytro Kuleba", "pronoun"),
        (None, "unresolved"),  # Truss was introduced: Kuleba's turn is over, and nobody is named for it
    ]


def test_continuation_skips_a_programme_title(nlp):
    text = ("“He is not going to win this war,” Zelensky said Wednesday on ABC's “Good Morning America.” "
            "“We will prove that on the ground.”")
    qs = _quotes(nlp, text)
    assert [(q.text[:12], q.kind, q.speaker_name) for q in qs] == [
        ("He is not go", "full", "Volodymyr Zelenskyy"), ("Good Morning", "scare", None),
        ("We will prov", "full", "Volodymyr Zelenskyy")]


def test_an_inverted_lead_in_verb_is_not_part_of_the_speaker_name(nlp):
    text = "Taras Melnyk spoke on Monday.\n\nStated Melnyk: “We will hold the line.”"
    doc = nlp(text)
    ms = list(entities.doc_mentions(doc, doc_id="t"))
    assert "Stated Melnyk" not in {m.surface for m in ms}
    (q,) = _quotes(nlp, text)
    assert (q.speaker_surface, q.speaker_name, q.source_type) == ("Melnyk", "Melnyk", "person")


def test_page_furniture_is_never_a_speaker(nlp):
    text = ("Talks resumed on Monday.\n\nWATCH: “We are not going anywhere.”\n\n"
            "RELATED: “Russia will pay a high price”\n\nPhoto: “Ukraine will win” graffiti in Kyiv.")
    qs = _quotes(nlp, text)
    assert qs and all(q.speaker_surface is None and q.source_type is None for q in qs)


def test_scare_quote_has_no_source(nlp):
    (q,) = _quotes(nlp, "Moscow accuses Kyiv of shelling the so-called “people’s republics” in the east.")
    assert (q.kind, q.speaker_surface, q.source_type, q.speaker_affiliation) == ("scare", None, None, None)


@pytest.mark.parametrize("text,head,kind,affiliation", [
    ("a senior U.S. defense official", "official", "anonymous", "United States"),
    ("a statement from the State Department", "statement", "document", "United States"),
    ("the Russian foreign ministry", "ministry", "organisation", "Russia"),
    ("an official briefed on Russia's plans", "official", "anonymous", None),  # a topic, not a side
    ("a West Virginia Republican", "republican", None, None),  # a US state, not the bloc
    ("two European diplomats", "diplomats", "anonymous", "European Union"),
    ("Ukraine's ambassador to the U.K.", "ambassador", None, "Ukraine"),
])
def test_description_words(text, head, kind, affiliation):
    assert (description_head(text), kind_of_description(text), text_affiliation(text)) == (head, kind, affiliation)
