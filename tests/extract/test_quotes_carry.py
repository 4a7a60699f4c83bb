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
        ("Mayor Ihor Terekhov responded by saying the city would “rebuild every school.”",
         [("rebuild every school.", "partial", "Mayor Ihor Terekhov", "person", "explicit")]),
        # a passive cue: the agent speaks, not the subject
        ("Olena Shevchuk was told by aides that the aid bill was “dead in the water.”",
         [("dead in the water.", "partial", "aides", "anonymous", "title")]),
        ("Asked by Senator Ruth Calder whether the sanctions plan “has teeth,” the envoy shrugged.",
         [("has teeth,", "partial", "Senator Ruth Calder", "person", "explicit")]),
        # object control: "led X to call", "prompted X to say": the object speaks
        ("The remark led Senator Ruth Calder to laugh and call the proposal “very creative.”",
         [("very creative.", "partial", "Senator Ruth Calder", "person", "explicit")]),
        ("The delay prompted Senator Ruth Calder to say, “This is a betrayal.”",
         [("This is a betrayal.", "full", "Senator Ruth Calder", "person", "explicit")]),
    ],
)
def test_cue_inside_another_construction(nlp, text, expected):
    assert _quotes(nlp, text) == expected


def test_quote_inside_the_clause_a_later_cue_reports(nlp):
    """A short quote opening a sentence whose cue comes at its end is the cue subject's, not a scare term."""
    text = "“Painful compromises” would be needed, Senator Ruth Calder said after the vote."
    assert _quotes(nlp, text) == [("Painful compromises", "partial", "Senator Ruth Calder", "person", "explicit")]


def test_first_half_of_a_quote_split_by_an_aside(nlp):
    text = ("Taras Melnyk spoke for an hour. “I do not believe the old assumption” -- that the front will "
            "freeze by winter -- “is going to hold,” Melnyk says.")
    assert _quotes(nlp, text) == [
        ("I do not believe the old assumption", "full", "Melnyk", "person", "explicit"),
        ("is going to hold,", "partial", "Melnyk", "person", "explicit"),
    ]


def test_quote_after_a_reporting_sentence_in_its_paragraph(nlp):
    text = ("Police detained the activist.\n\n"
            "Taras Melnyk, the activist's lawyer, argues that his client broke no law. "
            "“The prosecutors are wrong about him.”")
    assert _quotes(nlp, text) == [
        ("The prosecutors are wrong about him.", "full", "Taras Melnyk", "person", "continuation")]


def test_no_carry_when_the_reporting_sentence_names_two_people(nlp):
    text = "Taras Melnyk told Olena Shevchuk that the deal was off. “It is finished.”"
    assert _quotes(nlp, text) == [("It is finished.", "full", None, None, "unresolved")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a noun of speech owned by a name: its owner speaks the words it governs
        ("Taras Melnyk spoke on Monday. Melnyk’s answer was that “the front line matters most,” so the allies "
         "should send shells.", [("the front line matters most,", "partial", "Melnyk", "person", "explicit")]),
        # the subject of the light verb taking the noun ("made the point that")
        ("Melnyk also made the point that the truce would be “a gift to Moscow.”",
         [("a gift to Moscow.", "partial", "Melnyk", "person", "explicit")]),
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
        ("Taras Melnyk said that Olena Shevchuk faced a “watertight” case.",
         [("watertight", "partial", "Taras Melnyk", "person", "explicit")]),
        # a later fragment of the same reported clause, after the cue search stopped at the first quote
        ("Melnyk said it was “absolutely clear” that the depot was unguarded, and that Shevchuk faced a "
         "“watertight” case on twelve “criminal charges” – absent a pardon.",
         [("absolutely clear", "partial", "Melnyk", "person", "explicit"),
          ("watertight", "partial", "Melnyk", "person", "explicit"),
          ("criminal charges", "partial", "Melnyk", "person", "explicit")]),
        # "goes on" before a noun is no cue; the reporting verb before it is
        ("Senator Ruth Calder said that once the Senate goes on holiday, “I will keep pressing for the aid.”",
         [("I will keep pressing for the aid.", "full", "Senator Ruth Calder", "person", "explicit")]),
        # "As X puts it": the one who puts it speaks
        ("As Olena Shevchuk puts it, the Kremlin is trying to make Kyiv “an offer it cannot refuse.”",
         [("an offer it cannot refuse.", "partial", "Olena Shevchuk", "person", "explicit")]),
        # a wish is no speech: "would like Melnyk to explain" does not make Melnyk the speaker
        ("Olena Shevchuk said she would like Melnyk to further explain his position because there is “no doubt” "
         "about the shortfall.", [("no doubt", "partial", "she", "person", "pronoun")]),
    ],
)
def test_reported_speech_fragments(nlp, text, expected):
    assert _quotes(nlp, text) == expected


def test_name_after_a_quote_starting_its_own_report_is_not_the_speaker(nlp):
    text = ("Olena Shevchuk contacted the supplier, writing in an email: “We need the generators soon.” "
            "Taras Melnyk, the supplier’s director, said the ministry has yet to pay.")
    assert _quotes(nlp, text) == [("We need the generators soon.", "full", "Olena Shevchuk", "person", "explicit")]


