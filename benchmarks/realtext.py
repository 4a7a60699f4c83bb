"""Build speed on real news text: the default build against bare spaCy ``nlp.pipe`` on the same texts and model.

    .venv/bin/python benchmarks/realtext.py [--corpus DIR] [-n 200] [--rounds 3] [--before SRC]

The corpus is a directory of ``.txt`` articles: ``--corpus``, else the PolNeAr
training texts at ``../shared/data/polnear_train/train/text`` when present (read
at run time where they are: ``--work`` gets a folder of links to the first ``-n``,
no text is copied). Every measurement runs in
a fresh child process that loads the model, warms up on one sentence and then
times one pass (wall and CPU seconds): bare ``nlp.pipe``, the default build
(``--sentiment accurate``), the ``fast`` build, and with ``--before SRC`` the
default build of another source tree (e.g. a ``git worktree`` of the previous
commit), interleaved round by round; the best of the rounds counts. Then one
round with a competing CPU-bound process beside each, builds with 1 and 2
processes (cold, model loading counted), and an incremental rebuild with one
article changed. The load average (``os.getloadavg``) is printed with every
figure; results are appended to ``benchmarks/results.md``. ``--long FILE`` also
builds one long text (e.g. every PolNeAr text concatenated into one file under
/tmp, never in the repository) in a fresh process and reports its peak memory
(max RSS, as ``/usr/bin/time -v``).
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
POLNEAR = ROOT.parent / "shared" / "data" / "polnear_train" / "train" / "text"
WARM = "Blinken said on Monday that Russia would pay a heavy price."


def child(kind: str, corpus: str, out: str) -> dict:
    """One timed pass after the model is loaded and warmed: ``bare``, ``build``, ``fast`` or ``build-cold-<n>``."""
    from ukraine_briefs.build import batch, run
    from ukraine_briefs.ingest.corpus import read_corpus

    if kind.startswith("build-cold-"):
        shutil.rmtree(out, ignore_errors=True)
        t, c = time.perf_counter(), time.process_time()
        r = run.build(corpus, out, n_process=int(kind.rsplit("-", 1)[1]), progress=False)
        return {"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "words": r.n_words_parsed,
                "timings": r.timings}
    texts = [d.text for d in read_corpus(corpus) if d.status == "ok"]
    if kind == "bare":
        import spacy

        from ukraine_briefs import config

        nlp = spacy.load(config.model_name())
        list(nlp.pipe([WARM]))
        t, c = time.perf_counter(), time.process_time()
        for _ in nlp.pipe(texts, batch_size=16):
            pass
        return {"wall": time.perf_counter() - t, "cpu": time.process_time() - c}
    method = "fast" if kind == "fast" else "accurate"
    batch.process_batch([batch.Item("warm-up", WARM, None)], sentiment_method=method)
    shutil.rmtree(out, ignore_errors=True)
    t, c = time.perf_counter(), time.process_time()
    r = run.build(corpus, out, n_process=1, progress=False, sentiment=method)
    res = {"wall": time.perf_counter() - t, "cpu": time.process_time() - c, "words": r.n_words_parsed}
    if kind == "build-inc":  # one article changed, rebuilt in the same (warm) process
        f = sorted(Path(corpus).glob("*.txt"))[0]
        target = os.readlink(f)
        f.unlink()  # the link now points to another article of the source: new text under the same name
        f.symlink_to(spare_article(Path(target), Path(corpus)))
        try:
            t, c = time.perf_counter(), time.process_time()
            inc = run.build(corpus, out, n_process=1, progress=False, sentiment=method)
            res.update(inc_wall=time.perf_counter() - t, inc_cpu=time.process_time() - c, inc_parsed=inc.n_parsed,
                       inc_timings=inc.timings)
        finally:
            f.unlink()
            f.symlink_to(target)
    return res


def spare_article(target: Path, corpus: Path) -> Path:
    """An article of ``target``'s folder that ``corpus`` does not link to."""
    used = {os.readlink(x) for x in corpus.glob("*.txt")}
    return next(x for x in sorted(target.parent.glob("*.txt"), reverse=True) if str(x) not in used)


def run_child(kind: str, corpus: Path, out: Path, src: Path | None = None) -> dict:
    env = {**os.environ, **({"PYTHONPATH": str(src)} if src else {})}
    load = os.getloadavg()[0]
    r = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", kind, str(corpus), str(out)],
                       capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{r.stderr[-3000:]}")
    return {**json.loads(r.stdout.strip().splitlines()[-1]), "load": load}


