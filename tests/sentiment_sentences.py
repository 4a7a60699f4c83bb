"""Rated news sentences shared by the sentiment tests (seeds and plain news copy), with a clear sign."""

POSITIVE = [
    "He welcomed the constructive talks and praised the progress.",
    "The talks were a great success and both sides welcomed the breakthrough.",
    "Blinken said that the meeting was a success.",
    "The ceasefire is holding and residents are relieved and hopeful.",
]
NEGATIVE = [
    # seeds
    "“The threat on our Western frontier is really growing,” Putin said at the Kremlin earlier Wednesday.",
    "“Especially after the disastrous withdrawal of troops from Afghanistan and the surrender of North Stream 2, "
    "the credibility of the United States…cannot withstand another blow of this nature,” said the Texas Republican.",
    "Russia Since occupying Crimea seven years ago, Russia has supported pro-Moscow separatists in eastern Ukraine, "
    "and this slow-burning conflict has killed more than 14,000 people.",
    # plain news copy
    "The shelling killed 12 civilians and destroyed a hospital.",
    "Russian troops killed dozens of civilians in a brutal attack.",
]
NEGATED = [
    # (affirmative, negated): negation lowers the score and flips a clear sign
    ("Blinken said that the meeting was a success.", "Blinken said that the meeting was not a success."),
    ("The talks were successful.", "The talks were not successful."),
    ("It is good for everyone.", "It is not good for anyone."),
]
