"""Issue 19, third round: time expressions in the registers of TimeML-annotated news.

Financial wire copy, general wire and broadcast transcripts of 1989-1998 as well as war news:
"revenue for the quarter", "the previous quarter", "year-end" dated by its sentence, forward
cues, spelled-out years, days and decades, spelled counts, a count before an event. Each case:
(text, publication date, every row the text yields as (expression, value)).
"""
import datetime as dt

import pytest

from ukraine_briefs.extract import dates

D = dt.date
OCT_1989 = D(1989, 10, 26)  # a Thursday
JAN_1990 = D(1990, 1, 24)  # a Wednesday
MAR_1998 = D(1998, 3, 4)  # a Wednesday
JAN_1991 = D(1991, 1, 16)  # a Wednesday
OCT_2022 = D(2022, 10, 12)  # a Wednesday
FEB_2023 = D(2023, 2, 20)  # a Monday


def _pairs(nlp, text, published):
    return [(d.text, d.value) for d in dates.doc_dates(nlp(text), doc_id="t", published=published)]


CASES = {
    "the quarter of an earnings story": [
        # no quarter named: the last one completed by publication
        ("Revenue for the quarter climbed 5% to $1.2 billion, the company said.", OCT_1989,
         [("for the quarter", "1989-Q3")]),
        ("Earnings in the latest quarter were the lowest since the second quarter of 1987.", OCT_1989,
         [("the latest quarter", "1989-Q3"), ("the second quarter of 1987", "1987-Q2")]),
        # "the same quarter last year" counts from the story's quarter, not publication's
        ("Shipments rose 4% in the quarter, compared with a 2% decline in the same quarter last year.", OCT_1989,
         [("in the quarter", "1989-Q3"), ("the same quarter last year", "1988-Q3")]),
        ("Third-quarter profit rose 10% from the previous quarter, the company said.", OCT_1989,
         [("Third-quarter", "1989-Q3"), ("the previous quarter", "1989-Q2")]),
        # "the current quarter" stays deictic
        ("The charge will be taken in the current quarter.", OCT_1989, [("the current quarter", "1989-Q4")]),
        ("The stock index rose 3% for the week ended Oct. 20.", OCT_1989,
         [("for the week", "1989-W42"), ("Oct. 20", "1989-10-20")]),
    ],
    "years in earnings copy": [
        ("Net income rose to $5 million from $3 million in the 1988 quarter.", OCT_1989,
         [("1988 quarter", "1988-Q3")]),
        ("Third-quarter sales rose 5%, but profit fell from the 1988 period.", OCT_1989,
         [("Third-quarter", "1989-Q3"), ("1988 period", "1988-Q3")]),
        ("The loss in the fourth quarter of fiscal 1989 was $12 million.", OCT_1989,
         [("the fourth quarter of fiscal 1989", "1989-Q4")]),
        ("The company lost $30 million last fiscal year and expects a profit next fiscal year.", OCT_1989,
         [("last fiscal year", "1988"), ("next fiscal year", "1990")]),
        ("The company expects sales to pick up by mid-1990.", JAN_1990, [("1990", "1990")]),
        # "1990's" before a part of the year is the year's possessive; "the 1990's" the decade
        ("Profit in fiscal 1990's first quarter is expected to fall.", OCT_1989,
         [("1990", "1990"), ("first quarter", "1990-Q1")]),
        ("Housing prices soared in the 1980's.", OCT_1989, [("the 1980's", "198")]),
    ],
    "an anaphor dated by a date later in its sentence": [
        ("The year-end rally pushed the Dow to a record on Dec. 29.", JAN_1990,
         [("The year-end", "1989"), ("Dec. 29", "1989-12-29")]),
    ],
    "forward cues and past reporting verbs": [
        # the summit is dated in a noun phrase after "ahead of": the coming Nov. 16, not last year's
        ("NATO ambassadors discussed the plan ahead of the summit on Nov. 16.", OCT_2022, [("Nov. 16", "2022-11-16")]),
        # "on Saturday" right after "said" is the day of saying, whatever "would" governs
        ("The Wagner chief said on Saturday his men would take the town by April.", FEB_2023,
         [("Saturday", "2023-02-18"), ("April", "2023-04")]),
    ],
    "real-news tense readings": [
        # a day dating a noun in a past clause: an event up to two months ahead is the coming one
        ("As Donald Trump and Ted Cruz led the field before the Iowa caucuses Feb. 1, rivals heaped criticism on them.",
         D(2016, 1, 15), [("Feb. 1", "2016-02-01")]),
        # "the first to make": the infinitive takes the time of "was"
        ("Clinton was the first to make the appeal on Tuesday night, invoking the water crisis.", D(2016, 2, 11),
         [("Tuesday night", "2016-02-09")]),
        # an event's name is no weekday to count to; a title is no year
        ("Massachusetts and Oklahoma are key states in his Super Tuesday strategy.", D(2016, 2, 11), []),
        ("Stocks have not fallen so sharply since Black Monday.", OCT_1989, []),
        ("Time named her Person of the Year in 2015.", D(2016, 2, 11), [("2015", "2015")]),
        # a participle modifying a noun keeps its own (past) time, even in a future clause
        ("A $160 billion megamerger announced Monday would turn the drug maker into a foreign company.",
         D(2015, 11, 24), [("Monday", "2015-11-23")]),
        ("Mr. Smith was not told until Reuters asked about the donations in April.", D(2016, 1, 12),
         [("April", "2015-04")]),
        ("Republican 'Unity' Meeting Scheduled For Next Week", D(2016, 5, 6), [("Next Week", "2016-W19")]),
        # a month modifying a noun in a present clause is the nearer one; a future clause looks ahead
        ("Clinton's nomination sets up the November showdown with Trump.", D(2016, 7, 27), [("November", "2016-11")]),
        # ... and a past clause's reading
        ("In that October speech, Brainard chimed in with similar concerns.", D(2016, 7, 27), [("October", "2015-10")]),
        ("Democrats will blow a November matchup against Trump only by nominating a weak candidate.",
         D(2016, 3, 16), [("November", "2016-11")]),
        ("Even if Sanders managed to split delegates with Clinton in Tuesday's contests, he would need more.",
         D(2016, 3, 16), [("Tuesday", "2016-03-15")]),
        ("Two in three said they were much less likely to vote Republican in November.", D(2016, 4, 22),
         [("November", "2016-11")]),
        ("Clinton quit giving paid speeches before announcing her run in April.", D(2015, 12, 15),
         [("April", "2015-04")]),
        # a programme's name and the last part of a campaign are no dates
        ("Speaking to CBS This Morning on Monday, Rubio refrained from attacking his rivals.", D(2016, 2, 8),
         [("Monday", "2016-02-08")]),
        ("Iowa data showed a shift among caucus goers in the final week of the race.", D(2016, 2, 3), []),
        # conditions: a present verb after "if" is ahead, a past one a hypothesis (the nearer date)
        ("Trump was asked how ties would fare if he won the U.S. presidential election on Nov. 8.",
         D(2016, 5, 16), [("Nov. 8", "2016-11-08")]),
        ("About $27 million in TV advertising planned for December comes from groups backing candidates.",
         D(2015, 11, 27), [("December", "2015-12")]),
        # a weekday that is not one near publication, a newspaper's name
        ("At 2 p.m. on the last Friday in August, Fiorina and the board convened.", D(2016, 1, 20),
         [("August", "2015-08")]),
        ("One Sunday in late 2001, she showed hints of doubt.", D(2016, 1, 20), [("2001", "2001")]),
        ("In a national USA TODAY/Suffolk University Poll, likely voters were asked.", D(2016, 2, 17), []),
        # "that month" points back in the story, across a paragraph break
        ("In August 2001, she flew to New York.\n\nAt a conference that month in Aspen, she oozed confidence.",
         D(2016, 1, 20), [("August 2001", "2001-08"), ("that month", "2001-08")]),
        # "in two years" in a future clause is a point; in a past one a length
        ("He is likely to run for reelection as a senator in two years when his term expires.", D(2016, 4, 21),
         [("two years", "2018")]),
        ("Prices rose 12% in three months.", OCT_2022, [("three months", "P3M")]),
        # counted forward in a past clause with no date in its paragraph: the story's last date before it
        ("Back in 1999, Mr. Trump praised Mr. Clinton.\n\nAnd a couple of years later, he echoed that comment.",
         D(2015, 12, 31), [("1999", "1999"), ("a couple of years later", "2001")]),
    ],
    "spelled-out years, days, decades and counts": [
        ("In the summer of nineteen ninety-six, the bombing in Atlanta shook the Olympics.", MAR_1998,
         [("the summer of nineteen ninety-six", "1996-SU")]),
        ("Iraq invaded Kuwait on August second, nineteen ninety.", JAN_1991,
         [("August second, nineteen ninety", "1990-08-02")]),
        ("Many of these rules date from the nineteen seventies.", MAR_1998, [("the nineteen seventies", "197")]),
        ("Eighteen months ago, the company was near bankruptcy.", OCT_1989, [("Eighteen months ago", "1988-04")]),
        ("Twenty-five years ago, the plant opened in Ohio.", OCT_1989, [("Twenty-five years ago", "1964")]),
        # a count after a month and a comma is no year
        ("In August, two thousand troops crossed the border.", JAN_1991, [("August", "1990-08")]),
    ],
    "a distance with the period it is counted in, a year possessive": [
        ("Two years ago this month, the two sides signed a peace accord.", D(1998, 2, 19),
         [("Two years ago this month", "1996-02")]),
        ("A week ago today, the storm made landfall.", MAR_1998, [("A week ago today", "1998-02-25")]),
        ("Last year's third-quarter results included a $20 million gain.", OCT_1989,
         [("Last year", "1988"), ("third-quarter", "1988-Q3")]),
        ("Good morning. Today is Wednesday, March fourth.", MAR_1998,
         [("Today", "1998-03-04"), ("Wednesday", "1998-03-04"), ("March fourth", "1998-03-04")]),
    ],
    "lengths of time": [
        ("Prices have fallen for three consecutive months.", OCT_1989, [("three consecutive months", "P3M")]),
        ("The company plans to hire 500 workers over the next year.", MAR_1998, [("the next year", "P1Y")]),
        ("The company expects to hire 500 workers next year.", MAR_1998, [("next year", "1999")]),
    ],
    "a count before an event is a duration (TimeML)": [
        ("Russia fired more than 80 missiles at Ukrainian cities on Monday, two days after the bridge blast.",
         OCT_2022, [("Monday", "2022-10-10"), ("two days after", "P2D")]),
    ],
}


@pytest.mark.parametrize(
    "text, published, expected",
    [pytest.param(*case, id=f"{kind[:24]}:{case[0][:30]}") for kind, cases in CASES.items() for case in cases],
)
def test_timebank_register(nlp, text, published, expected):
    assert _pairs(nlp, text, published) == expected
