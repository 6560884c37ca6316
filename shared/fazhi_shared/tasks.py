"""Task names, queues and payloads: the only thing producers and consumers share.

A producer sends a task by name (``send_task``) with a payload dumped to JSON; it never
imports the consumer's code.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from fazhi_shared.models import Document


class Queue(StrEnum):
    CRAWL = "crawl"
    PROCESS = "process"
    INDEX = "index"
    ALERTS = "alerts"
    DELIVER = "deliver"


class TaskName(StrEnum):
    CRAWL_FETCH = "crawl.fetch"
    CRAWL_POLL_SOURCE = "crawl.poll_source"
    CRAWL_POLL_DUE = "crawl.poll_due"
    PROCESS_DOCUMENT = "process.document"
    INDEX_DOCUMENT = "index.document"
    ALERTS_MATCH = "alerts.match"
    DELIVER_WEBHOOK = "deliver.webhook"


def queue_of(task_name: str) -> str:
    """Every task runs on the queue named by its prefix (``process.document`` → ``process``)."""
    return task_name.split(".", 1)[0]


class FetchPayload(BaseModel):
    """Fetch one URL (a report page or attachment) and hand it to processing."""

    url: str
    source_id: str | None = None
    referer: str | None = None


class PollPayload(BaseModel):
    """Poll one source's list pages now; `lease` is the token of the poll that owns the source."""

    source_id: str
    lease: str | None = None
    # Poll even when the source is not due (poll now); else a poll finding the source already
    # polled since it was sent (a duplicate, a redelivery) does nothing.
    force: bool = False


class ProcessPayload(BaseModel):
    """A raw body already in the archive, ready to be processed."""

    content_sha256: str
    url: str
    source_id: str | None = None
    fetched_at: str
    content_type: str | None = None
    headers: dict[str, str] = Field(default_factory=dict)


class IndexPayload(BaseModel):
    document: Document


class AlertsPayload(BaseModel):
    """A document that the indexer committed; `changed` is false for an unchanged re-index."""

    document_id: str
    content_sha256: str
    changed: bool = True


class DeliverPayload(BaseModel):
    alert_id: str
    document_id: str
    delivery_id: str
