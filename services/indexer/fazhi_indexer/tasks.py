"""index.document: upsert into the search backend (batched), then hand off to alerts."""

from __future__ import annotations

import threading
from typing import Any

from fazhi_indexer.celery_app import app
from fazhi_indexer.committer import BatchCommitter
from fazhi_shared.celery_base import PipelineTask
from fazhi_shared.producer import send
from fazhi_shared.search import open_backend
from fazhi_shared.tasks import AlertsPayload, IndexPayload, TaskName

_committer: BatchCommitter | None = None
_lock = threading.Lock()


def committer() -> BatchCommitter:
    global _committer
    with _lock:
        if _committer is None:
            settings = app.conf.fazhi_settings
            _committer = BatchCommitter(
                open_backend(settings), settings.index_batch_size, settings.index_commit_interval_ms
            )
        return _committer


@app.task(name=TaskName.INDEX_DOCUMENT.value, base=PipelineTask, bind=True)
def index_document(self: PipelineTask, payload: dict[str, Any]) -> bool:
    job = IndexPayload.model_validate(payload)
    outcome = committer().submit(job.document).result(timeout=self.app.conf.task_time_limit)
    send(
        self.app,
        TaskName.ALERTS_MATCH,
        AlertsPayload(
            document_id=job.document.id,
            content_sha256=job.document.content_sha256,
            changed=outcome.changed,
        ),
    )
    return outcome.changed
