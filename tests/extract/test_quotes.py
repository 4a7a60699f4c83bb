"""Direct quotes and speakers: seed sentences, ordinary news constructions, and the gold file."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ukraine_briefs.extract import entities, quotes
from ukraine_briefs.ingest.clean import clean_text
from ukraine_briefs.types import to_frame, validate

GOLD = Path(__file__).parents[1] / "gold" / "quotes_seeds.jsonl"


def _quotes(nlp, text, *, doc_id="t"):
    doc = nlp(text)
    ms = list(entities.doc_mentions(doc, doc_id=doc_id))
    return list(quotes.doc_quotes(doc, doc_id=doc_id, mentions=ms))


def _one(nlp, text):
    qs = [q for q in _quotes(nlp, text) if q.kind != "scare"]
    assert len(qs) == 1, [(q.text, q.kind) for q in qs]
    return qs[0]


# ------------------------------------------------------------------ ordinary news constructions

@pytest.mark.parametrize(
    "text, quote, speaker, attribution, cue",
    [
        ('"We will respond," Blinken said.', "We will respond,", "Antony Blinken", "explicit", "say"),
        ("“We will respond,” said Antony Blinken, the secretary of state.", "We will respond,", "Antony Blinken", "explicit", "say"),
        ("Blinken said: “We will respond.”", "We will respond.", "Antony Blinken", "explicit", "say"),
        ("“The door is open,” Jens Stoltenberg told reporters in Brussels.", "The door is open,", "Jens Stoltenberg", "explicit", "tell"),
        ("“There are no minor incursions,” Volodymyr Zelensky tweeted on Thursday.", "There are no minor incursions,", "Volodymyr Zelenskyy", "explicit", "tweet"),
        ("“Sanctions will not work,” Sergey Lavrov wrote in an article.", "Sanctions will not work,", "Sergey Lavrov", "explicit", "write"),
        ("“Talks are the only way,” according to Dmitry Peskov.", "Talks are the only way,", "Dmitry Peskov", "explicit", "according to"),
        ("“Russia has no veto,” Stoltenberg warned.", "Russia has no veto,", "Jens Stoltenberg", "explicit", "warn"),
        ("'We are ready,' Putin insisted.", "We are ready,", "Vladimir Putin", "explicit", "insist"),
    ],
)
def test_ordinary_constructions(nlp, text, quote, speaker, attribution, cue):
    q = _one(nlp, text)
    assert (q.text, q.speaker_name, q.attribution, q.cue, q.kind) == (quote, speaker, attribution, cue, "full")
    assert text[q.start_char:q.end_char] == q.text


def test_pronoun_and_continuation(nlp):
    text = (
        "Antony Blinken met Sergey Lavrov in Stockholm.\n\n"
        "“We are ready to talk,” he said. “But we will respond to aggression.”"
    )
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution) for q in qs] == [
        ("Antony Blinken", "pronoun"),
        ("Antony Blinken", "continuation"),
    ]


def test_descriptive_speaker_stays_unlinked(nlp):
    # seed 003: "the authentic stated" is a spun "the official said"
    text = "Blinken met Lavrov. “We’re exploring quite a lot of choices,” the primary authentic stated."
    q = _one(nlp, text)
    assert (q.speaker_surface, q.speaker_id, q.attribution, q.cue) == ("the primary authentic", None, "title", "say")


def test_foreign_ministry_statement(nlp):
    text = "“Those come with Bulgaria and Romania,” the foreign ministry said in a statement."
    q = _one(nlp, text)
    assert (q.speaker_surface, q.speaker_id, q.attribution) == ("the foreign ministry", None, "title")


def test_document_speaker(nlp):
    q = _one(nlp, "“All parties must withdraw,” the resolution reads.")
    assert (q.speaker_surface, q.attribution, q.cue) == ("the resolution", "document", "read")


def test_spun_cue_instructed_newshounds(nlp):
    text = "“I instructed him that we will share our concerns,” Blinken instructed newshounds following his sitdown with Lavrov."
    q = _one(nlp, text)
    assert (q.speaker_name, q.cue, q.attribution) == ("Antony Blinken", "tell", "explicit")


def test_title_resolves_to_earlier_person(nlp):
    # seed 002: "said the Texas Republican" is Rep. Michael McCaul
    text = (
        "“I strongly urge the president,” the Rep. Michael McCall Republicans on the House Foreign Affairs "
        "Committee said in a statement on Monday.\n\n"
        "“Especially after the withdrawal, our credibility cannot withstand another blow,” said the Texas Republican."
    )
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution) for q in qs] == [
        ("Michael McCaul", "explicit"),
        ("Michael McCaul", "title"),
    ]


def test_partial_quote(nlp):
    text = (
        "But Russian President Vladimir Putin showed no sign he was deterred. "
        "He demanded “legally binding” security guarantees that would keep NATO weapons out of Ukraine."
    )
    q = _one(nlp, text)
    assert (q.text, q.kind, q.speaker_name, q.attribution, q.cue) == (
        "legally binding", "partial", "Vladimir Putin", "pronoun", "demand")


def test_scare_quote_has_no_speaker(nlp):
    text = "The talks aimed at what US officials call a “stable and predictable” relationship."
    (q,) = _quotes(nlp, text)
    assert (q.kind, q.speaker_id, q.attribution) == ("scare", None, "unresolved")


def test_unresolved_rather_than_guess(nlp):
    (q,) = _quotes(nlp, "Putin met Biden in Geneva.\n\n“Nothing will change.”")
    assert (q.attribution, q.speaker_id) == ("unresolved", None)


def test_closing_mark_typed_as_opening_and_glued_sentences(nlp):
    text = (
        "“Our sovereignty is a firm commitment,” Mr. Brinken said.Mr. Lavrov listened. "
        "“We expect nothing else from Russia. Ukraine. “"
    )
    qs = _quotes(nlp, text)
    assert [q.text for q in qs] == ["Our sovereignty is a firm commitment,", "We expect nothing else from Russia. Ukraine."]
    assert qs[0].speaker_name == "Antony Blinken"


def test_closing_mark_glued_to_the_attribution(nlp):
    """Scraped copy drops the space after a closing mark; cleaning restores it so the cue finds the speaker."""
    text = clean_text(
        "Zelensky spoke to reporters in Kyiv on Tuesday.\n\n"
        "“We will not give up an inch of our land,”Zelensky said.\n\n"
        '"This is a dangerous moment for Europe,"he said after the meeting.'
    )
    qs = _quotes(nlp, text)
    assert [(q.text, q.speaker_name, q.attribution, q.source_type) for q in qs] == [
        ("We will not give up an inch of our land,", "Volodymyr Zelenskyy", "explicit", "person"),
        ("This is a dangerous moment for Europe,", "Volodymyr Zelenskyy", "pronoun", "person"),
    ]


def test_paragraph_continuation_without_closing_mark(nlp):
    text = (
        "“We did not expect any breakthroughs today, but we are on a clearer path,\n\n"
        "“Let’s see what the next days bring,” Blinken said."
    )
    qs = _quotes(nlp, text)
    assert [(q.paragraph_id, q.speaker_name, q.attribution) for q in qs] == [
        (0, "Antony Blinken", "continuation"),
        (1, "Antony Blinken", "explicit"),
    ]


def test_dash_dialogue(nlp):
    text = "- We expect that there will be no invasion - said the Ukrainian ambassador. - But we are ready."
    qs = _quotes(nlp, text)
    assert [(q.text, q.kind) for q in qs] == [
        ("We expect that there will be no invasion", "dash"),
        ("But we are ready.", "dash"),
    ]
    assert [(q.speaker_surface, q.attribution) for q in qs] == [
        ("the Ukrainian ambassador", "title"),
        ("the Ukrainian ambassador", "continuation"),
    ]


def test_bullets_are_not_dialogue(nlp):
    assert _quotes(nlp, "- NATO warns of continuing Russian troop buildup near Ukraine") == []


def test_colon_lead_in_without_verb(nlp):
    text = "Lavrov spoke first.\n\nAnd from the ministry: “We will not tolerate it.”"
    q = _one(nlp, text)
    assert (q.speaker_surface, q.attribution, q.kind) == ("the ministry", "title", "full")


@pytest.mark.parametrize(
    "text, surface, name, attribution, source_type",
    [
        ("In a statement, the Russian foreign ministry: “The sanctions are illegal.”",
         "the Russian foreign ministry", "Russian Foreign Ministry", "title", "organisation"),
        ("Kaja Kallas was asked about the talks. Her answer: “There is nothing to discuss.”",
         "Her", "Kaja Kallas", "pronoun", "person"),
        ("Sergei Lavrov spoke after the meeting. Lavrov’s reply: “We never threatened anyone.”",
         "Lavrov", "Sergey Lavrov", "explicit", "person"),
        ("The message from the Kremlin was clear: “No concessions.”", "the Kremlin", "Kremlin", "explicit", "organisation"),
        ("Continued Kallas: “Russia must leave.”", "Kallas", "Kaja Kallas", "explicit", "person"),
        ("Kallas, in an interview with Reuters: “We are ready.”", "Kallas", "Kaja Kallas", "explicit", "person"),
        ("Olaf Scholz put it bluntly: “We will not send troops.”", "Olaf Scholz", "Olaf Scholz", "explicit", "person"),
    ],
)
def test_colon_lead_ins_name_the_speaker(nlp, text, surface, name, attribution, source_type):
    """A colon lead-in without a cue: an opening phrase, an answer noun's owner, an inverted cue."""
    q = _one(nlp, text)
    assert (q.speaker_surface, q.speaker_name, q.attribution, q.source_type, q.kind) == (
        surface, name, attribution, source_type, "full")


