"""crawl.fetch in a real crawler worker: a URL that fails for good ends in a dead letter."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fazhi_shared.settings import Settings
from fazhi_shared.stores.deadletters import DeadLetters
from fazhi_shared.stores.redis import redis_client
from tests.crawler.test_workers import crawler_sending_fetch
from tests.web.server import LocalWeb
from tests.web.sites import bench_site

pytestmark = pytest.mark.slow


def test_an_ingested_url_that_is_gone_ends_in_a_dead_letter(crawl_settings: Settings,
                                                           tmp_path: Path) -> None:
    site = bench_site(1, reports=1, per_page=5)
    letters = DeadLetters(redis_client(crawl_settings))
    with LocalWeb([site]) as web:
        gone = site.url("/col/gone/202403/t20240301_404.html")
        with crawler_sending_fetch(crawl_settings, tmp_path, gone) as procs:
            deadline = time.monotonic() + 60
            while not letters.list() and time.monotonic() < deadline:
                time.sleep(0.2)
            tail = procs.tail()
        (letter,) = letters.list()
        assert letter["task"] == "crawl.fetch", tail
        assert letter["kwargs"]["payload"]["url"] == gone
        # The failure itself, as the dead letter list shows it to whoever replays it.
        assert letter["error"] == f"FetchError('{gone}: HTTP 404')"
        assert [h.status for h in web.hits_of(site.name) if h.path != "/robots.txt"] == [404]
