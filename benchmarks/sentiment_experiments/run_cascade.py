"""Cascade: the cheap 3-block score everywhere, replaced by the 4-block (+MiniLM) score only for the sentences whose
cheap score lies within delta of a class boundary (|pred| near 0.5 on the rating scale). Both models fitted on the
training folds; the fraction embedded sets the speed: 1/speed = 1/cheap + frac/embed."""
import numpy as np
from cvlib import load, make_model, folds, metrics

X, G, y, art, bow = load()
E = np.load("/tmp/sx/emb_ort_l6_int8.npy").astype(float)
cheap, full = make_model(X, G, bow), make_model(X, G, bow, [(E, 6)], lam_bow=300, lam_glove=300)
preds = {}
for k in (5, 2):
    for s in range(3):
        fo = folds(art, k, s); pc = np.zeros(len(y)); pf = np.zeros(len(y))
        for f in range(k):
            tr, te = np.where(fo != f)[0], np.where(fo == f)[0]
            pc[te], pf[te] = cheap(y, tr, te), full(y, tr, te)
        preds[k, s] = (np.clip(pc, -4, 4), np.clip(pf, -4, 4))
for delta in (0.0, 0.1, 0.15, 0.2, 0.3, 0.5, 10):
    row = []
    for k in (5, 2):
        rs, accs, fr = [], [], []
        for s in range(3):
            pc, pf = preds[k, s]
            near = np.abs(np.abs(pc) - 0.5) < delta
            p = np.where(near, pf, pc)
            r, a = metrics(p, y); rs.append(r); accs.append(a); fr.append(near.mean())
        row.append((np.mean(rs), np.mean(accs), np.mean(fr)))
    sp = 1 / (1 / 14000 + row[0][2] / 290)
    print(f"delta={delta:<5} embedded {row[0][2]:.0%}  5f r={row[0][0]:.3f} acc={row[0][1]:.3f} | 2f r={row[1][0]:.3f} acc={row[1][1]:.3f}  ~{sp:,.0f} sent/s", flush=True)
