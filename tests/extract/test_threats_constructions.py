"""Threat constructions without the word "threat" (issue 18), on news sentences of the dev set.

Each construction asserts the full row: trigger, category, actor, target and condition; each hard
negative (refusal, denial, question, completed act, perceived threat, incentive, announcement,
an act by no party) asserts that no row of stance ``threat`` comes out.
"""
from __future__ import annotations

import pytest

from ukraine_briefs.extract import entities, threats
from ukraine_briefs.types import DEESCALATION, THREAT


def _rows(nlp, text: str):
    doc = nlp(text)
    mentions = list(entities.doc_mentions(doc, doc_id="t"))
    return list(threats.doc_threats(doc, doc_id="t", mentions=mentions))


def _threats(nlp, text: str):
    return [r for r in _rows(nlp, text) if r.stance == THREAT]


# (text, trigger, category, actor_affiliation, target_affiliation, condition)
CONSTRUCTIONS = [
    # party + will + coercive act + unless (the parser hangs "unless" on "join", inside the act's object)
    ("Turkey will block Sweden's bid to join NATO unless Stockholm cracks down on Kurdish militant groups, "
     "President Tayyip Erdogan said on Monday.",
     "block", "unspecified", "Turkey", "Sweden", "unless Stockholm cracks down on Kurdish militant groups"),
    # would + act, the target is the act's object; the condition's agent a pronoun
    ("Russia would halt gas deliveries to Poland and Bulgaria unless they paid in roubles, Gazprom said.",
     "halt", "economic", "Russia", "Poland", "unless they paid in roubles"),
    # is prepared to + act; the consequence noun names the threat better than the verb
    ("The European Union is prepared to impose a full embargo on Russian oil if Moscow escalates its offensive in "
     "the east, EU foreign policy chief Josep Borrell said.",
     "full embargo", "economic", "European Union", "Russia", "if Moscow escalates its offensive in the east"),
    # "sanctions package" is what is vetoed, not the threat; Brussels stands for the EU
    ("Hungary will veto the next sanctions package unless Brussels releases frozen EU funds, Prime Minister "
     "Viktor Orban said.",
     "veto", "diplomatic", "Hungary", "European Union", "unless Brussels releases frozen EU funds"),
    # inverted condition "should Minsk continue"
    ("Warsaw said it was prepared to shut the last open crossing on the Belarusian frontier should Minsk continue "
     "to push migrants across.",
     "shut", "unspecified", "Poland", "Belarus", "should Minsk continue to push migrants across"),
    # until-condition under a modal
    ("China will suspend trade talks with Australia until Canberra drops its call for an inquiry, the commerce "
     "ministry said.",
     "suspend", "economic", "China", "Australia", "until Canberra drops its call for an inquiry"),
    ("The Houthis said they would keep attacking ships bound for Israel until the war in Gaza ends.",
     "attacking", "military", "Houthis", "Israel", "until the war in Gaza ends"),
    # hostile act; "X's army" -> X
    ("Israel's army said it would strike Hamas targets across Gaza unless the rocket fire stopped.",
     "strike", "military", "Israel", "Hamas", "unless the rocket fire stopped"),
    # "the government in Kyiv" -> Ukraine; a hostile act needs no condition
    ("The government in Kyiv said it would nationalise the assets of Russian companies operating in Ukraine.",
     "nationalise", "economic", "Ukraine", "Russia", None),
    # act aimed at "any X that ...": the relative clause is the condition, X's side the target
    ("Britain will freeze the assets of any oligarch who helps Moscow evade sanctions, Foreign Secretary Liz "
     "Truss said.",
     "freeze", "economic", "United Kingdom", "Russia", "who helps Moscow evade sanctions"),
    ("The Pentagon said U.S. forces would shoot down any Iranian drone that approaches American bases in Iraq.",
     "shoot down", "military", "United States", "Iran", "that approaches American bases in Iraq"),
    ("Russia said it would consider any Western weapons shipments entering Ukraine as legitimate targets.",
     "legitimate targets", "military", "Russia", "NATO", "entering Ukraine"),
    # ultimatums: the demand is the condition, the party addressed the target
    ("Serbia has until Friday to remove its troops from the border area or face further measures, the European "
     "Union's envoy said.",
     "has until Friday", "red_line", "European Union", "Serbia", "until Friday to remove its troops from the border area"),
    ("Moscow gave Kyiv 48 hours to withdraw its forces from the two villages or face a full-scale assault.",
     "gave Kyiv 48 hours", "red_line", "Russia", "Ukraine", "48 hours to withdraw its forces from the two villages"),
    # the demand hangs on the deadline ("until the end of the year to pass ..."), "or lose" backs it
    ("Washington has given Kyiv until the end of the year to pass the anti-corruption law or lose part of its "
     "budget support.",
     "given Kyiv until the end of the year", "red_line", "United States", "Ukraine",
     "until the end of the year to pass the anti-corruption law"),
    # a demand backed by a sanction
    ("Washington told Ankara it must cancel the purchase of Russian air defence systems or face sanctions under "
     "U.S. law.",
     "sanctions", "economic", "United States", "Turkey", "must cancel the purchase of Russian air defence systems"),
    # warnings without the word
    ("Georgia's interior ministry warned on Sunday that the authorities would no longer tolerate unauthorised "
     "rallies outside parliament.",
     "no longer tolerate", "red_line", "Georgia", None, None),
    ("Russia warned Moldova it would bear responsibility for any provocation against Russian peacekeepers in "
     "Transnistria.",
     "bear responsibility", "unspecified", "Russia", "Moldova",
     "any provocation against Russian peacekeepers in Transnistria"),
    ("Kosovo's prime minister said police would remove the roadblocks by force if Serb protesters did not clear "
     "them within 24 hours.",
     "by force", "military", "Kosovo", "Serbia", "if Serb protesters did not clear them within 24 hours"),
    ("Pakistan's army said it would give a befitting response to any Indian aggression.",
     "befitting response", "unspecified", "Pakistan", "India", "any Indian aggression"),
    # implicit threat; "the Israeli prime minister" -> Israel
    ("All options are on the table, including military action, if Iran moves to enrich uranium to weapons grade, "
     "the Israeli prime minister said.",
     "military action", "military", "Israel", "Iran", "if Iran moves to enrich uranium to weapons grade"),
    # displays of capability aimed at someone (past tense is fine: the display is the threat)
    ("The U.S. Navy sent two aircraft carriers to the eastern Mediterranean in a warning to Hezbollah not to join "
     "the war.",
     "warning to", "military", "United States", "Hezbollah", None),
    ("Russia's defence ministry said it would deploy additional divisions along the Finnish border in response to "
     "Helsinki joining NATO.",
     "deploy", "military", "Russia", "Finland", None),
]


