"""The fine-tuned MiniLM sentence encoder: the transformer half of the ``accurate`` sentiment method.

all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads; Apache-2.0, Wang et al. 2020 /
sentence-transformers), fine-tuned on the NYT dev ratings with a linear head
(``benchmarks/sentiment_experiments/finetune.py``), ships in ``data/`` as int8
matrices with a per-row scale (``sentiment_minilm.v1.npz``, 21 MB) beside its
WordPiece tokenizer (``minilm_tokenizer.json``, read by the ``tokenizers``
package). The six layers run in ONNX Runtime from a graph built from the same
weights (``sentiment_minilm.v1.int8.onnx``, 24 MB, ``training/export_onnx.py``):
query, key, value and the first feed-forward matrix in dynamic int8, the other
two in fp32. On the dev file: 2.0x less CPU than the batched numpy forward
pass on one thread for the all-int8 graph (98.1 % of labels equal), 1.6x for
this one (99.0 % equal, mean rating difference 0.012 on the -4..4 scale; the
shipped int8 weights already differed that much from the fp32 model). The
embedding lookup runs in numpy from the int8 table. `MiniLM.forward`
keeps the plain numpy forward pass as the reference the graph is checked against.
No torch, no model hub, no download.

Each window runs alone (no batch): dynamic quantisation scales activations per
call, so a text's score must not see other texts; a text longer than
`MAX_TOKENS` word pieces is scored as the mean of its windows of `MAX_TOKENS`,
the length the model was fine-tuned on.
"""
from __future__ import annotations

import functools
import math
from typing import Sequence

import numpy as np
from threadpoolctl import ThreadpoolController

from ukraine_briefs.config import DATA_DIR

WEIGHTS_FILE = "sentiment_minilm.v1.npz"
#: The six layers as an int8 ONNX graph (``training/export_onnx.py`` from `WEIGHTS_FILE`).
ONNX_FILE = "sentiment_minilm.v1.int8.onnx"
TOKENIZER_FILE = "minilm_tokenizer.json"
#: Word pieces per window, [CLS] and [SEP] included (the fine-tuning length).
MAX_TOKENS = 64
HIDDEN, HEADS = 384, 12
_CLS, _SEP = 101, 102


def n_layers(names) -> int:
    """How many transformer layers a set of weight names holds (``encoder.layer.<i>.*``)."""
    return len({k.split(".")[2] for k in names if k.startswith("encoder.layer.")})


def _dequantise(arrays) -> dict[str, np.ndarray]:
    """int8 rows times their fp16 scale -> float32; linear weights transposed for ``x @ W``."""
    w = {}
    for k in arrays.files:
        if k.endswith(".s"):
            continue
        if k.endswith(".q"):
            name = k[:-2]
            m = arrays[k].astype(np.float32) * arrays[name + ".s"].astype(np.float32)
            if "embeddings" not in name:
                m = np.ascontiguousarray(m.T)
            w[name] = m
        else:
            w[k] = arrays[k].astype(np.float32)
    return w


