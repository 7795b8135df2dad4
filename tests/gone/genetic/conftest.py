"""Shared pieces of the gone.genetic tests: a Dask cluster whose tasks really travel."""

import contextlib

import pytest


@pytest.fixture
def loopback_dask():
    """`with loopback_dask(n_workers, threads_per_worker) as client`: a Dask client of a
    LocalCluster in this process whose scheduler and workers talk TCP on loopback, so the tasks
    really travel serialized. Skips the test without distributed."""
    distributed = pytest.importorskip("distributed")

    @contextlib.contextmanager
    def client(n_workers: int, threads_per_worker: int):
        with (
            distributed.LocalCluster(
                n_workers=n_workers,
                threads_per_worker=threads_per_worker,
                processes=False,
                protocol="tcp",
                host="127.0.0.1",
                dashboard_address=None,
            ) as cluster,
            distributed.Client(cluster) as dask_client,
        ):
            yield dask_client

    return client
