"""Threat extraction on real seed sentences (spun and translated as they are) and plain news."""
from __future__ import annotations

import pytest

from ukraine_briefs.extract import threats
from ukraine_briefs.tables import queries
from ukraine_briefs.types import Quote, to_frame, validate

ISSUED = set(threats.THREAT_CATEGORIES)


def _quote(doc, text: str, speaker_id: str, speaker_name: str) -> Quote:
    start = doc.text.index(text)
    return Quote(
        quote_id="q0", doc_id="t", sent_id=0, paragraph_id=0, start_char=start, end_char=start + len(text),
        text=text, speaker_surface=speaker_name, speaker_id=speaker_id, speaker_name=speaker_name,
        attribution="explicit", cue="say", kind="full", sentiment=0.0,
    )


def _run(nlp, text: str, quotes=(), *, with_mentions: bool = False):
    doc = nlp(text)
    mentions = ()
    if with_mentions:
        from ukraine_briefs.extract import entities

        mentions = list(entities.doc_mentions(doc, doc_id="t"))
    qs = [_quote(doc, *q) for q in quotes]
    return list(threats.doc_threats(doc, doc_id="t", mentions=mentions, quotes=qs))


def _issued(records):
    return [r for r in records if r.category in ISSUED]


# (text, category, actor_affiliation, target_affiliation, conditional, intensity)
POSITIVES = [
    # seed 001: conditional economic threat by Blinken / the U.S. against Russia
    ("Secretary of State Antony Blinken warned Wednesday at a NATO conference in Latvia that the U.S. would "
     "impose “high-impact economic measures that we’ve refrained from using in the past” if Russia invaded its neighbor.",
     "economic", "United States", "Russia", True, 3),
    # seed 001: red line, Putin -> the West (NATO)
    ("Putin on Tuesday warned the West not to cross Russia’s security “red line” by stationing NATO military "
     "infrastructure in Ukraine.", "red_line", "Russia", "NATO", False, 3),
    # seed 001: "any Russian incursion would trigger" is a condition; diplomatic + economic -> economic (priority)
    ("The U.S. and U.K. said any Russian incursion into Ukraine would trigger serious diplomatic and economic responses.",
     "economic", "United States", "Russia", True, 2),
    # seed 001: threats to retaliate
    ("The U.S. ratcheted up threats to retaliate as it accused Russia of intensifying preparations for a possible "
     "invasion of Ukraine, in the latest signs that tensions over Moscow’s military buildup on the border continue to spiral.",
     "unspecified", "United States", "Russia", False, 1),
    # seed 000 title
    ("If Russia invades Ukraine, the U.S. threatens to call it “serious consequences”",
     "unspecified", "United States", "Russia", True, 2),
    # seed 000: spun "if Russia deciding ... has serious consequences"
    ("Mr. Brinken said the United States is willing to help, but if Russia Deciding to engage in confrontation "
     "has serious consequences.", "unspecified", "United States", "Russia", True, 2),
    # seed 000: response to any Russian aggression
    ("Defense Secretary Lloyd Austin said in a speech in South Korea on Thursday that the United States and its allies "
     "will coordinate the global response to any Russian military aggression.",
     "unspecified", "United States", "Russia", True, 1),
    # seed 002: Ukraine's army ready to stop any invasion
    ("The President of Ukraine said on Monday that the country’s army is ready to “stop” any invasion by Russian "
     "troops-a severe warning before the President.", "military", "Ukraine", "Russia", True, 3),
    # seed 002: potential sanctions if Putin is not deterred
    ("Mr. Biden will coordinate with NATO allies and discuss potential economic sanctions if Mr. Putin is not deterred.",
     "economic", "United States", "Russia", True, 2),
    # seed 003 title: "serious and a united reaction" -> two qualifiers -> 3
    ("Blinken warns any Russian ‘invasion’ of Ukraine can be met with a ‘serious and a united reaction’ following "
     "Lavrov assembly", "unspecified", "United States", "Russia", True, 3),
    # seed 003: spun "harsh reaction", the assurances come from the USA
    ("Personal and public assurances from the USA that any Russian incursion — even a minor one — would cause a harsh "
     "reaction has “eased Ukrainian fears, to some degree,” the authentic stated.",
     "unspecified", "United States", "Russia", True, 3),
    # seed 003: spun "serious penalties" "within the tournament of" (in the event of)
    ("The USA has warned that it is going to impose serious penalties within the tournament of an invasion — and "
     "Blinken reiterated Friday that intended Russian troops crossing the border.",
     "unspecified", "United States", "Russia", True, 2),
    # seed 003: military deterrence options if Russia invades
    ("The Protection Division is operating on a sequence of army choices for Biden’s approval that may be activated to "
     "give a boost to US army presence in jap Europe as a deterrence if Russia invades Ukraine, in keeping with two "
     "protection officers.", "military", "United States", "Russia", True, 3),
    # seed 004 title: in case of Russian aggression, we will respond (heading label gives the speaker)
    ("Antony Blinken: “In case of Russian aggression in Ukraine, we will respond”",
     "unspecified", "United States", "Russia", True, 1),
    # plain news sentences (unspun)
    ("The European Union warned on Monday that it would impose sweeping sanctions on Moscow if Russian troops "
     "crossed into Ukraine.", "economic", "European Union", "Russia", True, 3),
    ("Russian Deputy Foreign Minister Sergei Ryabkov warned that Moscow would respond with military countermeasures "
     "if NATO deployed missiles in Ukraine.", "military", "Russia", "NATO", True, 3),
    ("Ukrainian Defence Minister Oleksii Reznikov said Kyiv would retaliate against any Russian offensive.",
     "unspecified", "Ukraine", "Russia", True, 1),
    ("Russia threatened to expel American diplomats.", "diplomatic", "Russia", "United States", False, 2),
    ("Britain threatened Russia with crippling sanctions.", "economic", "United Kingdom", "Russia", False, 4),
    ("Russia warned the United States against sending troops to Ukraine.",
     "unspecified", "Russia", "United States", False, 1),
    ("Washington will hold Moscow accountable for any further aggression.",
     "unspecified", "United States", "Russia", True, 1),
    ("Moscow warned Kyiv that any attempt to retake Donbass by force would be met with a military response.",
     "military", "Russia", "Ukraine", True, 3),
    ("Putin said Russia would not hesitate to use force against Ukraine.", "military", "Russia", "Ukraine", False, 3),
    ("Medvedev warned that Moscow could use nuclear weapons against NATO.", "military", "Russia", "NATO", False, 4),
    ("Russia threatened to cut off gas supplies to Ukraine.", "economic", "Russia", "Ukraine", False, 2),
    ("The Kremlin vowed a decisive response to NATO.", "unspecified", "Russia", "NATO", False, 2),
    ("Poland warned Belarus that it would close border crossings if the migrant crisis continued.",
     "diplomatic", "Poland", "Belarus", True, 2),
    ("Russia warned it could deploy nuclear weapons to Belarus if NATO placed missiles in Poland.",
     "military", "Russia", "NATO", True, 4),
    ("Blinken said any Russian move against Ukraine would be met with massive consequences.",
     "unspecified", "United States", "Russia", True, 4),
    ("The Kremlin warned that Western arms deliveries to Kyiv would be considered legitimate targets.",
     "military", "Russia", "NATO", False, 3),
]


