"""Publication dates inferred from article text: an answer only on evidence (issue 19)."""
import datetime as dt

import pytest

from ukraine_briefs.ingest import pubdate, pubdate_text

TODAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize(
    "text, expected, confidence",
    [
        # a time stamp near the top
        ("Ukraine war: latest updates\nUpdated 10:32 GMT, 3 March 2022\nRussian forces have captured Kherson.",
         "2022-03-03", "high"),
        ("Missile lands in Poland\nPublished 16 Nov 2022 07:40 GMT\nA missile killed two people, Duda said on Wednesday.",
         "2022-11-16", "high"),
        ("Azovstal\nPublished: 2022-05-17 09:12\nHundreds of fighters were evacuated.", "2022-05-17", "high"),
        # German month name on a scraped page
        ("Panzer für Kiew\nAktualisiert am 25. Januar 2023, 10:15 Uhr\nDeutschland liefert Leopard-Panzer.",
         "2023-01-25", "high"),
        # a dated byline, and a date on its own line under the byline
        ("Hospital hit\nBy Olena Kovalenko | March 9, 2022\nAn air strike hit a maternity hospital on Wednesday.",
         "2022-03-09", "high"),
        ("Grain ships move\nBy Mark Hollis\nOctober 31, 2022\nShips left Ukrainian ports on Monday.",
         "2022-10-31", "high"),
        # a dateline with its year
        ("Victory Day\nMOSCOW, May 9, 2022 (AP) — Putin used Victory Day celebrations on Monday to defend the war.",
         "2022-05-09", "high"),
        # a dateline without a year: the year from a full date of the text on that day
        ("EU summit\nBRUSSELS, June 23 (Reuters) - EU leaders made Ukraine a candidate on Thursday, four months "
         "after the invasion of Feb. 24, 2022.", "2022-06-23", "medium"),
        # ... or the year the text names, where the lead's weekday agrees (2022-11-14 is a Monday, 2023-11-14 not)
        ("Zelenskiy in Kherson\nKHERSON, Nov 14 (Reuters) - Zelenskiy visited Kherson on Monday, days after "
         "Russian troops left the city they had held since March 2022.", "2022-11-14", "medium"),
        # the latest fully dated event, its weekday written beside it
        ("Kramatorsk\nA missile struck a railway station in Kramatorsk on Friday, April 8, 2022, killing 50 people.",
         "2022-04-08", "medium"),
        # ... moved on to the story's day when the lead names a weekday one or two days after it
        # (published the 22nd); never further, where a weekday may as well be one before the event
        ("Recognition\nOn Monday, Feb. 21, 2022, Putin recognised two separatist regions. Western governments said "
         "on Tuesday they would impose sanctions.", "2022-02-22", "medium"),
        # a year-less one: the year the text names (or the next) where the weekday fits
        ("Bakhmut\nOfficials said on Wednesday, March 1, that the situation was critical. Russia has sought the town "
         "since the summer of 2022.", "2023-03-01", "medium"),
        # stamps in the formats of real pages: a date line with clock, zone and outlet; numeric stamps
        ("Gazprom cuts flows\nJuly 27, 2022 / 5:41 AM / CBS News\nGazprom cut gas flows on Wednesday.",
         "2022-07-27", "high"),
        ("Russia strikes\nJanuary 26, 2023 at 10:11 a.m. EST\nRussia fired dozens of missiles on Thursday.",
         "2023-01-26", "high"),
        ("Mass grave found\nBy Vitaliy Hnidyi\n15.09.2022, 21:40\nOfficials found a burial site on Thursday.",
         "2022-09-15", "high"),
        # "08/03/2022": 8 March (a Tuesday), not 3 August (a Wednesday), by the lead's weekday
        ("Oil ban\nUpdated: 08/03/2022 - 17:42\nParis (AFP) - Joe Biden on Tuesday banned imports of Russian oil.",
         "2022-03-08", "high"),
        ("Annexation\n9/30/2022 4:12 PM\nPutin signed treaties on Friday to annex four regions.", "2022-09-30", "high"),
        # a dateline without a place, its year the one the text names (March 1 a Tuesday in 2022)
        ("Kharkiv\nMarch 1 (Reuters) - A missile hit Kharkiv on Tuesday. Exports hit a record in 2021, and "
         "the 2022 harvest is at risk.", "2022-03-01", "medium"),
        # the story's day is the lead's latest weekday (Saturday's claim, Sunday's denial): May 21 is a
        # Sunday in 2023 only, from 2022 (the latest year named) to today
        ("KYIV, May 21 (Reuters) - Wagner said on Saturday it had taken Bakhmut, a claim Kyiv denied on Sunday. "
         "The battle has raged since August 2022.", "2023-05-21", "medium"),
        # no year written: the era a reader knows ("special military operation" is written after
        # 2022-02-24); Feb 24 is a Thursday in 2022
        ("Invasion\nKYIV, Feb 24 (Reuters) - Russian forces attacked on Thursday after Putin announced a "
         "\"special military operation\".", "2022-02-24", "medium"),
        # a year-less event with its weekday (Feb 24 a Thursday only in 2022 from 2014), moved on to the
        # lead's Friday; "Thursday" beside the date is that date's, not the story's
        ("Kyiv\nKYIV, Ukraine (AP) - Russian troops bore down on Kyiv on Friday, a day after Moscow launched its "
         "invasion on Thursday, Feb. 24. Russia annexed Crimea in 2014.", "2022-02-25", "medium"),
        # "Turkey said on Friday" is the story's day though the sentence speaks of next week
        ("Grain\nANKARA (AP) - Turkey said on Friday that a grain deal could be signed next week. Delegations "
         "met on Wednesday, July 13. Ukraine exported a record 45 million tonnes in 2021.", "2022-07-15", "medium"),
        # weekday and date in parentheses; "Monday" named the day before the dated event keeps it
        ("Strikes\nRussian missiles hit energy facilities in western Ukraine on Tuesday (Oct 11), a day after the "
         "heaviest strikes since the start of the full-scale invasion. At least 19 people were killed on Monday.",
         "2022-10-11", "medium"),
        # a recalled full date with its distance, the lead naming the day it gives (2023-02-24, a Friday);
        # with "Thursday" instead (the eve of the anniversary) there is no answer, see below
        ("A year of war\nA year ago, on Feb. 24, 2022, Russian tanks crossed the border. Ukrainians gathered in "
         "Kyiv on Friday.", "2023-02-24", "medium"),
        # an upcoming date with its weekday dates the story on the lead's weekday before it
        ("Price cap\nEU governments agreed on Friday on a price cap on Russian oil, diplomats said. It is due to "
         "take effect on Monday, Dec. 5, 2022.", "2022-12-02", "medium"),
    ],
)
def test_publication_date_from_evidence(text, expected, confidence):
    got = pubdate.infer_published(text, today=TODAY)
    assert (got.date.isoformat(), got.confidence) == (expected, confidence)
    assert f"confidence {confidence}" in got.note


