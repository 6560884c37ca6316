"""A robots.txt that cannot be read (5xx, network) stops crawling the site for a short while
(RFC 9309): a report URL met meanwhile fails for now and is retried, not refused for good as
one that robots.txt forbids."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from fazhi_crawler.fetcher import Fetcher, FetchError, Forbidden
from fazhi_shared.settings import Settings
from fazhi_shared.stores.deadletters import DeadLetters
from fazhi_shared.stores.redis import redis_client
from tests.crawler.test_workers import crawler_sending_fetch
from tests.web.server import Answer, LocalWeb, Site


class RobotsSite(Site):
    def __init__(self, name: str, robots: str | None) -> None:
        super().__init__()
        self.name = name
        self.robots_text = robots

    def robots(self) -> str:
        if self.robots_text is None:
            raise RuntimeError("robots.txt is down")  # the test web answers 500
        return self.robots_text

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer | None:
        return Answer(body=b"<html><body>report</body></html>") if path == "/report.html" else None


def test_an_unreachable_robots_txt_is_a_transient_failure(crawl_settings: Settings) -> None:
    # Retries inside the request would wait 2 + 4 + 8 s for a verdict cached for a minute.
    slow_retries = crawl_settings.model_copy(update={"crawl_retry_backoff": 2.0, "crawl_retries": 3})
    site = RobotsSite("down", None)
    with LocalWeb([site]) as web, Fetcher(slow_retries, redis_client(slow_retries)) as fetcher:
        started = time.monotonic()
        with pytest.raises(FetchError) as failed:
            fetcher.get(site.url("/report.html"), role="report")
        assert time.monotonic() - started < 5
    assert not isinstance(failed.value, Forbidden)
    assert failed.value.transient
    assert "robots.txt unreachable" in str(failed.value)
    assert [(h.path, h.status) for h in web.hits_of("down")] == [("/robots.txt", 500)]


def test_a_robots_txt_that_disallows_everything_still_forbids(crawl_settings: Settings) -> None:
    site = RobotsSite("closed", "User-agent: *\nDisallow: /\n")
    with LocalWeb([site]) as web, Fetcher(crawl_settings, redis_client(crawl_settings)) as fetcher:
        with pytest.raises(Forbidden) as refused:
            fetcher.get(site.url("/report.html"), role="report")
    assert not refused.value.transient
    assert [h.path for h in web.hits_of("closed")] == ["/robots.txt"]


@pytest.mark.slow
def test_crawl_fetch_tries_again_after_the_robots_verdict_expires(crawl_settings: Settings,
                                                                  tmp_path: Path) -> None:
    """The task's own backoff (2, 4, 8… s with jitter) would spend every retry inside the
    minute the unreachable robots.txt is cached, and end in a dead letter without asking
    the site again."""
    site = RobotsSite("down", None)
    with LocalWeb([site]) as web:
        with crawler_sending_fetch(crawl_settings, tmp_path, site.url("/report.html")) as procs:
            deadline = time.monotonic() + 60
            while "retry: Retry in" not in procs.tail() and time.monotonic() < deadline:
                time.sleep(0.2)
            tail = procs.tail()
    delays = [int(d) for d in re.findall(r"retry: Retry in (\d+)s", tail)]
    assert delays and all(d > 60 for d in delays), tail
    assert "robots.txt unreachable" in tail
    assert DeadLetters(redis_client(crawl_settings)).list() == []
    assert [h.path for h in web.hits_of("down")] == ["/robots.txt"]
