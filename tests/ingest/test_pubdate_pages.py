"""Publication dates of scraped pages and new evidence (issue 19, third round).

Stamps run together, menus, page ends, the invasion's anniversary and day, office titles.
"""
import datetime as dt

import pytest

from ukraine_briefs.ingest import pubdate, pubdate_text

TODAY = dt.date(2026, 12, 7)
NAV = "Skip to content\nWorld\nEurope\nUkraine war\nBusiness\nMarkets\nOpinion\nSign in\n"


@pytest.mark.parametrize(
    "text, expected, note",
    [
        # a stamp whose year, clock and update note run together when the page is flattened
        ("Russia pounds Kyiv with missiles\nBy Pavel Polityuk and Max Hunder\nOctober 10, 20226:45 AM UTCUpdated 3 "
         "hours ago\nRussia fired more than 80 missiles at cities across Ukraine on Monday morning.",
         "2022-10-10", "date line"),
        ("Russia launches big push on Avdiivka\nIssued on: 10/10/2023 - 06:32Modified: 10/10/2023 - 18:02\nRussian "
         "forces have launched their biggest offensive in months, officials said on Tuesday.", "2023-10-10",
         "time stamp"),
        ("Kremlin drone\nPublished On 3 May 20233 May 2023\nThe Kremlin said on Wednesday that Ukraine had tried to "
         "kill Putin.", "2023-05-03", "time stamp"),
        ("Dnipro strike\n01/15/2023January 15, 2023\nThe number of people killed rose to 30 on Sunday.",
         "2023-01-15", "date line"),
        # a menu above the byline and stamp: its lines do not count among the head's six
        ("Ukrainian troops enter Kherson\n" + NAV + "By Paul Kirby\nBBC News\n11 November 2022\nCrowds gathered in "
         "the main square of Kherson on Friday.", "2022-11-11", "date line"),
        # a stamp on the last line of the page
        ("Explosion damages Crimea bridge\nA huge explosion on Saturday damaged the bridge to Crimea.\nRussian "
         "authorities said a truck bomb caused the blast.\nThree people were killed.\nUkraine did not claim "
         "responsibility.\nThe bridge is the main supply route for Russian forces in the south.\nIt was opened by "
         "Putin in 2018.\nPublished 08.10.2022 14:20", "2022-10-08", "time stamp at the end of the page"),
    ],
)
def test_publication_date_from_scraped_page_heads(text, expected, note):
    got = pubdate.infer_published(text, today=TODAY)
    assert (got.date.isoformat(), got.confidence) == (expected, "high")
    assert f"(confidence high): {note} " in got.note


def test_page_furniture_does_not_hide_the_leads_weekday():
    """Menu lines above the lead are not its first sentences: "Monday" still names the story's day."""
    text = ("Kyiv strikes\n" + NAV + "Share this article\nRussia fired missiles at Kyiv on Monday morning, "
            "officials said.")
    assert pubdate_text._story_weekday(text) == 0


@pytest.mark.parametrize(
    "text",
    [
        # an amendment note at the end of a page is dated after the publication: no evidence
        "Wagner chief heads to Moscow\nYevgeny Prigozhin said on Saturday his forces had crossed into Russia.\n"
        "This article was amended on 26 June 2023 to correct the spelling of a name.",
        # a date line at the end of a page (a timeline's last entry) is not a stamp
        "Timeline of the war\nRussia invaded on Feb. 24.\nIt seized Kherson in March.\nKyiv held.\nIzium was "
        "retaken in September.\nThe Kerch bridge was hit in October.\nKherson was retaken.\nNov. 11, 2022",
    ],
)
def test_page_end_holds_only_stamps(text):
    assert pubdate.infer_published(text, today=TODAY) is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # the anniversary the story marks, on the weekday the lead names (2023-02-24 was a Friday)
        ("Ukraine marks one year of war\nUkrainians marked the first anniversary of Russia's full-scale invasion on "
         "Friday with ceremonies and vigils. \"Feb. 24 was the longest day of our lives,\" Zelenskyy said.",
         "2023-02-24"),
        # one the story awaits ("days before"), or whose weekday the lead does not name: no answer
        ("Biden in Kyiv\nPresident Joe Biden made a surprise visit to Kyiv on Monday, days before the first "
         "anniversary of Russia's invasion.", None),
        ("War anniversary\nUkrainians marked the first anniversary of the invasion on Thursday.", None),
    ],
)
def test_publication_date_from_the_invasions_anniversary(text, expected):
    got = pubdate.infer_published(text, today=TODAY)
    assert (got.date.isoformat() if got else None) == expected
    if got:
        assert got.confidence == "medium" and "anniversary of Russia's full-scale invasion" in got.note