def long_text_peak(path: Path, work: Path) -> str:
    """A cold `ukraine-briefs build` of one long file in a fresh process: its max RSS (``ru_maxrss`` of the
    child, what ``/usr/bin/time -v`` reports) and wall time."""
    corpus, out = work / "long", work / "long-tables"
    shutil.rmtree(corpus, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    corpus.mkdir(parents=True)
    shutil.copyfile(path, corpus / path.name)
    load, t = os.getloadavg()[0], time.perf_counter()
    r = subprocess.run([str(Path(sys.executable).with_name("ukraine-briefs")), "build", str(corpus), "--out", str(out),
                        "--n-process", "1"], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(f"long-text build failed:\n{r.stderr[-3000:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far, MB
    return (f"| peak memory of a build of one {path.stat().st_size / 1e6:.1f} MB text (max RSS of the largest child "
            f"process of this run) | {peak:,.0f} MB; {wall:.0f} s | {load:.1f} |")


def real_corpus(src: Path, n: int, work: Path) -> Path:
    """A folder in ``work`` of links to the first ``n`` articles of ``src``: the texts are read where they
    are, never copied (the incremental round points one link at another article, then back)."""
    d = work / f"real-{n}"
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    for f in sorted(src.glob("*.txt"))[:n]:
        (d / f.name).symlink_to(f.resolve())
    return d


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--corpus", type=Path, help="a directory of .txt news articles (default: PolNeAr train texts)")
    p.add_argument("-n", type=int, default=200, help="articles to take from it")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--before", type=Path, help="another source tree's src/ to time beside (the code before a change)")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "bench-real")
    p.add_argument("--out", type=Path, default=HERE / "results.md")
    p.add_argument("--no-extra", action="store_true", help="only the interleaved rounds")
    p.add_argument("--long", type=Path, help="also build this one long text file and report its peak memory")
    p.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child:
        print(json.dumps(child(*a.child)))
        return 0
    src = a.corpus or POLNEAR
    if not src.is_dir():
        print(f"no corpus: {src} (give --corpus DIR)", file=sys.stderr)
        return 2
    corpus = real_corpus(src, a.n, a.work)
    out = a.work / "tables"
    kinds = ["bare", "build", "fast"] + (["before"] if a.before else [])
    res: dict[str, list[dict]] = {k: [] for k in kinds}
    for i in range(a.rounds):
        for k in kinds:
            r = run_child("build" if k == "before" else k, corpus, out, a.before if k == "before" else None)
            res[k].append(r)
            print(f"round {i}: {k:6s} {r['wall']:6.1f} s wall, {r['cpu']:6.1f} s CPU, load {r['load']:.1f}", flush=True)
    best = {k: min(v, key=lambda r: r["wall"]) for k, v in res.items()}
    lines = [f"## Real text: {a.n} articles of {src.name if a.corpus else 'PolNeAr train'} "
             f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores)", "",
             "| measure | result | load (1-min) |", "|---|---|---|"]

    def ratio(k: str, against: dict) -> str:
        b = best[k]
        return (f"{against['wall'] / b['wall']:.2f}x bare (CPU {against['cpu'] / b['cpu']:.2f}x); "
                f"{b['wall']:.1f} s vs {against['wall']:.1f} s")

    names = {"build": "default build (accurate sentiment), 1 process", "fast": "`--sentiment fast` build, 1 process",
             "before": f"default build of `{a.before}`, 1 process"}
    for k in kinds[1:]:
        loads = ", ".join(f"{r['load']:.1f}" for r in res[k])
        lines.append(f"| {names[k]}, best of {a.rounds} interleaved | {ratio(k, best['bare'])} | {loads} |")
    if not a.no_extra:
        hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
        try:  # one competing CPU-bound process beside each
            cb, cd = run_child("bare", corpus, out), run_child("build", corpus, out)
        finally:
            hog.kill()
            hog.wait()
        lines.append(f"| default build with one competing CPU-bound process | {cb['wall'] / cd['wall']:.2f}x bare "
                     f"(CPU {cb['cpu'] / cd['cpu']:.2f}x); {cd['wall']:.1f} s vs {cb['wall']:.1f} s | {cd['load']:.1f} |")
        inc = run_child("build-inc", corpus, out)
        lines.append(f"| incremental: 1 of {a.n} changed, warm process | {inc['inc_wall']:.2f} s = "
                     f"{inc['inc_wall'] / inc['wall']:.1%} of the full build ({inc['wall']:.1f} s; CPU "
                     f"{inc['inc_cpu'] / inc['cpu']:.1%}); parsed {inc['inc_parsed']}, stages {inc['inc_timings']} "
                     f"| {inc['load']:.1f} |")
        one = run_child("build-cold-1", corpus, a.work / "cold1")
        two = run_child("build-cold-2", corpus, a.work / "cold2")
        lines.append(f"| cold build, 2 processes vs 1 | {one['wall'] / two['wall']:.2f}x ({two['wall']:.1f} s vs "
                     f"{one['wall']:.1f} s; stages {two['timings']} vs {one['timings']}) | {one['load']:.1f} / {two['load']:.1f} |")
    if a.long:
        lines.append(long_text_peak(a.long, a.work))
    text = "\n".join(lines) + "\n"
    print(text)
    with a.out.open("a", encoding="utf-8") as fh:
        fh.write("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
