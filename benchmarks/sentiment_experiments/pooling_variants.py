"""MiniLM-L6 pooled differently (one numpy pass): mean of last layer (standard), max of last layer,
CLS token, mean of layers 4-5, mean of all layers. Writes /tmp/sx/emb_pool_<name>.npy."""
import json, sys
import numpy as np
from embedders import NumpyMiniLM, _batches

m = NumpyMiniLM(gelu="tanh")
texts = json.load(open("/tmp/sx/bow.json"))["texts"]


def forward_all(self, ids, mask):
    layers = self.layers(ids, mask)
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