def test_fragment_in_a_reported_clause_is_the_reporters(nlp):
    """Marks inside a that-clause whose own subject is no person: the person reporting the clause speaks."""
    q = _one(nlp, "Mark Rutte worried that the alliance was becoming “a paper tiger without teeth.”")
    assert (q.speaker_name, q.attribution, q.kind, q.source_type, q.cue) == (
        "Mark Rutte", "explicit", "partial", "person", "worry")
    # a document's finding is no person's: the term stays a scare quote
    (q,) = _quotes(nlp, "The report found that the army had become “a hollow force.”")
    assert (q.kind, q.speaker_name) == ("scare", None)


def test_continuation_stops_at_another_persons_sentence(nlp):
    """A quote after a sentence about another person is that person's, not the earlier speaker's."""
    text = (
        "“We will not give up an inch of our land,” Zelensky said.\n\n"
        "Olaf Scholz arrived late. “Nobody wants this war!”"
    )
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution, q.source_type) for q in qs] == [
        ("Volodymyr Zelenskyy", "explicit", "person"), ("Olaf Scholz", "continuation", "person")]


def test_question_and_answer_turns(nlp):
    """Q:/A: lines and capitalised surname labels are transcript turns; A is the person interviewed."""
    text = (
        "Kaja Kallas, Estonia’s prime minister, spoke to the BBC on Sunday.\n\n"
        "Q: Will Estonia send more weapons to Ukraine?\n\n"
        "A: We will send everything we can, as fast as we can.\n\n"
        "KALLAS: Not while Russian troops stay in Ukraine."
    )
    qs = _quotes(nlp, text)
    assert [(q.speaker_surface, q.speaker_name, q.attribution) for q in qs] == [
        ("Q", None, "transcript"),
        ("A", "Kaja Kallas", "transcript"),
        ("KALLAS", "Kaja Kallas", "transcript"),
    ]


