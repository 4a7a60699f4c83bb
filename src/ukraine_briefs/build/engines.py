"""Engines that run `batch.process_batch` over the documents: this process or a pool of worker processes.

`run_local` yields one result per batch in completion order, keeping only a few
batches in flight, so the caller writes each to disk at once and memory stays
flat; the Dask engine (`dask_engine.run`) yields the same results from a cluster.
`release_memory` hands freed allocator memory back between the build's stages.
"""
from __future__ import annotations

import ctypes
import os
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Iterator, Sequence

import pyarrow as pa
from tqdm.auto import tqdm

from ukraine_briefs.build.batch import Item, batches, process_batch

WARM_UP = "Blinken said on Monday that Russia would pay a heavy price."


def warm_up(model, sentiment_method: str | None = None) -> None:
    """Load the models in this (worker) process: one sentence through `process_batch`."""
    process_batch([Item("warm-up", WARM_UP, None)], model, sentiment_method=sentiment_method)


def start_pool(n_process: int, model, sentiment_method: str | None = None) -> ProcessPoolExecutor:
    """``n_process`` spawned workers, each told at once to load the models (`warm_up`).

    The build starts them while it still reads the corpus (`run`), so the seconds
    each worker takes to load spaCy and the MiniLM overlap the read instead of
    following it: that loading is work two processes cannot share.
    """
    pool = ProcessPoolExecutor(max_workers=n_process, mp_context=get_context("spawn"))
    with _one_blas_thread():  # the workers are spawned by these submissions
        for _ in range(n_process):
            pool.submit(warm_up, model, sentiment_method)
    return pool


def run_local(
    items: Sequence[Item], *, model, n_process: int, batch_docs: int, progress: bool, sentiment_method: str | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> Iterator[dict]:
    """`process_batch` results, in this process or ``n_process`` spawned workers (completion order).

    ``pool``: workers started already (`start_pool`), used and shut down here; a
    clean interpreter per worker (spawned) is safe with any threads in this process.
    """
    if n_process > 1:  # at least four batches per worker, so no worker idles at the end
        batch_docs = max(1, min(batch_docs, -(-len(items) // (4 * n_process))))
    todo = batches(items, batch_docs)
    single = n_process <= 1 or len(items) <= batch_docs
    if single and pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)
    bar = None
    if progress and items:
        bar = tqdm(total=len(items), unit="doc", desc="parsing", disable=None)
    try:
        if single:
            for b in todo:
                yield process_batch(b, model, sentiment_method=sentiment_method)
                if bar:
                    bar.update(len(b))
        else:
            if pool is None:
                pool = ProcessPoolExecutor(max_workers=n_process, mp_context=get_context("spawn"))
            with pool:
                # a bounded number of batches in flight keeps results from piling up in memory
                pending = {}
                with _one_blas_thread():  # the workers are spawned by these first submissions
                    for b in todo:
                        pending[pool.submit(process_batch, b, model, sentiment_method=sentiment_method)] = len(b)
                        if len(pending) >= 2 * n_process:
                            break
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        n = pending.pop(fut)
                        yield fut.result()
                        if bar:
                            bar.update(n)
                        nxt = next(todo, None)
                        if nxt is not None:
                            pending[pool.submit(process_batch, nxt, model, sentiment_method=sentiment_method)] = len(nxt)
    finally:
        if bar:
            bar.close()


@contextmanager
def _one_blas_thread():
    """Worker processes started inside get one BLAS/OpenMP thread each: the sentiment MiniLM's matrix
    products in n workers with a thread per core each would oversubscribe the cores (measured: two
    processes took 8.5 s instead of 5.2 s for the same sentences). Dask's nanny does the same for its workers."""
    names = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
    saved = {n: os.environ.get(n) for n in names}
    os.environ.update({n: "1" for n in names})
    try:
        yield
    finally:
        for n, v in saved.items():
            if v is None:
                os.environ.pop(n, None)
            else:
                os.environ[n] = v


def release_memory() -> None:
    """Hand memory freed so far back to the operating system.

    Reading and cleaning thousands of texts, and receiving batch results, leave
    freed blocks in the allocators (glibc ``malloc`` arenas, Arrow's mimalloc
    pool), which keep them and so let the process size follow the corpus size;
    a trim between stages keeps it at the working set (about 40 MB less at 3,000
    articles).
    """
    pa.default_memory_pool().release_unused()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):  # not glibc (musl): no trim
            pass
