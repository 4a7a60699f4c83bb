"""Entity identity on multilingual news: unknown ids, junk PERSONs, splits and false merges (issue 22).

Reads a labelled corpus written by ``benchmarks/entities_corpus.py`` (gold people
with their surface forms, junk strings), runs reading + cleaning + spaCy +
`doc_mentions` + the corpus merge exactly as the build does, and reports:

- ``unknown_ids``: entity ids ending in ``unknown``;
- ``junk_top50``: entities of the 50 most mentioned PERSON entities whose name holds a
  junk string of the corpus (photographer, photo agency, news agency, platform,
  weapon, city);
- ``split_people``: (document, gold person) pairs whose mentions got 2+ ids;
- ``false_merges``: ids given to mentions of 2+ gold people (or a gold person and junk);
- ``exact``: share of gold mentions of gazetteer people resolved to their exact id
  (a gold form missed by every mention counts as wrong);
- ``language``: share of documents whose detected language is the gold one.

With ``--real DIR`` it also reads a real corpus without labels (e.g.
../shared/data/polnear_train/train/text, read at run time, never copied) and
reports unknown ids, the top 50 PERSON entities and the audit's likely splits
inside one document.

    python benchmarks/entities_corpus.py 320 /tmp/ent2 --seed 2
    python benchmarks/entities_eval.py /tmp/ent2 [--real ../shared/data/polnear_train/train/text]
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ukraine_briefs.extract import entities  # noqa: E402
from ukraine_briefs.extract import gazetteer as gz  # noqa: E402
from ukraine_briefs.extract.nlp import load_nlp  # noqa: E402
from ukraine_briefs.ingest.corpus import read_corpus  # noqa: E402
from ukraine_briefs.types import to_frame  # noqa: E402


def run(path: Path, nlp, limit: int | None = None):
    """Documents, mentions (after the corpus merge) and the entities table of a corpus directory."""
    docs = [d for d in read_corpus(path) if d.status == "ok"][:limit]
    rows = []
    for d, doc in zip(docs, nlp.pipe((d.text for d in docs), batch_size=32)):
        rows.extend(entities.doc_mentions(doc, doc_id=d.doc_id))
    mentions = to_frame("mentions", rows)
    id_map = entities.corpus_id_map(mentions)
    mentions["entity_id"] = mentions["entity_id"].map(lambda e: id_map.get(e, e))
    return docs, mentions, entities.entities_frame(mentions)


def _spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    out, taken = [], set()
    for f in sorted(forms, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(f) + r"(?!\w)", text):
            if not taken & set(range(m.start(), m.end())):
                out.append((m.start(), m.end()))
                taken.update(range(m.start(), m.end()))
    return out


def _is_junk(name: str, junk: set[str]) -> bool:
    k = gz.key(name)
    return any(re.search(r"(?<!\w)" + re.escape(j) + r"(?!\w)", k) for j in junk)


def top_persons(ents, n: int = 50):
    p = ents[ents["type"] == "PERSON"].sort_values(["n_mentions", "entity_id"], ascending=[False, True])
    return p.head(n)


def score(path: Path, nlp) -> dict:
    gold = {g["doc_id"]: g for g in map(json.loads, (path / "gold.jsonl").read_text(encoding="utf-8").splitlines())}
    docs, mentions, ents = run(path / "text", nlp)
    by_doc = {d: g for d, g in mentions.groupby("doc_id")}
    junk = {gz.key(j) for g in gold.values() for j in g["junk"]}
    split = pairs = exact = total = lang_ok = 0
    assigned: dict[str, set[str]] = defaultdict(set)
    split_examples = []
    for d in docs:
        g = gold[d.doc_id]
        lang_ok += getattr(d, "language", None) == g["language"]
        ms = by_doc.get(d.doc_id)
        ms = [] if ms is None else list(ms[["start_char", "end_char", "entity_id", "surface"]].itertuples(index=False))
        for pid, forms in g["people"].items():
            ids = set()
            for s, e in _spans(d.text, forms):
                hit = [m for m in ms if m.start_char < e and s < m.end_char]
                total += pid.startswith("person:")
                if pid.startswith("person:") and any(m.entity_id == pid for m in hit):
                    exact += 1
                for m in hit:
                    ids.add(m.entity_id)
                    assigned[m.entity_id].add(pid)
            pairs += 1
            if len(ids) > 1:
                split += 1
                split_examples.append((d.doc_id, pid, sorted(ids)))
        for m in ms:
            if _is_junk(m.surface, junk) and m.entity_id.startswith("person:"):
                assigned[m.entity_id].add("junk")
    merges = {e: sorted(p) for e, p in assigned.items() if len(p) > 1}
    top = top_persons(ents)
    junk_top = [r.canonical_name for r in top.itertuples() if _is_junk(r.canonical_name, junk)]
    return {
        "documents": len(docs),
        "unknown_ids": int(ents["entity_id"].str.endswith("unknown").sum()),
        "junk_top50": len(junk_top),
        "junk_top50_names": junk_top[:15],
        "split_people": f"{split}/{pairs}",
        "split_examples": split_examples[:12],
        "false_merges": len(merges),
        "false_merge_examples": dict(list(merges.items())[:10]),
        "exact": round(exact / max(total, 1), 3),
        "language": round(lang_ok / max(len(docs), 1), 3),
    }


def real(path: Path, nlp, limit: int | None) -> dict:
    from ukraine_briefs.extract.entities.audit import audit

    docs, mentions, ents = run(path, nlp, limit)
    found = audit(mentions, ents)
    return {
        "documents": len(docs),
        "unknown_ids": int(ents["entity_id"].str.endswith("unknown").sum()),
        "top50_person": [f"{r.canonical_name} ({r.n_mentions})" for r in top_persons(ents).itertuples()],
        "splits_in_one_document": int((found["kind"] == "split-in-document").sum()),
        "audit_counts": found["kind"].value_counts().to_dict(),
        "split_examples": [f"{r.name} / {r.other}: {r.reason}" for r in found[found["kind"] == "split-in-document"].head(10).itertuples()],
        "junk_examples": [f"{r.name}: {r.reason}" for r in found[found["kind"] == "junk"].head(10).itertuples()],
        "languages": dict(__import__("collections").Counter(getattr(d, "language", None) for d in docs)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path, nargs="?")
    ap.add_argument("--real", type=Path)
    ap.add_argument("--limit", type=int)
    args = ap.parse_args()
    nlp = load_nlp()
    if args.corpus:
        print(json.dumps(score(args.corpus, nlp), ensure_ascii=False, indent=1))
    if args.real:
        print(json.dumps(real(args.real, nlp, args.limit), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
