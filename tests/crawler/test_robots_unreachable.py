"""A robots.txt that cannot be read (5xx, network) stops crawling the site for a short while
(RFC 9309): a report URL met meanwhile fails for now and is retried, not refused for good as
one that robots.txt forbids."""

from __future__ import annotations

import time

import pytest

from fazhi_crawler.fetcher import Fetcher, FetchError, Forbidden
from fazhi_shared.settings import Settings
from fazhi_shared.stores.redis import redis_client
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
