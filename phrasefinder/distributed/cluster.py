"""The Dask client a run works through: a scheduler's address, or a ``LocalCluster`` started for the run.

Dask is an extra (``pip install 'phrasefinder[dask]'``): nothing here imports it until a run asks for a
cluster, and a missing extra is one line saying what to install.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InputError

CONNECT_SECONDS = 10.0
"""How long a scheduler has to answer (``$PHRASEFINDER_SCHEDULER_SECONDS`` overrides)."""

_LOCAL = re.compile(r"local:(\d+)")
LOOPBACK_HTTP = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}
"""The scheduler's HTTP server (health, metrics) on a free loopback port: without this it takes 8787 on every
interface, and a second cluster on the machine (another user's, a dashboard) would make it warn and move."""


def require_dask() -> None:
    """Raise :class:`InputError` naming the extra when Dask is not installed."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError:
        msg = "--scheduler needs Dask, which is not installed: pip install 'phrasefinder[dask]'"
        raise InputError(msg) from None


@contextmanager
def connect(scheduler: str, local_directory: Path | None = None) -> Iterator[Any]:
    """A ``distributed.Client`` for ``scheduler``: ``local:N`` starts N single-threaded worker processes on
    this machine (loopback only, no dashboard) and closes them after; anything else is a scheduler address
    (``tcp://host:8786``) that must answer within ``CONNECT_SECONDS``."""
    local = _LOCAL.fullmatch(scheduler)
    if not local and not re.fullmatch(r"[a-z+]+://\S+", scheduler):
        msg = f"--scheduler {scheduler}: expected a scheduler address (tcp://host:8786) or local:N (N workers)"
        raise InputError(msg)
    require_dask()
    from distributed import Client, LocalCluster

    if local:
        workers = int(local.group(1))
        if workers < 1:
            msg = f"--scheduler {scheduler}: a local cluster needs at least one worker"
            raise InputError(msg)
        with (
            LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, local_directory=str(local_directory) if local_directory else None,
                scheduler_kwargs=LOOPBACK_HTTP,
            ) as cluster,
            Client(cluster) as client,
        ):  # fmt: skip
            yield client
        return
    seconds = float(os.environ.get("PHRASEFINDER_SCHEDULER_SECONDS") or CONNECT_SECONDS)
    try:
        client = Client(scheduler, timeout=seconds)
    except (OSError, TimeoutError):
        msg = f"--scheduler {scheduler}: the Dask scheduler did not answer in {seconds:g} s"
        raise InputError(msg) from None
    with client:
        yield client


@contextmanager
def client_for(client: Any) -> Iterator[Any]:
    """``client`` itself, or, given a scheduler (``local:N``, an address), a client connected for the block,
    with a temporary folder for a local cluster's spill files."""
    if not isinstance(client, str):
        yield client
        return
    with tempfile.TemporaryDirectory(prefix="phrasefinder-dask-") as spill, connect(client, Path(spill)) as connected:
        yield connected
