"""Experiment 4: ridge with polar sentences (|rating| > 0.5) up-weighted in the least squares;
the score stays the ridge output, label = sign with the fixed band."""
import numpy as np
from cvlib import load, make_model, evaluate, fmt

X, G, y, art, bow = load()
E = np.load("/tmp/sx/emb_ort_l6_int8.npy").astype(float)
for pw in (0.0, 0.5, 1.0, 2.0):
    print(fmt(f"3 blocks, polar weight 1+{pw}", evaluate(make_model(X, G, bow, polar_weight=pw), y, art)), flush=True)
for pw in (0.5, 1.0, 2.0):
    print(fmt(f"4 blocks +MiniLM int8 lam_E=6, polar weight 1+{pw}",
              evaluate(make_model(X, G, bow, [(E, 6)], lam_bow=300, lam_glove=300, polar_weight=pw), y, art)), flush=True)
