"""Score any sentence-embedding file (rows aligned with the dev TSV) as a 4th ridge block and with lexicon only.

    python run_emb.py /tmp/sx/emb_NAME.npy [lam_E ...]
Penalty grid reported on the same CV (optimistic by the choice of lam_E)."""
import sys
import numpy as np
from cvlib import load, make_model, evaluate, fmt

X, G, y, art, bow = load()
E = np.load(sys.argv[1]).astype(float)
E = E / np.clip(np.linalg.norm(E, axis=1, keepdims=True), 1e-12, None)
name = sys.argv[1].rsplit("emb_", 1)[-1].removesuffix(".npy")
lams = [float(a) for a in sys.argv[2:]] or [1, 3, 6, 10]
for le in lams:
    print(fmt(f"{name}: 4 blocks lam_E={le:g} (300/300)", evaluate(make_model(X, G, bow, [(E, le)], lam_bow=300, lam_glove=300), y, art)), flush=True)
for le in lams:
    print(fmt(f"{name}: lex+E lam_E={le:g}", evaluate(make_model(X, G, bow, [(E, le)], use_glove=False, use_bow=False), y, art)), flush=True)
