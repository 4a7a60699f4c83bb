"""Cleaning on real lines of the seeds."""
import pytest

from ukraine_briefs.ingest import clean


@pytest.mark.parametrize(
    "raw, expected",
    [
        # seed 000
        ("serious consequences” UkraineOn Thursday, as tensions", "serious consequences” Ukraine On Thursday, as tensions"),
        ("“We RussiaPlan to reinvade UkraineThis will move us", "“We Russia Plan to reinvade Ukraine This will move us"),
        ("meeting in Stockholm.As the tense diplomatic standoff", "meeting in Stockholm. As the tense diplomatic standoff"),
        ("Moscow Will not tolerate it.Mr. Lavrov said on Thursday", "Moscow Will not tolerate it. Mr. Lavrov said on Thursday"),
        ("“The first reason heThe upgrade is his", "“The first reason he The upgrade is his"),
        # seed 002
        ("before the President. BidenOn Tuesday morning", "before the President. Biden On Tuesday morning"),
        ("the Rep. Michael McCallRepublicans on the House", "the Rep. Michael McCall Republicans on the House"),
        ("or risk RussiaCunning long-term leader.", "or risk Russia Cunning long-term leader."),
        # names that are camel case by right stay whole
        ("Michael McCall said on YouTube and MacArthur agreed", "Michael McCall said on YouTube and MacArthur agreed"),
        ("the U.S. and U.K. said", "the U.S. and U.K. said"),
    ],
)
def test_split_glued_words(raw, expected):
    assert clean.split_glued_words(raw) == expected


def test_repair_closing_quote_typed_as_opening():
    raw = "“Our sovereignty and territorial integrity of the United States are Has a firm and firm commitment. Ukraine. “"
    assert clean.repair_closing_quotes(raw).endswith("commitment. Ukraine.”")
    # an opening mark that really opens a quote is left alone
    assert clean.repair_closing_quotes("He said: “We will respond") == "He said: “We will respond"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("“We will not give up an inch of our land,”Zelensky said.", "“We will not give up an inch of our land,” Zelensky said."),
        ('"This is a dangerous moment for Europe,"he said.', '"This is a dangerous moment for Europe," he said.'),
        ("“Nobody wants this war!”The chancellor left.", "“Nobody wants this war!” The chancellor left."),
        # a glued opening mark stays glued: no quote is open before it
        ('deceived by the authorities."We were wrong," he said.', 'deceived by the authorities."We were wrong," he said.'),
        ("He called it a “special”operation.", "He called it a “special” operation."),
    ],
)
def test_space_after_closing_quote(raw, expected):
    assert clean.space_after_closing_quote(raw) == expected
    assert clean.clean_text(raw) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Source link", "Source_link", "[ad_1]", "[ad_2]", "Leave a Reply", "Leave a Comment",
        "Your email address will not be published.", "Keine Kommentare:", "Kommentar veröffentlichen",
        "— With assistance by Ilya Arkhipov, and Aaron Egliti",
        "CNN’s Barbara Starr, Matthew Likelihood, Michael Conte, Kylie Atwood, Ellie Kaufman and Betsy Klein contributed reporting.",
        "• Jeff Mordock contributed to this article, which is based in part on the Wired Services report.",
    ],
)
def test_boilerplate_lines_removed(line):
    text = f"Title\n\nPutin spoke.\n{line}\nLavrov spoke."
    assert clean.clean_text(text) == "Title\n\nPutin spoke.\n\nLavrov spoke."


def test_related_posts_trailer_removed_with_teasers():
    raw = (
        "Title\n\n“These days, we heard issues,” Blinken stated.\n\nSource_link\n\nRelated posts\n\n"
        "US says drones harassed by Russian aircraft killed ISIS leader in Syria\n\nnewsconquest\n\nLeave a Comment\n"
    )
    assert clean.clean_text(raw) == "Title\n\n“These days, we heard issues,” Blinken stated."


