"""Reported speech (quotes of kind ``indirect``): every "X said that ..." of the seeds, and ordinary constructions."""
from __future__ import annotations

import pytest

from ukraine_briefs.extract import entities, quotes
from ukraine_briefs.extract.quotes.indirect import doc_indirect, sentence_sentiment
from ukraine_briefs.ingest.clean import clean_text
from ukraine_briefs.types import Sentence, to_frame, validate


def _run(nlp, text, doc_id="t"):
    doc = nlp(text)
    ms = list(entities.doc_mentions(doc, doc_id=doc_id))
    direct = list(quotes.doc_quotes(doc, doc_id=doc_id, mentions=ms))
    return direct, list(doc_indirect(doc, doc_id=doc_id, mentions=ms, direct=direct))


def _one(nlp, text):
    _, rows = _run(nlp, text)
    assert len(rows) == 1, [(r.speaker_surface, r.text) for r in rows]
    return rows[0]


# ------------------------------------------------------------------ ordinary constructions (sentences written for the tests)

@pytest.mark.parametrize("text, surface, name, content, cue", [
    ("According to the Pentagon, about 8,500 U.S. troops have been placed on heightened alert for possible "
     "deployment to Eastern Europe.", "the Pentagon", "Pentagon",
     "about 8,500 U.S. troops have been placed on heightened alert for possible deployment to Eastern Europe",
     "according to"),
    ("Russia has moved short-range missiles into Belarus, according to two Western intelligence officials.",
     "two Western intelligence officials", None, "Russia has moved short-range missiles into Belarus", "according to"),
    ("NATO Secretary General Jens Stoltenberg warned that any Russian attack on Ukraine would come at a high price.",
     "NATO Secretary General Jens Stoltenberg", "Jens Stoltenberg",
     "any Russian attack on Ukraine would come at a high price", "warn"),
    ("Kremlin spokesman Dmitry Peskov told reporters on Monday that Moscow had no plans to invade its neighbour.",
     "Kremlin spokesman Dmitry Peskov", "Dmitry Peskov", "Moscow had no plans to invade its neighbour", "tell"),
    ("Sanctions would be swift and severe, White House press secretary Jen Psaki said.",
     "White House press secretary Jen Psaki", "Jen Psaki", "Sanctions would be swift and severe", "say"),
])
def test_constructions(nlp, text, surface, name, content, cue):
    r = _one(nlp, text)
    assert (r.speaker_surface, r.speaker_name, r.text, r.cue, r.kind) == (surface, name, content, cue, "indirect")
    assert text[r.start_char:r.end_char] == content


def test_according_to_sources_are_typed(nlp):
    r = _one(nlp, "According to the Pentagon, about 8,500 U.S. troops have been placed on heightened alert.")
    assert (r.source_type, r.speaker_affiliation) == ("organisation", "United States")
    r = _one(nlp, "Russia has moved short-range missiles into Belarus, according to two Western intelligence officials.")
    assert (r.source_type, r.attribution) == ("anonymous", "title")


def test_pronoun_speaker_warned_that(nlp):
    r = _one(nlp, "British Foreign Secretary Liz Truss met her Russian counterpart in Moscow. "
                  "She warned that Britain would stand with Ukraine.")
    assert (r.speaker_surface, r.speaker_name, r.attribution, r.text) == (
        "She", "Liz Truss", "pronoun", "Britain would stand with Ukraine")


def test_no_speaker_no_row_and_direct_quotes_untouched(nlp):
    assert _run(nlp, "It has been said that the talks could drag on for months.")[1] == []
    direct, rows = _run(nlp, 'Blinken said: "We are prepared to go either way."')
    assert rows == [] and [q.text for q in direct] == ["We are prepared to go either way."]
    assert _run(nlp, "Lavrov did not say that Russia would withdraw its troops.")[1] == []


def test_rows_validate_and_take_their_sentence_sentiment(nlp):
    _, rows = _run(nlp, "Talks stalled. NATO Secretary General Jens Stoltenberg warned that any attack would come "
                        "at a high price.")
    assert [r.quote_id for r in rows] == ["t:r0"]
    sents = [Sentence("t", 0, 0, 0, 14, "Talks stalled.", 0.25, False),
             Sentence("t", 1, 0, 15, 99, "x", -0.5, False)]
    sentence_sentiment(sents, rows)
    assert rows[0].sentiment == -0.5
    validate(to_frame("quotes", rows), "quotes")


# ------------------------------------------------------------------ every "X said/stated/warned/told ... that" of the seeds

