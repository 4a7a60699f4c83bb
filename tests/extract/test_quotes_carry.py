"""Speaker attribution from the parse around the cue, and carrying a speaker to cue-less quotes (issue 17).

Sentences written for these tests (realistic news copy, no corpus text); each
asserts the exact quote text, kind, speaker and source type of one construction.
"""
from __future__ import annotations

import pytest

from ukraine_briefs.extract import entities, quotes


def _quotes(nlp, text):
    doc = nlp(text)
    ms = list(entities.doc_mentions(doc, doc_id="t"))
    return [(q.text, q.kind, q.speaker_surface, q.source_type, q.attribution)
            for q in quotes.doc_quotes(doc, doc_id="t", mentions=ms)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the cue sits in a prepositional complement: the main verb's subject speaks
        ("Mayor Ellen Price responded by saying the town would “rebuild every house.”",
         [("rebuild every house.", "partial", "Mayor Ellen Price", "person", "explicit")]),
        # a passive cue: the agent speaks, not the subject
        ("Ellen Price was told by aides that the bill was “dead on arrival.”",
         [("dead on arrival.", "partial", "aides", "anonymous", "title")]),
        ("Asked by Senator Tom Walsh whether the plan “holds water,” the minister shrugged.",
         [("holds water,", "partial", "Senator Tom Walsh", "person", "explicit")]),
        # object control: "led X to call", "prompted X to say": the object speaks
        ("The remark led Senator Tom Walsh to make a joke and call the plan “very flexible.”",
         [("very flexible.", "partial", "Senator Tom Walsh", "person", "explicit")]),
        ("The delay prompted Senator Tom Walsh to say, “This is a disgrace.”",
         [("This is a disgrace.", "full", "Senator Tom Walsh", "person", "explicit")]),
    ],
)
def test_cue_inside_another_construction(nlp, text, expected):
    assert _quotes(nlp, text) == expected


def test_quote_inside_the_clause_a_later_cue_reports(nlp):
    """A short quote opening a sentence whose cue comes at its end is the cue subject's, not a scare term."""
    text = "“Tough choices” would be needed, Senator Tom Walsh said after the vote."
    assert _quotes(nlp, text) == [("Tough choices", "partial", "Senator Tom Walsh", "person", "explicit")]


def test_first_half_of_a_quote_split_by_an_aside(nlp):
    text = ("Tom Walsh spoke for an hour. “I do not think the conventional wisdom” -- that the mayor is a "
            "nanny-state liberal -- “is going to last,” Walsh says.")
    assert _quotes(nlp, text) == [
        ("I do not think the conventional wisdom", "full", "Walsh", "person", "explicit"),
        ("is going to last,", "partial", "Walsh", "person", "explicit"),
    ]


def test_quote_after_a_reporting_sentence_in_its_paragraph(nlp):
    text = ("Police arrested the suspect.\n\n"
            "Tom Walsh, the suspect's lawyer, argues that his client was never violent. "
            "“The government is wrong about him.”")
    assert _quotes(nlp, text) == [
        ("The government is wrong about him.", "full", "Tom Walsh", "person", "continuation")]


def test_no_carry_when_the_reporting_sentence_names_two_people(nlp):
    text = "Tom Walsh told Ellen Price that the plan was over. “It is dead.”"
    assert _quotes(nlp, text) == [("It is dead.", "full", None, None, "unresolved")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a noun of speech owned by a name: its owner speaks the words it governs
        ("Tom Walsh spoke on Monday. Walsh’s answer was that “the family matters most,” so the state should help.",
         [("the family matters most,", "partial", "Walsh", "person", "explicit")]),
        # the subject of the light verb taking the noun ("made the point that")
        ("Walsh also made the point that the deal would be “a third Obama term.”",
         [("a third Obama term.", "partial", "Walsh", "person", "explicit")]),
        # a term after "used the term" names nobody's words
        ("The ministry used the term “special operation.”", [("special operation.", "scare", None, None, "unresolved")]),
    ],
)
def test_speech_noun_owner(nlp, text, expected):
    assert _quotes(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # quoted fragments inside reported speech are the reporting clause's subject's, not the inner subject's
        ("Tom Walsh said that Ellen Price faced a “slam-dunk” indictment.",
         [("slam-dunk", "partial", "Tom Walsh", "person", "explicit")]),
        # a later fragment of the same reported clause, after the cue search stopped at the first quote
        ("Walsh said it was “absolutely clear” that the server was open, and that Price faced a “slam-dunk” "
         "indictment on twenty “felony charges” – absent intervention.",
         [("absolutely clear", "partial", "Walsh", "person", "explicit"),
          ("slam-dunk", "partial", "Walsh", "person", "explicit"),
          ("felony charges", "partial", "Walsh", "person", "explicit")]),
        # "goes on" before a noun is no cue; the reporting verb before it is
        ("Senator Tom Walsh said that once the Senate goes on recess, “I intend to do as much as I can.”",
         [("I intend to do as much as I can.", "full", "Senator Tom Walsh", "person", "explicit")]),
        # "As X puts it": the one who puts it speaks
        ("As Ellen Price puts it, the mayor is trying to make the council “an offer it cannot refuse.”",
         [("an offer it cannot refuse.", "partial", "Ellen Price", "person", "explicit")]),
        # a wish is no speech: "would like Walsh to explain" does not make Walsh the speaker
        ("Ellen Price said she would like Walsh to further explain his stance because there is “no question” "
         "about the vote.", [("no question", "partial", "she", "person", "pronoun")]),
    ],
)
def test_reported_speech_fragments(nlp, text, expected):
    assert _quotes(nlp, text) == expected


