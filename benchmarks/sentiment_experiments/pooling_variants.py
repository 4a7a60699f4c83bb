"""MiniLM-L6 pooled differently (one numpy pass): mean of last layer (standard), max of last layer,
CLS token, mean of layers 4-5, mean of all layers. Writes /tmp/sx/emb_pool_<name>.npy."""
import json, math, sys
import numpy as np
from embedders import NumpyMiniLM, _batches

m = NumpyMiniLM(gelu="tanh")
texts = json.load(open("/tmp/sx/bow.json"))["texts"]


def forward_all(self, ids, mask):
    w = self.w; B, T = ids.shape; H = 12; dh = 32
    x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:T][None]
         + w["embeddings.token_type_embeddings.weight"][0][None, None])
    x = self._ln(x, "embeddings.LayerNorm").reshape(B * T, 384)
    bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
    scale = np.float32(1 / math.sqrt(dh)); layers = []
    for l in range(6):
        p = f"encoder.layer.{l}."
        q = self._lin(x, p + "attention.self.query").reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        k = self._lin(x, p + "attention.self.key").reshape(B, T, H, dh).transpose(0, 2, 3, 1)
        v = self._lin(x, p + "attention.self.value").reshape(B, T, H, dh).transpose(0, 2, 1, 3)
        s = (q * scale) @ k + bias
        s = np.exp(s - s.max(-1, keepdims=True)); s /= s.sum(-1, keepdims=True)
        c = (s @ v).transpose(0, 2, 1, 3).reshape(B * T, 384)
        x = self._ln(x + self._lin(c, p + "attention.output.dense"), p + "attention.output.LayerNorm")
        h = self.gelu(self._lin(x, p + "intermediate.dense"))
        x = self._ln(x + self._lin(h, p + "output.dense"), p + "output.LayerNorm")
        layers.append(x.reshape(B, T, 384))
    mk = mask[..., None].astype(np.float32); n = mk.sum(1)
    mean = lambda h: (h * mk).sum(1) / n
    return {"mean6": mean(layers[5]), "max6": np.where(mk > 0, layers[5], -1e9).max(1), "cls6": layers[5][:, 0],
            "mean45": (mean(layers[3]) + mean(layers[4])) / 2, "meanall": sum(mean(h) for h in layers) / 6}


encs = m.tok.encode_batch(texts)
out = {}
for idx, ids, mask in _batches(encs, 32):
    for k, v in forward_all(m, ids, mask).items():
        out.setdefault(k, np.zeros((len(texts), 384), np.float32))[idx] = v
for k, v in out.items():
    np.save(f"/tmp/sx/emb_pool_{k}.npy", v)
print("ok", list(out))
