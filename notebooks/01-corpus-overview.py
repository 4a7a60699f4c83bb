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
# # 01 · The corpus at a glance
#
# What is in the corpus, where it comes from, and what the pipeline made of it.
# The articles are noisy on purpose (machine-translated and "spun" copies), so
# the first thing to check is which documents parsed, how long they are and
# whether each one has a publication date.
#
# Tables come from `UKRAINE_BRIEFS_TABLES` (a directory written by
# `ukraine-briefs build`) when it is set; otherwise the seed articles are built
# (cached after the first run).

# %%
import os

from ukraine_briefs import charts, load_corpus, open_tables
from ukraine_briefs.tables import filters

corpus = open_tables(os.environ["UKRAINE_BRIEFS_TABLES"]) if os.environ.get("UKRAINE_BRIEFS_TABLES") else load_corpus("../seeds")
corpus

# %% [markdown]
# ## The documents
# One row per input file. `status` is `ok` or the reason a file could not be read;
# a bad file never loses the rest of the corpus.

# %%
charts.corpus_overview_chart(corpus.documents)

# %%
corpus.documents[["doc_id", "title", "outlet", "published", "date_source", "n_sentences", "n_words", "status"]]

# %% [markdown]
# ## How much the pipeline found
# Rows per table: sentences, entity mentions, quotations, time expressions,
# threats and co-occurring entity pairs.

# %%
{name: len(df) for name, df in corpus.tables.items()}

# %% [markdown]
# ## Who the corpus is about
# The most mentioned entities, coloured by the state or bloc they speak for
# (the same colours in every chart of the package).

# %%
charts.top_entities_chart(corpus.entities, n=20)

# %% [markdown]
# ## Narrowing the selection
# `filters.filter_tables` restricts every table at once (dates are inclusive;
# actors are entity ids, names or affiliations). The dashboard's global filters
# call the same function.

# %%
options = filters.filter_options(corpus)
options["start"], options["end"], options["outlets"]

# %%
december = filters.filter_tables(corpus, start="2021-12-01", end="2021-12-31")
{name: len(df) for name, df in december.as_dict().items()}

# %%
charts.top_entities_chart(december.entities, n=15, by_type="PERSON")
