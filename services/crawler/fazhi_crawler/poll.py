"""One poll of one source: list pages → new report links → reports and their attachments.

A poll owns its source through a lease (see CrawlState) and works through it in order, so
one host is never hit by two polls of the same source. For every list page:

1. GET with the validators saved last time; 304, or the same body hash, means unchanged.
2. Read the links; fetch each report not yet done for this source (archive, send
   `process.document`, then its attachments), and only then mark it done.
3. Only when every link of the page is handled are its validators saved, so a poll killed
   halfway leaves the page "changed" and the next poll (after the lease expires) reads it again.

Once a source has been read completely, a poll stops at the first unchanged page, or at the
first page after the first one that brings nothing new. Until then (a first poll cut short)
it reads every page up to the limit, unchanged pages from the archive.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import redis
from celery import Celery

from fazhi_crawler.fetcher import Fetched, Fetcher, FetchError, Forbidden, now_iso
from fazhi_crawler.listpage import ListPage, attachment_links, parse_list
from fazhi_shared.archive import RawArchive
from fazhi_shared.producer import send
from fazhi_shared.settings import Settings
from fazhi_shared.stores.crawlstate import CrawlState
from fazhi_shared.stores.sources import Source
from fazhi_shared.tasks import ProcessPayload, TaskName

log = logging.getLogger(__name__)


_COMPLETE = "fazhi:crawl:complete"


class LeaseLost(Exception):
    """Another crawler took the source over (this one was too slow or presumed dead)."""


@dataclass
class PollResult:
    pages_fetched: int = 0
    pages_unchanged: int = 0
    new_documents: int = 0
    attachments: int = 0
    errors: list[str] = field(default_factory=list)
    report_errors: list[str] = field(default_factory=list)
    complete: bool = False


def hand_off(app: Celery, fetched: Fetched, source_id: str | None, parent: str | None = None) -> None:
    headers = dict(fetched.headers)
    if parent:
        headers["x-fazhi-parent"] = parent
    send(app, TaskName.PROCESS_DOCUMENT, ProcessPayload(
        content_sha256=fetched.sha256, url=fetched.url, source_id=source_id,
        fetched_at=fetched.fetched_at, content_type=fetched.content_type, headers=headers,
    ))


def fetch_report(fetcher: Fetcher, app: Celery, url: str, source_id: str | None, *,
                 referer: str | None, attachments: bool) -> int:
    """Fetch a report page (and its attachments), archive and hand each to processing.

    Returns the number of attachments handed off. A failing attachment is logged, not fatal:
    the report itself is processed.
    """
    page = fetcher.get(url, role="report", source_id=source_id, referer=referer)
    hand_off(app, page, source_id)
    count = 0
    if attachments:
        for attachment in attachment_links(page.body, page.url, page.content_type):
            try:
                got = fetcher.get(attachment, role="attachment", source_id=source_id,
                                  referer=page.url, parent=page.url)
            except FetchError as exc:
                log.warning("attachment of %s not fetched: %s", page.url, exc)
                continue
            hand_off(app, got, source_id, parent=page.url)
            count += 1
    return count


class Poller:
    def __init__(self, settings: Settings, client: redis.Redis, app: Celery, source: Source,
                 lease: str) -> None:
        self.settings = settings
        self.client = client
        self.app = app
        self.source = source
        self.lease = lease
        self.state = CrawlState(client)
        self.archive = RawArchive(settings.archive_dir)
        self.result = PollResult()
        self.complete_before = bool(client.sismember(_COMPLETE, source.id))

    def run(self, budget_s: float) -> PollResult:
        deadline = time.monotonic() + budget_s
        with Fetcher(self.settings, self.client, source=self.source,
                     heartbeat=self._check_lease) as fetcher:
            finished = True
            for list_url in self.source.list_urls:
                if not self._walk(fetcher, list_url, deadline):
                    finished = False
                    break
        self.result.complete = finished and not self.result.errors
        if self.result.complete:
            self.client.sadd(_COMPLETE, self.source.id)
        return self.result

    def _check_lease(self) -> None:
        if not self.state.holds_lease(self.source.id, self.lease, self.settings.crawl_poll_lease):
            raise LeaseLost(self.source.id)

    def _walk(self, fetcher: Fetcher, list_url: str, deadline: float) -> bool:
        """Read one list URL and its next pages; False when the time budget ran out."""
        limit = self.source.max_pages or self.settings.crawl_max_pages
        queue, visited = [list_url], set[str]()
        while queue and len(visited) < limit:
            url = queue.pop(0)
            if url in visited:
                continue
            visited.add(url)
            self._check_lease()
            saved = self.state.validators(url)
            try:
                fetched = fetcher.get(url, role="list", source_id=self.source.id, validators=saved)
            except FetchError as exc:
                self._error(url, exc, fatal=True)
                continue
            self.result.pages_fetched += 1
            unchanged = fetched.not_modified or (saved.get("sha256") == fetched.sha256)
            if unchanged:
                self.result.pages_unchanged += 1
                if self.complete_before:
                    break
                body_sha = saved.get("sha256", "")
                if not body_sha or body_sha not in self.archive:
                    continue
                page = parse_list(self.archive.get(body_sha), url,
                                  (self.archive.fetches(body_sha) or [{}])[-1].get("headers", {}).get("content-type"),
                                  self.source)
                final_url, etag, modified = url, saved.get("etag"), saved.get("last_modified")
            else:
                page = parse_list(fetched.body, fetched.url, fetched.content_type, self.source)
                final_url = fetched.url
                etag, modified = fetched.headers.get("etag"), fetched.headers.get("last-modified")
                body_sha = fetched.sha256
            handled = self._reports(fetcher, page, final_url, deadline)
            if handled is None:
                return False
            new, all_handled = handled
            if all_handled:
                self.state.save_validators(url, etag=etag, last_modified=modified, sha256=body_sha)
            else:
                # A report to retry: forget the page's validators so the next poll reads it.
                self.state.forget_validators(url)
            if self.complete_before and new == 0 and len(visited) > 1:
                break
            queue.extend(u for u in page.next_urls if u not in visited)
        return True

    def _reports(self, fetcher: Fetcher, page: ListPage, list_url: str,
                 deadline: float) -> tuple[int, bool] | None:
        """(new reports, every link handled); None when the time budget ran out."""
        new, all_handled = 0, True
        for link in page.links:
            if self.state.is_done(link.url):
                continue
            if time.monotonic() > deadline:
                return None
            self._check_lease()
            try:
                self.result.attachments += fetch_report(
                    fetcher, self.app, link.url, self.source.id, referer=list_url,
                    attachments=self.source.attachments,
                )
            except Forbidden as exc:
                # Not done: checked again each poll against the cached robots.txt (no request).
                log.info("not fetched: %s", exc)
                continue
            except FetchError as exc:
                self._error(link.url, exc, fatal=exc.transient)
                if exc.transient:
                    all_handled = False  # left not done: the next poll tries it again
                    continue
                # Failed for good (404, too big, redirect loop): marked done anyway, since
                # retrying every poll would only hit the host again; the error stays visible.
                self.state.mark_done(self.source.id, link.url)
                continue
            if self.state.mark_done(self.source.id, link.url):
                new += 1
                self.result.new_documents += 1
        return new, all_handled

    def _error(self, url: str, exc: Exception, *, fatal: bool) -> None:
        """Record an error; a fatal one (a list page unread, a report to retry) fails the poll."""
        log.warning("source %s: %s", self.source.id, exc)
        if fatal:
            self.result.errors.append(str(exc))
        else:
            self.result.report_errors.append(str(exc))
        self.state.record_error(self.source.id, url, str(exc))


def interval_of(interval: int | None, settings: Settings) -> int:
    return interval or settings.crawl_default_interval


def run_poll(settings: Settings, client: redis.Redis, app: Celery, source: Source,
             lease: str) -> dict[str, object]:
    """Poll `source` (owning `lease`), schedule its next poll, record its status.

    A failing poll backs off this source only (the interval doubles per failure in a row, up
    to `crawl_failure_backoff_max`); a poll cut short by its time budget continues at once.
    Raises LeaseLost when another crawler took the source over.
    """
    state = CrawlState(client)
    started = time.time()
    state.update_status(source.id, last_poll_started_at=now_iso())
    poller = Poller(settings, client, app, source, lease)
    # Leave room under the task's time limit; a cut-short poll continues at the next tick.
    budget = max(5.0, settings.task_time_limit * 0.6)
    try:
        result = poller.run(budget)
    except LeaseLost:
        raise
    except Exception as exc:  # a bug or a store failure: back off this source, not the others
        log.exception("source %s: poll failed", source.id)
        result = poller.result
        result.errors.append(f"{type(exc).__name__}: {exc}")
        state.record_error(source.id, "", f"{type(exc).__name__}: {exc}")
    status = state.status(source.id)
    failures = int(status.get("consecutive_failures") or 0)
    interval = interval_of(source.interval, settings)
    if result.errors:
        failures += 1
        delay = float(min(interval * 2 ** min(failures, 16), settings.crawl_failure_backoff_max))
        delay = max(delay, min(interval, settings.crawl_failure_backoff_max))
    elif not result.complete:
        failures, delay = 0, 0.0  # the time budget ran out: continue at the next tick
    else:
        failures, delay = 0, float(interval)
    state.schedule(source.id, time.time() + delay)
    summary = {
        "last_poll_finished_at": now_iso(),
        "last_poll_seconds": round(time.time() - started, 3),
        "last_poll_ok": not result.errors,
        "pages_fetched": result.pages_fetched,
        "pages_unchanged": result.pages_unchanged,
        "new_documents": result.new_documents,
        "attachments": result.attachments,
        "consecutive_failures": failures,
        "last_error": next(reversed([*result.errors, *result.report_errors]), None),
    }
    state.update_status(source.id, **summary)
    for name, amount in (("total_polls", 1), ("total_pages_fetched", result.pages_fetched),
                         ("total_new_documents", result.new_documents)):
        state.add_to_status(source.id, name, amount)
    state.release_lease(source.id, lease)
    return summary
