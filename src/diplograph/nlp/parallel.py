"""Parsing on several cores: a pool of worker processes, each with its own loaded pipeline.

The expensive part of reading an article is the spaCy parse. ``ParsePool`` keeps N worker
processes alive for a whole ingest (the model is loaded once per worker, not per batch, as
``nlp.pipe(n_process=…)`` would), sends them chunks of texts and returns the parsed ``Doc``
objects in input order. Everything that depends on state — the actor registry that learns
from article to article, the extractors, the store — stays in the calling process, so an
ingest with N workers stores exactly what a single-process ingest stores.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

CHUNK = 4  # texts per task: small enough to balance long and short articles
_EXCLUDE = ["tensor", "user_data"]  # not read by the extractors; the tensor alone is ~90% of a Doc

_worker_nlp: Language | None = None


def _start_worker() -> None:
    global _worker_nlp  # one pipeline per worker process, loaded when it starts
    from diplograph.nlp.pipeline import load_nlp

    _worker_nlp = load_nlp()


def _parse(texts: list[str]) -> list[bytes]:
    assert _worker_nlp is not None, "worker not initialised"
    return [doc.to_bytes(exclude=_EXCLUDE) for doc in _worker_nlp.pipe(texts)]


def _chunks(texts: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(texts)
    while chunk := list(islice(it, size)):
        yield chunk


class ParsePool:
    """N parsing processes; ``parse(texts)`` yields Docs in order. Close it (or use ``with``)."""

    def __init__(self, nlp: Language, jobs: int) -> None:
        if jobs < 2:
            raise ValueError("a parse pool needs at least 2 jobs")
        self.vocab = nlp.vocab
        self.jobs = jobs
        # spawn: no inherited locks or connections. A worker that dies (killed, out of memory)
        # breaks the pool with BrokenProcessPool instead of leaving its chunk unanswered.
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker)

    def parse(self, texts: Iterable[str]) -> Iterator[Doc]:
        """Docs of ``texts`` in order (a batch: the chunks are all submitted at once)."""
        for parsed in self._pool.map(_parse, _chunks(texts, CHUNK)):
            for data in parsed:
                yield Doc(self.vocab).from_bytes(data, exclude=_EXCLUDE)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
