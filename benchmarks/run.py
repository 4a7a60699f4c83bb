"""The benchmark suite: build speed against bare spaCy, memory, incremental rebuilds, reloads, dashboard, export.

    make bench                                   # full: 1,000 and 10,000 articles
    .venv/bin/python benchmarks/run.py --quick   # 200 and 1,000 articles

Corpora come from `generate.py` (reproducible from the seeds). Builds run in
child processes, so each starts cold and reports its own peak memory (RSS of the
build process and of all its worker processes, sampled every 50 ms). Every
figure is printed with its target and written to ``benchmarks/results.md``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


# --------------------------------------------------------------------------- child processes


class PeakRSS:
    """Peak resident memory of this process and of this process plus its children (MB)."""

    def __init__(self, interval: float = 0.05):
        import psutil

        self.proc = psutil.Process()
        self.main = self.total = 0.0
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, args=(interval,), daemon=True)

    def _sample(self):
        import psutil

        main = self.proc.memory_info().rss
        total = main
        for c in self.proc.children(recursive=True):
            try:
                total += c.memory_info().rss
            except psutil.Error:
                pass
        self.main = max(self.main, main / 2**20)
        self.total = max(self.total, total / 2**20)

    def _run(self, interval):
        while not self._stop.is_set():
            self._sample()
            time.sleep(interval)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self._sample()


def child_throughput(corpus: str, work: str, rounds: int, batch_docs: int, batch_size: int = 16) -> dict:
    """Bare ``nlp.pipe`` and the full one-process build, alternated ``rounds`` times in one process.

    Interleaving in one process puts both under the same conditions (this machine
    is shared, and a bare run minutes before a build can see a different load);
    the best of the rounds is the least disturbed estimate of each. Then one
    article is changed and the last build directory rebuilt (the incremental figure).
    """
    import spacy

    from ukraine_briefs import config
    from ukraine_briefs.build import batch, run
    from ukraine_briefs.ingest.corpus import read_corpus

    docs = [d for d in read_corpus(corpus) if d.status == "ok"]
    texts = [d.text for d in docs]
    bare = spacy.load(config.model_name())
    list(bare.pipe(texts[:4]))
    # a session that already parsed something: model, lexicons, gazetteer and word vectors are loaded
    batch.process_batch([batch.Item("warm-up", "Blinken said on Monday that Russia would pay.", None)])
    batch.process_batch([batch.Item("warm-up", "Blinken said on Monday that Russia would pay.", None)],
                           sentiment_method="fast")
    res = {"bare": [], "bare_cpu": [], "build": [], "build_cpu": [], "fast": [], "fast_cpu": []}
    words = 0
    for i in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        for _ in bare.pipe(texts, batch_size=batch_size):
            pass
        res["bare"].append(time.perf_counter() - t)
        res["bare_cpu"].append(time.process_time() - c)
        out = Path(work) / f"round-{i}"
        shutil.rmtree(out, ignore_errors=True)
        t, c = time.perf_counter(), time.process_time()
        r = run.build(corpus, out, n_process=1, batch_docs=batch_docs, progress=False)
        res["build"].append(time.perf_counter() - t)
        res["build_cpu"].append(time.process_time() - c)
        words = r.n_words_parsed
        # the same build with the fast sentiment method (lexicons only, no transformer)
        fast_out = Path(work) / f"round-{i}-fast"
        shutil.rmtree(fast_out, ignore_errors=True)
        t, c = time.perf_counter(), time.process_time()
        run.build(corpus, fast_out, n_process=1, batch_docs=batch_docs, progress=False, sentiment="fast")
        res["fast"].append(time.perf_counter() - t)
        res["fast_cpu"].append(time.process_time() - c)
        shutil.rmtree(fast_out, ignore_errors=True)
    f, original = touch_one(Path(corpus))
    try:
        t = time.perf_counter()
        inc = run.build(corpus, out, n_process=1, batch_docs=batch_docs, progress=False)
        inc_s = time.perf_counter() - t
    finally:
        f.write_text(original, encoding="utf-8")
    return {**res, "words": words, "bare_words": sum(d.n_words for d in docs), "docs": len(docs),
            "inc_seconds": inc_s, "inc_parsed": inc.n_parsed, "inc_timings": inc.timings, "out": str(out)}


def child_build(corpus: str, out: str, n_process: int, batch_docs: int) -> dict:
    """One `run.build` from a cold start (model loading counted) in this fresh process."""
    from ukraine_briefs.build import run

    with PeakRSS() as mem:
        t = time.perf_counter()
        r = run.build(corpus, out, n_process=n_process, batch_docs=batch_docs, progress=False)
        s = time.perf_counter() - t
    return {"seconds": s, "words": r.n_words_parsed, "n_parsed": r.n_parsed, "n_reused": r.n_reused,
            "n_documents": r.n_documents, "peak_main_mb": mem.main, "peak_total_mb": mem.total,
            "timings": r.timings, "peak_rss_stages": r.peak_rss_mb}


def child_reload(corpus: str, out: str) -> dict:
    """Reopen every table without spaCy (`open_tables`), and `load_corpus` with nothing changed."""
    from ukraine_briefs import api

    times = []
    for _ in range(3):
        t = time.perf_counter()
        c = api.open_tables(out)
        times.append(time.perf_counter() - t)
    rows = sum(len(df) for df in c.tables.values())
    t = time.perf_counter()
    c2 = api.load_corpus(corpus, cache_dir=out)
    lc = time.perf_counter() - t
    return {"open_first": times[0], "open_best": min(times), "rows": rows, "load_corpus": lc,
            "load_corpus_parsed": c2.report.n_parsed, "spacy_loaded_by_open": False}


def run_child(kind: str, *args) -> dict:
    """One measurement in a fresh process; ``load`` is the 1-minute load average when it started."""
    load = os.getloadavg()[0]
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *map(str, args)]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"child {kind} failed:\n{r.stderr[-3000:]}")
    return {**json.loads(r.stdout.strip().splitlines()[-1]), "load": load}


# --------------------------------------------------------------------------- measurements


def timed(fn, repeat: int = 5) -> float:
    """Median wall time of ``fn()`` over ``repeat`` runs after one warm-up (seconds)."""
    fn()
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts)


def selection(tables) -> dict:
    """A typical dashboard selection: two busy months, the five biggest outlets, one actor."""
    import pandas as pd

    pub = pd.to_datetime(tables.documents["published"]).dropna()
    mid = pub.min() + (pub.max() - pub.min()) / 2
    outlets = list(tables.documents["outlet"].value_counts().index[:5])
    return {"start": (mid - pd.Timedelta(days=30)).date().isoformat(),
            "end": (mid + pd.Timedelta(days=30)).date().isoformat(), "outlets": outlets, "actors": ["Russia"]}


def dashboard_aggregations(tables_dir: Path) -> tuple[list[dict], list[str]]:
    """Filter (date range, outlets, actor) then regroup, for every chart's data; pandas and DuckDB."""
    import importlib

    from ukraine_briefs.tables import filters
    from ukraine_briefs.tables.io import open_tables

    t = open_tables(tables_dir)
    sel = selection(t)
    rows, missing = [], []

    def filtered():
        return filters.filter_tables(t, **sel)

    rows.append({"name": "filters.filter_tables (date, outlet, actor)", "seconds": timed(filtered), "engine": "pandas"})

    def add(label, mod, attr, call):
        try:
            m = importlib.import_module(f"ukraine_briefs.{mod}")
            fn = getattr(m, attr)
        except (ImportError, AttributeError):
            missing.append(f"{mod}.{attr}")
            return
        try:
            s = timed(lambda: call(fn, filtered()))
            rows.append({"name": f"{label} (filter + regroup)", "seconds": s, "engine": "pandas"})
        except Exception as exc:  # report, do not stop the suite
            rows.append({"name": label, "seconds": None, "engine": "pandas", "error": f"{type(exc).__name__}: {exc}"})

    add("timeseries.sentiment_by_period by outlet, weekly", "tables.timeseries", "sentiment_by_period",
        lambda fn, x: fn(x, by="published", freq="W", group="outlet"))
    add("timeseries.mentions_by_period weekly", "tables.timeseries", "mentions_by_period", lambda fn, x: fn(x, freq="W"))
    add("threats.threat_dyads weekly", "tables.queries", "threat_dyads", lambda fn, x: fn(x.threats, x.documents, freq="W"))
    add("cooccurrence.filter_cooccurrence (sentence window)", "tables.cooccurrence", "filter_cooccurrence",
        lambda fn, x: fn(t.mentions, t.entities, t.documents, start=sel["start"], end=sel["end"]))
    try:
        from ukraine_briefs import charts

        for name in charts.ALL_CHARTS:
            rows.append({"name": f"charts.chart_data({name!r}) (filter + regroup)",
                         "seconds": timed(lambda n=name: charts.chart_data(n, filtered())), "engine": "pandas"})
    except (ImportError, AttributeError):
        missing.append("charts.chart_data / charts.ALL_CHARTS")
    rows.extend(duckdb_aggregations(tables_dir, sel))
    return rows, missing


