"""phrasefinder on a Dask cluster: the hits and candidates of one process, from many.

>>> from phrasefinder.distributed import scan_dataset, hits_frame  # imports no Dask until a run starts

``scan_dataset`` writes a Parquet dataset of hits, one file per input partition, each written by the
worker that scanned it; ``hits_frame`` reads it back as a ``dask.dataframe``; ``mine_dataset`` gives
the candidates one process's ``mine`` gives, counted over partitions; ``connect`` gives a client
for ``local:N`` or a scheduler's address. Dask itself comes with ``pip install 'phrasefinder[dask]'``.
"""

from .cluster import connect
from .mine import mine_dataset
from .scan import ScanSummary, hits_frame, scan_dataset

__all__ = ["ScanSummary", "connect", "hits_frame", "mine_dataset", "scan_dataset"]
