"""Click-to-evidence on the aggregated threat marks, on the seeds built by the real pipeline."""
from ukraine_briefs.tables.evidence import evidence_for


def test_a_categories_bar_lists_its_threats(seed_corpus):
    ev = evidence_for("threat_categories", ["Ukraine", "military"], seed_corpus)
    assert ev["note"].tolist() == [
        "military: Ukraine → Russia (“ready to “stop”)",
        "military: Oleksii Reznikov → Russia (“cost”)",
        "military: Volodymyr Zelenskyy → Russia (“military costs”)",
    ]


def test_the_pooled_other_actors_row_and_the_unknown_actor_row(seed_corpus):
    # top 1 actor (United States) shown, the rest pooled: the row stands for every other actor's threats
    pooled = evidence_for("threat_categories", ["other actors", "military", 1], seed_corpus)
    assert len(pooled) == 6 and not pooled["note"].str.contains("United States").any()
    assert "military: Vladimir Putin → the West (“countermeasures”)" in pooled["note"].tolist()
    unknown = evidence_for("threat_categories", ["unknown actor", "military"], seed_corpus)
    assert unknown["note"].tolist() == [
        "military: ? → ? (“bolster our allies militarily”)",
        "military: ? → ? (“army reinforcement”)",
    ]