def test_transcript_labels(nlp):
    text = (
        "Interview with the secretary.\n\n"
        "Efi Koutsokosta, euronews:\n\n"
        "Are we close to a military confrontation? “\n\n"
        "Antony Blinken, US Secretary of State:\n\n"
        "“We do not know the intentions of President Vladimir Putin.”\n\n"
        "Efi Koutsokosta:\n\n"
        "“Is a meeting in preparation?”\n\n"
        "Antony Blinken:\n\n"
        "“I expect they will talk soon.”"
    )
    qs = _quotes(nlp, text)
    assert [(q.text, q.speaker_name, q.attribution) for q in qs] == [
        ("Are we close to a military confrontation?", "Efi Koutsokosta", "transcript"),
        ("We do not know the intentions of President Vladimir Putin.", "Antony Blinken", "transcript"),
        ("Is a meeting in preparation?", "Efi Koutsokosta", "transcript"),
        ("I expect they will talk soon.", "Antony Blinken", "transcript"),
    ]


@pytest.mark.parametrize(
    "text",
    ["“", "”", "He said “", "“ “ ” ”", "‘’", "- -", "“a” “b", "x: “", "Efi:\n\nA:\n\n“", "'", "— said he —", ""],
)
def test_unbalanced_marks_never_raise(nlp, text):
    qs = _quotes(nlp, text)
    for q in qs:
        assert 0 <= q.start_char <= q.end_char <= len(text)


def test_quotes_frame_validates(nlp):
    doc = nlp("“We will respond,” Blinken said.")
    df = quotes.quotes_frame([("d1", doc)])
    validate(df, "quotes")
    assert list(df["quote_id"]) == ["d1:q0"]
    validate(to_frame("quotes", []), "quotes")


# ------------------------------------------------------------------ gold file on the five seeds

def _norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.lower())


def _same_speaker(pred, gold: dict) -> bool:
    """Same speaker, same source type, and the affiliation where the gold gives one."""
    if pred.source_type != gold["source_type"] or pred.speaker_affiliation != gold.get("affiliation",
                                                                                     pred.speaker_affiliation):
        return False
    want = gold["speaker"]
    if want is None:  # a description: no person, the description kept as text
        return gold["surface"] in (pred.speaker_surface or "").lower() and (
            pred.speaker_id is None or pred.source_type == "organisation")
    name = pred.speaker_name or ""
    return _norm(name) == _norm(want)


