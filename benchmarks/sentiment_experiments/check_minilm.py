"""The shipped int8 MiniLM (`ukraine_briefs.extract.sentiment.encoder`) against the fp32 JAX predictions of `finetune.py 0 0`
(/tmp/sx/ft_full_insample.npy): max score difference, equal 3-class labels, and sentences/s of CPU time.
Run under the package's .venv:  python check_minilm.py [TSV]"""
import csv, sys, time
import numpy as np
from ukraine_briefs.extract import sentiment
from ukraine_briefs.extract.sentiment import encoder as minilm, scoring

tsv = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/nyt_sentiment_dev.tsv"
texts = [r["text"] for r in csv.DictReader(open(tsv, encoding="utf-8"), delimiter="\t")]
ref = np.load("/tmp/sx/ft_full_insample.npy")
head = scoring._minilm_head()
X = np.array([sentiment.features(t) for t in texts])
lex = (X - head["lex_mean"]) / head["lex_sd"]
enc = minilm.encoder()
enc.encode(texts[:32])
t0 = time.process_time()
E = enc.encode(texts)
dt = time.process_time() - t0
p = E @ head["w"] + lex @ head["wl"] + head["b"]
cls = lambda v: np.where(v > 0.5, 1, np.where(v < -0.5, -1, 0))
seqs, _ = enc.windows(texts)
print(f"max|d| {np.abs(p - ref).max():.4f}, mean|d| {np.abs(p - ref).mean():.5f}, labels equal {(cls(p) == cls(ref)).mean():.4f}, "
      f"texts over {minilm.MAX_TOKENS} pieces: {len(seqs) - len(texts)} extra windows; {len(texts) / dt:.0f} sentences/s CPU")