@pytest.mark.parametrize("text,trigger,category,actor,target,condition", CONSTRUCTIONS)
def test_construction(nlp, text, trigger, category, actor, target, condition):
    found = _threats(nlp, text)
    assert [(r.trigger, r.category, r.actor_affiliation, r.target_affiliation, r.condition) for r in found] == [
        (trigger, category, actor, target, condition)]
    assert found[0].conditional is (condition is not None)


NEGATIVES = [
    # denials and refusals
    "Russia has no plans to invade Ukraine, Deputy Foreign Minister Sergei Ryabkov said.",
    "Germany refused to send Taurus cruise missiles to Ukraine.",
    "Washington will not impose sanctions on Indian companies over the oil purchases, a State Department spokesman said.",
    "Hungary said it would not accept any EU decision on migrant quotas.",
    # questions
    "Reporters asked whether Washington would retaliate if Iran attacked its bases.",
    "Would Turkey really block Finland's membership if its demands are not met?",
    # completed acts
    "Lithuania expelled the Russian ambassador in April in response to the atrocities in Bucha.",
    "Russia cut off gas supplies to Poland and Bulgaria last April after they refused to pay in roubles.",
    # perceived or predicted
    "Moscow sees NATO's expansion as a threat to its security.",
    "U.S. intelligence officials believe Russia could invade Ukraine as early as next month.",
    # demands without a penalty
    "Ukraine demanded that Russia withdraw its troops from the Zaporizhzhia nuclear plant.",
    # an incentive, a scheduled measure, acts by no party or aimed at no one
    "The United States will lift sanctions on Venezuela's oil sector if the government holds free elections.",
    "The Baltic states will close their borders to Russian tourists from next month, the three foreign ministers announced.",
    "The central bank may cut interest rates if inflation continues to slow.",
    "Russia's central bank said it would impose capital controls if the rouble fell below 100 to the dollar.",
    "The airline will suspend flights to Tel Aviv until the end of the month for safety reasons.",
    "The ministry will halt electricity exports during the heatwave to avoid shortages at home.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_threat(nlp, text):
    assert _threats(nlp, text) == []


def test_withdrawal_for_talks_is_deescalation(nlp):
    rows = _rows(nlp, "Russia said it would withdraw troops from the Kyiv region to build trust in the negotiations.")
    assert [(r.stance, r.trigger, r.actor_affiliation) for r in rows] == [(DEESCALATION, "negotiations", "Russia")]
