"""Dump the per-sentence inputs of training/sentiment_fit.py's `fit` for the dev file (run under /work/main/.venv).

Writes ``blocks.npz`` (X: 16 lexicon features, G: weighted GloVe mean, y, articles)
and ``bow.json`` (each sentence's bag-of-stems tokens) so the CV experiments in this
folder can refit the ridge blocks quickly without re-running VADER/TextBlob.
"""
import csv, json, sys
from pathlib import Path
import numpy as np
from ukraine_briefs.extract.sentiment import scoring

tsv = Path(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/nyt_sentiment_dev.tsv")
out = Path(sys.argv[2] if len(sys.argv) > 2 else "/tmp/sx")
out.mkdir(parents=True, exist_ok=True)
rows = list(csv.DictReader(tsv.open(encoding="utf-8"), delimiter="\t"))
texts = [r["text"] for r in rows]
an = [scoring._analyse(t) for t in texts]
X = np.array([a[0] for a in an], dtype=float)
G = scoring._glove_means([a[2] for a in an])
y = np.array([float(r["rating"]) for r in rows])
art = np.array([r["id"].split("_")[0] for r in rows])
np.savez(out / "blocks.npz", X=X, G=G, y=y, art=art)
json.dump({"texts": texts, "bow": [sorted(a[1]) for a in an]}, (out / "bow.json").open("w"))
print(X.shape, G.shape)
