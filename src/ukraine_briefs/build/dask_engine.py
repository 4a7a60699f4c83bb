"""The build on a Dask cluster: the same `batch.process_batch` tasks, run by Dask workers.

``ukraine-briefs build PATH --out DIR --engine dask [--scheduler ADDRESS]``
sends each batch of documents (ids, cleaned texts and dates only) to a worker
as a `process_batch` task. Each worker loads the spaCy model once, through the
package's cached `nlp.load_nlp` (a worker plugin warms it when the worker
joins); the model never travels in the task graph, only its name does.
Results come back to the client as small per-batch DataFrames, in completion
order, and `run.build` writes each one at once as a partition of the
Parquet datasets under ``DIR/_raw/<table>/``, so workers need no shared file
system and the client holds at most a few batches. The final tables are
identical to the local engine's.

Workers must have this package (and the model) installed, in the same version
as the client: ``pip install ukraine-briefs[dask]`` on every machine, then
``dask scheduler`` and ``dask worker tcp://HOST:8786 --nthreads 1`` (one
thread per worker process: spaCy releases the GIL little, so scale with
processes, ``--nworkers N``).
"""
from __future__ import annotations

import itertools
import logging
import os
from typing import Iterator, Sequence

from ukraine_briefs import config
from ukraine_briefs.build.batch import batches, process_batch
from ukraine_briefs.extract.nlp import load_nlp

try:  # the dask extra is optional: without it only this engine is unavailable
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover
    WorkerPlugin = object

log = logging.getLogger(__name__)

PLUGIN_NAME = "ukraine-briefs-model"


class ModelPlugin(WorkerPlugin):
    """Worker plugin: load the spaCy pipeline once when a worker starts, not in the first task.

    Only the model *name* is pickled with the plugin; each worker loads the model
    from its own installation through the same cached `load_nlp` call that
    `process_batch` makes, so the first task finds it ready.
    """

    name = PLUGIN_NAME
    idempotent = True

    def __init__(self, model: str | None):
        self.model = model or config.model_name()

    def setup(self, worker=None):
        load_nlp(self.model)  # same positional call as process_batch: same cache entry


def model_loads() -> int:
    """How many distinct pipelines `load_nlp` has loaded in this process (run on workers in tests)."""
    return load_nlp.cache_info().currsize


def _client(scheduler, n_workers: int | None):
    """(client, cluster, owned): owned says whether `run` made the client and must close it."""
    from dask.distributed import Client, LocalCluster  # the optional dask extra: `run` checked it is installed

    if scheduler is None:
        n = n_workers or max(1, min(4, os.cpu_count() or 1))
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0")
        return Client(cluster), cluster, True
    if hasattr(scheduler, "submit"):  # an existing Client
        return scheduler, None, False
    return Client(scheduler), None, True


def run(
    items: Sequence,
    *,
    model: str | None = None,
    scheduler=None,
    batch_docs: int = 64,
    n_workers: int | None = None,
    max_in_flight: int | None = None,
    sentiment_method: str | None = None,
) -> Iterator[dict]:
    """Yield `batch.process_batch` results for ``items``, computed on a Dask cluster.

    Args:
        items: a sequence of `batch.Item` records (doc_id, cleaned text, published
            date), such as the lazy `store.Items`: texts are taken a batch at a time.
        model: spaCy model name, loaded on each worker (never shipped).
        scheduler: a scheduler address (``tcp://host:8786``), a ``distributed.Client``,
            or None to start a `LocalCluster` of ``n_workers`` single-threaded processes
            (closed again when the generator finishes).
        batch_docs: documents per task.
        max_in_flight: tasks submitted ahead of the results consumed
            (default: two per worker thread), so neither the scheduler nor the
            client holds the whole corpus.
        sentiment_method: passed to every task (`sentiment.METHODS`), so workers
            never depend on their own environment for it.
    """
    try:  # the optional dask extra, needed only by this engine
        from dask.distributed import as_completed
    except ImportError as exc:  # pragma: no cover
        raise ImportError("the dask engine needs the dask extra: pip install 'ukraine-briefs[dask]'") from exc

    if not len(items):
        return
    todo = batches(items, batch_docs)
    client, cluster, owned = _client(scheduler, n_workers)
    try:
        client.register_plugin(ModelPlugin(model), name=PLUGIN_NAME)
        threads = sum(client.nthreads().values()) or 1
        limit = max_in_flight or 2 * threads

        def submit(batch):
            # pure=False: equal batches in two builds must both run (no stale results)
            return client.submit(process_batch, batch, model, sentiment_method=sentiment_method, pure=False)

        pending = as_completed([submit(b) for b in itertools.islice(todo, limit)])
        for fut in pending:
            result = fut.result()
            fut.release()
            nxt = next(todo, None)
            if nxt is not None:
                pending.add(submit(nxt))
            yield result
    finally:
        if owned:
            client.close()
        if cluster is not None:
            cluster.close()
