"""A small cache for the whole-store aggregates the pages show (trend, network, map).

Those aggregates read every event (seconds on a store of a million), so each result is kept
until the store changes: the key includes a cheap fingerprint of the store (the newest
article, the corrections made and undone), read at most every ``CHECK_EVERY`` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy import func, select

from diplograph.store.database import Store
from diplograph.store.schema import articles, corrections

T = TypeVar("T")
log = logging.getLogger(__name__)
CHECK_EVERY = 2.0  # seconds between two looks at the store's fingerprint
MAX_ENTRIES = 64


class StoreCache:
    """Results of expensive calls on one store, dropped when the store changes."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._workers: dict[Hashable, threading.Thread] = {}
        self._values: dict[Hashable, Any] = {}
        self._fingerprint: tuple[Any, ...] | None = None
        self._checked = 0.0

    def fingerprint(self) -> tuple[Any, ...]:
        """What changes when articles are ingested or corrections made or undone."""
        now = time.monotonic()
        if self._fingerprint is not None and now - self._checked < CHECK_EVERY:
            return self._fingerprint
        with self.store.engine.connect() as connection:
            newest = connection.execute(select(func.max(articles.c.seq))).scalar()
            fixes = connection.execute(
                select(func.count(), func.max(corrections.c.id)).where(
                    corrections.c.active.is_(True)
                )
            ).one()
        current = (newest, *tuple(fixes))
        with self._lock:
            if current != self._fingerprint:
                self._values.clear()
                self._fingerprint = current
            self._checked = now
        return current

    def invalidate(self) -> None:
        """Forget everything (after a write made through this process)."""
        with self._lock:
            self._values.clear()
            self._fingerprint = None

    def get_soon(self, key: Hashable, compute: Callable[[], T], wait: float) -> T | None:
        """The value of ``key`` if it is ready within ``wait`` seconds, else None.

        A missing value is computed in a background thread (one per key), so a page on a
        large store can say "still counting" instead of keeping the analyst waiting.
        """
        self.fingerprint()
        if key in self._values:
            return self._values[key]
        with self._lock:
            worker = self._workers.get(key)
            if worker is None or not worker.is_alive():
                worker = threading.Thread(
                    target=self._fill, args=(key, compute), name=f"web-cache {key}", daemon=True
                )
                self._workers[key] = worker
                worker.start()
        worker.join(wait)
        return self._values.get(key)

    def _fill(self, key: Hashable, compute: Callable[[], Any]) -> None:
        try:
            self.get(key, compute)
        except Exception:  # noqa: BLE001 - the page computes it again and shows the error
            log.warning("computing %r failed", key, exc_info=True)

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computing it (once, under a lock) when missing."""
        self.fingerprint()
        if key in self._values:
            return self._values[key]
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            if key in self._values:
                return self._values[key]
            value = compute()
            with self._lock:
                if len(self._values) >= MAX_ENTRIES:
                    self._values.pop(next(iter(self._values)))
                self._values[key] = value
            return value
