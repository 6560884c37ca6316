"""alerts.match: match a committed document against the alerts; deliver.webhook: one attempt."""

from __future__ import annotations

import logging
import threading
from typing import Any

from fazhi_alerts.celery_app import app
from fazhi_alerts.delivery import run_delivery
from fazhi_alerts.matcher import BatchingMatcher, make_matcher
from fazhi_alerts.notify import notify_document
from fazhi_shared.celery_base import PipelineTask, TransientError
from fazhi_shared.producer import send
from fazhi_shared.search import open_backend
from fazhi_shared.search.base import SearchBackend
from fazhi_shared.settings import Settings
from fazhi_shared.stores.alerts import AlertStore, matched_sha, record_matched
from fazhi_shared.stores.deliveries import DeliveryStore
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.tasks import AlertsPayload, DeliverPayload, TaskName

log = logging.getLogger(__name__)
_lock = threading.Lock()
_state: dict[str, Any] = {}


def _shared() -> tuple[Settings, SearchBackend, AlertStore, DeliveryStore, BatchingMatcher]:
    """Per-process clients, built on first use (never at import)."""
    with _lock:
        if not _state:
            settings: Settings = app.conf.fazhi_settings
            client = redis_client(settings)
            alerts = AlertStore(client)
            _state.update(
                settings=settings, backend=open_backend(settings), alerts=alerts,
                deliveries=DeliveryStore(client),
                matcher=BatchingMatcher(make_matcher(settings, alerts)),
            )
        s = _state
        return s["settings"], s["backend"], s["alerts"], s["deliveries"], s["matcher"]


# Redis briefly away is worth retrying like any other transient failure.
RETRY_ON = PipelineTask.autoretry_for


@app.task(name=TaskName.ALERTS_MATCH.value, base=PipelineTask, bind=True, autoretry_for=RETRY_ON)
def match(self: PipelineTask, payload: dict[str, Any]) -> int:
    job = AlertsPayload.model_validate(payload)
    settings, backend, _alerts, deliveries, matcher = _shared()
    # `changed=false` means the index already held this content, not that it was matched:
    # when the indexer committed, then failed before sending (a Redis blip) and retried, the
    # retry reports false. So the content is skipped only once matching recorded it.
    if not job.changed and matched_sha(deliveries.client, job.document_id) == job.content_sha256:
        return 0
    try:
        doc = backend.get(job.document_id)
    except Exception as exc:  # the search backend is unreachable or mid-switch: try later
        raise TransientError(f"cannot read document {job.document_id}: {exc!r}") from exc
    if doc is None:
        log.info("document %s is gone; nothing to match", job.document_id)
        return 0
    matched = matcher.match_one(doc, timeout=self.app.conf.task_time_limit)
    to_send = notify_document(doc, matched, settings, deliveries)
    for delivery_id, alert_id in to_send:
        send(self.app, TaskName.DELIVER_WEBHOOK,
             DeliverPayload(alert_id=alert_id, document_id=doc.id, delivery_id=delivery_id))
    record_matched(deliveries.client, doc.id, doc.content_sha256)
    log.info("document %s matched %d alerts, %d deliveries", doc.id, len(matched), len(to_send))
    return len(to_send)


@app.task(name=TaskName.DELIVER_WEBHOOK.value, base=PipelineTask, bind=True, autoretry_for=RETRY_ON)
def deliver(self: PipelineTask, payload: dict[str, Any]) -> str:
    job = DeliverPayload.model_validate(payload)
    settings, _backend, alerts, deliveries, _matcher = _shared()
    outcome = run_delivery(job.delivery_id, settings, alerts, deliveries)
    log.info("delivery %s (alert %s): %s", job.delivery_id, job.alert_id, outcome)
    return outcome
