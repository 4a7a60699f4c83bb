"""Experiment 1c/4: decisions chosen inside the training folds (nested article-split CV).

band:    neutral thresholds on the prediction chosen on inner out-of-fold predictions, then a monotone
         piecewise-linear map so that label(score) with the fixed band gives those classes.
stretch: factor about the mean chosen on inner OOF predictions (widens the polar classes).
"""
import sys, time
import numpy as np
from cvlib import load, make_model, evaluate, fmt

X, G, y, art, bow = load()
E = np.load(sys.argv[1] if len(sys.argv) > 1 else "/tmp/minilm/dev_emb.npy")
tag = sys.argv[2] if len(sys.argv) > 2 else "MiniLM"
models = [("baseline 3 blocks", make_model(X, G, bow)),
          (f"4 blocks +{tag} lam_E=6 (300/300)", make_model(X, G, bow, [(E, 6)], lam_bow=300, lam_glove=300)),
          (f"lex+{tag} lam_E=6", make_model(X, G, bow, [(E, 6)], use_glove=False, use_bow=False))]
for name, m in models:
    for d in ("band", "stretch"):
        t0 = time.time()
        print(fmt(f"{name} | {d}", evaluate(m, y, art, decide=d)), f"({time.time()-t0:.0f}s)", flush=True)