class MiniLM:
    """The encoder: ``encode(texts)`` -> L2-normalised mean-pooled embeddings, (n, 384) float32."""

    def __init__(self, weights: str | None = None, tokenizer: str | None = None, graph: str | None = None):
        from tokenizers import Tokenizer  # only the `accurate` method needs it: `fast` builds never load it

        self._weights = weights or DATA_DIR / WEIGHTS_FILE
        self._graph = graph or DATA_DIR / ONNX_FILE
        with np.load(self._weights) as arrays:
            # the embedding tables stay int8 (12 MB, not 47): rows are scaled when gathered
            self.emb = {k: arrays[k] for k in arrays.files if k.startswith("embeddings.")}
        self.tok = Tokenizer.from_file(str(tokenizer or DATA_DIR / TOKENIZER_FILE))
        self.tok.no_truncation()
        self.tok.no_padding()

    @functools.cached_property
    def w(self) -> dict[str, np.ndarray]:
        """Every weight as float32 (~90 MB), for the numpy reference `forward` only."""
        with np.load(self._weights) as arrays:
            return _dequantise(arrays)

    @functools.cached_property
    def session(self):
        """The ONNX Runtime session of the six layers, one thread: parallelism comes from processes
        (``--n-process``, Dask), and on a busy machine extra threads only compete for the cores."""
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = 1
        so.inter_op_num_threads = 1
        so.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        return ort.InferenceSession(str(self._graph), so, providers=["CPUExecutionProvider"])

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """The embedding layer (word + position + type 0, LayerNorm) of (B, T) ids -> (B, T, 384) float32."""
        e = self.emb
        T = ids.shape[1]

        def rows(name: str, index) -> np.ndarray:
            return e[name + ".q"][index].astype(np.float32) * e[name + ".s"][index].astype(np.float32)

        x = (rows("embeddings.word_embeddings.weight", ids) + rows("embeddings.position_embeddings.weight", slice(0, T))[None]
             + rows("embeddings.token_type_embeddings.weight", 0)[None, None])
        m = x.mean(-1, keepdims=True)
        x = x - m
        v = (x * x).mean(-1, keepdims=True)
        g, b = (e["embeddings.LayerNorm." + k].astype(np.float32) for k in ("weight", "bias"))
        return (x / np.sqrt(v + 1e-12) * g + b).astype(np.float32)

    def hidden(self, ids: list[int]) -> np.ndarray:
        """Last hidden states of one window (its ids, [CLS] ... [SEP]) -> (T, 384), from the int8 graph."""
        x = self.embed(np.asarray([ids], dtype=np.int64))
        return self.session.run(None, {"x": x})[0][0]

    def _ln(self, x: np.ndarray, p: str) -> np.ndarray:
        m = x.mean(-1, keepdims=True)
        x = x - m
        v = (x * x).mean(-1, keepdims=True)
        return x / np.sqrt(v + 1e-12) * self.w[p + ".weight"] + self.w[p + ".bias"]

    def _lin(self, x: np.ndarray, p: str, T: int) -> np.ndarray:
        # one matrix product per window (a stacked matmul), never one over the whole batch: BLAS
        # results depend on the number of rows, so a window's score would depend on its batch
        W = self.w[p + ".weight"]
        return (x.reshape(-1, T, W.shape[0]) @ W).reshape(-1, W.shape[1]) + self.w[p + ".bias"]

    def forward(self, ids: np.ndarray) -> np.ndarray:
        """The numpy reference: mean-pooled, L2-normalised last hidden states of equal-length windows (B, T) -> (B, 384).

        fp32 throughout; `encode` runs the int8 graph instead (`training/export_onnx.py` compares the two)."""
        w = self.w
        B, T = ids.shape
        dh = HIDDEN // HEADS
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:T][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = self._ln(x, "embeddings.LayerNorm").reshape(B * T, HIDDEN)
        with _blas().limit(limits=1, user_api="blas"):
            return self._layers(x, B, T, dh)

    def _layers(self, x: np.ndarray, B: int, T: int, dh: int) -> np.ndarray:
        w = self.w
        scale = np.float32(1 / math.sqrt(dh))
        for layer in range(n_layers(w)):
            p = f"encoder.layer.{layer}."
            q = self._lin(x, p + "attention.self.query", T).reshape(B, T, HEADS, dh).transpose(0, 2, 1, 3)
            k = self._lin(x, p + "attention.self.key", T).reshape(B, T, HEADS, dh).transpose(0, 2, 3, 1)
            v = self._lin(x, p + "attention.self.value", T).reshape(B, T, HEADS, dh).transpose(0, 2, 1, 3)
            s = (q * scale) @ k
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            c = (s @ v).transpose(0, 2, 1, 3).reshape(B * T, HIDDEN)
            x = self._ln(x + self._lin(c, p + "attention.output.dense", T), p + "attention.output.LayerNorm")
            h = _gelu(self._lin(x, p + "intermediate.dense", T))
            x = self._ln(x + self._lin(h, p + "output.dense", T), p + "output.LayerNorm")
        e = x.reshape(B, T, HIDDEN).mean(1)
        return e / np.clip(np.linalg.norm(e, axis=1, keepdims=True), 1e-12, None)

    def windows(self, texts: Sequence[str]) -> tuple[list[list[int]], np.ndarray]:
        """Word-piece id windows (each with [CLS] ... [SEP]) and, per window, the text it belongs to."""
        inner = MAX_TOKENS - 2
        seqs, owner = [], []
        for i, enc in enumerate(self.tok.encode_batch(list(texts), add_special_tokens=False)):
            ids = enc.ids
            for s in range(0, max(1, len(ids)), inner):
                seqs.append([_CLS, *ids[s:s + inner], _SEP])
                owner.append(i)
        return seqs, np.asarray(owner, dtype=np.int64)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``; a long text gets the mean of its windows' embeddings (re-normalised).

        Every window runs alone, so a text's embedding is bit-identical whatever else
        is in the call, and a table comes out the same from one process, many or Dask.
        """
        seqs, owner = self.windows(texts)
        emb = np.zeros((len(seqs), HIDDEN), np.float32)
        for j, s in enumerate(seqs):
            emb[j] = self.hidden(s).mean(0)
        return _pool(emb, owner, len(texts))


def _pool(emb: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """Per text, the normalised mean of its windows' mean-pooled states."""
    out = np.zeros((n, HIDDEN), np.float32)
    np.add.at(out, owner, emb)
    return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)


_GELU_C = np.float32(math.sqrt(2 / math.pi))
_GELU_K = np.float32(0.044715)


def _gelu(h: np.ndarray) -> np.ndarray:
    """GELU, tanh form, in place (5x faster than an erf in numpy; within 5e-4 of the exact GELU used in
    training, well inside the int8 rounding of the weights)."""
    t = h * h
    t *= _GELU_K
    t += 1.0
    t *= h
    t *= _GELU_C
    np.tanh(t, out=t)
    t += 1.0
    t *= h
    t *= 0.5
    return t


@functools.lru_cache(maxsize=1)
def _blas() -> ThreadpoolController:
    """One BLAS thread for the numpy forward pass: BLAS results differ in the last bits with the number of
    threads, so a score would depend on whether it was computed in the main process (all cores) or
    in a worker (one thread); and on a busy machine extra threads only compete for the cores.
    Parallelism comes from processes (``--n-process``, Dask)."""
    return ThreadpoolController()


@functools.lru_cache(maxsize=1)
def encoder() -> MiniLM:
    """The shipped encoder, loaded once per process."""
    return MiniLM()
