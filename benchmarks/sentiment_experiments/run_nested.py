"""Honest figures: the 4-block ridge with (lam_E, lam_bow = lam_glove) picked by an inner article-split CV."""
import collections, sys
import numpy as np
from cvlib import load, make_model, evaluate, fmt, nested

X, G, y, art, bow = load()
E = np.load(sys.argv[1] if len(sys.argv) > 1 else "/tmp/sx/emb_ort_l6_int8.npy").astype(float)
makers = {f"lamE={le},lam_bg={lb}": make_model(X, G, bow, [(E, le)], lam_bow=lb, lam_glove=lb)
          for le in (3, 6, 10) for lb in (100, 300)}
for crit in ("mse", "acc"):
    p = nested(makers, crit); p.art = art
    print(fmt(f"4 blocks, penalties nested by inner {crit}", evaluate(p, y, art)),
          dict(collections.Counter(p.chosen)), flush=True)