@pytest.mark.parametrize("text,category,actor,target,conditional,intensity", POSITIVES)
def test_threats_found(nlp, text, category, actor, target, conditional, intensity):
    found = _issued(_run(nlp, text, with_mentions=True))
    assert len(found) == 1, [(t.category, t.trigger) for t in found]
    t = found[0]
    assert (t.category, t.actor_affiliation, t.target_affiliation, t.conditional, t.intensity) == (
        category, actor, target, conditional, intensity)


def test_blinken_economic_threat_details(nlp):
    t = _issued(_run(nlp, POSITIVES[0][0], with_mentions=True))[0]
    assert t.actor_name == "Antony Blinken"
    assert t.actor_id == "person:antony_blinken"
    assert t.target_name == "Russia"
    assert t.condition == "if Russia invaded its neighbor"
    assert t.trigger == "high-impact economic measures"


def test_putin_red_line_target_is_the_west(nlp):
    t = _issued(_run(nlp, POSITIVES[1][0]))[0]
    assert t.actor_name == "Vladimir Putin"
    assert t.trigger == "red line"
    assert t.target_affiliation == "NATO"


def test_quote_speaker_is_the_actor_mccaul(nlp):
    # seed 002: inside McCaul's quote, "it" (the Putin regime) is the target, not the actor
    inner = ("President Biden It must be clearly stated that if the Putin regime further invades Ukraine, it will face "
             "devastating economic and diplomatic consequences.")
    text = f"“{inner} ” McCall Said."
    found = _issued(_run(nlp, text, quotes=[(inner, "person:michael_mccaul", "Michael McCaul")]))
    assert len(found) == 1
    t = found[0]
    assert (t.category, t.intensity, t.conditional) == ("economic", 4, True)
    assert (t.actor_name, t.actor_affiliation, t.speaker_id) == ("Michael McCaul", "United States", "person:michael_mccaul")
    assert t.target_affiliation == "Russia"
    assert t.condition == "if the Putin regime further invades Ukraine"


