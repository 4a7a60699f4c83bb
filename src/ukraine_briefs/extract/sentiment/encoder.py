"""A MiniLM sentence encoder in numpy: the transformer half of the ``accurate`` sentiment method.

all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads; Apache-2.0, Wang et al. 2020 /
sentence-transformers), fine-tuned on the NYT dev ratings with a linear head
(``benchmarks/sentiment_experiments/finetune.py``), ships in ``data/`` as int8
matrices with a per-row scale (``sentiment_minilm.v1.npz``, 21 MB) beside its
WordPiece tokenizer (``minilm_tokenizer.json``, read by the ``tokenizers``
package). The forward pass is plain numpy, so no torch, no model hub and no
download: the weights are dequantised to float32 once per process (~90 MB).

Texts are tokenised and run in batches of equal length (no padding, so a
score never depends on the other texts of a call); a text longer than
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
TOKENIZER_FILE = "minilm_tokenizer.json"
#: Word pieces per window, [CLS] and [SEP] included (the fine-tuning length).
MAX_TOKENS = 64
HIDDEN, HEADS, LAYERS = 384, 12, 6
_CLS, _SEP = 101, 102


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

    def __init__(self, weights: str | None = None, tokenizer: str | None = None, *, batch: int = 64):
        from tokenizers import Tokenizer  # only the `accurate` method needs it: `fast` builds never load it

        with np.load(weights or DATA_DIR / WEIGHTS_FILE) as arrays:
            self.w = _dequantise(arrays)
        self.tok = Tokenizer.from_file(str(tokenizer or DATA_DIR / TOKENIZER_FILE))
        self.tok.no_truncation()
        self.tok.no_padding()
        self.batch = batch

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
        """Mean-pooled, L2-normalised last hidden states of a batch of equal-length windows (B, T) -> (B, 384).

        No padding, so no attention mask: `encode` groups windows by length."""
        w = self.w
        B, T = ids.shape
        dh = HIDDEN // HEADS
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:T][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = self._ln(x, "embeddings.LayerNorm").reshape(B * T, HIDDEN)
        scale = np.float32(1 / math.sqrt(dh))
        for layer in range(LAYERS):
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

        Windows are batched by exact length, so no batch is padded: a text's embedding
        is then bit-identical whatever else is in the call (padding changes float sums
        in the last bits), and a table comes out the same from one process, many or Dask.
        """
        seqs, owner = self.windows(texts)
        emb = np.zeros((len(seqs), HIDDEN), np.float32)
        with _blas().limit(limits=1, user_api="blas"):
            self._encode_windows(seqs, emb)
        if len(seqs) == len(texts):
            return emb
        out = np.zeros((len(texts), HIDDEN), np.float32)
        np.add.at(out, owner, emb)
        return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)

    def _encode_windows(self, seqs: list[list[int]], emb: np.ndarray) -> None:
        by_length: dict[int, list[int]] = {}
        for j, s in enumerate(seqs):
            by_length.setdefault(len(s), []).append(j)
        for _, members in sorted(by_length.items()):
            for b in range(0, len(members), self.batch):
                idx = members[b:b + self.batch]
                emb[idx] = self.forward(np.array([seqs[j] for j in idx], dtype=np.int64))


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
    """One BLAS thread for the forward pass: BLAS results differ in the last bits with the number of
    threads, so a score would depend on whether it was computed in the main process (all cores) or
    in a worker (one thread); and on a busy machine extra threads only compete for the cores.
    Parallelism comes from processes (``--n-process``, Dask)."""
    return ThreadpoolController()


@functools.lru_cache(maxsize=1)
def encoder() -> MiniLM:
    """The shipped encoder, loaded once per process."""
    return MiniLM()
