"""MiniLM last-layer token states pooled over the sentiment words only (words in VADER's lexicon, weighted by
|valence|): the contextual vectors of the words that carry tone (negation, "but", topic) as an extra block.
Writes /tmp/sx/emb_lexpool.npy (zero row when a sentence has no lexicon word) and emb_lexpool_mean.npy (standard)."""
import glob, json, math
import numpy as np
from embedders import NumpyMiniLM, _pool

lexf = glob.glob("/work/main/.venv/lib/python3*/site-packages/vaderSentiment/vader_lexicon.txt")[0]
val = {}
for line in open(lexf, encoding="utf-8"):
    parts = line.strip().split("\t")
    if len(parts) >= 2:
        val[parts[0].lower()] = abs(float(parts[1]))
m = NumpyMiniLM(gelu="tanh")
texts = json.load(open("/tmp/sx/bow.json"))["texts"]
encs = m.tok.encode_batch(texts)
L = np.zeros((len(texts), 384), np.float32); M = np.zeros((len(texts), 384), np.float32)
order = np.argsort([len(e.ids) for e in encs])
for i in range(0, len(order), 32):
    idx = order[i:i + 32]; T = max(len(encs[j].ids) for j in idx)
    ids = np.zeros((len(idx), T), np.int64); mask = np.zeros((len(idx), T), np.float32); wts = np.zeros((len(idx), T), np.float32)
    for r, j in enumerate(idx):
        e = encs[j]; n = len(e.ids); ids[r, :n] = e.ids; mask[r, :n] = 1
        for t, (wid, (a, b)) in enumerate(zip(e.word_ids, e.offsets)):
            if wid is None:
                continue
            # the whole word the sub-token belongs to
            word = texts[j][min(o[0] for w2, o in zip(e.word_ids, e.offsets) if w2 == wid):
                            max(o[1] for w2, o in zip(e.word_ids, e.offsets) if w2 == wid)].lower()
            wts[r, t] = val.get(word, 0.0)
    # forward returning token states: reuse forward but grab pre-pool states
    w = m.w; B = len(idx); H = 12; dh = 32
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:T][None]
         + w["embeddings.token_type_embeddings.weight"][0][None, None])
    x = m._ln(x, "embeddings.LayerNorm").reshape(B * T, 384)
    bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
    for l in range(6):
        p = f"encoder.layer.{l}."
        q = m._lin(x, p + "attention.self.query").reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        k = m._lin(x, p + "attention.self.key").reshape(B, T, H, dh).transpose(0, 2, 3, 1)
        v = m._lin(x, p + "attention.self.value").reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        s = (q / np.float32(math.sqrt(dh))) @ k + bias
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        c = (s @ v).transpose(0, 2, 1, 3).reshape(B * T, 384)
        x = m._ln(x + m._lin(c, p + "attention.output.dense"), p + "attention.output.LayerNorm")
        x = m._ln(x + m._lin(m.gelu(m._lin(x, p + "intermediate.dense")), p + "output.dense"), p + "output.LayerNorm")
    h = x.reshape(B, T, 384)
    M[idx] = _pool(h, mask)
    sw = wts.sum(1, keepdims=True)
    L[idx] = np.where(sw > 0, (h * wts[..., None]).sum(1) / np.clip(sw, 1e-9, None), 0.0)
np.save("/tmp/sx/emb_lexpool.npy", L); np.save("/tmp/sx/emb_lexpool_mean.npy", M)
print("sentences with a lexicon word:", float((np.abs(L).sum(1) > 0).mean()))