def _evaluate(nlp, seeds_dir):
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    preds = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        doc_id = path.stem
        preds[doc_id[:3]] = _quotes(nlp, clean_text(path.read_text(encoding="utf-8")), doc_id=doc_id)
    used = set()
    found, spoken, right, kinds, misses = 0, 0, 0, 0, []
    for g in gold:
        key = _norm(g["text"])
        hit = next((q for q in preds[g["doc"]] if id(q) not in used and _norm(q.text).startswith(key)), None)
        if hit is None:
            misses.append(("missed", g["doc"], g["text"]))
            continue
        used.add(id(hit))
        found += 1
        kinds += hit.kind == g["kind"]
        if g["speaker"] != "?":
            spoken += 1
            if _same_speaker(hit, g):
                right += 1
            else:
                misses.append(("speaker", g["doc"], g["text"], g["speaker"], hit.speaker_name, hit.speaker_surface))
    n_pred = sum(len(v) for v in preds.values())
    extra = [(d, q.text) for d, qs in preds.items() for q in qs if id(q) not in used]
    return {
        "gold": len(gold), "found": found, "predicted": n_pred,
        "recall": found / len(gold), "precision": found / n_pred,
        "speaker_accuracy": right / spoken, "spoken": spoken, "right": right, "kind_accuracy": kinds / max(found, 1),
        "misses": misses, "extra": extra,
    }


@pytest.mark.slow
def test_gold_recall_and_speaker_accuracy(nlp, seeds_dir):
    """Every quote of the five seeds, hand-labelled in tests/gold/quotes_seeds.jsonl.

    Measured: recall 99/99, precision 99/99, speaker accuracy 92/93 (the miss,
    seed 000 "red line" after the spun "Putin It has been said", stays unresolved).
    """
    r = _evaluate(nlp, seeds_dir)
    print({k: v for k, v in r.items() if k not in ("misses", "extra")}, r["misses"], r["extra"])
    assert r["recall"] >= 0.98, r["misses"]
    assert r["precision"] >= 0.98, r["extra"]
    assert r["speaker_accuracy"] >= 0.97, r["misses"]
    assert r["kind_accuracy"] >= 0.95


def test_quote_split_by_attribution(nlp):
    text = "“We will respond,” Blinken said, “and we will do so decisively.”"
    qs = _quotes(nlp, text)
    assert [(q.text, q.kind, q.speaker_name, q.attribution) for q in qs] == [
        ("We will respond,", "full", "Antony Blinken", "explicit"),
        ("and we will do so decisively.", "full", "Antony Blinken", "explicit"),
    ]


@pytest.mark.parametrize(
    "text, surface, speaker_id_is_none, attribution",
    [
        ("“We see no sign of de-escalation,” a senior State Department official said.", "a senior State Department official", True, "title"),
        ("In a statement, the Kremlin said: “We have no plans to attack anyone.”", "the Kremlin", False, "explicit"),
        ("“We are watching closely,” they said.", None, True, "unresolved"),
    ],
)
def test_more_news_speakers(nlp, text, surface, speaker_id_is_none, attribution):
    q = _one(nlp, text)
    assert (q.speaker_surface if attribution != "unresolved" else None, q.speaker_id is None, q.attribution) == (
        surface, speaker_id_is_none, attribution)


def test_lost_closing_mark_mid_paragraph(nlp):
    text = "“We will respond to any aggression, Blinken said on Friday. The talks ended without a deal."
    (q,) = _quotes(nlp, text)
    assert (q.text, q.speaker_name, q.attribution) == ("We will respond to any aggression,", "Antony Blinken", "explicit")


def test_translated_dialogue_and_gender(nlp):
    text = (
        "“We are ready for any scenario”, – said Dmytro Kuleba during a briefing in Kyiv.\n\n"
        "- We expect that there will be no invasion - said the Ukrainian ambassador Oksana Markarova.\n\n"
        "- We are ready - she added.\n\n"
        "He noted: “Diplomacy is the only way.”"
    )
    qs = _quotes(nlp, text)
    assert [(q.kind, q.speaker_name, q.attribution, q.cue) for q in qs] == [
        ("full", "Dmytro Kuleba", "explicit", "say"),
        ("dash", "Oksana Markarova", "explicit", "say"),
        ("dash", "Oksana Markarova", "pronoun", "add"),
        # "he" skips the woman just quoted; the one man, Kuleba, three paragraphs back, is who a reader takes
        ("full", "Dmytro Kuleba", "pronoun", "note"),
    ]