def test_site_name_and_section_lines_above_headline_dropped():
    raw = "My Blog\nPolitics\n\nBlinken warns any Russian ‘invasion’ of Ukraine\n\n\nBody text."
    assert clean.split_title(clean.clean_text(raw)) == ("Blinken warns any Russian ‘invasion’ of Ukraine", "Body text.")


def test_byline_remnant_and_paragraphs():
    raw = "Politics\nBlinken Warns Russia\nBy and- Russia seeks binding guarantees\n- NATO warns of buildup\nText  with   spaces."
    assert clean.clean_text(raw) == (
        "Blinken Warns Russia\n\n- Russia seeks binding guarantees\n\n- NATO warns of buildup\n\nText with spaces."
    )


def test_unicode_normalised():
    assert clean.normalize_unicode("Zelens\u00adkyy\u00a0said\u200b.\r\n") == "Zelenskyy said.\n"


def test_seed_cleaned_text(seeds_dir):
    text = clean.clean_text((seeds_dir / "000_71ffaa25917f853c.txt").read_text())
    assert "Source link" not in text and "Leave a Reply" not in text
    assert "Ukraine On Thursday" in text
    paragraphs = text.split("\n\n")
    # one paragraph per line, none empty, none with stray edge whitespace
    assert all(p and "\n" not in p and p == p.strip() for p in paragraphs)
    assert paragraphs[-1].endswith("“The idea is to intimidate Ukraine.”")


# ---------------------------------------------------------------- page furniture and credit lines (issue 17)
FURNITURE_ARTICLE = (
    "Kyiv says Russian strikes hit power plants\n\n"
    "KYIV, March 3 (Reuters) - Ukrainian Foreign Minister Dmytro Kuleba said on Thursday that Russia had hit "
    "three power plants overnight.\n\n"
    "WATCH: Kyiv residents queue for water after shelling\n\n"
    "Volodymyr Zelenskyy in Kyiv. Photo: Dmytro Larin/Shutterstock\n\n"
    "“We will rebuild everything,” Kuleba told reporters.\n\n"
    "Related: EU agrees new package of sanctions\n\n"
    "(Photo by Sergei Supinsky/AFP via Getty Images)\n\n"
    "Photo: Genya Savilov\n\n"
    "Zelenskyy said the attacks would not break Ukraine.\n\n"
    "READ MORE:\n\n"
    "Grain ships leave Odesa under UN deal\n\n"
    "Russia's Lavrov rejects talks"
)


def test_page_furniture_and_credits_removed():
    text = clean.clean_text(FURNITURE_ARTICLE)
    assert text.split("\n\n") == [
        "Kyiv says Russian strikes hit power plants",
        "KYIV, March 3 (Reuters) - Ukrainian Foreign Minister Dmytro Kuleba said on Thursday that Russia had hit "
        "three power plants overnight.",
        "“We will rebuild everything,” Kuleba told reporters.",
        "Zelenskyy said the attacks would not break Ukraine.",
    ]


@pytest.mark.parametrize(
    "line",
    [
        "A Reuters/Ipsos poll found that 60% of Americans backed more aid.",  # a slash inside a sentence
        "Related to the talks, Kuleba said Ukraine would not give up land.",  # a label word, no colon
        "Watch the skies, residents of Kharkiv were told on Telegram.",
    ],
)
def test_article_lines_like_furniture_kept(line):
    assert clean.clean_text(line) == line


def test_furniture_labels_never_become_speakers_or_turns(nlp):
    from ukraine_briefs.extract import entities, quotes

    text = clean.clean_text(FURNITURE_ARTICLE)
    doc = nlp(text)
    ms = list(entities.doc_mentions(doc, doc_id="f"))
    qs = list(quotes.doc_quotes(doc, doc_id="f", mentions=ms))
    speakers = {q.speaker_surface for q in qs}
    assert speakers == {"Kuleba"}
    assert not any(q.attribution == "transcript" for q in qs)
    for label in ("WATCH", "READ MORE", "Related", "Photo"):
        assert not any(label.lower() in (s or "").lower() for s in speakers)
