"""Parsing on a Dask distributed cluster: the same interface as ``ParsePool``, past one machine.

``ClusterParser.parse(texts)`` cuts the texts into partitions, submits them to the cluster's
workers with a bounded look-ahead (a long corpus never sits in memory whole), and yields the
parsed ``Doc`` objects in input order. Each worker process loads the spaCy pipeline once and
returns a partition as a Parquet table (``position``: int64, ``doc``: the ``Doc`` bytes); the
driver reads the tables back in partition order and rebuilds the Docs on its own vocabulary.
Everything stateful — the actor registry, the extractors, the store — stays in the calling
process, in article order, so a cluster ingest stores exactly what a single-process one does.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import islice

import pyarrow as pa
import pyarrow.parquet as pq
from distributed import Client, Future
from spacy.language import Language
from spacy.tokens import Doc

from diplograph.nlp.parallel import _EXCLUDE

PARTITION = 16  # articles per task: enough to amortise a round trip, few enough to balance
LOOK_AHEAD = 2  # partitions in flight per worker thread
CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler
WORKER_TIMEOUT = 60.0  # seconds to wait for a first worker to join
LOCAL = "local"  # --cluster local: a LocalCluster on this machine

_SCHEMA = pa.schema([("position", pa.int64()), ("doc", pa.binary())])
_worker = threading.local()  # one pipeline per worker thread (one per process with --nthreads 1)


class ClusterError(RuntimeError):
    """The cluster failed to parse a partition (a worker error, a lost scheduler)."""


class ClusterUnreachable(ClusterError):
    """No scheduler at the address, or no worker joined it in time."""


def connect(address: str, *, workers: int = 2, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A client of the scheduler at ``address`` (``tcp://host:8786``), or for ``"local"`` a
    new LocalCluster of ``workers`` processes with one thread each (closed with the client)."""
    try:
        if address == LOCAL:
            return Client(
                n_workers=max(1, workers),
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                set_as_default=False,
            )
        return Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ClusterUnreachable(
            f"cannot reach the Dask scheduler at {address}: {reason}"
        ) from None


def _worker_nlp() -> Language:
    nlp = getattr(_worker, "nlp", None)
    if nlp is None:
        from diplograph.nlp.pipeline import load_nlp

        nlp = _worker.nlp = load_nlp()
    return nlp


def parse_partition(start: int, texts: list[str]) -> bytes:
    """Run on a worker: parse texts ``start``, ``start + 1``, … into a Parquet table's bytes."""
    docs = [doc.to_bytes(exclude=_EXCLUDE) for doc in _worker_nlp().pipe(texts)]
    table = pa.table(
        {"position": pa.array(range(start, start + len(docs)), pa.int64()), "doc": docs},
        schema=_SCHEMA,
    )
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


def read_partition(data: bytes, start: int, count: int) -> list[bytes]:
    """The Doc bytes of a partition table, checked to hold positions ``start`` … in order."""
    table = pq.read_table(pa.BufferReader(data))
    if table.column("position").to_pylist() != list(range(start, start + count)):
        raise ClusterError(f"partition at position {start} came back incomplete or out of order")
    return table.column("doc").to_pylist()


def _partitions(texts: Iterable[str], size: int) -> Iterator[tuple[int, list[str]]]:
    it, start = iter(texts), 0
    while chunk := list(islice(it, size)):
        yield start, chunk
        start += len(chunk)


class ClusterParser:
    """Parses on a Dask cluster; ``parse(texts)`` yields Docs in order. Close it (or ``with``).

    ``cluster`` is a ``distributed.Client`` (left open on close) or an address for
    :func:`connect` (the client made here is closed on close).
    """

    def __init__(
        self,
        cluster: Client | str,
        nlp: Language,
        *,
        partition: int = PARTITION,
        workers: int = 2,
    ) -> None:
        self.vocab = nlp.vocab
        self.partition = max(1, partition)
        self._owned = isinstance(cluster, str)
        self.client = connect(cluster, workers=workers) if isinstance(cluster, str) else cluster

    def _threads(self) -> int:
        """Worker threads on the cluster now (waiting a while for a first one to join)."""
        try:
            self.client.wait_for_workers(1, timeout=WORKER_TIMEOUT)
        except TimeoutError:
            raise ClusterUnreachable(
                f"no Dask worker joined the scheduler at {self.client.scheduler.address} "
                f"within {WORKER_TIMEOUT:g} s"
            ) from None
        workers = self.client.scheduler_info(n_workers=-1)["workers"].values()
        return max(1, sum(w.get("nthreads", 1) for w in workers))

    def parse(self, texts: Iterable[str]) -> Iterator[Doc]:
        limit = LOOK_AHEAD * self._threads()
        pending: deque[tuple[int, int, Future]] = deque()
        parts = _partitions(texts, self.partition)
        try:
            while True:
                while len(pending) < limit and (part := next(parts, None)) is not None:
                    start, chunk = part
                    future = self.client.submit(parse_partition, start, chunk, pure=False)
                    pending.append((start, len(chunk), future))
                if not pending:
                    return
                start, count, future = pending.popleft()
                for data in read_partition(self._result(future, start), start, count):
                    yield Doc(self.vocab).from_bytes(data, exclude=_EXCLUDE)
        finally:
            for _, _, future in pending:  # abandoned (an error, or the caller stopped reading)
                future.cancel()

    def _result(self, future: Future, start: int) -> bytes:
        try:
            return future.result()
        except Exception as exc:  # a worker's error, re-raised here by distributed
            raise ClusterError(
                f"parsing the partition at position {start} on the cluster failed: "
                f"{type(exc).__name__}: {exc}"
            ) from exc

    def close(self) -> None:
        if self._owned:
            self.client.close()

    def __enter__(self) -> ClusterParser:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