def test_inverted_attribution_without_comma(nlp):
    q = _one(nlp, "“Nothing has changed” said Blinken on Friday.")
    assert (q.kind, q.speaker_name, q.attribution) == ("full", "Antony Blinken", "explicit")


def test_interview_with_inline_labels(nlp):
    text = (
        "The Secretary spoke with NPR on Thursday.\n\n"
        "QUESTION: Is an invasion imminent?\n\n"
        "SECRETARY BLINKEN: We don't know. But we are prepared.\n\n"
        "QUESTION: What about sanctions?\n\n"
        "SECRETARY BLINKEN: They would be massive."
    )
    qs = _quotes(nlp, text)
    assert [(q.text, q.speaker_name, q.attribution) for q in qs] == [
        ("Is an invasion imminent?", None, "transcript"),
        ("We don't know. But we are prepared.", "Antony Blinken", "transcript"),
        ("What about sanctions?", None, "transcript"),
        ("They would be massive.", "Antony Blinken", "transcript"),
    ]


def test_sentence_after_a_closed_quote_is_not_its_attribution(nlp):
    text = (
        "“We will respond,” Blinken said.\n\n"
        "“We will not back down.” Secretary of State Antony Blinken said in a speech in Berlin on Friday.\n\n"
        "“Nobody wants war.” Lavrov said Moscow had no plans to attack."
    )
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution) for q in qs] == [
        ("Antony Blinken", "explicit"),
        ("Antony Blinken", "explicit"),
        # Lavrov's sentence reports other speech, yet he may well be the speaker: no guess
        (None, "unresolved"),
    ]


def test_names_in_marks_are_scare_quotes(nlp):
    text = "“We will respond,” Blinken told CNN’s Jake Tapper on “State of the Union.”"
    qs = _quotes(nlp, text)
    assert [(q.text, q.kind, q.speaker_name) for q in qs] == [
        ("We will respond,", "full", "Antony Blinken"),
        ("State of the Union.", "scare", None),
    ]


def test_orphan_closing_mark(nlp):
    qs = _quotes(nlp, "We will respond to any aggression,” Blinken said.\n\nHe is 5'10\" tall and smiled.")
    assert [(q.text, q.speaker_name) for q in qs] == [("We will respond to any aggression,", "Antony Blinken")]


@pytest.mark.parametrize(
    "text, speaker",
    [
        # seed 002: a title held by one actor of the crisis gazetteer
        ("The President of Ukraine said on Monday that the army is ready to “stop” any invasion.", "Volodymyr Zelenskyy"),
        ("“We have no plans to attack,” the Russian foreign minister said.", "Sergey Lavrov"),
        ("“We have no plans to attack,” the president said.", None),  # which president? no guess
        ("“We are ready,” the Ukrainian ambassador said.", None),
    ],
)
def test_titles_held_by_one_actor(nlp, text, speaker):
    q = _one(nlp, text)
    assert (q.speaker_name, q.attribution) == (speaker, "title")


def test_transcript_answer_over_several_unquoted_paragraphs(nlp):
    text = (
        "Efi Koutsokosta, euronews:\n\n"
        "Is a meeting in preparation?\n\n"
        "Antony Blinken:\n\n"
        "I expect they will talk soon.\n\n"
        "And we will keep working with our allies.\n\n"
        "Efi Koutsokosta:\n\n"
        "Thank you."
    )
    qs = _quotes(nlp, text)
    assert [(q.text, q.speaker_name) for q in qs] == [
        ("Is a meeting in preparation?", "Efi Koutsokosta"),
        ("I expect they will talk soon.", "Antony Blinken"),
        ("And we will keep working with our allies.", "Antony Blinken"),
        ("Thank you.", "Efi Koutsokosta"),
    ]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“We are not going to attack anyone,” Putin was quoted as saying by Interfax.", "Vladimir Putin"),
        ("“Russia has no such plans,” Interfax quoted Peskov as saying.", "Dmitry Peskov"),
        ("“We will respond decisively,” Blinken said, adding that sanctions were ready.", "Antony Blinken"),
        ("“The situation is tense,” Kuleba said, noting the troop buildup near Kharkiv.", "Dmytro Kuleba"),
    ],
)
def test_wire_constructions(nlp, text, speaker):
    q = _one(nlp, text)
    assert (q.speaker_name, q.attribution, q.kind) == (speaker, "explicit", "full")


def test_joint_and_institution_speakers(nlp):
    text = (
        "Russia's Foreign Ministry and Ukraine's Defence Ministry traded accusations.\n\n"
        "“We will meet again,” Blinken and Lavrov said in a joint statement.\n\n"
        "“The drills are defensive,” the defence ministry said."
    )
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution) for q in qs] == [
        (None, "unresolved"),  # two speakers at once: nobody in particular
        ("Defence Ministry", "title"),  # the defence one named earlier, not the foreign one
    ]