def test_swift_serious_united_reaction_in_blinken_quote(nlp):
    # seed 003: the condition is in the previous sentence; "It" refers back to it
    inner = ("We have now been transparent. If any Russian army forces transfer throughout Ukraine’s border, that is a "
             "renewed invasion. It’ll be met with swift, serious and a united reaction from the USA and our companions "
             "and allies,")
    text = f"“{inner}” Blinken stated."
    found = _issued(_run(nlp, text, quotes=[(inner, "person:antony_blinken", "Antony Blinken")]))
    assert len(found) == 1
    t = found[0]
    assert (t.category, t.intensity) == ("unspecified", 3)
    assert (t.actor_affiliation, t.target_affiliation) == ("United States", "Russia")
    assert t.conditional and t.condition.startswith("If any Russian army forces")
    assert t.trigger == "swift, serious and a united reaction"


NEGATIVES = [
    # perceived / described threats
    "“The threat on our Western frontier is really growing,” Putin said at the Kremlin earlier Wednesday.",
    "Asked about Putin’s remarks, Blinken said at a news conference that the notion that Ukraine poses a threat to "
    "Russia “would be a bad joke if things weren’t so serious.”",
    "Analysts said that Russia’s military posture shows that Putin is using the threat of an invasion of Ukraine to "
    "force the United States to make guarantees.",
    # negated / disavowed
    "The senior government official said: “What I want to say is that the United States does not seek to end with our "
    "countermeasures focusing on the direct use of US military power.”",
    "President Joe Biden said that a “minor incursion” would possibly now not cause the similar reaction from NATO as "
    "an invasion.",
    # past events
    "International condemnation and threats of economic sanctions failed to stop Mr. Putin In 2014, when Crimea was "
    "taken over, the same measures did not prevent Russia-backed hackers from launching a series of major cyber "
    "attacks on the United States and other foreign targets.",
    "The government has imposed sanctions on Russian targets and condemned Mr. Putin for the Kremlin’s interference "
    "in the U.S. elections, cyberattacks on U.S. companies, and the treatment of Russian opposition figure Alexei Navalny.",
    "Also Wednesday, Russia announced more U.S. diplomats were being asked to leave the country, a tit-for-tat response "
    "to a U.S. move limiting the time that Russian diplomats can remain in the U.S.",
    # questions
    "Could you go beyond economic sanctions?",
    "But so far, the United States has only talked about economic and diplomatic sanctions, and there is a question "
    "whether Trump will accept sanctions.",
    # a reply, not a penalty
    "Blinken stated that the USA would supply Russia with a written reaction subsequent week to the worries that it "
    "had publicly launched, one thing that Moscow has sought.",
    # a warning of danger, not a threat
    "Russia has accrued greater than 100,000 troops alongside the Ukrainian border, and US officers have warned an "
    "assault may occur at any time.",
    "NATO warns of continuing Russian troop buildup near Ukraine",
    # plain news: realised acts, rejections and demands are other event types
    "Russia expelled ten American diplomats on Friday.",
    "The United States imposed sanctions on Russian oligarchs in 2018.",
    "Zelensky said Ukraine would never accept any ultimatum from Moscow.",
    "Putin demanded legally binding security guarantees from NATO.",
    "Russia rejected the American proposal on Wednesday.",
    "Russia deployed 100,000 troops near the Ukrainian border.",
    "The Kremlin announced new sanctions against British officials.",
    "Russia's military operation in Ukraine began on February 24.",
    "Scholz said Germany would not send lethal weapons to Ukraine.",
    "Russia and Belarus held joint military drills near the Ukrainian border.",
    "Putin demanded guarantees that Ukraine would never join NATO.",
    # everyday "measures" and "response" are not threats
    "New measures to fight inflation would be needed next year, the central bank said.",
    "The government will announce its response to the pandemic on Monday.",
]


