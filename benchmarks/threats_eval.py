"""Score the threats extractor on the labelled sentence sets (stance=threat rows only).

Sets (JSONL, one labelled sentence a line):
  tests/gold/threats_dev.jsonl    hand-written news in wire/diplomatic/conflict register; half threats,
                                  half hard negatives; `split` dev (tuned on) / test (held out, written with
                                  dev before any tuning) / dev2 (written after the first rules as a held-out part, measured once, then tuned on) / test3 (held out, written last, never tuned on)
  tests/gold/threats_seeds.jsonl  the seed sentences (and plain news) of tests/extract/test_threats.py

Each sentence is parsed alone and passed, like the pipeline does, with its entity mentions and
quotes. A sentence counts as flagged when any record has stance ``threat``. Scores: recall,
precision, hard negatives flagged (by shape), and over the true positives the agreement of
actor and target affiliation (None must match None), category and ``conditional``.

    .venv/bin/python benchmarks/threats_eval.py            # all sets, all parts
    .venv/bin/python benchmarks/threats_eval.py --errors   # list misses and false alarms
"""
from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from ukraine_briefs.extract import entities, threats
from ukraine_briefs.extract import quotes as quotes_mod
from ukraine_briefs.extract.nlp import load_nlp
from ukraine_briefs.types import THREAT

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold"


def predict(nlp, text: str):
    """The stance=threat records of one sentence, as the pipeline would produce them."""
    doc = nlp(text)
    mentions = list(entities.doc_mentions(doc, doc_id="e"))
    qs = list(quotes_mod.doc_quotes(doc, doc_id="e", mentions=mentions))
    return [r for r in threats.doc_threats(doc, doc_id="e", mentions=mentions, quotes=qs) if r.stance == THREAT]


def score(rows: list[dict], preds: dict[str, list]) -> dict:
    pos = [r for r in rows if r["is_threat"]]
    neg = [r for r in rows if not r["is_threat"]]
    tp = [r for r in pos if preds[r["id"]]]
    fp = [r for r in neg if preds[r["id"]]]

    def agree(field, key):
        ok = sum(1 for r in tp if getattr(preds[r["id"]][0], field) == r.get(key))
        return ok / len(tp) if tp else 0.0

    cond_ok = sum(1 for r in tp if preds[r["id"]][0].conditional == bool(
        r["conditional"] if "conditional" in r else r.get("condition")))
    return {
        "n_pos": len(pos), "n_neg": len(neg), "tp": len(tp), "fp": len(fp),
        "recall": len(tp) / len(pos) if pos else 0.0,
        "precision": len(tp) / (len(tp) + len(fp)) if tp or fp else 0.0,
        "actor": agree("actor_affiliation", "actor"),
        "target": agree("target_affiliation", "target"),
        "category": agree("category", "category"),
        "conditional": cond_ok / len(tp) if tp else 0.0,
        "fp_by_shape": dict(Counter(r.get("shape") or r.get("source") for r in fp)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="list misses, false alarms and wrong parties (not of the held-out part)")
    ap.add_argument("--show-test", action="store_true", help="with --errors, list the held-out part's errors too")
    ap.add_argument("--json", help="write the figures to this file")
    args = ap.parse_args()
    nlp = load_nlp()
    parts = {}
    for name, key, values in (("threats_dev", "split", ("dev", "test", "dev2", "test3")), ("threats_seeds", "source", ("seed", "plain"))):
        rows = [json.loads(line) for line in (GOLD / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line]
        preds = {r["id"]: predict(nlp, r["text"]) for r in rows}
        for v in values:
            part = [r for r in rows if r[key] == v]
            parts[f"{name}:{v}"] = s = score(part, preds)
            print(f"{name}:{v:5s} pos={s['n_pos']:3d} neg={s['n_neg']:3d}  recall={s['recall']:.2f} "
                  f"precision={s['precision']:.2f} fp={s['fp']} actor={s['actor']:.2f} target={s['target']:.2f} "
                  f"category={s['category']:.2f} conditional={s['conditional']:.2f} fp_by_shape={s['fp_by_shape']}")
            if args.errors and (not v.startswith("test") or args.show_test):
                for r in part:
                    p = preds[r["id"]]
                    if r["is_threat"] and not p:
                        print(f"   MISS [{r['id']}] {r['text']}")
                    elif not r["is_threat"] and p:
                        print(f"   FALSE [{r['id']}] ({p[0].trigger}) {r['text']}")
                    elif r["is_threat"] and (p[0].actor_affiliation, p[0].target_affiliation) != (r["actor"], r["target"]):
                        print(f"   PARTY [{r['id']}] got {p[0].actor_affiliation}->{p[0].target_affiliation} "
                              f"want {r['actor']}->{r['target']} ({p[0].trigger}) {r['text']}")
    if args.json:
        Path(args.json).write_text(json.dumps(parts, indent=1))


if __name__ == "__main__":
    main()