def test_machine_translated_polish_dialogue(nlp):
    text = (
        "The Ukrainian ambassador to Poland, Andrij Deszczyca, spoke on Polish radio on Tuesday. "
        "He said that the situation on the border is tense.\n\n"
        "- We expect that there will be no invasion - said the Ukrainian ambassador. - But we must be ready.\n\n"
        "- Are you afraid of war? - asked the journalist.\n\n"
        "- No. Ukrainians are not afraid - answered Deszczyca.\n\n"
        "According to the spokesman of the ministry, Lukasz Jasina, \"the Polish position is unchanged\"."
    )
    qs = _quotes(nlp, text)
    assert [(q.text, q.kind, q.speaker_surface, q.speaker_name, q.attribution) for q in qs] == [
        ("We expect that there will be no invasion", "dash", "the Ukrainian ambassador", "Andrij Deszczyca", "title"),
        ("But we must be ready.", "dash", "the Ukrainian ambassador", "Andrij Deszczyca", "continuation"),
        ("Are you afraid of war?", "dash", "the journalist", None, "title"),
        ("No. Ukrainians are not afraid", "dash", "Deszczyca", "Andrij Deszczyca", "explicit"),
        ("the Polish position is unchanged", "partial", "the spokesman of the ministry, Lukasz Jasina", "Lukasz Jasina", "explicit"),
    ]


def test_a_bare_title_does_not_reach_far_back(nlp):
    text = (
        "“Russia has no plans to attack,” President Vladimir Putin said.\n\n"
        "Biden spoke with European leaders on Monday.\n\n"
        "Talks continued in Geneva.\n\n"
        "“We will respond,” the president said."
    )
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution) for q in qs] == [("Vladimir Putin", "explicit"), (None, "title")]


def test_organisation_behind_a_document(nlp):
    q = _one(nlp, "“Russia poses no threat to anyone,” the Kremlin statement said.")
    assert (q.speaker_name, q.attribution, q.speaker_surface) == ("Kremlin", "document", "the Kremlin statement")


def test_the_spokesman_after_a_named_spokesman(nlp):
    text = (
        "“There is only mutual assurance,” Kremlin spokesman Dmitry Peskov told reporters.\n\n"
        "“We are ready to talk,” the spokesman added.\n\n"
        "“Nothing is decided,” a senior official said."
    )
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution) for q in qs] == [
        ("Dmitry Peskov", "explicit"), ("Dmitry Peskov", "title"), (None, "title")]


# ------------------------------------------------------------------ speakers in wire style (news dev set rules)

def _by_prefix(qs, prefix):
    hit = [q for q in qs if q.text.startswith(prefix)]
    assert hit, [(q.text, q.kind) for q in qs]
    return hit[0]


@pytest.mark.parametrize(
    "text, prefix, speaker",
    [
        # a description between two names belongs to the first: Peskov, not Putin
        ("Dmitry Peskov, the Kremlin spokesman, said Putin would not attend the summit.\n\n"
         "“There is nothing to discuss,” the Kremlin spokesman told journalists.", "There is nothing", "Dmitry Peskov"),
        # a bare role held by the person just quoted, read from the gazetteer role
        ("“We are ready for talks,” Kuleba said.\n\n“But we will not give in,” the minister added.", "But we will", "Dmytro Kuleba"),
        # "she" skips a man whose first name says he
        ("Press secretary Jen Psaki said Biden would call Zelensky on Sunday. “The call will be long,” she said.",
         "The call will be long", "Jen Psaki"),
        # a name in apposition to the subject is the antecedent
        ("Russia's ambassador, Vassily Nebenzia, dismissed the warnings. “Nobody plans to attack,” he said.",
         "Nobody plans to attack", "Vasily Nebenzya"),
        # the antecedent of a relative pronoun speaks
        ("Psaki answered Sergei Ryabkov, who said the talks had reached a “dead end” on Monday.", "dead end", "Sergei Ryabkov"),
        # passive agent
        ("As noted by Oleksii Reznikov, “the army is ready for any scenario”.", "the army is ready", "Oleksii Reznikov"),
        # AP age and party descriptions point back to the person just named
        ("Zelenskyy spoke in Kyiv on Monday.\n\n“We are not afraid,” the 44-year-old told reporters.", "We are not afraid",
         "Volodymyr Zelenskyy"),
        # "the statement" goes to whoever issued a statement just before
        ("In a statement, the Russian foreign ministry said “the drills are defensive.”\n\n"
         "“Nobody is threatened,” the statement said.", "Nobody is threatened", "Russian Foreign Ministry"),
        # a description-only subject pinned down by the gazetteer role
        ("Ukraine's president thanked Scholz for the helmets. “We need more,” he said.", "We need more", "Volodymyr Zelenskyy"),
        # a role word the gazetteer words differently
        ("Addressing the Security Council, the Russian leader said: “Our position is clear.”", "Our position is clear",
         "Vladimir Putin"),
        # a surname the entity stage left unlinked goes to the full name given earlier
        ("Spokesman Wang Wenbin spoke in Beijing. “Sanctions solve nothing,” Wang said.", "Sanctions solve nothing",
         "Wang Wenbin"),
        # a first name after the full name (family members in AP style)
        ("Vitali Klitschko and his brother Wladimir Klitschko visited the front.\n\n“We will stay,” Wladimir said.",
         "We will stay", "Wladimir Klitschko"),
        # a group named by its organisation
        ("“We stand united,” NATO allies said in a joint declaration.", "We stand united", "NATO"),
    ],
)
def test_wire_style_speakers(nlp, text, prefix, speaker):
    q = _by_prefix(_quotes(nlp, text), prefix)
    assert q.speaker_name == speaker, (q.speaker_surface, q.attribution)