SEED_ROWS = [
    ("000", "Antony Blinken", "the United States seeks to cooperate with Russia"),
    ("000", "Antony Blinken", "any action Ukraine Will force the hands of the United States"),
    ("002", "US intelligence sources",
     "Moscow has assembled about 70,000 soldiers near its neighbors and may prepare for an invasion as soon as next month"),
    ("002", "Vladimir Putin", "he invited Ukraine to officially join NATO The alliance is a safety “red line” for him"),
    ("002", "Both aides", "the call may ease friction or trigger further escalation"),
    ("002", "Analysts", "Russia’s military posture shows that Putin is using the threat of an invasion of Ukraine to "
     "force the United States and its Western European Union countries to make the following guarantees: NATO Will no "
     "longer expand eastward"),
    ("002", "Kremlin", "Putin will look for Putin"),
    ("002", "Dmitry Peskov", "they will discuss “mutual” security guarantees at the first meeting"),
    ("002", "Russian officials", "this will be the fifth direct contact between the leaders of the two countries, "
     "including the Geneva summit in July and three phone calls"),
    ("002", "Oleksii Reznikov", "there may be a “mass escalation” between the Russian and Ukrainian forces in January"),
    ("002", "Oleksii Reznikov", "U.S. officials should be aware that Moscow is prepared to “raise the stakes.”"),
    ("003", "Antony Blinken", "the assembly used to be “now not a negotiation,” similar to final week’s talks "
     "between NATO and the West"),
    ("003", "Antony Blinken", "the USA would supply Russia with a written reaction subsequent week to the worries that "
     "it had publicly launched, one thing that Moscow has sought"),
    ("003", "A senior Ukrainian authentic", "proceeding US-Russian international relations may merely be a delaying "
     "tactic through Moscow to additional get ready for an army offensive"),
    ("003", "Antony Blinken", "he as soon as once more reiterated Moscow’s central call for — that the USA and NATO "
     "decide to by no means admitting Ukraine as a member — is just a non-starter"),
    ("003", "United States", "it is going to impose serious penalties within the tournament of an invasion"),
    ("003", "Antony Blinken", "the USA used to be performing at the foundation of “info and historical past,”"),
]


@pytest.fixture(scope="module")
def seed_rows(nlp, seeds_dir):
    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        direct, rows = _run(nlp, clean_text(path.read_text(encoding="utf-8")), doc_id=path.stem)
        out[path.stem[:3]] = (direct, rows)
    return out


@pytest.mark.slow
@pytest.mark.parametrize("doc, speaker, content", SEED_ROWS)
def test_seed_said_that(seed_rows, doc, speaker, content):
    rows = [r for r in seed_rows[doc][1] if r.text == content]
    assert len(rows) == 1, [r.text for r in seed_rows[doc][1]]
    assert (rows[0].speaker_name or rows[0].speaker_surface) == speaker


@pytest.mark.slow
def test_seed_exclusions(seed_rows):
    # "It has been said that ... 'red line'": nobody is named as saying it
    assert not [r for r in seed_rows["000"][1] if "increasing Western support" in r.text]
    # "Lavrov added that NATO’s expansion “would violate ...": the words are the direct quote's, counted once
    direct, rows = seed_rows["000"]
    assert not [r for r in rows if "violate security" in r.text]
    assert [q.speaker_name for q in direct if q.text.startswith("would violate security")] == ["Sergey Lavrov"]


# ------------------------------------------------------------------ counts and charts leave reported speech out by default

def _quote(n, kind, speaker="Q7", name="Antony Blinken"):
    from ukraine_briefs.types import Quote
    return Quote(f"d:{'r' if kind == 'indirect' else 'q'}{n}", "d", n, 0, 0, 10, "Russia would face consequences",
                 name, speaker, name, "explicit", "say", kind, -0.4, source_type="person")


def test_counts_and_charts_count_direct_quotes_unless_asked():
    from ukraine_briefs.charts.quotes import quotes_by_source_chart, quotes_by_speaker_chart
    from ukraine_briefs.tables.io import Tables
    from ukraine_briefs.tables.queries import direct_quotes
    from ukraine_briefs.tables.summary import key_figures

    q = to_frame("quotes", [_quote(0, "full"), _quote(1, "indirect"), _quote(2, "indirect"), _quote(3, "scare", None, None)])
    assert list(direct_quotes(q)["kind"]) == ["full", "scare"]
    assert len(direct_quotes(q, include_indirect=True)) == 4
    t = Tables.empty()
    t.quotes = q
    assert (key_figures(t)["quotes"], key_figures(t)["quotes_attributed"]) == (2, 1)
    assert key_figures(t, include_indirect=True)["quotes_attributed"] == 3
    bars = lambda fig: sorted(sum(int(x) for x in tr.x) for tr in fig.data if tr.type == "bar")  # noqa: E731
    assert bars(quotes_by_speaker_chart(q)) == [1]
    assert bars(quotes_by_speaker_chart(q, include_indirect=True)) == [3]
    assert sum(bars(quotes_by_source_chart(q))) == 2
    assert sum(bars(quotes_by_source_chart(q, include_indirect=True))) == 4
