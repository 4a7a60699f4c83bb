"""Best label-consistent variants and their cascades, one CV pass (5-fold x3, 2-fold x3, by article):
  cheap  = current 3 blocks;  full = 4 blocks (+MiniLM int8, lam_E 6, stems/GloVe 300);
  region = full, its score moved into the class region of a 3-class logistic on (MiniLM, 0.3 x standardised lexicon);
  region+lexpool = same with the lexicon-word-pooled MiniLM block (lam 10) in the ridge;
  cascade(delta) = cheap score unless |cheap| is within delta of 0.5, then the region score."""
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from cvlib import load, make_model, folds, metrics, classes

X, G, y, art, bow = load()
E = np.load("/tmp/sx/emb_ort_l6_int8.npy").astype(float)
L = np.load("/tmp/sx/emb_lexpool.npy").astype(float)
L /= np.clip(np.linalg.norm(L, axis=1, keepdims=True), 1e-12, None)
L = np.hstack([L, (np.abs(L).sum(1) > 0).astype(float)[:, None]])
cheap = make_model(X, G, bow)
full = make_model(X, G, bow, [(E, 6)], lam_bow=300, lam_glove=300)
fullL = make_model(X, G, bow, [(E, 6), (L, 10)], lam_bow=300, lam_glove=300)


def region(p, lab):
    return np.where(classes(p) == lab, p, np.where(lab == 1, np.maximum(p, 0.51),
                    np.where(lab == -1, np.minimum(p, -0.51), np.clip(p, -0.5, 0.5))))


rows = {}
for k in (5, 2):
    for s in range(3):
        fo = folds(art, k, s); P = {n: np.zeros(len(y)) for n in ("cheap", "full", "fullL", "lab")}
        for f in range(k):
            tr, te = np.where(fo != f)[0], np.where(fo == f)[0]
            P["cheap"][te], P["full"][te], P["fullL"][te] = cheap(y, tr, te), full(y, tr, te), fullL(y, tr, te)
            sc = StandardScaler().fit(X[tr])
            lr = LogisticRegression(C=0.3, max_iter=3000).fit(np.hstack([E[tr], 0.3 * sc.transform(X[tr])]), classes(y[tr]))
            P["lab"][te] = lr.predict(np.hstack([E[te], 0.3 * sc.transform(X[te])]))
        P = {n: (np.clip(v, -4, 4) if n != "lab" else v) for n, v in P.items()}
        out = {"cheap (current)": P["cheap"], "full 4 blocks": P["full"], "4 blocks + lexpool": P["fullL"],
               "full -> logistic region": region(P["full"], P["lab"]),
               "4 blocks + lexpool -> logistic region": region(P["fullL"], P["lab"])}
        for d in (0.1, 0.15, 0.2):
            near = np.abs(np.abs(P["cheap"]) - 0.5) < d
            out[f"cascade d={d}: full"] = np.where(near, P["full"], P["cheap"])
            out[f"cascade d={d}: full -> region"] = np.where(near, region(P["full"], P["lab"]), P["cheap"])
        for n, v in out.items():
            rows.setdefault(n, {}).setdefault(k, []).append(metrics(v, y))
for n, r in rows.items():
    a5, a2 = np.mean(r[5], 0), np.mean(r[2], 0)
    print(f"{n:42s} 5f r={a5[0]:.3f} acc={a5[1]:.3f} | 2f r={a2[0]:.3f} acc={a2[1]:.3f}", flush=True)
