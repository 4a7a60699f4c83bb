"""Story and quote provenance queries: story groups, their members, first seen, one per story, copy diffs.

The build groups copies of one article into stories (``stories`` table,
``documents.story_id``) and one quotation across documents into a
``quotes.quote_group``. These functions read those columns only (no spaCy):
what the Stories tab shows, and the "one per story" filter that stops a
syndicated or spun story from counting once per copy.
"""
from __future__ import annotations

import difflib
import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from ukraine_briefs.tables.io import as_tables

_TOKEN = re.compile(r"\S+|\s+")
# a sentence ends at . ! ? … (with closing quotes or brackets) before a space, or at a line break
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"'”’)\]])\s+|\n+")


def first_per_story(documents: pd.DataFrame, keep: np.ndarray | None = None) -> np.ndarray:
    """Bool mask over ``documents``: among the rows in ``keep`` (all by default), the first of each story.

    First = earliest ``published`` (undated last), then table order. A document
    without a story (no ``story_id``) stands for itself.

    Examples:
        >>> docs = pd.DataFrame({"story_id": ["s1", "s1", None, "s2"],
        ...                      "published": pd.to_datetime(["2021-12-02", "2021-12-01", None, None])})
        >>> first_per_story(docs).tolist()
        [False, True, True, True]
        >>> first_per_story(docs, np.array([True, False, True, True])).tolist()
        [True, False, True, True]
    """
    n = len(documents)
    keep = np.ones(n, dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    if "story_id" not in documents.columns or not n:
        return keep.copy()
    story = documents["story_id"]
    published = pd.to_datetime(documents["published"], errors="coerce")
    order = pd.DataFrame({"story": story.to_numpy(dtype=object), "pub": published.to_numpy(),
                          "pos": np.arange(n)})[keep]
    order = order.sort_values(["pub", "pos"], na_position="last")
    storied = order["story"].notna()
    first = order[storied].drop_duplicates("story")["pos"].to_numpy()
    out = np.zeros(n, dtype=bool)
    out[first] = True
    out[order.loc[~storied, "pos"].to_numpy()] = True
    return out


def _documents_info(tables) -> pd.DataFrame:
    docs = tables.documents
    return docs[[c for c in ("doc_id", "title", "outlet", "published") if c in docs.columns]]


def stories_overview(tables, *, min_members: int = 1) -> pd.DataFrame:
    """One row per story among the tables' documents, biggest first.

    Columns: ``story_id``, ``original_id`` and ``title`` (of the earliest member),
    ``first_seen`` (its date), ``n_members``, ``n_spun`` (members flagged as
    copies), ``outlets`` ("; "-joined).
    """
    t = as_tables(tables)
    cols = ["story_id", "original_id", "title", "first_seen", "n_members", "n_spun", "outlets"]
    s = t.stories.merge(_documents_info(t), on="doc_id", how="inner")
    if s.empty:
        return pd.DataFrame(columns=cols)
    s = s.assign(published=pd.to_datetime(s["published"], errors="coerce"))
    s = s.sort_values(["published"], na_position="last", kind="stable")
    g = s.groupby("story_id", sort=False)
    out = pd.DataFrame({
        "original_id": g["doc_id"].first(),
        "title": g["title"].first(),
        "first_seen": g["published"].min(),
        "n_members": g.size(),
        "n_spun": g["spun"].sum().astype("int64"),
        "outlets": g["outlet"].agg(lambda x: "; ".join(dict.fromkeys(str(o) for o in x if pd.notna(o)))),
    }).reset_index()
    out = out[out["n_members"] >= min_members]
    return out.sort_values(["n_members", "first_seen"], ascending=[False, True], na_position="last",
                           kind="stable").reset_index(drop=True)[cols]


def story_members(tables, story_id: str) -> pd.DataFrame:
    """The members of one story, first seen first: document, outlet, date, role, similarity, copy flag and reason."""
    t = as_tables(tables)
    s = t.stories[t.stories["story_id"] == story_id].merge(_documents_info(t), on="doc_id", how="left")
    s = s.assign(published=pd.to_datetime(s["published"], errors="coerce"))
    s = s.sort_values(["published"], na_position="last", kind="stable").reset_index(drop=True)
    return s[["doc_id", "title", "outlet", "published", "role", "similarity", "spun", "spun_score", "spun_reason"]]


def _text_of(tables, doc_id: str) -> str:
    hit = tables.documents.loc[tables.documents["doc_id"] == doc_id, "text"]
    return str(hit.iloc[0]) if len(hit) and pd.notna(hit.iloc[0]) else ""


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) pieces turning ``old`` into ``new`` word by word: ``equal``, ``delete`` (only in old),
    ``insert`` (only in new). Joined, the equal and insert pieces give ``new`` back.

    Examples:
        >>> word_diff("a senior official said", "a senior authentic said")
        [('equal', 'a senior '), ('delete', 'official'), ('insert', 'authentic'), ('equal', ' said')]
    """
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("equal", "".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            out.append(("insert", "".join(b[j1:j2])))
    return out


def sentences_of(text: str) -> list[str]:
    """The sentences of a cleaned text (sentence-final punctuation or a line break), stripped."""
    return [x.strip() for x in _SENTENCE_END.split(text) if x and x.strip()]


def copy_diff(tables, doc_id: str, *, min_ratio: int = 50) -> pd.DataFrame:
    """A copy against its story's original, sentence by sentence (empty for an original or an unknown document).

    Spinning bots move paragraphs, so each sentence of the copy is matched to
    the most similar sentence of the original (rapidfuzz token-sort ratio >=
    ``min_ratio``) and word-diffed against it. Columns: ``sentence`` (of the
    copy), ``original`` (its counterpart, "" when none), ``ratio`` (0..100) and
    ``diff`` (`word_diff` pieces; all ``insert`` without a counterpart).
    """
    t = as_tables(tables)
    cols = ["sentence", "original", "ratio", "diff"]
    row = t.stories[t.stories["doc_id"] == doc_id]
    if row.empty or row["role"].iloc[0] != "copy":
        return pd.DataFrame(columns=cols)
    original = sentences_of(_text_of(t, row["original_id"].iloc[0]))
    out = []
    for sent in sentences_of(_text_of(t, doc_id)):
        hit = process.extractOne(sent, original, scorer=fuzz.token_sort_ratio, score_cutoff=min_ratio) if original else None
        if hit is None:
            out.append((sent, "", 0.0, [("insert", sent)]))
        else:
            out.append((sent, hit[0], round(float(hit[1]), 1), word_diff(hit[0], sent)))
    return pd.DataFrame(out, columns=cols)


def shared_quotes(tables, *, min_docs: int = 2) -> pd.DataFrame:
    """Quotations reported by at least ``min_docs`` documents: ``quote_group``, ``n_docs``, ``first_seen``,
    ``first_doc``, ``speaker_name``, ``text`` (as the first report words it); most reported first."""
    t = as_tables(tables)
    cols = ["quote_group", "n_docs", "first_seen", "first_doc", "speaker_name", "text"]
    q = t.quotes
    if q.empty or "quote_group" not in q.columns:
        return pd.DataFrame(columns=cols)
    q = q.merge(_documents_info(t)[["doc_id", "published"]], on="doc_id", how="left")
    q = q.assign(published=pd.to_datetime(q["published"], errors="coerce")).dropna(subset=["quote_group"])
    q = q.sort_values("published", na_position="last", kind="stable")
    g = q.groupby("quote_group", sort=False)
    out = pd.DataFrame({
        "n_docs": g["doc_id"].nunique(),
        "first_seen": g["published"].min(),
        "first_doc": g["doc_id"].first(),
        "speaker_name": g["speaker_name"].agg(lambda x: next((str(v) for v in x if pd.notna(v)), None)),
        "text": g["text"].first(),
    }).reset_index()
    out = out[out["n_docs"] >= min_docs]
    return out.sort_values(["n_docs", "first_seen"], ascending=[False, True], kind="stable").reset_index(drop=True)[cols]


def quote_reports(tables, quote_group: str) -> pd.DataFrame:
    """Who reported one quotation, first first: ``doc_id``, ``outlet``, ``published``, ``speaker_name``,
    ``text`` and ``changed`` (the words that differ from the first report, "" when word for word)."""
    t = as_tables(tables)
    q = t.quotes[t.quotes["quote_group"] == quote_group].merge(_documents_info(t), on="doc_id", how="left")
    q = q.assign(published=pd.to_datetime(q["published"], errors="coerce"))
    q = q.sort_values("published", na_position="last", kind="stable").reset_index(drop=True)
    first = str(q["text"].iloc[0]) if len(q) else ""
    q["changed"] = [" ".join(x.strip() for op, x in word_diff(first, str(txt)) if op == "insert" and x.strip())
                    for txt in q["text"]]
    return q[["quote_id", "doc_id", "outlet", "published", "speaker_name", "text", "changed"]]
