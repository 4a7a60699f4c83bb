"""Score time-expression values and publication-date inference on the labelled dev sets.

Usage::

    python benchmarks/dates_eval.py                 # both sets, DEV and TEST reported apart
    python benchmarks/dates_eval.py --errors dev    # also list the misses of one split (never tune on test)
    python benchmarks/dates_eval.py --only pubdate --polnear ../shared/data/polnear_train   # + real news

Time expressions (``tests/gold/dates_dev.jsonl``: one news sentence or short paragraph a
line, its publication date and the gold value of every time expression): a gold
expression counts as right when a row of ``doc_dates`` overlaps its characters (relaxed
span matching: "early Tuesday" matches "Tuesday") and has the gold value. Also reported:
rows overlapping no gold expression (spurious).

Publication dates (``benchmarks/pubdate_dev/articles.jsonl``: article texts with their true
date): the share of articles answered, and of the answers the share within 1 day and the
share more than 7 days off the true date (``pubdate.infer_published``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATES = ROOT / "tests" / "gold" / "dates_dev.jsonl"
PUBDATES = ROOT / "benchmarks" / "pubdate_dev" / "articles.jsonl"


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score_dates(items: list[dict], errors_split: str | None = None) -> dict[str, tuple[int, int, int]]:
    """split -> (right, gold expressions, spurious rows)."""
    from ukraine_briefs.extract import dates
    from ukraine_briefs.extract.nlp import load_nlp

    nlp = load_nlp()
    out: dict[str, list[int]] = {}
    for it in items:
        doc = nlp(it["text"])
        rows = list(dates.doc_dates(doc, doc_id=it["id"], published=dt.date.fromisoformat(it["published"])))
        acc = out.setdefault(it["split"], [0, 0, 0])
        used = set()
        for g in it["gold"]:
            gs = it["text"].index(g["text"])
            ge = gs + len(g["text"])
            hits = [r for r in rows if r.start_char < ge and r.end_char > gs]
            used.update(id(r) for r in hits)
            ok = any(r.value == g["value"] for r in hits)
            acc[0] += ok
            acc[1] += 1
            if not ok and errors_split == it["split"]:
                got = [(r.text, r.value) for r in hits] or "no row"
                print(f"  MISS {it['id']} pub {it['published']} {g['text']!r} gold {g['value']} got {got}")
        spurious = [r for r in rows if id(r) not in used]
        acc[2] += len(spurious)
        if spurious and errors_split == it["split"]:
            print(f"  SPURIOUS {it['id']}: {[(r.text, r.value) for r in spurious]}")
    return {k: tuple(v) for k, v in out.items()}


def score_pubdates(items: list[dict], errors_split: str | None = None) -> dict[str, dict[str, float]]:
    """split -> n, answered share, within-1-day and over-7-days shares of the answers."""
    from ukraine_briefs.ingest import pubdate

    out: dict[str, list[int]] = {}
    for it in items:
        true = dt.date.fromisoformat(it["published"])
        guess = pubdate.infer_published(it["text"], today=dt.date.fromisoformat(it["today"]) if it.get("today") else None)
        acc = out.setdefault(it["split"], [0, 0, 0, 0])
        acc[0] += 1
        if guess is None:
            if errors_split == it["split"] and it.get("evidence", True):
                print(f"  ABSTAIN {it['id']} (true {true})")
            continue
        off = abs((guess.date - true).days)
        acc[1] += 1
        acc[2] += off <= 1
        acc[3] += off > 7
        if off > 1 and errors_split == it["split"]:
            print(f"  OFF {it['id']} true {true} got {guess.date} ({off} days): {guess.note[:120]}")
    return {k: {"n": n, "answered": a / n, "within_1_day": w / a if a else 0.0, "over_7_days": o / a if a else 0.0}
            for k, (n, a, w, o) in out.items()}


def read_polnear(root: Path) -> list[dict]:
    """PolNeAR training articles (real 2015-2016 news) with their metadata dates, as pubdate items.

    The text is read from ``../shared/data/polnear_train`` at run time and never stored here;
    the title is put on the first line, as `ingest.corpus` does. Rules are studied on the DEV half
    only (``--errors polnear-dev``); the TEST half is only scored.
    """
    import csv

    meta = {}
    with (root / "metadata.tsv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            meta[row["filename"]] = row
    items = []
    for path in sorted((root / "train" / "text").glob("*.txt")):
        row = meta.get(path.stem)
        if row is None or not row["publication_date"][:4].isdigit():
            continue
        text = row["title"] + "\n\n" + path.read_text(encoding="utf-8")
        # the split of benchmarks/polnear_quotes.py: TEST when the first byte of sha1(file stem) is odd
        part = "polnear-test" if hashlib.sha1(path.stem.encode()).digest()[0] % 2 else "polnear-dev"
        items.append({"id": path.stem, "split": part, "published": row["publication_date"][:10], "text": text})
    return items


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", choices=["dev", "test", "dev2", "test2", "dev3", "test3", "dev4", "test4", "polnear-dev"], help="list the misses of this split")
    ap.add_argument("--only", choices=["dates", "pubdate"])
    ap.add_argument("--polnear", type=Path, help="also score pubdate on PolNeAR's real articles (../shared/data/polnear_train)")
    args = ap.parse_args()
    if args.only != "pubdate":
        for split, (right, n, spur) in sorted(score_dates(_read(DATES), args.errors).items()):
            print(f"dates {split.upper():4s}: {right}/{n} values right = {right / n:.3f}; {spur} spurious rows")
    if args.only != "dates":
        items = _read(PUBDATES) + (read_polnear(args.polnear) if args.polnear else [])
        for split, s in sorted(score_pubdates(items, args.errors).items()):
            print(f"pubdate {split.upper():12s}: n={s['n']} answered {s['answered']:.2f}, "
                  f"within 1 day {s['within_1_day']:.2f}, more than 7 days off {s['over_7_days']:.2f}")


if __name__ == "__main__":
    main()
