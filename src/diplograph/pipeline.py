"""The ingest pipeline: inputs → articles → store, in batches, resumable.

Each batch is one transaction: what a progress report has counted as stored is committed,
and an interrupted run (even ``kill -9``) leaves only whole articles behind. Re-running the
same command skips what is already stored (articles are keyed by content hash) and files
that were read completely and have not changed since.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from diplograph.ingest.errors import Rejection
from diplograph.ingest.sources import Source, discover, read_source
from diplograph.models import Article
from diplograph.store.database import Store

if TYPE_CHECKING:
    from distributed import Client

BATCH_SIZE = 200
BATCH_SECONDS = 1.0


@dataclass
class IngestReport:
    """What an ingest run did."""

    sources: int = 0
    articles_read: int = 0
    stored: int = 0
    already_stored: int = 0
    sources_unchanged: int = 0
    events: int = 0
    facts: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.rejections


@dataclass
class Progress:
    """Passed to the progress callback after every committed batch and finished source."""

    bytes_done: int
    bytes_total: int
    report: IngestReport
    current: str | None = None


ProgressCallback = Callable[[Progress], None]


def plan(inputs: Iterable[str]) -> tuple[list[Source], list[Rejection]]:
    """Expand inputs to the sources to read, plus those refused before reading."""
    found, refused = [], []
    for item in discover(inputs):
        (refused if isinstance(item, Rejection) else found).append(item)
    return found, refused


def ingest(
    inputs: Iterable[str],
    store: Store,
    *,
    extract: bool = True,
    jobs: int = 1,
    on_progress: ProgressCallback | None = None,
    on_rejection: Callable[[Rejection], None] | None = None,
    cluster: str | Client | None = None,
) -> IngestReport:
    """Read every input and store its articles with the events, actors and facts in them.

    Rejected inputs are reported, not fatal. ``extract=False`` stores articles only.
    ``jobs`` > 1 parses on that many worker processes; ``cluster`` (a Dask scheduler address
    such as ``tcp://host:8786``, ``"local"`` for a LocalCluster of ``jobs`` workers, or a
    ``distributed.Client``) parses on a Dask cluster. What is stored is the same.
    """
    started = time.perf_counter()
    if isinstance(cluster, str):  # connect before reading anything: an unreachable one fails fast
        from diplograph.nlp.cluster import connect

        client = cluster = connect(cluster, workers=jobs)
    else:
        client = None
    analyzer = None  # loaded when the first new article needs reading: re-ingests stay fast
    report = IngestReport()
    sources, refused = plan(inputs)
    for rejection in refused:
        _reject(report, rejection, on_rejection)
    report.sources = len(sources)
    total = sum(s.size or 0 for s in sources)
    done = 0
    batch: list[Article] = []
    last_flush = time.monotonic()

    def flush() -> None:
        nonlocal analyzer, batch, last_flush
        if batch:
            new = store.new_articles(batch)
            if extract and new and analyzer is None:
                analyzer = _analyzer(store, jobs, cluster)
            analyses = list(analyzer.analyze(new)) if analyzer and new else []
            registry = analyzer.registry.take_changes() if analyzer else []
            stored = store.add_articles(new, analyses, registry)
            report.stored += len(stored)
            report.already_stored += len(batch) - len(stored)
            report.events += sum(len(a.events) for a in analyses)
            report.facts += sum(len(a.facts) for a in analyses)
            batch = []
        last_flush = time.monotonic()

    try:
        for source in sources:
            mtime = None if source.is_url else _mtime(source.location)
            if not source.is_url and store.source_is_complete(source.location, source.size, mtime):
                report.sources_unchanged += 1
                done += source.size or 0
                _notify(on_progress, done, total, report, source)
                continue
            rejected_before = len(report.rejections)
            read_here = 0
            for item, position in read_source(source):
                if isinstance(item, Rejection):
                    _reject(report, item, on_rejection)
                    continue
                report.articles_read += 1
                read_here += 1
                batch.append(item)
                if len(batch) >= BATCH_SIZE or time.monotonic() - last_flush >= BATCH_SECONDS:
                    flush()
                    _notify(on_progress, done + position, total, report, source)
            flush()
            done += source.size or 0
            if not source.is_url and len(report.rejections) == rejected_before:
                store.mark_source_complete(source.location, source.size, mtime, read_here)
            _notify(on_progress, done, total, report, source)
    finally:
        if analyzer is not None:
            analyzer.close()
        if client is not None:
            client.close()
    report.seconds = time.perf_counter() - started
    return report


def _analyzer(store: Store, jobs: int, cluster: Client | None):  # noqa: ANN202 - spaCy: lazy
    """The extractors, with the actor registry the store has learned so far."""
    from diplograph.extract.analyze import Analyzer
    from diplograph.extract.registry import ActorRegistry

    registry = ActorRegistry.starter(store.registry_records())
    return Analyzer(registry, jobs=jobs, cluster=cluster)


def _reject(
    report: IngestReport,
    rejection: Rejection,
    on_rejection: Callable[[Rejection], None] | None,
) -> None:
    report.rejections.append(rejection)
    if on_rejection:
        on_rejection(rejection)


def _notify(
    callback: ProgressCallback | None,
    done: int,
    total: int,
    report: IngestReport,
    source: Source,
) -> None:
    if callback:
        callback(Progress(done, total, report, source.location))


def _mtime(path: str) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None