def test_taxonomy_patterns_are_strings():
    """YAML reads bare on/no/yes as booleans: every LOWER/LEMMA/ORTH value must stay a string."""
    tax = threats.lexicon().tax

    def values(pattern):
        for tok in pattern:
            for key in ("LOWER", "LEMMA", "ORTH", "TEXT"):
                v = tok.get(key)
                if isinstance(v, dict):
                    yield from v.get("IN", [])
                elif v is not None:
                    yield v

    pats = [p for rule in tax["patterns"] for p in rule["patterns"]]
    pats += tax["deescalation"]["patterns"] + tax["deescalation"]["disavowal_patterns"] + tax["conditions"]["patterns"]
    bad = [v for p in pats for v in values(p) if not isinstance(v, str)]
    assert bad == []
    words = [w for group in ("consequence_nouns", "threat_verbs", "speech_act_verbs") for ws in tax[group].values() for w in ws]
    assert all(isinstance(w, str) for w in words + tax["negation"]["words"])


@pytest.mark.parametrize("text,category,actor,target,conditional,intensity", POSITIVES[:8])
def test_threats_found_without_mention_table(nlp, text, category, actor, target, conditional, intensity):
    # the gazetteer fallback alone resolves the usual actors
    t = _issued(_run(nlp, text))[0]
    assert (t.category, t.actor_affiliation, t.target_affiliation) == (category, actor, target)


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_threats(nlp, text):
    assert _issued(_run(nlp, text)) == []


def test_interviewer_questions_are_not_threats(nlp):
    # seed 004: the transcript's interviewer turns are questions; Blinken's answers are not
    text = (
        "Efi Koutsokosta, euronews:\n\n"
        "“You said you had proof that Russia is considering invading Ukraine. Are we close to a military confrontation? “\n\n"
        "Antony Blinken, US Secretary of State:\n\n"
        "“We do not know the intentions of President Vladimir Putin.”\n\n"
        "Efi Koutsokosta:\n\n"
        "“You warned of serious consequences if Russia ends up invading Ukraine. What do you mean by that? "
        "And how far are you prepared to go? Could you go beyond economic sanctions? “\n\n"
        "Antony Blinken:\n\n"
        "“The economic consequences could be very strong. I believe that Moscow is fully aware of the magnitude of "
        "these consequences. President Joe Biden has made it equally clear that if Russia chooses to act recklessly, "
        "then we will respond. “"
    )
    found = _issued(_run(nlp, text))
    assert [(t.category, t.actor_name, t.target_affiliation, t.intensity) for t in found] == [
        ("economic", "Antony Blinken", "Russia", 3),
        ("unspecified", "Antony Blinken", "Russia", 1),
    ]
    assert found[1].conditional and found[1].condition == "if Russia chooses to act recklessly"