@pytest.mark.parametrize(
    "text",
    [
        # a year-less dateline and no year in the text: a same-day story of 2022 (Aug 25 a Thursday)
        # cannot be told from a day-after story of 2021 (Aug 25 a Wednesday) by weekdays alone
        "KYIV, Aug 25 (Reuters) - A rocket strike killed 25 people as Ukraine marked Independence Day on Wednesday.",
        # the lead's weekday fits two years from the latest year the text names (2014) to today
        # (Oct 27 is a Thursday in 2016 and 2022): no answer, where the old rule said 2015
        "LONDON, Oct 27 (Reuters) - Putin said on Thursday the world faced its most dangerous decade. The forum, "
        "founded in 2014, has hosted him every year since.",
        # June 3 is a Friday only in 2022 from 2021 (the latest year named) to today, but a Saturday in 2023:
        # a story filed the day after its Friday events, in 2023, reads the same; the text does not name 2022
        "KYIV, June 3 (Reuters) - Russian forces pressed their assault on Sievierodonetsk on Friday. The economy, "
        "which grew 3.4% in 2021, could shrink by a third this year.",
        # the era floor 2019 ("President ... Zelenskiy"): Feb 24 is a Thursday in 2022, a Friday in 2023
        "KYIV, Feb 24 (Reuters) - Russian forces attacked on Thursday, and President Volodymyr Zelenskiy "
        "declared martial law.",
        # the lead's day (Thursday) is five days after the dated event (Saturday, Oct. 29): the story
        # is later, by how much the text does not say (the old rule answered Oct. 29, five days off)
        "Grain deal\nISTANBUL (Reuters) - Ships carrying grain sailed on Thursday after Russia rejoined the deal "
        "it had suspended on Saturday, Oct. 29. The deal let Ukraine export a fraction of the 2021 harvest.",
        # an upcoming date whose weekday is the lead's own: the day itself or a week before
        "Talks\nOfficials met on Tuesday, a source said. Ministers will meet again on Tuesday, Nov. 22, 2022.",
        # a numeric stamp "08/03/2022" with no weekday in the lead to tell day/month from month/day
        "Oil ban\nUpdated: 08/03/2022 - 17:42\nThe United States banned imports of Russian oil.",
        # a full date without its weekday: on real news as often history or a plan as the day reported
        "Officials recalled the attacks of Sept. 11, 2001, on Tuesday.",
        # a year-less date with its weekday, but no year in the text
        "Blinken met Lavrov on Thursday, December 2, in Stockholm.",
        # recalled dates: an anniversary piece, a timeline, a review of the year
        "A year ago, on Feb. 24, 2022, Russian tanks crossed the border. Ukrainians gathered in Kyiv on Thursday.",
        "Timeline\nFeb. 24, 2022: Russia invades Ukraine.\nJune 3, 2022: The war reaches its 100th day.",
        "Russia invaded on Feb. 24, 2022. Kherson was liberated on Nov. 11, 2022. Ukraine enters the new year in the dark.",
        # only relative dates; no date at all
        "Putin signed the documents at a ceremony in the Kremlin on Friday. Western leaders said they would never "
        "recognise the move.",
        "The Azovstal works is one of the largest steel plants in Europe. Its tunnels were built to survive a nuclear war.",
        # a date in the future of today
        "Updated 10:32 GMT, 3 March 2027\nTalks resumed.",
    ],
)
def test_publication_date_abstains_on_weak_evidence(text):
    assert pubdate.infer_published(text, today=TODAY) is None


