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
# # 02 · Entities and who is mentioned with whom
#
# Entity mentions are resolved to canonical entities despite the noise
# (`Brinken` → Antony Blinken, `Poutin` → Vladimir Putin). Two entities
# co-occur when they are named in the same sentence (or paragraph, or document).

# %%
import os

from ukraine_briefs import charts, load_corpus, open_tables
from ukraine_briefs.tables import timeseries

corpus = open_tables(os.environ["UKRAINE_BRIEFS_TABLES"]) if os.environ.get("UKRAINE_BRIEFS_TABLES") else load_corpus("../seeds")

# %% [markdown]
# ## The canonical entities
# `aliases` lists every surface form met in the corpus; `affiliation` is the
# state or bloc an actor speaks for.

# %%
corpus.entities.sort_values("n_mentions", ascending=False).head(15)

# %%
charts.top_entities_chart(corpus.entities, n=15, by_type=["PERSON", "ORG"])

# %% [markdown]
# ## The co-occurrence network
# Node size = mentions, edge width = number of sentences naming both, colour =
# affiliation. Hover an edge's midpoint for the pair; in the dashboard a click
# shows the sentences behind it.

# %%
charts.cooccurrence_network_chart(corpus.cooccurrence, corpus.entities, window="sentence", top_n=30)

# %% [markdown]
# Raw counts favour the entities everyone mentions (Russia, the U.S., Ukraine).
# NPMI weighs pairs by how much more often they meet than chance would have it.

# %%
charts.cooccurrence_network_chart(corpus.cooccurrence, corpus.entities, window="paragraph", weight="npmi", color_by="type", top_n=30)

# %%
charts.cooccurrence_matrix_chart(corpus.cooccurrence, corpus.entities, window="sentence", top_n=20)

# %% [markdown]
# The strongest pairs, with names, as a table:

# %%
charts.chart_data("cooccurrence_network", corpus).query("window == 'sentence'").head(15)

# %% [markdown]
# ## Mentions over time
# Weekly mentions of the most named entities, by publication date. Weeks
# without articles stay empty.

# %%
charts.mention_volume_chart(timeseries.mentions_by_period(corpus, freq="W"), entities=corpus.entities)