def test_deescalation_is_the_contrast(nlp):
    recs = _run(nlp, "Ukraine’s president, Volodymyr Zelenskiy, said Wednesday direct talks with Russia are the only "
                     "way to resolve the conflict.")
    assert [(r.category, r.actor_affiliation, r.target_affiliation) for r in recs] == [
        ("deescalation", "Ukraine", "Russia")]
    # a disavowal of force is de-escalation, not a military threat
    recs = _run(nlp, "A briefing from the National Security Council said that the Biden team is not seeking a "
                     "military struggle.")
    assert [(r.category, r.actor_affiliation) for r in recs] == [("deescalation", "United States")]
    # negated easing is neither
    assert _run(nlp, "“Not only will this not ease tensions, it will also encourage Vladimir Putin,” McCall said.") == []


def test_intensity_scale(nlp):
    def level(text):
        return _issued(_run(nlp, text))[0].intensity

    assert level("Blinken warned that Russia would face consequences if it invaded Ukraine.") == 1
    assert level("Blinken warned that Russia would face serious consequences if it invaded Ukraine.") == 2
    assert level("Blinken warned that Russia would face swift and severe consequences if it invaded Ukraine.") == 3
    assert level("Blinken warned that Russia would face a harsh reaction if it invaded Ukraine.") == 3
    assert level("Blinken warned that Russia would face devastating consequences if it invaded Ukraine.") == 4
    assert level("Blinken warned that Russia would face massive consequences if it invaded Ukraine.") == 4


def test_records_fit_the_table_schema(nlp):
    recs = _run(nlp, POSITIVES[0][0] + "\n\n" + POSITIVES[1][0], with_mentions=True)
    df = validate(to_frame("threats", recs), "threats")
    assert df["threat_id"].tolist() == ["t-T000", "t-T001"]
    assert df["sent_id"].tolist() == [0, 1]


@pytest.mark.slow
def test_seed_threats(nlp, seeds_dir):
    """All five cleaned seeds, with the real mention and quote tables as the pipeline passes them.

    Built here rather than from `seed_corpus` so that a failure elsewhere in the pipeline
    does not hide (or fake) a threats regression.
    """
    from ukraine_briefs.extract import entities
    from ukraine_briefs.extract import quotes as quotes_mod
    from ukraine_briefs.ingest.corpus import read_corpus

    recs = []
    documents = [d for d in read_corpus(seeds_dir) if d.status == "ok"]
    assert len(documents) == 5
    for d in documents:
        doc_id, doc = d.doc_id, nlp(d.text)
        mentions = list(entities.doc_mentions(doc, doc_id=doc_id))
        qs = list(quotes_mod.doc_quotes(doc, doc_id=doc_id, mentions=mentions))
        recs.extend(threats.doc_threats(doc, doc_id=doc_id, mentions=mentions, quotes=qs))
    df = validate(to_frame("threats", recs), "threats")
    issued = df[df["category"] != "deescalation"]
    dyads = set(zip(issued["actor_affiliation"], issued["target_affiliation"], issued["category"]))
    assert ("United States", "Russia", "economic") in dyads
    assert ("Russia", "NATO", "red_line") in dyads
    assert ("Russia", "NATO", "military") in dyads
    assert ("Ukraine", "Russia", "military") in dyads
    mccaul = issued[issued["text"].str.contains("devastating economic and diplomatic consequences")]
    assert mccaul[["category", "intensity", "actor_name", "target_affiliation"]].values.tolist() == [
        ["economic", 4, "Michael McCaul", "Russia"]]
    swift = issued[issued["text"].str.contains("swift, serious and a united reaction")]
    assert swift[["category", "intensity", "actor_affiliation", "target_affiliation"]].values.tolist() == [
        ["unspecified", 3, "United States", "Russia"]]
    # nothing from the interviewer's questions in seed 004, nor from perceived threats in seed 001
    assert not issued["text"].str.contains("What do you mean|You warned of serious consequences").any()
    assert not issued["text"].str.contains("threat on our Western frontier|poses a threat").any()
    out = queries.threat_dyads(df, to_frame("documents", documents))
    assert out["n_threats"].sum() == len(df)
    assert set(out["period"].astype(str)) == {"2021-11-29", "2021-12-06", "2022-01-17"}
