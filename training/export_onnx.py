"""Write the shipped MiniLM's six transformer layers as an int8 ONNX graph for ONNX Runtime (dev-time tool).

Usage::

    .venv/bin/python training/export_onnx.py [--fp32]

Reads ``data/sentiment_minilm.v1.npz`` (int8 rows + fp16 scales, the fine-tuned
model), builds the encoder layers with the ``onnx`` helper API (input: the
embedding-layer output ``x`` (B, T, 384) float32; output: the last hidden
states, (B, T, 384), pooled by the caller), and quantises the query, key, value and first feed-forward matrices with ONNX
Runtime's dynamic int8 quantisation, per output channel (the weights already
are int8 per row, so re-quantising them per channel loses almost nothing;
activations are quantised per call, per tensor; `FP32_MATMULS` stay fp32). Writes ``data/sentiment_minilm.v1.int8.onnx``. The
embedding lookup and its LayerNorm stay in numpy (`encoder.MiniLM.embed`): the
30,522-row table would triple the graph's size. ``onnx`` is needed here only;
the package reads the graph with ``onnxruntime``.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from ukraine_briefs.config import DATA_DIR  # noqa: E402
from ukraine_briefs.extract.sentiment.encoder import HEADS, HIDDEN, ONNX_FILE, WEIGHTS_FILE, _dequantise, n_layers  # noqa: E402


#: Matrix products left in fp32: the two whose inputs (attention context, GELU output) lose most to a
#: per-call int8 scale (``benchmarks/sentiment_experiments/onnx_variants.py`` on the dev file, against the
#: numpy fp32 reference: all six int8 1.98x faster, 98.1 % of labels equal; these two fp32 1.57x, 99.0 %).
FP32_MATMULS = ("attention.output.dense", "output.dense")


def graph(w: dict[str, np.ndarray]) -> onnx.ModelProto:
    """The six layers as an ONNX model (opset 20: LayerNormalization, Gelu), fp32 weights."""
    nodes, inits = [], []
    dh = HIDDEN // HEADS

    def const(name: str, value) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def node(op: str, inputs: list[str], out: str, **attrs) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def linear(x: str, p: str) -> str:
        # weights are stored transposed for x @ W by _dequantise
        h = node("MatMul", [x, const(p + ".weight", w[p + ".weight"])], p + ".mm")
        return node("Add", [h, const(p + ".bias", w[p + ".bias"])], p + ".out")

    def layer_norm(x: str, p: str) -> str:
        return node("LayerNormalization", [x, const(p + ".weight", w[p + ".weight"]), const(p + ".bias", w[p + ".bias"])],
                    p + ".out", axis=-1, epsilon=1e-12)

    heads = const("shape.heads", np.array([0, 0, HEADS, dh], np.int64))
    merged = const("shape.merged", np.array([0, 0, HIDDEN], np.int64))
    scale = const("attn.scale", np.array(1 / np.sqrt(dh), np.float32))
    x = "x"
    for i in range(n_layers(w)):
        p = f"encoder.layer.{i}."
        q = node("Reshape", [linear(x, p + "attention.self.query"), heads], p + "q.r")
        q = node("Transpose", [q], p + "q.t", perm=[0, 2, 1, 3])
        q = node("Mul", [q, scale], p + "q.s")
        k = node("Reshape", [linear(x, p + "attention.self.key"), heads], p + "k.r")
        k = node("Transpose", [k], p + "k.t", perm=[0, 2, 3, 1])
        v = node("Reshape", [linear(x, p + "attention.self.value"), heads], p + "v.r")
        v = node("Transpose", [v], p + "v.t", perm=[0, 2, 1, 3])
        s = node("Softmax", [node("MatMul", [q, k], p + "scores")], p + "probs", axis=-1)
        c = node("Transpose", [node("MatMul", [s, v], p + "ctx")], p + "ctx.t", perm=[0, 2, 1, 3])
        c = node("Reshape", [c, merged], p + "ctx.r")
        a = node("Add", [x, linear(c, p + "attention.output.dense")], p + "attn.res")
        x = layer_norm(a, p + "attention.output.LayerNorm")
        h = node("Gelu", [linear(x, p + "intermediate.dense")], p + "gelu")
        o = node("Add", [x, linear(h, p + "output.dense")], p + "out.res")
        x = layer_norm(o, p + "output.LayerNorm")
    node("Identity", [x], "hidden")
    g = helper.make_graph(
        nodes, "minilm_sentiment_layers",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["B", "T", HIDDEN])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["B", "T", HIDDEN])],
        inits,
    )
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 20)], producer_name="ukraine-briefs")
    model.ir_version = 10
    onnx.checker.check_model(model)
    return model


def check(tsv: Path, limit: int | None = None) -> dict:
    """The int8 graph's `accurate` ratings against the numpy fp32 reference's on a rated file (id, rating, text):
    largest and mean difference, equal 3-class labels, and each one's r / accuracy against the human ratings."""
    import csv

    from ukraine_briefs.extract.sentiment import encoder, scoring

    with tsv.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))[:limit]
    texts, gold = [r["text"] for r in rows], np.array([float(r["rating"]) for r in rows])
    graph_pred = scoring.predict_ratings(texts, method="accurate")
    enc = encoder.encoder()

    def reference(batch):
        seqs, owner = enc.windows(batch)
        emb = np.stack([enc.forward(np.asarray([s]))[0] for s in seqs])
        return encoder._pool(emb, owner, len(batch))

    fast = enc.encode
    enc.encode = reference
    try:
        numpy_pred = scoring.predict_ratings(texts, method="accurate")
    finally:
        enc.encode = fast

    def cls(v):
        return np.where(v > 0.5, 1, np.where(v < -0.5, -1, 0))

    out = {"n": len(texts), "max_abs_diff": float(np.abs(graph_pred - numpy_pred).max()),
           "mean_abs_diff": float(np.abs(graph_pred - numpy_pred).mean()),
           "labels_equal": float((cls(graph_pred) == cls(numpy_pred)).mean())}
    for name, p in (("numpy", numpy_pred), ("int8", graph_pred)):
        p = np.clip(p, -4, 4)
        out[name] = {"r": float(np.corrcoef(p, gold)[0, 1]), "acc": float((cls(p) == cls(gold)).mean())}
    return out


