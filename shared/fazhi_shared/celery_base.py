"""The Celery application every service builds, configured the same way.

JSON only (never pickle), acks late, requeue when a worker dies, one queue per stage,
retries with exponential backoff and jitter, and a dead-letter record for what still fails.
"""

from __future__ import annotations

import logging
from typing import Any

import elasticsearch
import kombu.exceptions
import redis.exceptions
from celery import Celery, Task

from fazhi_shared.settings import Settings
from fazhi_shared.stores.deadletters import DeadLetters
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.tasks import Queue, queue_of

log = logging.getLogger(__name__)


class TransientError(Exception):
    """A failure worth retrying (a store or a remote host briefly unavailable)."""


def _route(name: str, args: Any, kwargs: Any, options: Any, task: Any = None, **kw: Any) -> dict:
    return {"queue": queue_of(name)}


def make_celery(service: str, settings: Settings) -> Celery:
    app = Celery(f"fazhi-{service}", broker=settings.effective_redis_url(), set_as_current=True)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_serializer="json",
        event_serializer="json",
        task_ignore_result=True,
        result_backend=None,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_time_limit=settings.task_time_limit,
        task_soft_time_limit=max(1, settings.task_time_limit - 10),
        task_routes=(_route,),
        task_default_queue=Queue.PROCESS.value,
        broker_transport_options={"visibility_timeout": settings.visibility_timeout},
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
        worker_max_tasks_per_child=500,
        worker_send_task_events=False,
        enable_utc=True,
        task_annotations={"*": {
            "max_retries": settings.task_max_retries,
            "retry_backoff_max": settings.task_retry_backoff_max,
        }},
    )
    app.conf.fazhi_settings = settings
    return app


class PipelineTask(Task):
    """Base of every pipeline task: retries transient failures, dead-letters the rest."""

    # A store or the broker briefly away is worth waiting for; anything else is a bug or bad
    # input and goes to dead letters at once.
    # (The Elasticsearch client's connection errors do not derive from the built-in ones.)
    autoretry_for = (TransientError, ConnectionError, TimeoutError, redis.exceptions.ConnectionError,
                     redis.exceptions.TimeoutError, kombu.exceptions.OperationalError,
                     elasticsearch.ConnectionError, elasticsearch.ConnectionTimeout)
    retry_backoff = 2
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 5
    acks_late = True

    def on_failure(self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        settings: Settings = self.app.conf.fazhi_settings
        try:
            DeadLetters(redis_client(settings)).record(
                task_name=self.name, task_id=task_id, kwargs=kwargs or {}, error=repr(exc)
            )
        except Exception:  # the store itself is down: the log is all that is left
            log.exception("could not record dead letter for %s %s", self.name, task_id)
        log.error("task %s %s failed for good: %r", self.name, task_id, exc)
