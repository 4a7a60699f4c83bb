"""One build per output folder, and never a mixed or half-written result.

Two builds into one ``--out`` once gave the documents table of one corpus and
every other table of the other (n_sentences = 0 everywhere), and exited 0: the
second is now refused by the folder's lock (taken before spaCy is imported), the
tables are published only when all eight are written, in one rename (a reader
never sees two builds' tables), and a build killed with SIGKILL leaves a folder
that the next build turns into exactly a clean build.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from ukraine_briefs import config
from ukraine_briefs.build import lock, run, store
from ukraine_briefs.cli import main
from ukraine_briefs.tables.io import read_tables

EXE = shutil.which("ukraine-briefs") or str(Path(sys.executable).parent / "ukraine-briefs")
#: bound on every wait for a subprocess (a seeds build takes 10-30 s on two shared cores)
WAIT = 300


def _corpus(root: Path, *texts: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for n, text in enumerate(texts):
        (root / f"brief{n}.txt").write_text(text)
    return root


BRIEF = "Talks in Geneva\n\nBlinken met Lavrov in Geneva on Friday, officials said. Lavrov warned of a response."
OTHER = "Sanctions\n\nStoltenberg said NATO would not send troops to Ukraine. Putin denied any plan to invade."


def _build(src, out, **kw):
    return run.build(src, out, progress=False, sentiment="fast", **kw)


def _wait_for(cond, what: str, proc=None, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the build ended (rc {proc.returncode}) before {what}: {proc.stderr.read()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _start_cli_build(src, out, *extra) -> subprocess.Popen:
    return subprocess.Popen(
        [EXE, "build", str(src), "--out", str(out), "-q", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _assert_tables_equal(got_dir: Path, expected: dict[str, pd.DataFrame]) -> None:
    got = read_tables(got_dir)
    for t in config.TABLES:
        pd.testing.assert_frame_equal(got[t].reset_index(drop=True), expected[t].reset_index(drop=True), obj=t)


def test_lock_is_released_after_a_normal_finish_and_the_manifest_names_the_corpus(tmp_path):
    src, out = _corpus(tmp_path / "c", BRIEF, OTHER), tmp_path / "out"
    _build(src, out)
    assert (out / lock.LOCK_FILE).exists() and not lock.is_locked(out)
    assert lock.read_holder(out, wait=0) == {}  # nobody holds it
    corpus = json.loads((out / "manifest.json").read_text())["corpus"]
    docs = read_tables(out)["documents"]
    assert corpus == {"path": str(src), "n_documents": 2, "digest": store.corpus_digest(docs)}
    assert not list(out.glob(".tables-*")) and not list(out.glob(".*.tmp"))
    _build(src, out)  # the lock can be taken again


def test_a_second_build_is_refused_with_the_holder_named(tmp_path, capsys):
    src, out = _corpus(tmp_path / "c", BRIEF), tmp_path / "out"
    with lock.build_lock(out) as holder:
        assert lock.is_locked(out) and holder["pid"] == os.getpid()
        with pytest.raises(lock.BuildLockedError, match="wait for it or use another --out"):
            _build(src, out)
        assert main(["build", str(src), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert err.strip() == (
        f"ukraine-briefs: error: another build (pid {os.getpid()}, started at {holder['started']}) "
        f"is writing to {out}; wait for it or use another --out"
    )
    assert not lock.is_locked(out) and not (out / "manifest.json").exists()


def test_a_failed_build_keeps_the_previous_tables_and_releases_the_lock(tmp_path, monkeypatch):
    src, out = _corpus(tmp_path / "c", BRIEF), tmp_path / "out"
    _build(src, out)
    before, manifest = read_tables(out), (out / "manifest.json").read_text()
    _corpus(src, BRIEF, OTHER)  # a second document
    real = run.write_tables

    def write_then_fail(staging, *a, **kw):
        real(staging, *a, **kw)  # every table written aside, then the build fails
        raise RuntimeError("disk full")

    monkeypatch.setattr(run, "write_tables", write_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        _build(src, out)
    assert not lock.is_locked(out)
    assert not list(out.glob(".tables-*"))
    _assert_tables_equal(out, before)
    assert (out / "manifest.json").read_text() == manifest
    monkeypatch.setattr(run, "write_tables", real)
    assert _build(src, out).n_parsed == 1
    assert len(read_tables(out)["documents"]) == 2


def test_a_build_killed_at_the_switch_keeps_the_old_set_and_is_rebuilt_whole(tmp_path, monkeypatch):
    """Killed just before the one rename that publishes: the old tables stand, whole; no manifest, so the
    next build trusts nothing and equals a clean one."""
    src, out = _corpus(tmp_path / "c", BRIEF), tmp_path / "out"
    _build(src, out)
    before = read_tables(out)
    _corpus(src, BRIEF, OTHER)
    real = os.replace

    def replace(a, b):
        if Path(b) == out / store.CURRENT:
            raise OSError("killed")
        real(a, b)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="killed"):
        _build(src, out)
    monkeypatch.setattr(os, "replace", real)
    assert not (out / "manifest.json").exists() and not lock.is_locked(out)
    _assert_tables_equal(out, before)
    report = _build(src, out)
    assert (report.n_parsed, report.n_reused) == (2, 0)
    _build(src, tmp_path / "clean")
    _assert_tables_equal(out, read_tables(tmp_path / "clean"))


def test_a_reader_during_a_publish_reads_one_build(tmp_path, monkeypatch):
    """A reader that starts before the switch reads the old set whole (its folder is kept until the next
    publish), one that starts after reads the new set: never tables of two builds."""
    src, out = _corpus(tmp_path / "c", BRIEF), tmp_path / "out"
    _build(src, out)
    old = read_tables(out)
    _corpus(src, BRIEF, OTHER)
    real, seen = os.replace, {}

    def replace(a, b):
        if Path(b) == out / store.CURRENT and "old" not in seen:
            # a reader resolved `.current` just before the switch and reads its tables just after it
            early = Path(os.path.realpath(out / store.CURRENT))
            real(a, b)
            seen["old"] = {t: pd.read_parquet(early / f"{t}.parquet") for t in config.TABLES}
            seen["new"] = read_tables(out)
            return
        real(a, b)

    monkeypatch.setattr(os, "replace", replace)
    _build(src, out)
    assert len(seen["old"]["documents"]) == 1 and len(seen["new"]["documents"]) == 2
    for t in config.TABLES:
        pd.testing.assert_frame_equal(seen["old"][t], old[t], obj=t)
        pd.testing.assert_frame_equal(seen["new"][t], read_tables(out)[t], obj=t)
    assert all((out / f"{t}.parquet").is_symlink() for t in config.TABLES)
    assert len(list(out.glob(store.GENERATION_PREFIX + "*"))) == 2  # the current set and the one before
    _build(_corpus(src, OTHER), out)
    assert len(list(out.glob(store.GENERATION_PREFIX + "*"))) == 2


def test_the_cli_refuses_a_second_build_before_importing_spacy(tmp_path):
    """The lock comes first: a refused build never pays for loading the extractors."""
    out = tmp_path / "out"
    code = ("import sys; from ukraine_briefs.cli import main; rc = main(['build', %r, '--out', %r, '-q']); "
            "print(rc, 'spacy' in sys.modules)" % (str(tmp_path), str(out)))
    with lock.build_lock(out):
        got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=WAIT)
    assert got.stdout.split() == ["2", "False"]
    assert "wait for it or use another --out" in got.stderr


@pytest.mark.slow
def test_two_concurrent_builds_into_one_folder(tmp_path, seeds_dir):
    """The second build is refused while the first runs; the tables are the first's corpus, whole."""
    out = tmp_path / "out"
    first = _start_cli_build(seeds_dir, out)
    try:
        _wait_for(lambda: lock.is_locked(out), "the first build's lock", first)
        holder = lock.read_holder(out)
        assert holder["pid"] == first.pid
        other = _corpus(tmp_path / "other", BRIEF, OTHER)
        second = subprocess.run(
            [EXE, "build", str(other), "--out", str(out), "-q"], capture_output=True, text=True, timeout=WAIT
        )
        assert first.poll() is None, "the first build ended before the second tried: the test proves nothing"
        assert second.returncode != 0
        assert second.stderr.strip() == (
            f"ukraine-briefs: error: another build (pid {first.pid}, started at {holder['started']}) "
            f"is writing to {out}; wait for it or use another --out"
        )
        assert first.wait(timeout=WAIT) == 0, first.stderr.read()
    finally:
        first.kill()
        first.wait(timeout=WAIT)
    t = read_tables(out)
    ids = set(t["documents"]["doc_id"])
    assert len(ids) == 5 and set(t["sentences"]["doc_id"]) == ids
    counts = t["sentences"].groupby("doc_id").size()
    assert (t["documents"].set_index("doc_id")["n_sentences"] == counts).all()
    assert json.loads((out / "manifest.json").read_text())["corpus"]["path"] == str(seeds_dir)
    assert not lock.is_locked(out)


@pytest.mark.slow
def test_sigkill_mid_build_then_rebuild_equals_a_clean_build(tmp_path, seeds_dir, seed_corpus):
    out = tmp_path / "out"
    proc = _start_cli_build(seeds_dir, out, "--batch-docs", "1")
    try:  # killed mid-parse: the first batch's rows are on disk, no table yet
        _wait_for(lambda: any((out / "_raw" / "sentences").glob("*.parquet")), "the first part file", proc)
        assert lock.is_locked(out)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=WAIT)
    assert proc.returncode == -signal.SIGKILL
    assert not lock.is_locked(out)  # the kernel released it with the process
    assert not (out / "manifest.json").exists()
    report = run.build(seeds_dir, out, progress=False)
    assert report.n_parsed == 5
    _assert_tables_equal(out, seed_corpus.tables)
    assert not list(out.glob(".tables-*")) and not list((out / "_raw").rglob(".*.tmp"))