def duckdb_aggregations(tables_dir: Path, sel: dict) -> list[dict]:
    """The same filter + regroup in DuckDB straight over the Parquet files, for comparison."""
    import duckdb

    con = duckdb.connect()
    for name in ("documents", "sentences", "mentions", "threats", "entities"):
        path = str(tables_dir / f"{name}.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    outlets = ", ".join("'" + o.replace("'", "''") + "'" for o in sel["outlets"])
    kept = f"""
        WITH actor_ids AS (SELECT entity_id FROM entities
                           WHERE lower(canonical_name) = 'russia' OR lower(affiliation) = 'russia'),
        kept AS (SELECT doc_id FROM documents d
                 WHERE published BETWEEN DATE '{sel['start']}' AND DATE '{sel['end']}'
                   AND outlet IN ({outlets})
                   AND (doc_id IN (SELECT doc_id FROM mentions WHERE entity_id IN (SELECT * FROM actor_ids))
                        OR doc_id IN (SELECT doc_id FROM threats
                                      WHERE lower(actor_affiliation) = 'russia' OR lower(target_affiliation) = 'russia')))
    """
    queries = {
        "sentiment by outlet, weekly": kept + """
            SELECT date_trunc('week', d.published) AS period, d.outlet, avg(s.sentiment) AS mean, count(*) AS n
            FROM sentences s JOIN documents d USING (doc_id) WHERE s.doc_id IN (SELECT doc_id FROM kept)
            GROUP BY ALL""",
        "mention volume, weekly": kept + """
            SELECT date_trunc('week', d.published) AS period, m.canonical_name, count(*) AS n
            FROM mentions m JOIN documents d USING (doc_id) WHERE m.doc_id IN (SELECT doc_id FROM kept)
            GROUP BY ALL""",
        "threat dyads, weekly": kept + """
            SELECT date_trunc('week', d.published) AS period, actor_affiliation, target_affiliation, category,
                   count(*) AS n, max(intensity) AS max_intensity
            FROM threats t JOIN documents d USING (doc_id) WHERE t.doc_id IN (SELECT doc_id FROM kept)
            GROUP BY ALL""",
        "sentence co-occurrence pairs": kept + """
            , m AS (SELECT DISTINCT doc_id, sent_id, entity_id FROM mentions WHERE doc_id IN (SELECT doc_id FROM kept))
            SELECT a.entity_id AS entity_a, b.entity_id AS entity_b, count(*) AS n
            FROM m a JOIN m b ON a.doc_id = b.doc_id AND a.sent_id = b.sent_id AND a.entity_id < b.entity_id
            GROUP BY ALL""",
    }
    return [{"name": f"DuckDB: {label} (filter + regroup)", "seconds": timed(lambda q=q: con.execute(q).df()),
             "engine": "duckdb"} for label, q in queries.items()]


def _n_points(trace) -> int:
    for attr in ("x", "z", "values", "labels", "node"):
        v = getattr(trace, attr, None) if attr in trace else None
        if attr == "node" and v is not None:
            v = v.label
        if v is not None:
            try:
                return len(v)
            except TypeError:
                continue
    return 0


def chart_figures_and_export(tables_dir: Path) -> tuple[list[dict], list[str]]:
    """Build every chart on the full tables, then time one static PNG export per chart after a warm-up."""
    from ukraine_briefs.tables.io import open_tables

    missing = []
    try:
        from ukraine_briefs import charts
        from ukraine_briefs.charts import export
    except ImportError as exc:
        return [], [f"charts/export ({exc})"]
    t = open_tables(tables_dir)
    rows = []
    figs = {}
    for name, fn in charts.ALL_CHARTS.items():
        t0 = time.perf_counter()
        try:
            figs[name] = fn(t)
            build_s = time.perf_counter() - t0
        except Exception as exc:
            rows.append({"name": name, "build": None, "export": None, "error": f"{type(exc).__name__}: {exc}"})
            continue
        n_points = sum(_n_points(tr) for tr in figs[name].data)
        rows.append({"name": name, "build": build_s, "export": None, "traces": len(figs[name].data),
                     "points": n_points, "bytes": len(figs[name].to_json())})
    if not hasattr(export, "figure_to_bytes"):
        return rows, ["export.figure_to_bytes"]
    try:
        export.figure_to_bytes(next(iter(figs.values())), "png")  # warm-up: starts the export server
    except Exception as exc:
        for r in rows:
            r["error"] = f"export unavailable: {exc}"
        return rows, missing
    for r in rows:
        if r["name"] in figs:
            t0 = time.perf_counter()
            try:
                export.figure_to_bytes(figs[r["name"]], "png")
                r["export"] = time.perf_counter() - t0
            except Exception as exc:
                r["error"] = f"{type(exc).__name__}: {exc}"
    return rows, missing


# --------------------------------------------------------------------------- the suite


def touch_one(corpus: Path) -> tuple[Path, str]:
    """Change one article (one word) and return (file, original text) to restore it."""
    f = sorted(corpus.glob("*.txt"))[len(list(corpus.glob("*.txt"))) // 2]
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace(" said", " stated", 1) if " said" in text else text + "\nAdded line.\n", encoding="utf-8")
    return f, text


def corpus_dir(work: Path, n: int) -> Path:
    import generate

    d = work / f"corpus-{n}"
    stamp = d / ".complete"
    if not stamp.exists():
        shutil.rmtree(d, ignore_errors=True)
        generate.generate(n, d)
        stamp.write_text(str(n))
    return d


def fmt(v, unit="s", nd=2):
    return "n/a" if v is None else f"{v:,.{nd}f} {unit}".strip()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="ukraine-briefs benchmarks")
    p.add_argument("--quick", action="store_true", help="200 and 1,000 articles instead of 1,000 and 10,000")
    p.add_argument("--small", type=int, help="articles in the small corpus (throughput, incremental)")
    p.add_argument("--large", type=int, help="articles in the large corpus (memory, reload, dashboard, export)")
    p.add_argument("--work", type=Path, default=ROOT / "build" / "bench", help="corpora and built tables")
    p.add_argument("--out", type=Path, default=HERE / "results.md")
    p.add_argument("--batch-docs", type=int, default=64)
    p.add_argument("--rounds", type=int, default=3, help="bare/build alternations for the throughput ratio")
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = p.parse_args(argv)

    if a.child:
        kind, *args = a.child
        if kind == "build":
            res = child_build(args[0], args[1], int(args[2]), int(args[3]))
        elif kind == "throughput":
            res = child_throughput(args[0], args[1], int(args[2]), int(args[3]))
        else:
            res = child_reload(args[0], args[1])
        print(json.dumps(res))
        return 0

    small = a.small or (200 if a.quick else 1000)
    large = a.large or (1000 if a.quick else 10000)
    a.work.mkdir(parents=True, exist_ok=True)
    t_start = time.time()
    log = lambda msg: print(f"[{time.time() - t_start:7.1f}s] {msg}", flush=True)  # noqa: E731

    log(f"generating corpora of {small} and {large} articles under {a.work}")
    cs, cl = corpus_dir(a.work, small), corpus_dir(a.work, large)
    out = {k: a.work / f"tables-{k}" for k in ("s1", "s1c", "s2", "l2")}
    for d in out.values():
        shutil.rmtree(d, ignore_errors=True)

    log(f"bare nlp.pipe and the full 1-process build, alternated {a.rounds} times in one process; then one article changed")
    tp = run_child("throughput", cs, out["s1"], a.rounds, a.batch_docs)
    bare_s, build_s = min(tp["bare"]), min(tp["build"])
    bare_wps, wps1 = tp["bare_words"] / bare_s, tp["words"] / build_s
    cpu_ratio = min(tp["bare_cpu"]) / min(tp["build_cpu"])
    fast_s = min(tp["fast"])
    wps_fast, fast_cpu_ratio = tp["words"] / fast_s, min(tp["bare_cpu"]) / min(tp["fast_cpu"])
    log(f"  bare {bare_wps:,.0f} words/s, build {wps1:,.0f} words/s, build with fast sentiment {wps_fast:,.0f} words/s "
        f"(rounds: bare {tp['bare']}, build {tp['build']}, fast {tp['fast']})")
    inc = {"seconds": tp["inc_seconds"], "n_parsed": tp["inc_parsed"], "timings": tp["inc_timings"]}
    log(f"  incremental {inc['seconds']:.2f} s, parsed {inc['n_parsed']}")
    log("full build, 1 process, cold start (model load counted)")
    b1c = run_child("build", cs, out["s1c"], 1, a.batch_docs)
    log(f"  {b1c['seconds']:.1f} s")
    log("full build, 2 processes, cold start (model load in each worker counted)")
    b2 = run_child("build", cs, out["s2"], 2, a.batch_docs)
    log(f"  {b2['seconds']:.1f} s")
    log(f"large build ({large} articles, 2 processes)")
    bl = run_child("build", cl, out["l2"], 2, a.batch_docs)
    log(f"  {bl['seconds']:.1f} s {bl['timings']}, peak {bl['peak_main_mb']:.0f} MB main / {bl['peak_total_mb']:.0f} MB total")
    log("cached reload")
    rl = run_child("reload", cl, out["l2"])
    log(f"  open_tables {rl['open_best']:.2f} s; load_corpus (nothing changed) {rl['load_corpus']:.2f} s")
    log("dashboard aggregations")
    aggs, missing = dashboard_aggregations(out["l2"])
    log("chart figures and static export")
    figs, missing2 = chart_figures_and_export(out["l2"])
    missing += missing2

    ratio = wps1 / bare_wps
    ratio_fast = wps_fast / bare_wps
    speedup = b1c["seconds"] / b2["seconds"]
    inc_share = inc["seconds"] / build_s
    mem_ratio = bl["peak_main_mb"] / b2["peak_main_mb"]
    ps, pl = b2.get("peak_rss_stages", {}), bl.get("peak_rss_stages", {})
    parse_ratio = pl.get("parse", 0) / ps["parse"] if ps.get("parse") else float("nan")
    ok = lambda c: "yes" if c else "**no**"  # noqa: E731
    lines = [
        f"# Benchmark results ({'quick' if a.quick else 'full'} mode)",
        "",
        f"Run finished {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {platform.machine()}, "
        f"{os.cpu_count()} CPU cores, Python {platform.python_version()}; small corpus {small} articles "
        f"({tp['bare_words']:,} words), large corpus {large} articles ({bl['words']:,} words); "
        f"batches of {a.batch_docs} documents. Load average at the end: "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        "",
        "| measure | result | target | met |",
        "|---|---|---|---|",
        f"| bare `nlp.pipe` throughput ({small} articles; best of {a.rounds}, alternated with the build) | {bare_wps:,.0f} words/s | reference | |",
        f"| full build throughput, 1 process, model loaded, `--sentiment fast` ({small}; best of {a.rounds}) | {wps_fast:,.0f} words/s = "
        f"**{ratio_fast:.2f}** x bare (CPU time: {fast_cpu_ratio:.2f}; rounds "
        f"{', '.join(f'{b:.1f}/{f:.1f} s' for b, f in zip(tp['bare'], tp['fast']))} bare/build) | >= 0.85 | {ok(ratio_fast >= 0.85)} |",
        f"| full build throughput, 1 process, model loaded, default `--sentiment accurate` (a second model: MiniLM over every "
        f"sentence and quote) ({small}; best of {a.rounds}) | {wps1:,.0f} words/s = **{ratio:.2f}** x bare (CPU time: {cpu_ratio:.2f}; "
        f"rounds {', '.join(f'{b:.1f}/{f:.1f} s' for b, f in zip(tp['bare'], tp['build']))} bare/build) | see README | |",
        f"| full build from cold, 2 processes vs 1 ({small}) | {b2['seconds']:.1f} s vs {b1c['seconds']:.1f} s = **{speedup:.2f}x** speed-up "
        f"(load {b2['load']:.1f} / {b1c['load']:.1f}) | >= 1.7x | {ok(speedup >= 1.7)} |",
        f"| incremental rebuild, 1 of {small} changed, model loaded | {inc['seconds']:.2f} s = **{inc_share:.1%}** of the full build ({build_s:.1f} s) "
        f"(load {tp['load']:.1f}) | <= 2% | {ok(inc_share <= 0.02)} |",
        f"| peak RSS, build of {small} (2 processes) | {b2['peak_main_mb']:.0f} MB main, {b2['peak_total_mb']:.0f} MB with workers | | |",
        f"| peak RSS, build of {large} (2 processes) | {bl['peak_main_mb']:.0f} MB main, {bl['peak_total_mb']:.0f} MB with workers = **{mem_ratio:.2f}x** the {small} build (load {bl['load']:.1f}) | flat (<= 1.3x) | {ok(mem_ratio <= 1.3)} |",
        f"| peak RSS of the build process up to the end of parsing (streamed per-document rows) | "
        f"{ps.get('parse', 0):.0f} MB ({small}) vs {pl.get('parse', 0):.0f} MB ({large}) = **{parse_ratio:.2f}x** | flat (<= 1.3x) | {ok(parse_ratio <= 1.3)} |",
        f"| build of {large}, 2 processes | {bl['seconds']:.0f} s ({bl['words'] / bl['seconds']:,.0f} words/s): "
        f"read + clean {bl['timings'].get('read', 0):.0f} s, parse + extract {bl['timings'].get('parse', 0):.0f} s, "
        f"corpus-wide tables + writes {bl['timings'].get('corpus', 0):.0f} s | | |",
        f"| incremental rebuild stages ({small}) | read + clean {inc['timings'].get('read', 0):.2f} s, "
        f"parse {inc['timings'].get('parse', 0):.2f} s, corpus-wide + writes {inc['timings'].get('corpus', 0):.2f} s | | |",
        f"| cached reload of all tables ({large}, {rl['rows']:,} rows), `open_tables` | {rl['open_best']:.2f} s (first {rl['open_first']:.2f} s) | <= 1 s | {ok(rl['open_best'] <= 1)} |",
        f"| `load_corpus` with nothing changed ({large}) | {rl['load_corpus']:.2f} s (stats every file; unchanged files come from the read cache) | | |",
    ]
    for r in aggs:
        s = r["seconds"]
        res = f"error: {r['error']}" if r.get("error") else f"{s * 1000:.0f} ms"
        lines.append(f"| dashboard ({large}): {r['name']} | {res} | <= 150 ms | {ok(s is not None and s <= 0.15)} |")
    for r in figs:
        if r.get("error") and r.get("export") is None:
            lines.append(f"| chart `{r['name']}` ({large}) | error: {r['error'][:120]} | | |")
            continue
        lines.append(
            f"| chart `{r['name']}` ({large}): build {fmt(r['build'])}, {r['traces']} traces, "
            f"{r['points']:,} points, {r['bytes'] / 1024:,.0f} KB JSON; PNG export | {fmt(r['export'])} | <= 0.3 s | "
            f"{ok(r['export'] is not None and r['export'] <= 0.3)} |"
        )
    if missing:
        lines += ["", "Not benchmarked (missing at run time): " + ", ".join(f"`{m}`" for m in missing)]
    lines += ["", f"Whole run: {time.time() - t_start:.0f} s.", ""]
    text = "\n".join(lines)
    # the real-text sections `benchmarks/realtext.py` appended (it runs first in `make bench`) stay
    old = a.out.read_text(encoding="utf-8") if a.out.exists() else ""
    real = old.find("\n## Real text")
    a.out.write_text(text + (old[real:] if real >= 0 else ""))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
