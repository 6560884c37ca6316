"""crawl.poll_due, crawl.poll_source and crawl.fetch."""

from __future__ import annotations

import logging
import time
from typing import Any

from fazhi_crawler.celery_app import app
from fazhi_crawler.fetcher import Fetcher, FetchError, RobotsUnreachable
from fazhi_crawler.politeness import UNREACHABLE_TTL
from fazhi_crawler.poll import LeaseLost, fetch_report, interval_of, run_poll
from fazhi_shared.celery_base import PipelineTask, TransientError
from fazhi_shared.producer import send
from fazhi_shared.settings import Settings
from fazhi_shared.stores.crawlstate import CrawlState
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.stores.sources import SourceStore
from fazhi_shared.tasks import FetchPayload, PollPayload, TaskName

log = logging.getLogger(__name__)


@app.task(name=TaskName.CRAWL_POLL_DUE.value, base=PipelineTask, bind=True)
def poll_due(self: PipelineTask, payload: dict[str, Any] | None = None) -> list[str]:
    """Send a poll for every enabled source whose next poll time has come."""
    settings: Settings = self.app.conf.fazhi_settings
    client = redis_client(settings)
    state, store = CrawlState(client), SourceStore(client)
    sent = []
    for source_id in state.due():
        source = store.get(source_id)
        if source is None:
            client.zrem("fazhi:crawl:next", source_id)
            continue
        if not source.enabled:
            state.schedule(source_id, time.time() + interval_of(source.interval, settings))
            continue
        lease = state.take_lease(source_id, settings.crawl_poll_lease)
        if lease is None:
            continue  # a poll of this source is queued or running
        send(self.app, TaskName.CRAWL_POLL_SOURCE, PollPayload(source_id=source_id, lease=lease))
        sent.append(source_id)
    return sent


@app.task(name=TaskName.CRAWL_POLL_SOURCE.value, base=PipelineTask, bind=True)
def poll_source(self: PipelineTask, payload: dict[str, Any]) -> dict[str, Any] | None:
    job = PollPayload.model_validate(payload)
    settings: Settings = self.app.conf.fazhi_settings
    client = redis_client(settings)
    state = CrawlState(client)
    source = SourceStore(client).get(job.source_id)
    if source is None:
        log.info("source %s is gone, poll dropped", job.source_id)
        return None
    nxt = state.next_poll(source.id)
    if not job.force and nxt is not None and nxt > time.time():
        log.info("source %s: polled since this poll was sent, nothing to do", source.id)
        if job.lease:
            state.release_lease(source.id, job.lease)
        return None
    lease = job.lease
    if lease is None or not state.holds_lease(source.id, lease, settings.crawl_poll_lease):
        # The lease ran out while this task waited in the queue: take it again unless
        # another poll holds it now.
        lease = state.take_lease(source.id, settings.crawl_poll_lease)
        if lease is None:
            log.info("source %s: another poll owns it, this one is dropped", source.id)
            return None
    try:
        return run_poll(settings, client, self.app, source, lease)
    except LeaseLost:
        log.warning("source %s: lease lost mid-poll, another crawler continues", source.id)
        return None


@app.task(name=TaskName.CRAWL_FETCH.value, base=PipelineTask, bind=True)
def fetch(self: PipelineTask, payload: dict[str, Any]) -> str | None:
    """Fetch one URL (report page and attachments), archive it, hand it to processing."""
    job = FetchPayload.model_validate(payload)
    settings: Settings = self.app.conf.fazhi_settings
    client = redis_client(settings)
    state = CrawlState(client)
    source = SourceStore(client).get(job.source_id) if job.source_id else None
    lock = state.fetch_lock(job.url, int(settings.crawl_read_timeout * 4 + 60))
    if lock is None:
        raise TransientError(f"{job.url} is being fetched by another task")
    try:
        with Fetcher(settings, client, source=source) as fetcher:
            fetch_report(fetcher, self.app, job.url, job.source_id, referer=job.referer,
                         attachments=source.attachments if source else True)
    except RobotsUnreachable as exc:
        # The backoff's first retries would all fall within the minute that verdict is cached.
        raise self.retry(exc=TransientError(str(exc)), countdown=UNREACHABLE_TTL + 5) from exc
    except FetchError as exc:
        if exc.transient:
            raise TransientError(str(exc)) from exc
        # Failed for good (404, robots.txt, too big): a dead letter says so and can be replayed.
        raise
    finally:
        state.fetch_unlock(job.url, lock)
    if job.source_id:
        state.mark_done(job.source_id, job.url)
    return job.url
