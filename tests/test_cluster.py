"""Parsing on a Dask cluster stores exactly what one process stores.

Real clusters, no stand-ins: a ``LocalCluster`` of two worker processes started here, and a
``dask scheduler`` with two ``dask worker`` processes started as subprocesses and driven
through ``diplograph ingest --cluster``.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import Client, LocalCluster
from tests.conftest import EXAMPLES

from diplograph.extract.analyze import Analyzer
from diplograph.ingest.sources import discover, read_source
from diplograph.kb.records import iter_actors, iter_events, iter_facts
from diplograph.models import Article, content_hash
from diplograph.nlp.cluster import PARTITION, ClusterError, ClusterParser
from diplograph.pipeline import ingest
from diplograph.store.database import Store

BIN = Path(sys.executable).parent

# One meeting, reported by two articles in different words: one event with two articles' mentions.
MEETING = {
    "title": "Putin meets Xi",
    "published": "2024-05-16",
    "text": "Russian President Vladimir Putin met Chinese President Xi Jinping in Beijing on "
    "16 May 2024. The two leaders discussed trade and energy.",
}
RETOLD = {
    "title": "Xi hosts Putin",
    "published": "2024-05-17",
    "text": "Chinese President Xi Jinping held talks with Russian President Vladimir Putin in "
    "Beijing on 16 May 2024, state media said on Friday.",
}


def _rows() -> list[dict[str, Any]]:
    """The meeting first, every example article, then the retelling and the meeting again: with
    ``PARTITION`` articles a partition, the three land in different partitions."""
    examples = []
    for source in discover([str(EXAMPLES)]):
        examples += [item for item, _ in read_source(source) if isinstance(item, Article)]
    rows = [MEETING]
    rows += [{"title": a.title, "published": a.published, "text": a.text} for a in examples]
    rows += [RETOLD, {**MEETING, "title": "Putin meets Xi (repeated)"}]
    assert len(rows) > PARTITION + 2
    return rows


Exports = tuple[list[dict], list[dict], list[dict]]


def _exports(store: Store) -> Exports:
    return list(iter_events(store)), list(iter_actors(store)), list(iter_facts(store))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cluster") / "corpus.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in _rows()), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def single(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Exports:
    """The exports of a single-process ingest of the corpus."""
    with Store(str(tmp_path_factory.mktemp("single") / "single.db")) as store:
        report = ingest([str(corpus)], store, jobs=1)
        assert report.ok and report.stored == len(_rows()) - 1
        exports = _exports(store)
    assert len(exports[0]) > 20
    return exports


@pytest.fixture(scope="module")
def local_client() -> Iterator[Client]:
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = Client(cluster, set_as_default=False)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


def _assert_one_meeting(store: Store, exports: Exports) -> None:
    """The repeated text is stored once; the meeting is one event, evidenced by both reports."""
    assert store.article_count() == len(_rows()) - 1
    meetings = [
        e
        for e in exports[0]
        if e["date"] == "2024-05-16"
        and {p["code"] for p in e["actor"] + e["recipient"]}
        >= {
            "RUS",
            "CHN",
        }
    ]
    assert len(meetings) == 1, meetings
    articles = {m["article"]["id"] for m in meetings[0]["mentions"]}
    assert articles == {content_hash(MEETING["text"]), content_hash(RETOLD["text"])}


@pytest.mark.slow
def test_the_cluster_parser_yields_the_docs_of_a_local_parse_in_order(
    local_client: Client,
) -> None:
    analyzer = Analyzer()
    texts = [row["text"] for row in _rows()]
    with ClusterParser(local_client, analyzer.nlp, partition=3) as parser:
        remote = [doc.to_bytes(exclude=["tensor", "user_data"]) for doc in parser.parse(texts)]
    local = [doc.to_bytes(exclude=["tensor", "user_data"]) for doc in analyzer.nlp.pipe(texts)]
    assert remote == local


@pytest.mark.slow
def test_a_worker_error_surfaces_in_the_driver(local_client: Client) -> None:
    analyzer = Analyzer()
    with ClusterParser(local_client, analyzer.nlp, partition=2) as parser:
        docs = parser.parse(["Kazakhstan and China signed a treaty.", "fine", 42])  # type: ignore[list-item]
        assert len(next(docs)) > 3
        with pytest.raises(ClusterError, match="partition at position 2 .* failed"):
            list(docs)
    assert local_client.status == "running"  # a client passed in is left open


@pytest.mark.slow
def test_ingest_on_a_local_cluster_stores_what_one_process_stores(
    corpus: Path, single: Exports, local_client: Client, tmp_path: Path
) -> None:
    with Store(str(tmp_path / "cluster.db")) as store:
        report = ingest([str(corpus)], store, cluster=local_client)
        assert report.ok and report.already_stored == 1
        exports = _exports(store)
        _assert_one_meeting(store, exports)
    assert exports == single


# -- a real scheduler and two workers, started as processes -------------------------------------


def _start(*args: str, log: Path) -> subprocess.Popen:
    with log.open("wb") as stream:
        return subprocess.Popen(
            [str(BIN / "dask"), *args],
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the worker's nanny has a child
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def scheduler(tmp_path: Path) -> Iterator[str]:
    """The address of a ``dask scheduler`` with two single-threaded ``dask worker`` processes."""
    file = tmp_path / "scheduler.json"
    processes = [
        _start(
            "scheduler", "--port", "0", "--scheduler-file", str(file), "--no-dashboard",
            log=tmp_path / "scheduler.log",
        )
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not file.exists():
            assert processes[0].poll() is None, (tmp_path / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not write its file"
            time.sleep(0.2)
        for n in (1, 2):
            processes.append(
                _start(
                    "worker", "--scheduler-file", str(file), "--nthreads", "1",
                    "--nworkers", "1", "--no-dashboard", log=tmp_path / f"worker{n}.log",
                )
            )  # fmt: skip
        with Client(scheduler_file=str(file), timeout=30, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=90)
            address = client.scheduler.address
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)


@pytest.mark.slow
def test_cli_ingest_on_a_dask_scheduler_and_two_workers_stores_what_one_process_stores(
    corpus: Path, single: Exports, scheduler: str, tmp_path: Path
) -> None:
    assert scheduler.startswith("tcp://")
    db = tmp_path / "cli.db"
    run = subprocess.run(
        [str(BIN / "diplograph"), "--db", str(db), "ingest", str(corpus), "--cluster", scheduler],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert f"{len(_rows())} article(s)" in run.stdout
    with Store(str(db)) as store:
        exports = _exports(store)
        _assert_one_meeting(store, exports)
    assert exports == single


@pytest.mark.slow
def test_an_unreachable_scheduler_is_one_line_and_exit_2(corpus: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    began = time.monotonic()
    run = subprocess.run(
        [str(BIN / "diplograph"), "--db", str(tmp_path / "x.db"), "ingest", str(corpus),
         "--cluster", f"tcp://127.0.0.1:{port}"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert run.stderr.startswith(
        f"error: cannot reach the Dask scheduler at tcp://127.0.0.1:{port}"
    )
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert time.monotonic() - began < 30
    with Store(str(tmp_path / "x.db")) as store:
        assert store.article_count() == 0
