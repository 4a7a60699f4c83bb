"""Out-of-fold scores of per-fold models through the shipped ONNX path (run under /work/main/.venv):

    python onnx_cv.py TAG K SEED [mixed|int8]

For each fold, ``distil.py``'s fp32 weights (/tmp/sx/folds/TAG_K_SEED_f) are written in the shipped layout
(int8 rows, `training/export_onnx.quantise_rows`), exported to an ONNX graph (``mixed``: as shipped until
issue 24, attention output and second feed-forward fp32; ``int8``: every matrix product int8) and run by
`encoder.MiniLM` exactly as the build runs it (one window per call, long texts in windows) on the fold's test
sentences; the head as `scoring.predict_ratings`. Prints r / accuracy alone and blended 0.5 / 0.5 with the fast
method refitted on the same training folds (`cvlib.make_model`), and the encoder's CPU ms per sentence."""
import json, sys, time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
import export_onnx  # noqa: E402
from cvlib import folds, load, make_model, metrics  # noqa: E402
from ukraine_briefs.extract.sentiment.encoder import MiniLM  # noqa: E402

tag, K, SEED = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
variant = sys.argv[4] if len(sys.argv) > 4 else "mixed"
only = [int(v) for v in sys.argv[5].split(",")] if len(sys.argv) > 5 else None  # score these folds' test rows only
fp32_mm = export_onnx.FP32_MATMULS if variant == "mixed" else ()
X, G, y, art, bow = load()
texts = json.load(open("/tmp/sx/bow.json"))["texts"]
cheap = make_model(X, G, bow)
fo = folds(art, K, SEED)
tuned, fast = np.zeros(len(y)), np.zeros(len(y))
cpu, n = 0.0, 0
done = np.zeros(len(y), bool)
for f in range(K) if only is None else only:
    tr, te = np.where(fo != f)[0], np.where(fo == f)[0]
    done[te] = True
    src = f"/tmp/sx/folds/{tag}_{K}_{SEED}_{f}"
    q = Path(f"/tmp/sx/folds/q_{tag}_{K}_{SEED}_{f}.npz")
    np.savez(q, **export_onnx.quantise_rows(dict(np.load(src + ".npz"))))
    g = export_onnx.export(q, q.with_suffix(f".{variant}.onnx"), fp32_mm)
    enc = MiniLM(weights=q, graph=g)
    h = json.load(open(src + ".head.json"))
    enc.encode(texts[:20])
    c0 = time.process_time()
    emb = enc.encode([texts[i] for i in te]).astype(float)
    cpu += time.process_time() - c0; n += len(te)
    lex = (X[te] - np.asarray(h["lex_mean"])) / np.asarray(h["lex_sd"])
    tuned[te] = emb @ np.asarray(h["w"]) + lex @ np.asarray(h["wl"]) + h["b"]
    fast[te] = cheap(y, tr, te)
tuned, fast, y = np.clip(tuned[done], -4, 4), np.clip(fast[done], -4, 4), y[done]
np.save(f"/tmp/sx/oof_onnx_{tag}_{variant}_{K}_{SEED}_{only}.npy", tuned)
blend = np.clip(0.5 * tuned + 0.5 * fast, -4, 4)
print(f"{tag} {variant} {K}-fold seed {SEED} folds {only or 'all'} ({len(y)} sentences): alone r={metrics(tuned, y)[0]:.3f} acc={metrics(tuned, y)[1]:.3f}; "
      f"blend r={metrics(blend, y)[0]:.3f} acc={metrics(blend, y)[1]:.3f}; encoder CPU {1000 * cpu / n:.2f} ms/sentence")
