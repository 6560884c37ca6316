"""process.document: a raw body from the archive → a processed Document → the index queue."""

from __future__ import annotations

import logging
from typing import Any

from fazhi_shared.archive import RawArchive
from fazhi_shared.celery_base import PipelineTask
from fazhi_shared.pipeline import process
from fazhi_shared.producer import send
from fazhi_shared.stores.fingerprints import FingerprintIndex
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.tasks import IndexPayload, ProcessPayload, TaskName
from fazhi_worker.celery_app import app

log = logging.getLogger(__name__)


@app.task(name=TaskName.PROCESS_DOCUMENT.value, base=PipelineTask, bind=True)
def process_document(self: PipelineTask, payload: dict[str, Any]) -> str | None:
    job = ProcessPayload.model_validate(payload)
    settings = self.app.conf.fazhi_settings
    archive = RawArchive(settings.archive_dir)
    if job.content_sha256 not in archive:
        # Nothing to process and nothing to retry: the body was never archived.
        log.error("body %s of %s is not in the archive", job.content_sha256, job.url)
        raise FileNotFoundError(f"archive has no body {job.content_sha256}")
    body = archive.get(job.content_sha256)
    document = process(
        body,
        url=job.url,
        content_sha256=job.content_sha256,
        fetched_at=job.fetched_at,
        content_type=job.content_type,
        source_id=job.source_id,
        max_bytes=settings.max_body_bytes,
    )
    if document.simhash and document.status == "ok":
        # The first copy of a report republished elsewhere keeps the place; later ones point to it.
        document.duplicate_of = FingerprintIndex(redis_client(settings)).register(
            document.id, document.simhash
        )
    send(self.app, TaskName.INDEX_DOCUMENT, IndexPayload(document=document))
    log.info("processed %s → %s (%s)", job.url, document.id, document.doc_type)
    return document.id
