"""Coreference for speakers (`extract.quotes.coref`, `pronouns`): descriptions, pronouns and bodies referred back to."""
from __future__ import annotations

from ukraine_briefs.extract import entities, quotes


def _quotes(nlp, text):
    doc = nlp(text)
    return list(quotes.doc_quotes(doc, doc_id="t", mentions=list(entities.doc_mentions(doc, doc_id="t"))))


def test_description_goes_to_the_phrase_with_the_same_head(nlp):
    text = ("A Russian diplomat in Vienna said the proposal was unacceptable. A US official disagreed.\n\n"
            "“There is nothing to discuss,” the diplomat said.")
    (q,) = _quotes(nlp, text)
    assert (q.speaker_surface, q.source_type, q.speaker_affiliation) == ("the diplomat", "anonymous", "Russia")


def test_pronoun_skips_the_person_of_the_other_gender(nlp):
    text = ("Jen Psaki spoke after Antony Blinken had left the podium.\n\n"
            "“We are not going to negotiate in public,” she said.")
    (q,) = _quotes(nlp, text)
    assert (q.speaker_name, q.attribution, q.source_type, q.speaker_affiliation) == (
        "Jen Psaki", "pronoun", "person", "United States")


def test_it_said_goes_to_the_body_in_the_main_clause(nlp):
    text = ("The Kremlin said Kyiv had broken the ceasefire. “It is a provocation,” it said in a statement.")
    (q,) = _quotes(nlp, text)
    assert (q.speaker_name, q.attribution, q.source_type, q.speaker_affiliation) == (
        "Kremlin", "pronoun", "organisation", "Russia")


def test_they_said_goes_to_unnamed_officials_not_a_country(nlp):
    text = "Western officials said Russia had moved more troops. “We are watching closely,” they said."
    (q,) = _quotes(nlp, text)
    assert (q.speaker_name, q.speaker_surface, q.source_type) == (None, "Western officials", "anonymous")


def test_pronoun_gender_from_the_given_names_list(nlp):
    # "Martha" and "Matt" are in data/given_names.v1.yaml: "he" is not the interviewer
    text = ("Martha Raddatz pressed Matt Gaetz on the aid package for Ukraine.\n\n"
            "“There is no oversight of this money,” he said.")
    (q,) = _quotes(nlp, text)
    assert (q.speaker_name, q.attribution, q.source_type) == ("Matt Gaetz", "pronoun", "person")


def test_she_is_not_the_statement_nor_the_board(nlp):
    text = ("Oksana Melnyk, the ministry’s legal adviser, said in a written statement that the claims had "
            "“no substance.” She added that the contract was “fully transparent.”\n\n"
            "The editorial board of the Kyiv Independent called for an inquiry. "
            "“The public deserves answers,” she said.")
    qs = [q for q in _quotes(nlp, text) if q.kind != "scare"]
    assert [(q.text, q.speaker_name) for q in qs] == [
        ("no substance.", "Oksana Melnyk"), ("fully transparent.", "Oksana Melnyk"),
        ("The public deserves answers,", "Oksana Melnyk")]


def test_he_goes_to_a_name_the_entity_model_missed(nlp):
    # the parser makes "Taras Kovalenko" the subject; the entity model finds no PERSON there
    text = ("Taras Kovalenko, 52, lost his home in Irpin. “My head told me to run,” he said. "
            "“My heart told me to stay,” he added.")
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution, q.source_type) for q in qs] == [
        ("Taras Kovalenko", "pronoun", "person")] * 2


def test_he_goes_to_a_description_naming_one_person(nlp):
    # "the businessman" names one person (data: person_heads); "the businesswoman" is nobody's "he"
    text = ("The businessman has refused to say how much he paid for the steel plant in Zaporizhzhia.\n\n"
            "“I will tell you after the audit,” he said.")
    (q,) = _quotes(nlp, text)
    assert (q.speaker_surface, q.speaker_name, q.attribution, q.source_type) == (
        "The businessman", None, "pronoun", "anonymous")
    (q,) = _quotes(nlp, text.replace("businessman", "businesswoman"))
    assert (q.speaker_surface, q.attribution, q.source_type) == ("he", "unresolved", None)


def test_description_subject_resolves_to_the_person_named_before(nlp):
    # "the incumbent" is Kelly Ayotte, named in the paragraph before; "she" goes through it to her
    text = ("Kelly Ayotte faces a hard race in New Hampshire this year.\n\n"
            "The incumbent has kept her distance from the party's nominee. "
            "“I have always voted for more aid to Ukraine,” she said.")
    (q,) = _quotes(nlp, text)
    assert (q.speaker_name, q.attribution, q.source_type) == ("Kelly Ayotte", "pronoun", "person")
