"""One document -> rows, engines (local processes, Dask), the Parquet store and the corpus-wide merge."""
