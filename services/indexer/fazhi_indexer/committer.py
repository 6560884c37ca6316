"""Batched commits: many index tasks wait on one commit, then each is acknowledged.

A task returns (and its message is acked) only after the commit that contains its document,
so a killed indexer loses nothing: unacked messages are delivered again.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    changed: bool


class BatchCommitter:
    def __init__(self, backend: SearchBackend, batch_size: int, interval_ms: int) -> None:
        self.backend = backend
        self.batch_size = max(1, batch_size)
        self.interval = interval_ms / 1000
        self._queue: queue.Queue[tuple[Document, Future[Outcome]]] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="index-committer", daemon=True)
        self._thread.start()

    def submit(self, document: Document) -> Future[Outcome]:
        future: Future[Outcome] = Future()
        self._queue.put((document, future))
        return future

    def _take_batch(self) -> list[tuple[Document, Future[Outcome]]]:
        batch = [self._queue.get()]
        deadline = time.monotonic() + self.interval
        while len(batch) < self.batch_size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                batch.append(self._queue.get(timeout=remaining))
            except queue.Empty:
                break
        return batch

    def _run(self) -> None:
        while True:
            batch = self._take_batch()
            try:
                outcomes = self._commit([doc for doc, _ in batch])
            except Exception as exc:
                log.exception("index commit of %d documents failed", len(batch))
                for _, future in batch:
                    future.set_exception(exc)
                continue
            for doc, future in batch:
                future.set_result(outcomes[doc.id])

    def _commit(self, documents: list[Document]) -> dict[str, Outcome]:
        latest: dict[str, Document] = {}
        for doc in documents:
            latest[doc.id] = doc  # the same document twice in one batch: the last wins
        outcomes = {}
        for doc_id, doc in latest.items():
            previous = self.backend.get(doc_id)
            changed = previous is None or previous.content_sha256 != doc.content_sha256
            outcomes[doc_id] = Outcome(changed=changed)
        self.backend.upsert(list(latest.values()))
        log.info("committed %d documents", len(latest))
        return outcomes