@pytest.mark.parametrize(
    "text, expected",
    [
        # an inverted attribution with any verb: the subject after it speaks
        ("“Our idea of victory is different,” agrees Oksana Hrytsenko, 34, of Dnipro.",
         [("Our idea of victory is different,", "full", "Oksana Hrytsenko", "person", "explicit")]),
        # a participle after a reported clause: the reporting verb's subject, not the clause's
        ("Taras Melnyk argued that a registry would keep smugglers out, saying it is “all about control.”",
         [("all about control.", "partial", "Taras Melnyk", "person", "explicit")]),
        # ... but not a verb inside the quote the parser hung the sentence on
        ("Vitali Klitschko did not seem impressed by the promises on Tuesday, telling reporters, "
         "“Many people said the heating would be back by now.”",
         [("Many people said the heating would be back by now.", "full", "Vitali Klitschko", "person", "explicit")]),
        # a closing cue the parser tagged as a noun; "states" as a verb (never "the United States")
        ("“If he wants peace, he should come to Kyiv,” the editorial read.",
         [("If he wants peace, he should come to Kyiv,", "full", "the editorial", "document", "title")]),
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
        ("Taras Melnyk said the brigade had “remarkably strong” morale, shows “extraordinary” discipline "
         "and will be “the best-trained unit in the army.”",
         [("remarkably strong", "partial", "Taras Melnyk", "person", "explicit"),
          ("extraordinary", "partial", "Taras Melnyk", "person", "explicit"),
          ("the best-trained unit in the army.", "partial", "Taras Melnyk", "person", "explicit")]),
        # an assertion is a noun of speech: its owner speaks the fragment
        ("It started with Taras Melnyk’s assertion that “hundreds” of conscripts had fled.",
         [("hundreds", "partial", "Taras Melnyk", "person", "explicit")]),
        # a new subject with a cue of its own takes the next fragment
        ("Tom Walsh called the plan “reckless,” but Ellen Price said it was “bold.”",
         [("reckless,", "partial", "Tom Walsh", "person", "explicit"),
          ("bold.", "partial", "Ellen Price", "person", "explicit")]),
    ],
)
def test_fragments_of_one_report(nlp, text, expected):
    assert _quotes(nlp, text) == expected


def test_no_carry_across_a_described_newcomer_who_speaks(nlp):
    text = ("“We are watching closely,” Defence Minister Boris Pistorius said. “No country can stand aside.” "
            "A Russian official replied that Berlin should be careful. “Outsiders should not fan the flames.”")
    assert _quotes(nlp, text) == [
        ("We are watching closely,", "full", "Defence Minister Boris Pistorius", "person", "explicit"),
        ("No country can stand aside.", "full", "Defence Minister Boris Pistorius", "person", "continuation"),
        ("Outsiders should not fan the flames.", "full", "A Russian official", "anonymous", "continuation"),
    ]


def test_signed_quote_paragraphs(nlp):
    """Pull quotes signed on the next line take the signer as speaker."""
    text = ('Voices.\n\n"An official stealing aid is something we hear about every month, and it has to '
            'end."\n\n-Iryna Bondar, Lviv.\n\n"We will rebuild this city, street by street."\n\n'
            "— Mayor Ihor Terekhov, speaking after the strike.")
    assert _quotes(nlp, text) == [
        ("An official stealing aid is something we hear about every month, and it has to end.",
         "full", "Iryna Bondar", "person", "explicit"),
        ("We will rebuild this city, street by street.", "full", "Mayor Ihor Terekhov", "person", "explicit"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a reporting verb of the lexicon's news register ("indicated", "estimated", "characterized")
        ("Asked by lawmakers, Kubrakov indicated that the ministry “should have known” the bridge was unsafe.",
         [("should have known", "partial", "Kubrakov", "person", "explicit")]),
        # a quote opening a sentence and running on after the reporting sentence before it
        ("Taras Melnyk, the activist's lawyer, argues that his client broke no law. “The prosecutors are "
         "claiming that his posts” were illegal.",
         [("The prosecutors are claiming that his posts", "partial", "Taras Melnyk", "person", "continuation")]),
    ],
)
def test_more_reporting_sentences(nlp, text, expected):
    assert _quotes(nlp, text) == expected


def test_cue_of_the_next_sentence_is_not_the_fragments(nlp):
    text = ("At one point, Melnyk urged Shevchuk to “hold, hold, hold.” That prompted Ivan Koval to make "
            "a joke and call Shevchuk “very patient.”")
    assert _quotes(nlp, text) == [
        ("hold, hold, hold.", "partial", "Melnyk", "person", "explicit"),
        ("very patient.", "partial", "Ivan Koval", "person", "explicit"),
    ]


def test_inverted_lead_in_on_its_own_line(nlp):
    text = "Taras Melnyk spoke on the radio on Monday.\n\nAdded the mayor:\n\n“I think that the stakes are very high.”"
    assert _quotes(nlp, text) == [("I think that the stakes are very high.", "full", "the mayor", "anonymous", "title")]