@pytest.mark.parametrize("url, expected", [
    ("https://www.reuters.com/world/europe/russia-launches-attack-2022-02-24/", "2022-02-24"),
    ("https://apnews.com/2022/03/16/mariupol-theatre", "2022-03-16"),
    ("https://example.org/news/20221011-kyiv-strikes.html", "2022-10-11"),
    ("https://example.org/news/2022/10/kyiv-strikes", None),  # a month is not a day
    ("https://example.org/item/123456789", None),
])
def test_publication_date_from_url(url, expected):
    got = pubdate.infer_published("Missiles hit Kyiv on Monday.", today=TODAY, url=url)
    assert (got.date.isoformat() if got else None) == expected
    if got:
        assert got.confidence == "high" and "url" in got.note


def test_date_note_says_how_and_how_sure():
    """The note recorded as `documents.date_note` names the evidence, the year's reason and the confidence."""
    got = pubdate.infer_published(
        "Ukraine marks 100 days of war\nKYIV, June 3 (Reuters) - Ukraine marked 100 days of war on Friday. "
        "The economy could shrink by a third in 2022, the World Bank said.", today=TODAY)
    assert got.date == dt.date(2022, 6, 3)
    assert got.note == ("inferred from the text (confidence medium): dateline 'KYIV, June 3 (Reuters) -', taken in "
                        "2022: the only year from 2022 (the latest year the text names) to today in which it is "
                        "the Friday the lead names")
    era = pubdate.infer_published(
        "Invasion\nKYIV, Feb 24 (Reuters) - Russian forces attacked on Thursday after Putin announced a "
        "\"special military operation\".", today=TODAY)
    assert era.note.endswith("the only year from 2022 ('special military operation' is written after "
                             "2022-02-24) to today in which it is the Thursday the lead names")


def test_future_sentence_years_and_former_titles_set_no_floor():
    """A year in a sentence about the future, or "former President Biden", says nothing of when a text was written."""
    assert pubdate_text._floor_year("Elections are scheduled for 2024. The vote was held on Sunday.", TODAY) is None
    assert pubdate_text._era("Former President Biden said on Monday.") is None
    assert pubdate_text._era("President Biden said on Monday.") == (dt.date(2021, 1, 20), "President Biden")


@pytest.mark.parametrize(
    "text, expected",
    [
        # Al Jazeera-style running title: day 1 is 24 February 2022
        ("Russia-Ukraine war: List of key events, day 100\nHere are the key events so far on Friday, as the war "
         "enters its 100th day.", "2022-06-03"),
        ("Ukraine pushes on\nIt has been 200 days since Russia launched its full-scale invasion. The general staff "
         "said on Monday that forces had retaken 20 settlements.", "2022-09-12"),
        ("Ukraine marks 100 days of war\nKYIV, June 3 (Reuters) - Ukraine marked 100 days of war on Friday. The "
         "economy, which grew 3.4% in 2021, could shrink by a third this year.", "2022-06-03"),
        # a recalled count is no evidence; nor is a count without Russia or Ukraine named
        ("Ukraine's EU bid\nUkraine applied to join the EU 4 days after the invasion. Officials said on Thursday "
         "that talks could take years.", None),
        ("Israel-Hamas war: List of key events, day 100\nFighting continued in Gaza on Sunday.", None),
        # counts that disagree give no answer
        ("Key events, day 100 of the war in Ukraine\nIt has been 150 days since the invasion.", None),
    ],
)
def test_publication_date_from_the_wars_day_count(text, expected):
    got = pubdate.infer_published(text, today=TODAY)
    assert (got.date.isoformat() if got else None) == expected
    if got:
        assert got.confidence == "medium" and "the war's day count" in got.note


def test_long_text_is_read_only_at_its_start():
    """A 2 MB file is not scanned whole (the sentence lookup was quadratic: 6 s for 88 KB)."""
    import time

    body = "Russian forces shelled the city on Tuesday, officials said in 2022. " * 30000
    text = "Strikes\nKYIV, Oct 11 (Reuters) - Missiles hit Kyiv on Tuesday.\n" + body
    start = time.process_time()
    got = pubdate.infer_published(text, today=TODAY)
    assert time.process_time() - start < 2.0
    assert got.date == dt.date(2022, 10, 11)