def test_quote_paragraph_after_a_colon_paragraph(nlp):
    text = "Zelenskyy addressed the nation on Thursday night. He said:\n\n“We will defend ourselves.”"
    q = _by_prefix(_quotes(nlp, text), "We will defend")
    assert (q.speaker_name, q.attribution, q.cue) == ("Volodymyr Zelenskyy", "pronoun", "say")


def test_speaker_named_in_the_next_sentence(nlp):
    text = "“There is no sign of a pullback.” That was the warning from NATO chief Jens Stoltenberg on Thursday."
    q = _by_prefix(_quotes(nlp, text), "There is no sign")
    assert q.speaker_name == "Jens Stoltenberg"


def test_quote_split_by_a_non_speech_verb(nlp):
    qs = _quotes(nlp, "“The costs” — Biden paused — “will be enormous.”")
    assert [(q.text, q.speaker_name) for q in qs] == [("The costs", "Joe Biden"), ("will be enormous.", "Joe Biden")]


def test_coordinated_partial_quotes_and_conjoined_cues(nlp):
    text = ("Lavrov called the demands “absurd” and “unacceptable”. "
            "The G7 statement said Russia was “isolated” and warned of “massive consequences”.")
    qs = _quotes(nlp, text)
    assert [(q.text, q.kind, q.speaker_name) for q in qs] == [
        ("absurd", "partial", "Sergey Lavrov"),
        ("unacceptable", "partial", "Sergey Lavrov"),
        ("isolated", "partial", "G7"),
        ("massive consequences", "partial", "G7"),
    ]


def test_called_it_is_a_quote_of_a_person_but_a_term_stays_scare(nlp):
    qs = _quotes(nlp, "Kuleba called it “a war crime”. Moscow rejects the term “invasion”.")
    assert [(q.text, q.kind, q.speaker_name) for q in qs] == [
        ("a war crime", "partial", "Dmytro Kuleba"), ("invasion", "scare", None)]


def test_dash_dialogue_after_a_narrative_sentence(nlp):
    text = "Defence Minister Mariusz Błaszczak visited the border. - Our soldiers are ready - he assured."
    q = _by_prefix(_quotes(nlp, text), "Our soldiers")
    assert (q.kind, q.speaker_name, q.attribution) == ("dash", "Mariusz Błaszczak", "pronoun")


def test_qa_transcript_answers_for_the_person_introduced(nlp):
    text = (
        "Excerpts from a briefing by Pentagon press secretary John Kirby.\n\n"
        "Q. Will the troops go to Ukraine?\n\n"
        "A. No. These troops are for NATO."
    )
    qs = _quotes(nlp, text)
    assert [(q.text, q.speaker_name) for q in qs] == [
        ("Will the troops go to Ukraine?", None), ("No. These troops are for NATO.", "John Kirby")]


@pytest.mark.parametrize(
    "text",
    [
        "«The troops will return to their bases», Shoigu said.",
        "« The troops will return to their bases », said Shoigu.",
        "„The troops will return to their bases“, Shoigu said.",
        "'The troops will return to their bases,' Shoigu said.",
    ],
)
def test_guillemets_and_german_marks(nlp, text):
    q = _one(nlp, text)
    assert q.text.rstrip(",") == "The troops will return to their bases"
    assert q.speaker_name == "Sergei Shoigu"


# ------------------------------------------------------------------ issue 17: no cue, fragments, carry-over

