"""Score the fine-tuned OOF predictions saved by finetune.py (same folds/seeds as cvlib), alone, averaged 50/50 with
the current 3-block score (weight fixed in advance, not tuned), and in a cascade (fine-tuned score only where the
cheap score is within delta of |0.5|)."""
import glob, re
import numpy as np
from cvlib import load, make_model, folds, metrics

X, G, y, art, bow = load()
cheap = make_model(X, G, bow)
res = {}
frac = {}
for f in sorted(glob.glob("/tmp/sx/ft_pred_*_e3_lr3e-05.npy")):
    k, s = map(int, re.search(r"ft_pred_(\d)_(\d)_", f).groups())
    ft = np.load(f)
    fo = folds(art, k, s); pc = np.zeros(len(y))
    for i in range(k):
        tr, te = np.where(fo != i)[0], np.where(fo == i)[0]; pc[te] = cheap(y, tr, te)
    pc = np.clip(pc, -4, 4)
    rows = {"fine-tuned alone": ft, "0.5 fine-tuned + 0.5 current": 0.5 * ft + 0.5 * pc}
    for d in (0.1, 0.15, 0.2, 0.3):
        near = np.abs(np.abs(pc) - 0.5) < d
        rows[f"cascade d={d}"] = np.where(near, ft, pc)
        rows[f"cascade of the blend d={d}"] = np.where(near, 0.5 * ft + 0.5 * pc, pc)
        frac.setdefault(d, []).append(near.mean())
    for n, p in rows.items():
        res.setdefault(n, {}).setdefault(k, []).append(metrics(p, y))
for n, r in res.items():
    cells = [f"{k}f r={np.mean(r[k], 0)[0]:.3f} acc={np.mean(r[k], 0)[1]:.3f} (n={len(r[k])})" for k in (5, 2) if k in r]
    print(f"{n:42s} " + " | ".join(cells))
print("fraction embedded by delta:", {d: round(float(np.mean(v)), 3) for d, v in frac.items()})
