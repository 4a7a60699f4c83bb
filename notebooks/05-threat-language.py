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
# # 05 · Who threatens whom, with what
#
# Threats and warnings (military, economic, diplomatic, red lines) and, for
# contrast, de-escalating statements. Each row names an actor and a target
# (resolved to their affiliation where known), whether the threat is
# conditional (`if Russia invades ...`) and its intensity (1–4).

# %%
import os

from IPython.display import HTML

from ukraine_briefs import charts, load_corpus, open_tables
from ukraine_briefs.tables import filters

corpus = open_tables(os.environ["UKRAINE_BRIEFS_TABLES"]) if os.environ.get("UKRAINE_BRIEFS_TABLES") else load_corpus("../seeds")

# %%
charts.threat_categories_chart(corpus.threats)

# %%
charts.threat_sankey_chart(corpus.threats)

# %%
charts.threat_timeline_chart(corpus.threats, corpus.documents)

# %% [markdown]
# Threats and de-escalating statements are counted apart (`threats.stance`): the flows and the
# timeline show threats only; who offers talks or reassurance to whom is its own chart.

# %%
charts.deescalation_chart(corpus.threats)

# %% [markdown]
# ## The evidence
# Every threat keeps its sentence and character offsets.

# %%
corpus.threats[["actor_name", "category", "target_name", "conditional", "intensity", "trigger", "text"]].head(15)

# %% [markdown]
# ## Only the articles mentioning NATO

# %%
nato = filters.filter_tables(corpus, actors=["NATO"])
charts.threat_sankey_chart(nato.threats)

# %% [markdown]
# ## The article with the most threat language, highlighted

# %%
doc_id = corpus.threats["doc_id"].value_counts().index[0]
HTML(charts.document_html(doc_id, documents=corpus.documents, mentions=corpus.mentions, quotes=corpus.quotes,
                          dates=corpus.dates, threats=corpus.threats, entities=corpus.entities))
