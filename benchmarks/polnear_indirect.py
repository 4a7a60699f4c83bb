"""Score reported speech (quotes of kind ``indirect``) on PolNeAR-train: content recall, precision, speaker accuracy.

Usage::

    python benchmarks/polnear_indirect.py [--data ../shared/data/polnear_train] [--part dev|test|all]
                                          [--limit N] [--show N] [--cache /tmp/polnear_dev_N.spacy]

The corpus stays outside the repository and is read at run time; none of its text
is copied here. Articles, annotations, the DEV/TEST split (first byte of
sha1(file stem) odd: TEST) and the reader-like speaker judgement are those of
``benchmarks/polnear_quotes.py`` (imported, not copied). Each article runs through
what the build runs: ``entities.doc_mentions``, ``quotes.doc_quotes``, then
``indirect.doc_indirect`` over the direct quotes.

What is scored:

* Gold reported speech = annotated attributions whose ``Content`` holds no
  quotation mark and that have a ``Source`` (one annotator file per article).
* Recall: gold contents overlapped by an indirect prediction; ``recall@half``
  asks that the prediction cover at least half of the gold content's characters.
  ``recall_any_kind`` also counts direct-quote rows (a gold content the direct
  extractor already holds as a partial quote is not lost).
* ``recall_clausal``: the same over gold contents holding a finite verb (the
  clauses this extractor reads; PolNeAR also annotates noun phrases such as
  "endorsed [Cruz]" and infinitives such as "urged [X to act]").
* Precision: indirect predictions overlapping some gold ``Content`` (quoted or not).
* Speaker accuracy, over gold contents found: the prediction overlapping it most
  names the gold source's referent (pronoun sources resolved as in
  polnear_quotes.referent; I/we sources not judged); also given for gold sources
  that are not pronouns.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polnear_quotes import MARKS, PRONOUNS, arg_parser, overlap, piece_text, read_part, referent, speaker_text, words  # noqa: E402

from ukraine_briefs.extract import entities, quotes  # noqa: E402
from ukraine_briefs.extract.quotes.indirect import doc_indirect  # noqa: E402


def clausal(doc, pieces: list) -> bool:
    """Is a gold content a clause (holds a finite verb), the reported speech this extractor looks for?
    Noun-phrase contents ("endorsed [Cruz]", "denied [the report]") and infinitives are not."""
    for a, b in pieces:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None and any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span):
            return True
    return False


def score_doc(text: str, rels: list[dict], preds: list, direct: list, ents: list, doc=None) -> dict:
    contents = [r["content"] for r in rels if "content" in r]
    sources = [r["source"] for r in rels if "source" in r]
    gold = [r for r in rels if "content" in r and "source" in r
            and not any(c in piece_text(text, r["content"]) for c in MARKS)]
    out = Counter(gold=len(gold), pred=len(preds))
    out["pred_ok"] = sum(any(overlap(c, q.start_char, q.end_char) for c in contents) for q in preds)
    errors = []
    for r in gold:
        size = sum(b - a for a, b in r["content"])
        best = max(preds, key=lambda q: overlap(r["content"], q.start_char, q.end_char), default=None)
        hit = best is not None and overlap(r["content"], best.start_char, best.end_char) > 0
        if any(overlap(r["content"], q.start_char, q.end_char) for q in direct if q.kind != "scare") or hit:
            out["found_any_kind"] += 1
        is_clause = doc is not None and clausal(doc, r["content"])
        out["gold_clausal"] += is_clause
        if not hit:
            errors.append(("miss" + ("_clause" if is_clause else ""), piece_text(text, r["content"])[:100],
                           piece_text(text, r["source"]), ""))
            continue
        out["found"] += 1
        out["found_clausal"] += is_clause
        out["found_half"] += overlap(r["content"], best.start_char, best.end_char) * 2 >= size
        ref = referent(text, r["source"], sources, ents)
        if ref is None:
            continue
        named = piece_text(text, r["source"]).strip().lower() not in PRONOUNS
        out["judged"] += 1
        out["judged_named"] += named
        got = speaker_text(best)
        if words(got) & words(ref):
            out["right"] += 1
            out["right_named"] += named
        else:
            errors.append(("speaker", best.text[:100], f"{piece_text(text, r['source'])} -> {ref}",
                           f"{got} [{best.attribution}]"))
    out["errors"] = errors
    return out


def main(argv=None) -> None:
    args = arg_parser(__doc__.splitlines()[0]).parse_args(argv)
    items, anns, docs = read_part(args)
    total, errors = Counter(), []
    for (stem, text), rels, doc in zip(items, anns, docs):
        ms = list(entities.doc_mentions(doc, doc_id=stem))
        direct = list(quotes.doc_quotes(doc, doc_id=stem, mentions=ms))
        preds = list(doc_indirect(doc, doc_id=stem, mentions=ms, direct=direct))
        r = score_doc(text, rels, preds, direct, [e for e in doc.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP")], doc)
        errors += [(stem, *e) for e in r.pop("errors")]
        total.update(r)
    g = max(1, total["gold"])
    print(f"part={args.part} articles={len(items)} gold={total['gold']} found={total['found']} "
          f"pred={total['pred']} pred_ok={total['pred_ok']} judged={total['judged']} right={total['right']}")
    print(f"clausal gold (a finite verb in the content)={total['gold_clausal']} found={total['found_clausal']} "
          f"recall_clausal={total['found_clausal'] / max(1, total['gold_clausal']):.3f}")
    print(f"recall={total['found'] / g:.3f} recall@half={total['found_half'] / g:.3f} "
          f"recall_any_kind={total['found_any_kind'] / g:.3f} precision={total['pred_ok'] / max(1, total['pred']):.3f} "
          f"speaker_accuracy={total['right'] / max(1, total['judged']):.3f} (gold source not a pronoun: "
          f"{total['right_named'] / max(1, total['judged_named']):.3f} of {total['judged_named']})")
    if args.show and args.part == "dev":
        for e in errors[:args.show]:
            print(" | ".join(str(x) for x in e))


if __name__ == "__main__":
    main()
