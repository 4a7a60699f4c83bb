"""CPU and wall time per sentence of `accurate` encoder graphs (ONNX Runtime, one thread) on the dev file's
sentences, interleaved round by round in one process, with the machine's load average (run under .venv):

    python encoder_speed.py [-n 300] [--rounds 2] [GRAPH.onnx ...]     (no graph: the shipped one)

Times `MiniLM.encode` only (no lexicon features): one call over the first N texts per graph and round, after a
warm-up; CPU time (`time.process_time`) is the speed figure on a shared machine, the best round counts."""
import argparse, csv, os, time
from pathlib import Path

from ukraine_briefs.extract.sentiment.encoder import MiniLM

ap = argparse.ArgumentParser()
ap.add_argument("graphs", nargs="*")
ap.add_argument("-n", type=int, default=300)
ap.add_argument("--rounds", type=int, default=2)
args = ap.parse_args()
rows = list(csv.DictReader(open("/work/shared/data/nyt_sentiment_dev.tsv", encoding="utf-8"), delimiter="\t"))
texts = [r["text"] for r in rows][:args.n]
encs = {Path(g).name if g else "shipped": MiniLM(graph=g) for g in (args.graphs or [None])}
for e in encs.values():
    e.encode(texts[:20])
pieces = sum(map(len, next(iter(encs.values())).windows(texts)[0]))
best = {}
for r in range(args.rounds):
    for name, e in encs.items():
        load0 = os.getloadavg()[0]
        c0, w0 = time.process_time(), time.perf_counter()
        e.encode(texts)
        c, w = time.process_time() - c0, time.perf_counter() - w0
        if name not in best or c < best[name][0]:
            best[name] = (c, w, load0)
for name, (c, w, load) in best.items():
    print(f"{name:22s} {len(texts)} texts ({pieces} pieces): CPU {1000 * c / len(texts):.2f} ms/sentence, "
          f"wall {1000 * w / len(texts):.2f} ms/sentence (load {load:.1f})")
