"""Quotes and speakers on ordinary, unspun news: a held-out style dev set.

``tests/gold/quotes_news_dev.jsonl`` holds 192 short passages (435 quotes, plus
scare quotes) written in wire, broadsheet and machine-translated styles (AP,
Reuters, BBC, Guardian, Kyiv Independent, TASS/RIA, Ukrinform, Polish, German
and French translations), each quote labelled by text prefix, speaker
(canonical gazetteer name; for people outside the gazetteer the full name the
text gives; null for a description, whose words are kept as ``surface``) and
kind. Gold was written before the extractor ran on a passage. Scare quotes are
labelled ``kind: scare`` and must not come out as quotations.

The passages came in batches, each scored before the rules were fixed on it,
which is the honest estimate for unseen news (precision / recall / speaker
accuracy of the extractor as it stood when the batch was written):

    n071-n095   44/44  44/45  38/44 (86%)
    n096-n120   59/61  59/63  51/59 (86%)
    n121-n140   47/47  47/47  39/47 (83%)
    n141-n160   38/38  38/41  30/38 (79%)   harder constructions on purpose
    n161-n175   42/42  42/42  41/42 (98%)   ordinary articles
    n176-n187   32/32  32/33  29/32 (91%)   ordinary articles, near-final rules
    pooled     262/264 262/271 228/262 (99.2% / 96.7% / 87.0%)

Three of those 34 fresh speaker misses named the wrong person; the rest stayed
unresolved, kept a description, or kept a name the entity stage had not linked.
On the whole set the extractor the issue started from scores 408/410, 408/423,
331/408 (99.5% / 96.5% / 81.1%); the current one 423/423, 423/423, 416/423
(100% / 100% / 98.3%), which is what the test below holds it to.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ukraine_briefs.extract import entities, gazetteer, quotes

GOLD = Path(__file__).parents[1] / "gold" / "quotes_news_dev.jsonl"


def _norm(s: str) -> str:
    return re.sub(r"[^0-9a-z]", "", s.lower())


def _speaker_ok(pred, g: dict) -> bool:
    if "source_type" in g and pred.source_type != g["source_type"]:
        return False
    if "affiliation" in g and pred.speaker_affiliation != g["affiliation"]:
        return False
    if g["speaker"] is None:
        surface = g.get("surface")
        if surface is None:  # nobody can be named: the quote must stay unattributed
            return pred.speaker_name is None
        # a description: shown as text, never linked to a gazetteer actor (a model-made
        # entity named by the description itself, "U.S. Embassy", is fine)
        return surface in (pred.speaker_surface or "").lower() and (
            pred.speaker_id is None or gazetteer.get(pred.speaker_id) is None)
    return _norm(pred.speaker_name or "") == _norm(g["speaker"])


def evaluate(nlp, passages=None) -> dict:
    """Precision, recall and speaker accuracy of `quotes.doc_quotes` on the dev set."""
    if passages is None:
        passages = [json.loads(x) for x in GOLD.read_text(encoding="utf-8").splitlines() if x.strip()]
    n_gold = n_pred = found = right = 0
    misses, wrong, extra = [], [], []
    for p in passages:
        doc = nlp(p["text"])
        ms = list(entities.doc_mentions(doc, doc_id=p["id"]))
        preds = [q for q in quotes.doc_quotes(doc, doc_id=p["id"], mentions=ms) if q.kind != "scare"]
        n_pred += len(preds)
        used = set()
        for g in p["quotes"]:
            if g["kind"] == "scare":
                continue
            n_gold += 1
            key = _norm(g["text"])
            hit = next((q for q in preds if q.quote_id not in used and _norm(q.text).startswith(key)), None)
            if hit is None:
                misses.append((p["id"], g["text"]))
                continue
            used.add(hit.quote_id)
            found += 1
            if _speaker_ok(hit, g):
                right += 1
            else:
                wrong.append((p["id"], g["text"], g["speaker"], hit.speaker_name, hit.speaker_surface, hit.attribution))
        extra += [(p["id"], q.text, q.kind) for q in preds if q.quote_id not in used]
    return {
        "gold": n_gold, "predicted": n_pred, "found": found, "right": right,
        "precision": found / max(n_pred, 1), "recall": found / max(n_gold, 1),
        "speaker_accuracy": right / max(found, 1),
        "misses": misses, "wrong": wrong, "extra": extra,
    }


@pytest.mark.slow
def test_news_dev_precision_recall_speaker_accuracy(nlp):
    """Measured 435/437 precision, 435/435 recall, 429/435 speakers (with passages n188-n192, whose
    source_type and affiliation are checked too; the two extra rows are chants, "chanted “Stop the war!”",
    which the gold calls terms). Before issue 17: 423/423, 423/423, 416/423 on n01-n187.

    The seven speaker misses name nobody wrong: Taras (x2, a name given as "who
    gave his name only as Taras" after a description), Sullivan (x2, the entity
    stage cannot tell Jake from John Sullivan), BLITZER (x2, a transcript label
    never written in full), and "The US ... citing the “continued threat”" (left
    unresolved; gold says the State Department).
    """
    r = evaluate(nlp)
    print({k: v for k, v in r.items() if k not in ("misses", "wrong", "extra")}, r["wrong"])
    assert r["precision"] >= 0.99, r["extra"]
    assert r["recall"] >= 0.99, r["misses"]
    assert r["speaker_accuracy"] >= 0.97, r["wrong"]