@pytest.mark.parametrize(
    "text, speaker, surface, source_type, kind, attribution",
    [
        # any verb in the attribution slot right after a comma-closed quote
        ("“We have heard this before,” Zelensky shrugged.",
         "Volodymyr Zelenskyy", "Zelensky", "person", "full", "explicit"),
        ("“France will always be France,” an angry Macron retaliated.",
         "Emmanuel Macron", "an angry Macron", "person", "full", "explicit"),
        # a long apposition between the quote and its cue
        ("“Sanctions alone will not stop the shelling,” Oleksandra Matviichuk, a human rights lawyer whose Center "
         "for Civil Liberties shared the Nobel Peace Prize in 2022, said on Monday.",
         "Oleksandra Matviichuk", "Oleksandra Matviichuk", "person", "full", "explicit"),
        # a subordinate clause after the cue is not a reported clause of its own
        ("“The vote is a message to Moscow,” Senator Lindsey Graham said as the chamber adjourned.",
         "Lindsey Graham", "Senator Lindsey Graham", "person", "full", "explicit"),
        # an inverted cue whose speaker carries a relative clause
        ("“Every delay costs lives,” said the Ukrainian ambassador, who spoke after the vote.",
         None, "the Ukrainian ambassador", "person", "full", "title"),
        # the apposition's closing comma before the cue
        ("In a statement to Reuters, Zelensky's chief of staff, Andriy Yermak, said: “The talks are over.”",
         "Andriy Yermak", "Andriy Yermak", "person", "full", "explicit"),
        # a one-word sentence after its cue is a quotation, not a title
        ("Asked whether talks would resume, Peskov said, “Probably.”",
         "Dmitry Peskov", "Peskov", "person", "full", "explicit"),
        # "so-called" is no cue: "according to" names the speaker
        ("According to Kuleba, the so-called referendum was “a farce.”",
         "Dmytro Kuleba", "Kuleba", "person", "partial", "explicit"),
        # words in marks inside a clause whose subject is a person (issue 17 item 2)
        ("Scholz heralded the agreement as a “turning point” for Europe.",
         "Olaf Scholz", "Scholz", "person", "partial", "explicit"),
    ],
)
def test_issue17_cue_constructions(nlp, text, speaker, surface, source_type, kind, attribution):
    q = _one(nlp, text)
    assert (q.speaker_name, q.speaker_surface, q.source_type, q.kind, q.attribution) == (
        speaker, surface, source_type, kind, attribution)


def test_issue17_scare_terms_stay_scare(nlp):
    qs = _quotes(nlp, "Russia moved so-called “peacekeepers” into the region. Blinken told CNN's “State of the Union” "
                      "that talks would go on.")
    assert [(q.text, q.kind, q.speaker_name, q.attribution) for q in qs] == [
        ("peacekeepers", "scare", None, "unresolved"), ("State of the Union", "scare", None, "unresolved")]


@pytest.mark.parametrize(
    "text, speaker, attribution",
    [
        # the paragraph before reports the speaker's words
        ("Zelensky says the front is holding.\n\n“Our soldiers are exhausted, but they stand.”",
         "Volodymyr Zelenskyy", "continuation"),
        # the paragraph before introduces a person with a description
        ("Mykola Bielieskov, an analyst at the National Institute for Strategic Studies in Kyiv, has long warned "
         "about ammunition shortages.\n\n“The gap will grow in the spring.”", "Mykola Bielieskov", "continuation"),
        # another person brought in by a later sentence ends the carry-over
        ("Zelensky says the front is holding. Defence Minister Rustem Umerov was in Brussels on Tuesday.\n\n"
         "“We need more shells.”", None, "unresolved"),
        # naming two people is no introduction of either
        ("Putin met Biden in Geneva.\n\n“Nothing will change.”", None, "unresolved"),
    ],
)
def test_issue17_paragraph_carry_over(nlp, text, speaker, attribution):
    q = _one(nlp, text)
    assert (q.speaker_name, q.attribution, q.kind) == (speaker, attribution, "full")


def test_issue17_failed_first_segment_does_not_poison_continuations(nlp):
    # the first half's cue is an unlisted verb: it still names the speaker, and the second half follows it,
    # not the speaker of the paragraph before
    text = ("“We will rebuild every school,” Kuleba said.\n\n"
            "“France will always be France,” an angry Macron retaliated. “It never gives up.”")
    qs = _quotes(nlp, text)
    assert [(q.speaker_name, q.attribution) for q in qs] == [
        ("Dmytro Kuleba", "explicit"), ("Emmanuel Macron", "explicit"), ("Emmanuel Macron", "continuation")]
