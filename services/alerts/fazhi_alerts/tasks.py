"""alerts.match: receives every committed document (matching saved searches comes next)."""

from __future__ import annotations

import logging
from typing import Any

from fazhi_alerts.celery_app import app
from fazhi_shared.celery_base import PipelineTask
from fazhi_shared.stores.redis import KEY_PREFIX, redis_client
from fazhi_shared.tasks import AlertsPayload, TaskName

log = logging.getLogger(__name__)
RECEIVED_KEY = KEY_PREFIX + "alerts:received"


@app.task(name=TaskName.ALERTS_MATCH.value, base=PipelineTask, bind=True)
def match(self: PipelineTask, payload: dict[str, Any]) -> None:
    job = AlertsPayload.model_validate(payload)
    # Records the hand-off so it can be observed; matching saved searches builds on it.
    redis_client(self.app.conf.fazhi_settings).hset(RECEIVED_KEY, job.document_id, job.content_sha256)
    log.info("document %s ready for alert matching (changed=%s)", job.document_id, job.changed)
