"""Reproducible large corpora for the benchmarks, grown from the five seed articles.

Each generated article is a new mix of the seeds' paragraphs (a transcript
speaker label stays with its answer), in a new order, with some sentences
dropped, names, places, weekdays, month-days and troop numbers varied, and
sentences about synthetic officials added (thousands of distinct people, so
entity tables and charts grow as they would on months of wire copy). No two
articles share their text, so neither the build cache nor any deduplication
can shortcut the work. The same ``seed`` always gives the same corpus.

    python benchmarks/generate.py 1000 build/bench/corpus-1000
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# spun spellings stay in the mix: the extractors must keep coping with them
NAME_VARIANTS = {
    "Blinken": ["Blinken", "Blinken", "Brinken"],
    "Brinken": ["Blinken", "Brinken"],
    "Putin": ["Putin", "Putin", "Poutin"],
    "Zelensky": ["Zelensky", "Zelenskyy", "Zelenskiy"],
    "Lavrov": ["Lavrov", "Lavrov", "Lavrof"],
}
PLACES = {
    "Stockholm": ["Stockholm", "Vienna", "Geneva", "Helsinki", "Warsaw"],
    "Riga": ["Riga", "Vilnius", "Tallinn", "Brussels"],
    "Latvia": ["Latvia", "Lithuania", "Estonia", "Poland"],
    "Geneva": ["Geneva", "Vienna", "Istanbul"],
    "Seoul": ["Seoul", "Tokyo", "Manila"],
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
OUTLETS = [
    "Reuters (wire)", "Associated Press (wire)", "AFP (translated)", "Bloomberg (blog repost)",
    "CNN (spun repost)", "euronews (translated repost)", "The Washington Times (machine-translated repost)",
    "Unattributed blog (spun copy)", "Kyiv Independent", "Meduza (translated)", "Politico Europe",
    "Deutsche Welle", "BBC Monitoring", "Radio Free Europe", "The Guardian", "Le Monde (translated)",
    "Der Spiegel (translated)", "Ukrainska Pravda (translated)", "TASS (translated)", "Al Jazeera",
]
FIRST = ["Anna", "Boris", "Carla", "Dmytro", "Elena", "Frank", "Greta", "Hanna", "Igor", "Jonas",
         "Katarzyna", "Lukas", "Marta", "Nikolai", "Olga", "Pavel", "Quentin", "Rasa", "Stefan", "Tetiana",
         "Ulrich", "Vera", "Wojciech", "Xenia", "Yuri", "Zofia", "Andrius", "Birgit", "Cyril", "Daria",
         "Emil", "Fatima", "Georg", "Helga", "Ivan", "Janis", "Karin", "Leon", "Mykola", "Nina"]
LAST = ["Kowalski", "Petrenko", "Lindqvist", "Moreau", "Schneider", "Novak", "Horvath", "Bondarenko",
        "Ivanova", "Kask", "Ozols", "Jansen", "Rossi", "Dubois", "Fischer", "Kovalenko", "Sorensen",
        "Varga", "Melnyk", "Andersen", "Berzins", "Tamm", "Wagner", "Marchetti", "Kravets", "Nowak",
        "Lebedev", "Halvorsen", "Costa", "Shevchuk", "Keller", "Virtanen", "Popescu", "Hoffmann", "Zajac",
        "Lind", "Rudenko", "Bauer", "Kuznetsov", "Mazur", "Eriksen", "Kalnins", "Sokolov", "Weber", "Lis"]
ROLES = [
    "the foreign minister of {c}", "a spokesperson for the {c} government", "{c}'s ambassador to NATO",
    "a senior defence official in {c}", "the deputy prime minister of {c}", "a member of {c}'s parliament",
]
COUNTRIES = ["Poland", "Lithuania", "Germany", "France", "Estonia", "Finland", "Romania", "Hungary",
             "Sweden", "Norway", "Moldova", "Belarus", "Turkey", "Italy", "Slovakia", "the Netherlands"]
SAYINGS = [
    "said on {wd} that any new Russian attack on Ukraine would be met with severe sanctions.",
    "warned that Moscow would pay a heavy price if its troops crossed the border.",
    "told reporters in {place} that diplomacy was still the only way out of the crisis.",
    "said the alliance would not accept Russia's red lines on NATO enlargement.",
    "said: “We will respond firmly and in unity if Russia invades Ukraine.”",
    "called the talks with Lavrov on {wd} “frank but difficult”.",
    "said {country} was ready to send more troops to the eastern flank.",
    "urged Kyiv and Moscow to return to the Minsk agreements.",
]
TROOPS = re.compile(r"\b(\d{2,3}),000\b")
WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b")
MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b")
SENT_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def seed_articles(seeds: Path = SEEDS) -> list[tuple[str, list[str]]]:
    """(title, paragraphs) of each cleaned seed; speaker labels are glued to their answer."""
    sys.path.insert(0, str(ROOT / "src"))
    from ukraine_briefs.ingest.corpus import read_corpus

    out = []
    for d in read_corpus(seeds):
        paras = [p for p in d.text.split("\n\n") if p.strip()]
        title, body = paras[0], paras[1:]
        blocks, pending = [], None
        for p in body:
            if p.rstrip().endswith(":") and len(p.split()) <= 6:  # transcript label: keep with its answer
                pending = p if pending is None else pending + "\n\n" + p
                continue
            blocks.append(p if pending is None else pending + "\n\n" + p)
            pending = None
        out.append((title, blocks))
    return out


def _quotes_balanced(s: str) -> bool:
    return s.count("“") == s.count("”") and s.count('"') % 2 == 0


def _vary(text: str, rng: random.Random, names: dict, places: dict) -> str:
    for src, dst in {**names, **places}.items():
        text = re.sub(rf"\b{src}\b", dst, text)
    text = TROOPS.sub(lambda m: f"{rng.randint(20, 190)},000", text)
    text = WEEKDAY.sub(lambda m: rng.choice(WEEKDAYS), text)
    return MONTH_DAY.sub(lambda m: f"{rng.choice(MONTHS)} {rng.randint(1, 28)}", text)


def _drop_sentences(block: str, rng: random.Random) -> str:
    """Drop one sentence from some paragraphs, never one that opens or closes a quotation."""
    if "\n" in block or rng.random() > 0.35:
        return block
    sents = SENT_SPLIT.split(block)
    if len(sents) < 3:
        return block
    i = rng.randrange(1, len(sents))
    if not _quotes_balanced(sents[i]):
        return block
    return " ".join(sents[:i] + sents[i + 1 :])


def _official(rng: random.Random) -> str:
    country = rng.choice(COUNTRIES)
    person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    role = rng.choice(ROLES).format(c=country)
    saying = rng.choice(SAYINGS).format(wd=rng.choice(WEEKDAYS), place=rng.choice(PLACES["Stockholm"]),
                                        country=country)
    return f"{person}, {role}, {saying}"


def article(i: int, seeds: list[tuple[str, list[str]]], rng: random.Random) -> dict:
    """One generated article: doc_id, title, outlet, published, text."""
    names = {k: rng.choice(v) for k, v in NAME_VARIANTS.items()}
    places = {k: rng.choice(v) for k, v in PLACES.items()}
    pool = [(s, b) for s, (_, blocks) in enumerate(seeds) for b in blocks]
    main = rng.randrange(len(seeds))
    own = [b for s, b in pool if s == main]
    other = [b for s, b in pool if s != main]
    # wire briefs: a few paragraphs of one story, one or two borrowed from another
    k = rng.randint(2, 5)
    blocks = rng.sample(own, min(k, len(own))) + rng.sample(other, rng.randint(0, 2))
    rng.shuffle(blocks)
    blocks = [_drop_sentences(b, rng) for b in blocks]
    for _ in range(rng.randint(0, 2)):
        blocks.insert(rng.randrange(len(blocks) + 1), _official(rng))
    title = _vary(seeds[main][0], rng, names, places)
    body = _vary("\n\n".join(blocks), rng, names, places)
    published = dt.date(2021, 10, 1) + dt.timedelta(days=rng.randrange(182))
    digest = hashlib.sha1(body.encode()).hexdigest()[:12]
    return {
        "doc_id": f"g{i:05d}_{digest}",
        "title": title,
        "outlet": rng.choice(OUTLETS),
        "published": published.isoformat(),
        "text": body,
    }


def generate(n: int, out: str | Path, *, seed: int = 20211202) -> Path:
    """Write ``n`` articles as ``<doc_id>.txt`` (title on line 1) plus ``metadata.csv`` into ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seeds = seed_articles()
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        a = article(i, seeds, rng)
        name = f"{a['doc_id']}.txt"
        (out / name).write_text(f"{a['title']}\n\n{a['text']}\n", encoding="utf-8")
        rows.append({"doc_id": a["doc_id"], "file": name, "title": a["title"], "outlet": a["outlet"],
                     "url": "", "published": a["published"], "date_note": "generated"})
    with open(out / "metadata.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["doc_id", "file"])
        w.writeheader()
        w.writerows(rows)
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("n", type=int, help="number of articles")
    p.add_argument("out", type=Path, help="output directory")
    p.add_argument("--seed", type=int, default=20211202)
    a = p.parse_args(argv)
    generate(a.n, a.out, seed=a.seed)
    print(f"wrote {a.n} articles to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
