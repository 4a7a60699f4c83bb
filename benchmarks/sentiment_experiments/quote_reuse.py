"""How a quote's score taken from its sentences (`extract.sentiment.reuse`) compares with scoring the quote's own
words, by coverage threshold (run under /work/main/.venv):

    python quote_reuse.py [N_GENERATED]

Builds the seeds and N generated articles (`benchmarks/generate.py`) with every quote scored on its own words
(``reuse.QUOTE_COVER`` set above 1), then for each threshold: quotes that would take their sentences' score,
the share of quote word pieces the encoder would skip, mean / max |own - derived| (-1..1) and equal labels."""
import sys, tempfile
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import generate  # noqa: E402
from ukraine_briefs.build import batch  # noqa: E402
from ukraine_briefs.extract import sentiment  # noqa: E402
from ukraine_briefs.extract.sentiment import encoder, reuse  # noqa: E402

n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
reuse.QUOTE_COVER = 2.0  # every quote scored on its own words
texts = []
with tempfile.TemporaryDirectory() as tmp:
    generate.generate(n, tmp)
    for d in (generate.SEEDS, Path(tmp)):
        texts += [f.read_text(encoding="utf-8") for f in sorted(Path(d).rglob("*.txt"))]
items = [batch.Item(f"d{i}", t, None) for i, t in enumerate(texts)]
frames = batch.process_batch(items)
S, Q = frames["sentences"], frames["quotes"]
Q = Q[Q.kind != "indirect"]
tok = encoder.encoder().tok
pieces = np.array([len(e.ids) for e in tok.encode_batch(list(Q.text), add_special_tokens=False)])
sent_pieces = sum(len(e.ids) for e in tok.encode_batch(list(S.text.unique()), add_special_tokens=False))
share = np.zeros(len(Q)); derived = np.zeros(len(Q))
for k, (doc, q) in enumerate(zip(Q.doc_id, Q.itertuples())):
    ss = list(S[S.doc_id == doc].sort_values("start_char").itertuples())
    share[k], parts = reuse.sentence_share(q, ss)
    w = sum(m for _, m in parts)
    derived[k] = sum(ss[i].sentiment * m for i, m in parts) / w if w else np.nan
own = Q.sentiment.to_numpy()
lab = np.vectorize(sentiment.label)
print(f"{len(texts)} articles, {len(Q)} quotes ({pieces.sum()} word pieces), {S.text.nunique()} distinct sentences ({sent_pieces} pieces)")
for cover in (0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95):
    m = share >= cover
    d = np.abs(own[m] - derived[m])
    print(f"cover >= {cover:.2f}: {m.sum():4d} quotes take their sentences' score, {pieces[m].sum() / pieces.sum():.0%} of quote pieces "
          f"skipped; |own - derived| mean {d.mean():.3f} max {d.max():.3f}; labels equal {np.mean(lab(own[m]) == lab(derived[m])):.1%}")
