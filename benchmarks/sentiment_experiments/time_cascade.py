"""Time the cascade's embedding step on the sentences it would embed (cheap 5-fold OOF score within delta of
|0.5|), to check that the estimated speed holds for their lengths. Run the first part under a venv with the
cvlib deps and the second under one with onnxruntime:  python time_cascade.py mask | python time_cascade.py time"""
import json, sys, time
import numpy as np

if sys.argv[1] == "mask":
    from cvlib import load, make_model, folds
    X, G, y, art, bow = load()
    cheap = make_model(X, G, bow); fo = folds(art, 5, 0); pc = np.zeros(len(y))
    for f in range(5):
        tr, te = np.where(fo != f)[0], np.where(fo == f)[0]; pc[te] = cheap(y, tr, te)
    np.save("/tmp/sx/cheap_oof.npy", pc)
else:
    from embedders import OnnxMiniLM
    texts = json.load(open("/tmp/sx/bow.json"))["texts"]; pc = np.load("/tmp/sx/cheap_oof.npy")
    m = OnnxMiniLM("int8", max_len=64, batch=32); m.encode(texts[:64])
    for delta in (0.1, 0.15):
        sub = [t for t, p in zip(texts, pc) if abs(abs(p) - 0.5) < delta]
        ts = []
        for _ in range(3):
            t0 = time.process_time(); m.encode(sub); ts.append(time.process_time() - t0)
        emb = min(ts) / len(texts)  # embedding CPU seconds per sentence of the whole file
        print(f"delta {delta}: embeds {len(sub)/len(texts):.1%}; embedding {len(sub)/min(ts):.0f} sent/s on them; "
              f"cascade total at cheap 14,000/s: {1/(1/14000 + emb):,.0f} sent/s")
