"""Experiment 1b: penalty grid for the 4th (embedding) block, and decisions fitted inside training folds."""
import sys, time
import numpy as np
from cvlib import load, make_model, evaluate, fmt

X, G, y, art, bow = load()
E = np.load(sys.argv[1] if len(sys.argv) > 1 else "/tmp/minilm/dev_emb.npy")
tag = sys.argv[2] if len(sys.argv) > 2 else "E"
for le in (6, 10, 20):
    for lb, lg in ((100, 100), (300, 300)):
        m = make_model(X, G, bow, [(E, le)], lam_bow=lb, lam_glove=lg)
        print(fmt(f"4 blocks {tag} lam_E={le} lam_bow={lb} lam_glove={lg}", evaluate(m, y, art)), flush=True)
for le in (6, 10):
    m = make_model(X, G, bow, [(E, le)], use_glove=False, use_bow=False)
    print(fmt(f"lex+{tag} only lam_E={le}", evaluate(m, y, art)), flush=True)