def quantise_rows(w32: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """fp32 weights (as ``finetune.py`` / ``distil.py`` save them) -> the shipped npz layout: every matrix int8
    with one fp16 scale per row (symmetric), vectors fp16."""
    out = {}
    for k, v in w32.items():
        v = np.asarray(v, np.float32)
        if v.ndim == 2:
            scale = np.abs(v).max(1, keepdims=True) / 127.0
            scale[scale == 0] = 1.0
            out[k + ".q"] = np.round(v / scale).astype(np.int8)
            out[k + ".s"] = scale.astype(np.float16)
        else:
            out[k] = v.astype(np.float16)
    return out


def export(weights: Path, out: Path, fp32_matmuls=FP32_MATMULS, fp32_copy: Path | None = None) -> Path:
    """The graph of the npz ``weights`` (shipped layout), dynamic int8 but ``fp32_matmuls``, written to ``out``."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with np.load(weights) as arrays:
        w = _dequantise(arrays)
    model = graph(w)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = fp32_copy or Path(tmp) / "fp32.onnx"
        onnx.save(model, fp32)
        fp32_nodes = [f"encoder.layer.{i}.{n}.mm" for i in range(n_layers(w)) for n in fp32_matmuls]
        quantize_dynamic(fp32, out, weight_type=QuantType.QInt8, per_channel=True, op_types_to_quantize=["MatMul"],
                         nodes_to_exclude=fp32_nodes)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fp32", type=Path, help="also write the unquantised graph here (for comparisons)")
    ap.add_argument("--weights", type=Path, default=DATA_DIR / WEIGHTS_FILE, help="npz in the shipped layout")
    ap.add_argument("--out", type=Path, default=DATA_DIR / ONNX_FILE)
    ap.add_argument("--from-fit", metavar="PREFIX", help="first write PREFIX.npz (fp32, distil.py / finetune.py) and "
                    "PREFIX.head.json into the package as the shipped weights and head (blend 0.5)")
    ap.add_argument("--all-int8", action="store_true", help="every matrix product int8 (no FP32_MATMULS)")
    ap.add_argument("--check", type=Path, metavar="TSV", help="only compare the shipped graph with numpy on a rated file")
    ap.add_argument("--limit", type=int, help="first N rows of --check")
    args = ap.parse_args(argv)
    if args.check:
        print(check(args.check, args.limit))
        return 0
    if args.from_fit:
        import json

        np.savez_compressed(args.weights, **quantise_rows(dict(np.load(args.from_fit + ".npz"))))
        head = json.load(open(args.from_fit + ".head.json"))
        head["blend"] = 0.5  # score = 0.5 x this model + 0.5 x the fast method, fixed before any CV run
        (DATA_DIR / "sentiment_minilm.v1.json").write_text(json.dumps(head, indent=1))
    export(args.weights, args.out, () if args.all_int8 else FP32_MATMULS, fp32_copy=args.fp32)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
