"""Numpy inference of the fine-tuned model saved by `finetune.py 0 0` (fp16 .npz + head JSON): agreement with the
JAX predictions, effect of int8 weights and of the tanh GELU, and sentences/s on one core."""
import json, time
import numpy as np
from embedders import NumpyMiniLM
from cvlib import load, classes

X, G, y, art, bow = load()
texts = json.load(open("/tmp/sx/bow.json"))["texts"]
head = json.load(open("/tmp/sx/minilm_ft_full.head.json"))
ref = np.load("/tmp/sx/ft_full_insample.npy")
lex = (X - np.array(head["lex_mean"])) / np.array(head["lex_sd"])
for name, kw in (("fp16 weights, erf GELU", {}), ("fp16, tanh GELU", {"gelu": "tanh"}), ("int8 rows, tanh GELU", {"gelu": "tanh", "int8": True})):
    m = NumpyMiniLM(max_len=64, batch=32, weights="/tmp/sx/minilm_ft_full.npz", **kw)
    m.encode(texts[:64]); t0 = time.process_time()
    E = m.encode(texts); dt = time.process_time() - t0
    p = E @ np.array(head["w"]) + lex @ np.array(head["wl"]) + head["b"]
    print(f"{name:24s} max|d| vs JAX {np.abs(p - ref).max():.4f}, labels equal {(classes(p) == classes(ref)).mean():.4f}, "
          f"{len(texts)/dt:.0f} sent/s CPU", flush=True)
