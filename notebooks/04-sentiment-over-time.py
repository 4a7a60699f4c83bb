# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 04 · How the tone moved
#
# Mean sentence tone per week, with a 95% interval and the number of sentences
# behind each point. Periods without articles are left empty, never
# interpolated. Read the counts: a handful of articles supports a description,
# not a trend. Hover a point for a sentence that shows its tone.
#
# A sentence's tone is its predicted mean human rating / 4 (-1..1, neutral within
# ±0.125), by default from the `accurate` method: a MiniLM fine-tuned on rated news
# sentences, blended with lexicons (`docs/sentiment.md`; `ukraine-briefs info` names
# the method a table was built with). Scores are compressed: compare, don't read them as absolutes.

# %%
import os

from ukraine_briefs import charts, load_corpus, open_tables
from ukraine_briefs.tables import timeseries

corpus = open_tables(os.environ["UKRAINE_BRIEFS_TABLES"]) if os.environ.get("UKRAINE_BRIEFS_TABLES") else load_corpus("../seeds")

# %% [markdown]
# ## The whole corpus, then by outlet

# %%
charts.sentiment_chart(timeseries.sentiment_by_period(corpus, freq="W"), title="Tone of the corpus, by week")

# %%
by_outlet = timeseries.sentiment_by_period(corpus, freq="W", group="outlet")
charts.sentiment_chart(by_outlet, title="Tone by outlet, by week")

# %% [markdown]
# ## By entity: the sentences that name them

# %%
by_entity = timeseries.sentiment_by_period(corpus, freq="W", group="entity")
charts.sentiment_chart(by_entity, entities=corpus.entities, title="Tone of the sentences naming each entity")

# %% [markdown]
# ## By speaker: the tone of their own words

# %%
by_speaker = timeseries.sentiment_by_period(corpus, freq="W", group="speaker")
charts.sentiment_chart(by_speaker, entities=corpus.entities, title="Tone of each speaker's quotes")

# %%
by_speaker[["period", "label", "mean", "count", "ci_low", "ci_high", "evidence"]].sort_values("count", ascending=False).head(10)