def test_name_after_a_quote_starting_its_own_report_is_not_the_speaker(nlp):
    text = ("Ellen Price reached out to the firm, writing in an email: “We want to use this soon.” "
            "Tom Walsh, the firm’s owner, said the campaign has yet to follow up.")
    assert _quotes(nlp, text) == [("We want to use this soon.", "full", "Ellen Price", "person", "explicit")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # an inverted attribution with any verb: the subject after it speaks
        ("“Our ideas of success are different,” agrees Michelle Stevens, 30, of Gainesville.",
         [("Our ideas of success are different,", "full", "Michelle Stevens", "person", "explicit")]),
        # a participle after a reported clause: the reporting verb's subject, not the clause's
        ("Tom Walsh argued that a database would keep people out, saying it is “all about management.”",
         [("all about management.", "partial", "Tom Walsh", "person", "explicit")]),
        # ... but not a verb inside the quote the parser hung the sentence on
        ("Karen Weaver did not seem particularly impressed with the comments Tuesday, telling reporters, "
         "“A lot of people said the governor should step down.”",
         [("A lot of people said the governor should step down.", "full", "Karen Weaver", "person", "explicit")]),
        # a closing cue the parser tagged as a noun; "states" as a verb (never "the United States")
        ("“If she wants to be president, she should come to Louisiana,” the editorial read.",
         [("If she wants to be president, she should come to Louisiana,", "full", "the editorial", "document",
           "title")]),
        ("“Leave is available after one year,” the document states.",
         [("Leave is available after one year,", "full", "the document", "document", "document")]),
    ],
)
def test_cue_verbs_the_parse_finds(nlp, text, expected):
    assert _quotes(nlp, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # the same report goes on with no new subject: later fragments share the first one's speaker
        ("Tom Walsh said the mayor had “astonishingly excellent” results, shows “extraordinary” strength "
         "and will be “the healthiest mayor ever.”",
         [("astonishingly excellent", "partial", "Tom Walsh", "person", "explicit"),
          ("extraordinary", "partial", "Tom Walsh", "person", "explicit"),
          ("the healthiest mayor ever.", "partial", "Tom Walsh", "person", "explicit")]),
        # an assertion is a noun of speech: its owner speaks the fragment
        ("It started with Tom Walsh’s assertion that “thousands” of residents had left.",
         [("thousands", "partial", "Tom Walsh", "person", "explicit")]),
        # a new subject with a cue of its own takes the next fragment
        ("Tom Walsh called the plan “reckless,” but Ellen Price said it was “bold.”",
         [("reckless,", "partial", "Tom Walsh", "person", "explicit"),
          ("bold.", "partial", "Ellen Price", "person", "explicit")]),
    ],
)
def test_fragments_of_one_report(nlp, text, expected):
    assert _quotes(nlp, text) == expected


def test_no_carry_across_a_described_newcomer_who_speaks(nlp):
    text = ("“We are watching closely,” Defence Minister Gen Nakatani said. “No country can be an outsider.” "
            "A Chinese official replied that Japan should be careful. “Outsiders should not stir up trouble.”")
    assert _quotes(nlp, text) == [
        ("We are watching closely,", "full", "Defence Minister Gen Nakatani", "person", "explicit"),
        ("No country can be an outsider.", "full", "Defence Minister Gen Nakatani", "person", "continuation"),
        ("Outsiders should not stir up trouble.", "full", "A Chinese official", "anonymous", "continuation"),
    ]


def test_signed_quote_paragraphs(nlp):
    """Pull quotes signed on the next line take the signer as speaker."""
    text = ('Quotable.\n\n"The whole idea of a crooked mayor is something we hear about all the time, and it needs '
            'to stop."\n\n-Michelle Marks, Philadelphia.\n\n"We will rebuild this city, block by block."\n\n'
            "— Mayor Tom Walsh, speaking after the fire.")
    assert _quotes(nlp, text) == [
        ("The whole idea of a crooked mayor is something we hear about all the time, and it needs to stop.",
         "full", "Michelle Marks", "person", "explicit"),
        ("We will rebuild this city, block by block.", "full", "Mayor Tom Walsh", "person", "explicit"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a reporting verb of the lexicon's news register ("indicated", "estimated", "characterized")
        ("Asked by lawmakers, Comey indicated that the minister “should have known” the system was unsafe.",
         [("should have known", "partial", "Comey", "person", "explicit")]),
        # a quote opening a sentence and running on after the reporting sentence before it
        ("Tom Walsh, the suspect's lawyer, argues that his client was never violent. “The government is "
         "alleging that his calls” were violent.",
         [("The government is alleging that his calls", "partial", "Tom Walsh", "person", "continuation")]),
    ],
)
def test_more_reporting_sentences(nlp, text, expected):
    assert _quotes(nlp, text) == expected


def test_cue_of_the_next_sentence_is_not_the_fragments(nlp):
    text = ("At one point, Walsh urged Price to “breathe, breathe, breathe.” That prompted Tom Jones to make "
            "a joke and call Price “very flexible.”")
    assert _quotes(nlp, text) == [
        ("breathe, breathe, breathe.", "partial", "Walsh", "person", "explicit"),
        ("very flexible.", "partial", "Tom Jones", "person", "explicit"),
    ]


def test_inverted_lead_in_on_its_own_line(nlp):
    text = "Tom Walsh spoke on the radio on Monday.\n\nAdded the mayor:\n\n“I think that the stakes are so high.”"
    assert _quotes(nlp, text) == [("I think that the stakes are so high.", "full", "the mayor", "anonymous", "title")]
