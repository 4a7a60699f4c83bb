"""Experiment 1: MiniLM embedding as a 4th ridge block beside lexicon, stems, GloVe."""
import sys, time
import numpy as np
from cvlib import load, make_model, evaluate, fmt

X, G, y, art, bow = load()
E = np.load(sys.argv[1] if len(sys.argv) > 1 else "/tmp/minilm/dev_emb.npy")
rows = [("baseline 3 blocks (training.sentiment_fit.fit defaults)", dict())]
for le in (0.3, 1, 3):
    rows.append((f"4 blocks, lam_E={le}", dict(extra=[(E, le)])))
for le in (1, 3):
    rows.append((f"4 blocks, lam_E={le}, lam_glove=300", dict(extra=[(E, le)], lam_glove=300)))
    rows.append((f"lex+stems+E (no GloVe), lam_E={le}", dict(extra=[(E, le)], use_glove=False)))
    rows.append((f"lex+E only, lam_E={le}", dict(extra=[(E, le)], use_glove=False, use_bow=False)))
for name, kw in rows:
    t0 = time.time()
    extra = kw.pop("extra", ())
    print(fmt(name, evaluate(make_model(X, G, bow, extra, **kw), y, art)), f"({time.time()-t0:.0f}s)", flush=True)
