"""ukraine-briefs: a noisy news corpus on the Russia-Ukraine crisis, as tidy tables and charts.

Three lines for a notebook user::

    from ukraine_briefs import load_corpus
    corpus = load_corpus("seeds")
    corpus.quotes.head()
"""
from ukraine_briefs.config import PIPELINE_VERSION

__version__ = "0.1.0"
__all__ = ["load_corpus", "open_tables", "PIPELINE_VERSION", "__version__"]


def __getattr__(name):
    # Lazy so that `import ukraine_briefs` (charts, dashboard) never loads spaCy.
    if name in ("load_corpus", "open_tables"):
        from ukraine_briefs import api

        return getattr(api, name)
    raise AttributeError(name)
