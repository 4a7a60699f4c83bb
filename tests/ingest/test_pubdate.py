"""Publication dates inferred from article text: an answer only on evidence (issue 19)."""
import datetime as dt

import pytest

from ukraine_briefs.ingest import pubdate

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
        # ... the latest one; a bare weekday named after it does not move it (on real news "on Wednesday"
        # after "Thursday, June 16" was as often the day before): published the 22nd, one day off
        ("Recognition\nOn Monday, Feb. 21, 2022, Putin recognised two separatist regions. Western governments said "
         "on Tuesday they would impose sanctions.", "2022-02-21", "medium"),
        # a year-less one: the year the text names (or the next) where the weekday fits
        ("Bakhmut\nOfficials said on Wednesday, March 1, that the situation was critical. Russia has sought the town "
         "since the summer of 2022.", "2023-03-01", "medium"),
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
        # the year the text names and the next both fit the lead's weekday (May 21: Saturday 2022, Sunday 2023)
        "KYIV, May 21 (Reuters) - Wagner said on Saturday it had taken Bakhmut, a claim Kyiv denied on Sunday. "
        "The battle has raged since August 2022.",
        # a full date without its weekday: on real news as often history or a plan as the day reported
        "Officials recalled the attacks of Sept. 11, 2001, on Tuesday.",
        # a year-less date with its weekday, but no year in the text
        "Blinken met Lavrov on Thursday, December 2, in Stockholm.",
        # recalled dates: an anniversary piece, a timeline, a review of the year
        "A year ago, on Feb. 24, 2022, Russian tanks crossed the border. Ukrainians gathered in Kyiv on Friday.",
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
