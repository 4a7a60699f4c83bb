"""Story groups, the copy flag and quote groups on the seeds, spun copies of them and clean news texts.

tests/fixtures/stories/spun/ holds a spun copy of each seed (synonym swaps, half of them not in
data/spin_markers.v1.yaml, a moved paragraph, the last paragraph dropped; make_spun.py wrote them);
tests/fixtures/stories/clean/ holds 22 clean news texts written for these tests (the flag's negatives,
and same-topic documents grouping must keep apart).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ukraine_briefs.extract import stories
from ukraine_briefs.extract.stories import groups, quotes, spin, text
from ukraine_briefs.ingest import clean

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "tests" / "fixtures" / "stories"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _docs() -> pd.DataFrame:
    rows = []
    for kind, files, day in (("seed", SEEDS, 1), ("spun", sorted((FIX / "spun").glob("*.txt")), 5),
                             ("clean", sorted((FIX / "clean").glob("*.txt")), 3)):
        for f in files:
            rows.append(dict(doc_id=f"{kind}-{f.stem[:8]}", text=clean.clean_text(f.read_text(encoding="utf-8")),
                             path=str(f), format="txt", published=pd.Timestamp(2021, 12, day), status="ok"))
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def prov():
    docs = _docs()
    q = pd.DataFrame({"quote_id": ["a:q0", "b:q0", "b:q1", "c:q0"], "text": [
        "The threat on our Western frontier is really growing",
        "The menace on our Western border is really growing",
        "Russia has no veto, Russia has no say",
        "We will respond to any aggression against Ukraine with serious consequences",
    ]})
    return stories.provenance(docs, [docs.iloc[:20], docs.iloc[20:]], [q.iloc[:1], q.iloc[1:]])


def test_fixtures_are_there():
    assert len(SEEDS) == 5 and len(list((FIX / "spun").glob("*.txt"))) == 5
    assert len(list((FIX / "clean").glob("*.txt"))) >= 20


def test_each_seed_grouped_with_its_spun_copy_only(prov):
    s = prov.stories.set_index("doc_id")
    assert len(s) == 32
    for f in SEEDS:
        seed, copy = f"seed-{f.stem[:8]}", f"spun-{f.stem[:8]}"
        assert s.loc[seed, "story_id"] == s.loc[copy, "story_id"] == f"story-{seed}"
        assert (s.loc[seed, "role"], s.loc[copy, "role"]) == ("original", "copy")
        assert s.loc[copy, "original_id"] == seed and s.loc[copy, "similarity"] >= 0.95
        assert s.loc[seed, "n_members"] == 2
    # every clean text is a story of its own, though all are about the same crisis
    clean_rows = s[s.index.str.startswith("clean-")]
    assert (clean_rows["n_members"] == 1).all() and (clean_rows["role"] == "original").all()
    assert prov.story_of["spun-000_71ff"] == "story-seed-000_71ff"


def test_flag_fires_on_every_seed_and_no_clean_text(prov):
    s = prov.stories.set_index("doc_id")
    assert s.loc[s.index.str.startswith("seed-"), "spun"].all()
    assert not s.loc[s.index.str.startswith("clean-"), "spun"].any()
    assert (s.loc[s.index.str.startswith("clean-"), "spun_score"] == 0).all()
    assert s.loc["seed-001_1e94", "spun_reason"] == "scraper residue 1.5 (Keine Kommentare:, Kommentar veröffentlichen, Politics)"
    assert s.loc["spun-001_1e94", "spun_reason"] == "reworded copy 1 (17 of 29 sentences reworded from seed-001_1e94)"


@pytest.mark.parametrize("sentence, kind, detail", [
    ("A senior Ukrainian authentic warned that continuing talks may backfire.", "substitution", "'Ukrainian authentic' for official"),
    ("White Area press secretary Jen Psaki said the U.S. would write.", "substitution", "'White Area' for White House"),
    ("Blinken held a 90-minute bilateral assembly with Lavrov.", "substitution", "'bilateral assembly with' for meeting with"),
    ("the Russian president Vladimir Putin Might treat this as his last window", "capitalised_function_word", "Might"),
    ("Mr. Brinken and Russian Foreign Minister Sergey Lavrov met.", "transliteration", "Brinken for Blinken"),
    ("he is building the capacity to to do it in a short period of time.", "doubled_word", "to to"),
])
def test_evidence_on_seed_sentences(sentence, kind, detail):
    assert spin.Evidence(kind, detail) in spin.evidence(sentence)


def test_evidence_in_the_text_as_read():
    raw = "Headline here\n\nMoscow will face “serious consequences” UkraineOn Thursday.As he said. “\nSource link\n"
    found = spin.evidence(clean.clean_text(raw), raw)
    assert [(e.kind, e.detail) for e in found] == [
        ("glued_word", "UkraineOn"), ("glued_sentence", "ay.As"), ("quote_typed_open", ".As he said. “"),
        ("repost_residue", "Source link")]
    assert spin.score(found) == (1.68, "glued words 0.5 (UkraineOn); scraper residue 0.5 (Source link); "
                                       "glued sentences 0.34 (ay.As); quotes closed with an opening mark 0.34 (.As he said. “)")


def test_a_name_spelt_two_ways_alone_flags_nothing():
    text = ("Rep. John Larson said the vote would be close. Larson, a Democrat, has served since 1999. "
            "An aide to Larsen said the tweet was deleted. The tweet tweet was shared widely. The tweet tweet was old.")
    found = spin.evidence(text)
    assert [(e.kind, e.detail) for e in found] == [("name_variant", "Larsen for Larson"), ("doubled_word", "tweet tweet"),
                                                  ("doubled_word", "tweet tweet")]
    assert spin.score(found) == (0.5, "a name spelt two ways 0.25 (Larsen for Larson); doubled words 0.25 (tweet tweet)")


def test_clean_names_and_words_are_no_evidence():
    assert spin.evidence("Rep. Michael McCall said. Stated goals matter, the United States stated. NATO ministers met in Riga.") == []


def test_alignment_survives_reordering_and_synonyms():
    a = text.sentence_keys("Blinken warned Russia of serious consequences. The meeting in Stockholm was brief and tense.")
    b = text.sentence_keys("The assembly in Stockholm was tense and brief. Blinken cautioned Russia about grave penalties.")
    al = groups.align(a, b)
    assert (al.share, al.aligned) == (1.0, 2)


def test_quote_groups_allow_spun_wording(prov):
    g = prov.group_of
    assert g["a:q0"] == g["b:q0"] == "qg-a:q0"
    assert g["b:q1"] == "qg-b:q1" and g["c:q0"] == "qg-c:q0"


def test_short_quotes_stay_alone():
    g = quotes.quote_groups([pd.DataFrame({"quote_id": ["x", "y"], "text": ["serious consequences", "serious consequences"]})])
    assert g == {"x": "qg-x", "y": "qg-y"}


@pytest.mark.slow
def test_build_of_seeds_and_copies_groups_stories_and_quotes(tmp_path, seeds_dir):
    """The whole build (spaCy parse, quote extraction, corpus-wide step) over the seeds and their spun copies."""
    import shutil

    from ukraine_briefs.build import run
    from ukraine_briefs.tables.io import read_tables

    corpus = tmp_path / "corpus"
    shutil.copytree(seeds_dir, corpus)
    (corpus / "metadata.csv").unlink()
    for f in sorted((FIX / "spun").glob("*.txt")):
        shutil.copy(f, corpus / f"spun_{f.name}")
    run.build(corpus, tmp_path / "out", progress=False)
    t = read_tables(tmp_path / "out")
    docs = t["documents"].set_index("doc_id")
    for f in SEEDS:
        assert docs.loc[f.stem, "story_id"] == docs.loc[f"spun_{f.stem}", "story_id"] == f"story-{f.stem}"
    assert t["stories"]["n_members"].tolist() == [2] * 10 and t["stories"]["spun"].all()
    q = t["quotes"].set_index("text")
    assert q.loc["The threat on our Western frontier is really growing,", "quote_group"] == \
        q.loc["The menace on our Western frontier is really growing,", "quote_group"]
    # no quotation group mixes two stories
    q = t["quotes"].assign(base=t["quotes"]["doc_id"].str.replace("spun_", "", regex=False))
    assert (q.groupby("quote_group")["base"].nunique() == 1).all()
    assert q.groupby("quote_group")["doc_id"].nunique().gt(1).sum() >= 50
