"""The Dask engine: a two-worker LocalCluster builds the seeds into tables identical to the local engine's."""
import pandas as pd
import pytest

from ukraine_briefs import config
from ukraine_briefs.build import batch, dask_engine, run
from ukraine_briefs.ingest.corpus import read_corpus
from ukraine_briefs.tables.io import read_tables

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
    )
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def test_dask_build_equals_local_build(tmp_path, seeds_dir, client):
    local, dist = tmp_path / "local", tmp_path / "dask"
    run.build(seeds_dir, local, progress=False)
    report = run.build(seeds_dir, dist, engine="dask", scheduler=client.scheduler.address, batch_docs=2)
    assert (report.n_documents, report.n_parsed, report.n_ok) == (5, 5, 5)
    exp, got = read_tables(local), read_tables(dist)
    for t in config.TABLES:
        pd.testing.assert_frame_equal(got[t], exp[t], obj=t)
    # three batches of 2 + 2 + 1 documents became three Parquet partitions per table
    parts = sorted(p.name for p in (dist / "_raw" / "sentences").glob("*.parquet"))
    assert len(parts) == 3
    assert pd.read_parquet(dist / "_raw" / "sentences").shape[0] == len(exp["sentences"])
    # each worker loaded the model exactly once, through the cached loader
    assert set(client.run(dask_engine.model_loads).values()) == {1}


def test_dask_rebuild_is_incremental(tmp_path, seeds_dir, client):
    out = tmp_path / "out"
    run.build(seeds_dir, out, engine="dask", scheduler=client, batch_docs=2)
    again = run.build(seeds_dir, out, engine="dask", scheduler=client, batch_docs=2)
    assert (again.n_parsed, again.n_reused) == (0, 5)


def test_run_yields_one_result_per_batch(seeds_dir, client):
    items = [batch.Item(d.doc_id, d.text, d.published) for d in read_corpus(seeds_dir)][:3]
    results = list(dask_engine.run(items, scheduler=client, batch_docs=1, max_in_flight=1))
    assert sorted(r["batch"]["doc_id"].iloc[0] for r in results) == sorted(i.doc_id for i in items)
    assert all(len(r["sentences"]) and r["errors"].empty for r in results)
    assert list(dask_engine.run([], scheduler=client)) == []
