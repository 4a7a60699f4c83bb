# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 · Who said what
#
# Quotations and their speakers. Attribution is explicit (`Blinken said`), by
# pronoun or title (`he warned`, `the secretary of state`), from a transcript
# label (`Antony Blinken:` on its own line), or unresolved. Each quote carries
# the tone of its words (−1 … +1).

# %%
import os

from IPython.display import HTML

from ukraine_briefs import charts, load_corpus, open_tables

corpus = open_tables(os.environ["UKRAINE_BRIEFS_TABLES"]) if os.environ.get("UKRAINE_BRIEFS_TABLES") else load_corpus("../seeds")

# %%
charts.quotes_by_speaker_chart(corpus.quotes, n=15, entities=corpus.entities)

# %% [markdown]
# Unnamed sources ("a senior US official", "the ministry") are bars of their own above, one per
# source type and affiliation. The same quotes grouped by the speakers' side, and by kind of source:

# %%
charts.quotes_by_speaker_chart(corpus.quotes, entities=corpus.entities, by="affiliation")

# %%
charts.quotes_by_speaker_chart(corpus.quotes, entities=corpus.entities, by="source_type")

# %% [markdown]
# How the speakers were found:

# %%
corpus.quotes["attribution"].value_counts()

# %% [markdown]
# ## The quotes of the most quoted speaker

# %%
top_speaker = corpus.quotes["speaker_name"].value_counts().index[0]
corpus.quotes.loc[corpus.quotes["speaker_name"] == top_speaker, ["doc_id", "text", "cue", "attribution", "sentiment"]]

# %% [markdown]
# ## Reading an article
# Entities (underlined in their affiliation's colour), quotations (blue),
# dates (yellow) and threats (wavy underline) from the tables' character
# offsets. Hover a highlight for the speaker, the resolved date or the threat.

# %%
doc_id = corpus.quotes["doc_id"].value_counts().index[0]
HTML(charts.document_html(doc_id, documents=corpus.documents, mentions=corpus.mentions, quotes=corpus.quotes,
                          dates=corpus.dates, threats=corpus.threats, entities=corpus.entities))
