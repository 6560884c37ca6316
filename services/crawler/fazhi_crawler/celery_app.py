"""`celery -A fazhi_crawler.celery_app worker -Q crawl --pool threads -c 8` and `… beat`.

The crawler is I/O bound and spends most of its time waiting for a host's slot, so it runs
on the threads pool: each thread polls one source at a time. Beat sends `crawl.poll_due`
every `crawl_poll_tick` seconds; that task sends `crawl.poll_source` for each due source.
The sources registry file is loaded into Redis when a worker or beat starts.
"""

import logging

from celery.signals import beat_init, worker_ready

from fazhi_crawler.config import get_settings
from fazhi_crawler.registry import load_registry
from fazhi_shared.celery_base import make_celery
from fazhi_shared.tasks import TaskName

log = logging.getLogger(__name__)
# httpx logs every request at INFO; the crawler's own log says what matters.
logging.getLogger("httpx").setLevel(logging.WARNING)
settings = get_settings()
app = make_celery("crawler", settings)
app.conf.include = ["fazhi_crawler.tasks"]
settings.run_dir.mkdir(parents=True, exist_ok=True)
app.conf.beat_schedule_filename = str(settings.run_dir / "crawler-beat-schedule")
app.conf.beat_schedule = {
    "poll-due-sources": {
        "task": TaskName.CRAWL_POLL_DUE.value,
        "schedule": settings.crawl_poll_tick,
        "kwargs": {"payload": {}},
        # A tick that waited longer than the next one is useless: drop it.
        "options": {"queue": "crawl", "expires": max(1.0, settings.crawl_poll_tick)},
    },
}


def _load(**_kwargs: object) -> None:
    try:
        load_registry(settings)
    except Exception:  # a broken registry file must not stop the crawler; the API still works
        log.exception("sources registry not loaded")


worker_ready.connect(_load, weak=False)
beat_init.connect(_load, weak=False)
