"""`fazhi reprocess`: send `process.document` again for every archived document, offline.

Reads only the raw archive and its fetch logs (no network): for each body, the last fetch
that was a report, an attachment or an ingested upload gives the URL, source, headers and
fetch time. List pages and robots.txt files are archived too but are not documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from celery import Celery

from fazhi_shared.archive import RawArchive
from fazhi_shared.celery_base import make_celery
from fazhi_shared.producer import send
from fazhi_shared.settings import Settings
from fazhi_shared.tasks import ProcessPayload, TaskName

NOT_DOCUMENTS = {"list", "robots"}


def archived_documents(settings: Settings) -> Iterator[ProcessPayload]:
    archive = RawArchive(settings.archive_dir)
    for sha in archive.all():
        fetches = [f for f in archive.fetches(sha) if f.get("role") not in NOT_DOCUMENTS]
        if not fetches:
            continue
        last: dict[str, Any] = fetches[-1]
        headers = {str(k): str(v) for k, v in (last.get("headers") or {}).items()}
        if last.get("parent"):
            headers["x-fazhi-parent"] = str(last["parent"])
        yield ProcessPayload(
            content_sha256=sha, url=last["url"], source_id=last.get("source_id"),
            fetched_at=last.get("fetched_at") or "", content_type=headers.get("content-type"),
            headers=headers,
        )


def reprocess_all(settings: Settings, app: Celery | None = None) -> int:
    """Queue every archived document for processing; returns how many were queued."""
    app = app or make_celery("reprocess", settings)
    count = 0
    for payload in archived_documents(settings):
        send(app, TaskName.PROCESS_DOCUMENT, payload)
        count += 1
    return count
