from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from phrasefinder.distributed.cluster import LOOPBACK_HTTP


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A real LocalCluster: two single-threaded worker processes, loopback only, spill files in a temporary folder."""
    from distributed import LocalCluster

    spill = tmp_path_factory.mktemp("dask")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        local_directory=str(spill), scheduler_kwargs=LOOPBACK_HTTP,
    ) as local:  # fmt: skip
        yield local


@pytest.fixture
def client(cluster: Any) -> Iterator[Any]:
    from distributed import Client

    with Client(cluster) as connected:
        yield connected


def read_dataset(folder: Path) -> Any:
    """The dataset's part files in name order, as one Polars frame: the order a one-process run writes."""
    import polars as pl

    files = sorted(folder.glob("part-*.parquet"))
    assert files, f"no part files in {folder}"
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical")
