"""Peak memory of the build process at N articles, without hours of parsing: the parse is replayed.

    .venv/bin/python benchmarks/replay_memory.py CORPUS OUT TEMPLATE_BUILD

Each article of CORPUS gets the per-document rows (``_raw/<table>/*.parquet``) of one
article of an earlier build TEMPLATE_BUILD (article ``g<k>`` takes the template's article
``k`` modulo its size; ids renamed), so the read, the part writes, the story features
(`batch.story_features`, computed for real from the text) and the corpus-wide step
run on N articles' real volumes in this process, and spaCy is never loaded. The
workers' own memory is not measured: they hold a batch at a time. Prints one JSON
line: stage peaks (`BuildReport.peak_rss_mb`), max RSS, and the memory the templates
take (a constant to subtract). Made for the generated corpora (`generate.py`), whose
file names start with ``g<number>``: a 10,000-article build with the parse is
hours on a shared machine, this is minutes.
"""
from __future__ import annotations

import json
import os
import re
import resource
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

from ukraine_briefs.build import batch, engines, run
from ukraine_briefs.types import to_frame


def main(corpus: Path, out: Path, template: Path) -> dict:
    proc = psutil.Process()
    rss0 = proc.memory_info().rss >> 20
    by = {}
    for t in batch.DOC_TABLES:
        df = pd.concat([pd.read_parquet(p) for p in sorted((template / "_raw" / t).glob("*.parquet"))], ignore_index=True)
        by[t] = {d: g.reset_index(drop=True) for d, g in df.groupby("doc_id", sort=False)}
    src_ids = sorted(by["sentences"])
    rss1 = proc.memory_info().rss >> 20

    def replay(items, model=None, batch_size=16, sentiment_method=None):
        frames = {}
        for t in batch.DOC_TABLES:
            parts = []
            for it in items:
                m = re.match(r"g(\d+)", it.doc_id)
                src = src_ids[(int(m.group(1)) if m else abs(hash(it.doc_id))) % len(src_ids)]
                df = by[t].get(src)
                if df is None or not len(df):
                    continue
                df = df.copy()
                df["doc_id"] = it.doc_id
                for c in ("quote_id", "threat_id"):
                    if c in df:
                        df[c] = df[c].str.replace(src, it.doc_id, regex=False)
                parts.append(df)
            frames[t] = pd.concat(parts, ignore_index=True) if parts else to_frame(t, [])
        frames["errors"] = pd.DataFrame(columns=["doc_id", "message"])
        frames["batch"] = pd.DataFrame({"doc_id": [i.doc_id for i in items]}, dtype=object)
        frames["memo"] = batch.story_features(items, list(frames["quotes"].itertuples()))
        return frames

    engines.process_batch = replay  # run_local's in-process path calls it by this name
    t = time.perf_counter()
    r = run.build(corpus, out, n_process=1, progress=False, sentiment="fast")
    return {"n": r.n_documents, "parsed": r.n_parsed, "seconds": round(time.perf_counter() - t, 1),
            "timings": r.timings, "stages_mb": r.peak_rss_mb,
            "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss >> 10,
            "rss_start_mb": rss0, "templates_mb": rss1 - rss0, "load": os.getloadavg()[0]}


if __name__ == "__main__":
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))))
