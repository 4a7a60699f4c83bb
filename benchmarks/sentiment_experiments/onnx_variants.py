"""Which MatMuls of the MiniLM graph to quantise to int8: speed (one thread) and agreement of the `accurate`
ratings with the numpy fp32 reference on the dev file (run under `.venv`, after `training/export_onnx.py`).

    .venv/bin/python benchmarks/sentiment_experiments/onnx_variants.py ../shared/data/nyt_sentiment_dev.tsv
"""
import csv
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import onnx

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from training.export_onnx import graph  # noqa: E402
from ukraine_briefs.extract.sentiment import encoder, scoring  # noqa: E402

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8"), delimiter="\t"))
texts, gold = [r["text"] for r in rows], np.array([float(r["rating"]) for r in rows])
enc = encoder.encoder()
seqs, owner = enc.windows(texts)
ref_cache = Path("/tmp/h24_numpy_ref.npy")
if ref_cache.exists():
    ref = np.load(ref_cache)
else:
    ref = encoder._pool(np.stack([enc.forward(np.asarray([s]))[0] for s in seqs]), owner, len(texts))
    np.save(ref_cache, ref)


def ratings(emb):
    enc_encode = enc.encode
    enc.encode = lambda batch: emb
    try:
        return scoring.predict_ratings(texts, method="accurate")
    finally:
        enc.encode = enc_encode


def cls(v):
    return np.where(v > 0.5, 1, np.where(v < -0.5, -1, 0))


base = ratings(ref)
from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: E402

with np.load(encoder.DATA_DIR / encoder.WEIGHTS_FILE) as arrays:
    w = encoder._dequantise(arrays)
tmp = Path(tempfile.mkdtemp())
onnx.save(graph(w), tmp / "fp32.onnx")
kinds = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
         "o": "attention.output.dense", "ff1": "intermediate.dense", "ff2": "output.dense"}
variants = {"fp32": None, "all int8": [], "int8 but ff2": ["ff2"], "int8 but ff2,o": ["ff2", "o"],
            "int8 ff1 only": ["q", "k", "v", "o", "ff2"]}
#: ``--reduce-range``: 7-bit weights (no int16 saturation in the U8S8 kernels of CPUs without VNNI)
REDUCE = "--reduce-range" in sys.argv
if len(sys.argv) > 2 and sys.argv[2] != "--reduce-range":
    variants = {k: v for k, v in variants.items() if k in sys.argv[2].split(",")}
for name, exclude in variants.items():
    path = tmp / "fp32.onnx"
    if exclude is not None:
        path = tmp / f"{name.replace(' ', '_')}.onnx"
        skip = [f"encoder.layer.{i}.{kinds[k]}.mm" for i in range(6) for k in exclude]
        quantize_dynamic(tmp / "fp32.onnx", path, weight_type=QuantType.QInt8, per_channel=True, reduce_range=REDUCE,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=skip)
    m = encoder.MiniLM(graph=str(path))
    t0 = time.process_time()
    emb = m.encode(texts)
    cpu = time.process_time() - t0
    p = ratings(emb)
    print(f"{name:16s} cpu {cpu:6.1f} s  max|d| {np.abs(p - base).max():.3f} mean|d| {np.abs(p - base).mean():.4f} "
          f"labels equal {(cls(p) == cls(base)).mean():.4f}  in-sample r {np.corrcoef(np.clip(p, -4, 4), gold)[0, 1]:.3f} "
          f"acc {(cls(np.clip(p, -4, 4)) == cls(gold)).mean():.3f}", flush=True)
print(f"numpy reference  in-sample r {np.corrcoef(np.clip(base, -4, 4), gold)[0, 1]:.3f} acc {(cls(base) == cls(gold)).mean():.3f}")
