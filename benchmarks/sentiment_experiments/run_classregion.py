"""Ridge score moved into the class region of a 3-class logistic (MiniLM + standardised lexicon, as session 2),
both fitted on the training folds: keeps label(score) consistent with the score; reports what it costs in r."""
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from cvlib import load, make_model, folds, metrics, classes

X, G, y, art, bow = load()
E = np.load("/tmp/sx/emb_ort_l6_int8.npy").astype(float)
full = make_model(X, G, bow, [(E, 6)], lam_bow=300, lam_glove=300)
cheap = make_model(X, G, bow)
for C in (0.3, 1.0):
    for name, ridge, use_E in (("4-block ridge + logistic(E, lex)", full, True), ("3-block ridge + logistic(lex, GloVe)", cheap, False)):
        out = {}
        for k in (5, 2):
            res = []
            for s in range(3):
                fo = folds(art, k, s); p = np.zeros(len(y)); pl = np.zeros(len(y))
                for f in range(k):
                    tr, te = np.where(fo != f)[0], np.where(fo == f)[0]
                    p[te] = ridge(y, tr, te)
                    M = np.hstack([E, X]) if use_E else np.hstack([X, G])
                    sc = StandardScaler().fit(M[tr]); Mtr, Mte = sc.transform(M[tr]), sc.transform(M[te])
                    if use_E:
                        Mtr[:, 384:] *= 0.3; Mte[:, 384:] *= 0.3
                        Mtr[:, :384] = E[tr]; Mte[:, :384] = E[te]
                    lr = LogisticRegression(C=C, max_iter=3000).fit(Mtr, classes(y[tr]))
                    pl[te] = lr.predict(Mte)
                p = np.clip(p, -4, 4)
                moved = np.where(classes(p) == pl, p, np.where(pl == 1, np.maximum(p, 0.51), np.where(pl == -1, np.minimum(p, -0.51), np.clip(p, -0.5, 0.5))))
                res.append(metrics(moved, y) + ((classes(moved) != classes(p)).mean(),))
            out[k] = np.mean(res, 0)
        print(f"{name} C={C}: 5f r={out[5][0]:.3f} acc={out[5][1]:.3f} | 2f r={out[2][0]:.3f} acc={out[2][1]:.3f} (labels changed {out[5][2]:.1%})", flush=True)
