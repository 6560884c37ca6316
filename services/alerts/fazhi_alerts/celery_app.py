"""`celery -A fazhi_alerts.celery_app worker -Q alerts,deliver`

Runs a thread pool by default (`alerts_concurrency` threads): deliveries wait on the
network, so threads let one slow receiver not hold up the others. Every worker process
also runs the scheduler thread (due retries and digests).
"""

from typing import Any

from celery import signals

from fazhi_alerts.config import get_settings
from fazhi_shared.celery_base import make_celery

settings = get_settings()
app = make_celery("alerts", settings)
app.conf.include = ["fazhi_alerts.tasks"]
app.conf.worker_pool = "threads"
app.conf.worker_concurrency = settings.alerts_concurrency

_scheduler: list[Any] = []


@signals.worker_ready.connect
def _start_scheduler(sender: Any = None, **_: Any) -> None:
    from fazhi_alerts.scheduler import Scheduler

    scheduler = Scheduler(app, settings)
    scheduler.start()
    _scheduler.append(scheduler)


@signals.worker_shutdown.connect
def _stop_scheduler(sender: Any = None, **_: Any) -> None:
    for scheduler in _scheduler:
        scheduler.stop()