def test_the_invasions_day_without_its_year_dates_the_era():
    """"crossed the border on Feb. 24" is written after 2022-02-24: a year-less dateline takes 2022,
    the one year from then in which March 3 is the Thursday the lead names."""
    text = ("Second round of talks\nBREST, Belarus, March 3 (Reuters) - Ukrainian and Russian negotiators met on "
            "Thursday for a second round of talks, a week after Moscow's troops crossed the border on Feb. 24.")
    got = pubdate.infer_published(text, today=TODAY)
    assert (got.date, got.confidence) == (dt.date(2022, 3, 3), "medium")
    assert pubdate_text._era(text) == (dt.date(2022, 2, 24), "crossed the border on Feb. 24")
    assert pubdate_text._era("Stocks fell on Feb. 24 as the invasion began.") is None


@pytest.mark.parametrize(
    "minister, expected",
    [
        # Nov 11 is a Friday in 2022 only from 2019 (President Zelenskiy) to today, but a Saturday story of
        # 2023 about Friday's events reads the same; a defence minister in office until 2023-09-06 rules it out
        ("Defence Minister Oleksii Reznikov", "2022-11-11"),
        ("Former defence minister Oleksii Reznikov", None),
    ],
)
def test_a_title_in_office_bounds_the_year_from_above(minister, expected):
    text = ("Kherson\nKHERSON, Ukraine, Nov 11 (Reuters) - Ukrainian troops entered Kherson on Friday after Russia "
            f"completed its withdrawal, President Volodymyr Zelenskiy said. {minister} compared the day to the "
            "liberation of Kyiv.")
    got = pubdate.infer_published(text, today=TODAY)
    assert (got.date.isoformat() if got else None) == expected
    if got:
        assert got.note.endswith("to 2023-09-06 ('Defence Minister Oleksii Reznikov' is written before it) in "
                                 "which it is the Friday the lead names")


def test_the_war_by_name_dates_the_era():
    """"Russia's invasion of Ukraine" names the war of 2022; with "in 2014" it does not."""
    text = ("Strikes on the grid\nLVIV, Oct 11 (Reuters) - Russian missiles hit energy facilities in western Ukraine "
            "on Tuesday, in the heaviest strikes since Russia's invasion of Ukraine.")
    got = pubdate.infer_published(text, today=TODAY)
    assert (got.date, got.confidence) == (dt.date(2022, 10, 11), "medium")
    assert got.note.endswith("taken in 2022: the only year from 2022 (\"Russia's invasion of Ukraine\" is written "
                             "after 2022-02-24) to today in which it is the Tuesday the lead names")
    assert pubdate_text._era("Sanctions followed Russia's invasion of Ukraine in 2014.") is None


def test_documents_of_scraped_pages_carry_the_inferred_date(tmp_path):
    """Through the corpus reader: `published`, `date_source` and `date_note` of pages without metadata."""
    from ukraine_briefs.ingest import corpus

    pages = {
        "reuters": "Russia pounds Kyiv with missiles\nBy Pavel Polityuk and Max Hunder\nOctober 10, 20226:45 AM "
                   "UTCUpdated 3 hours ago\nRussia fired more than 80 missiles at cities across Ukraine on Monday "
                   "morning, officials said.\n",
        # the cleaning drops "Posted on ... by ..." as boilerplate; the date is read from the page before it
        "blog": "Kyiv braces for assault\nPosted on February 26, 2022 by Newsdesk\nResidents of Kyiv spent a "
                "second night in shelters as Russian troops approached the capital.\n",
        "undated": "Kherson\nUkrainian troops entered Kherson on Friday after Russia completed its withdrawal.\n",
    }
    for name, text in pages.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    docs = {d.doc_id: d for d in corpus.read_corpus(tmp_path)}
    got = {k: (d.published.isoformat() if d.published else None, d.date_source) for k, d in docs.items()}
    assert got == {"reuters": ("2022-10-10", "inferred"), "blog": ("2022-02-26", "inferred"),
                   "undated": (None, "unknown")}
    assert docs["blog"].date_note == ("inferred from the text (confidence high): time stamp "
                                      "'Posted on February 26, 2022 by Newsdesk'")
