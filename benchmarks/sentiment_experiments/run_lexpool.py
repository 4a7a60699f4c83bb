"""5th block: MiniLM states pooled over VADER-lexicon words (lexpool.py), beside the 4-block model."""
import numpy as np
from cvlib import load, make_model, evaluate, fmt

X, G, y, art, bow = load()
E = np.load("/tmp/sx/emb_ort_l6_int8.npy").astype(float)
L = np.load("/tmp/sx/emb_lexpool.npy").astype(float)
L /= np.clip(np.linalg.norm(L, axis=1, keepdims=True), 1e-12, None)
has = (np.abs(L).sum(1) > 0).astype(float)[:, None]
for ll in (3, 10, 30):
    print(fmt(f"4 blocks + lexicon-word pooled MiniLM lam={ll}",
              evaluate(make_model(X, G, bow, [(E, 6), (np.hstack([L, has]), ll)], lam_bow=300, lam_glove=300), y, art)), flush=True)
