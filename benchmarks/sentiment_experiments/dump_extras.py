"""Unlabelled news sentences for distillation (run under /work/main/.venv): the seeds' sentences and those of a
generated corpus (`benchmarks/generate.py`, grown from the seeds), distinct, with the 16 lexicon features the
model's head reads. No PolNeAR text. Writes /tmp/sx/extras.json (texts) and /tmp/sx/extras.npz (X).

    python dump_extras.py [N_ARTICLES] [MAX_SENTENCES]"""
import json, random, sys, tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import generate  # noqa: E402
from ukraine_briefs.extract.sentiment import scoring  # noqa: E402

n_art = int(sys.argv[1]) if len(sys.argv) > 1 else 120
cap = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
seen, texts = set(), []
with tempfile.TemporaryDirectory() as tmp:
    generate.generate(n_art, tmp)
    files = [generate.SEEDS] + [Path(tmp)]
    for d in files:
        for f in sorted(Path(d).rglob("*.txt")):
            for para in f.read_text(encoding="utf-8").split("\n"):
                for s in generate.SENT_SPLIT.split(para.strip()):
                    s = s.strip()
                    if 25 <= len(s) <= 400 and s not in seen:
                        seen.add(s); texts.append(s)
rng = random.Random(0)
rng.shuffle(texts)
texts = texts[:cap]
X = np.array([scoring._analyse(t)[0] for t in texts], dtype=float)
json.dump({"texts": texts}, open("/tmp/sx/extras.json", "w"))
np.savez("/tmp/sx/extras.npz", X=X)
print(len(texts), "distinct sentences;", X.shape)
