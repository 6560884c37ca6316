"""crawl.fetch in a real crawler worker: a URL that fails for good ends in a dead letter."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from fazhi_shared.celery_base import make_celery
from fazhi_shared.producer import send
from fazhi_shared.settings import Settings
from fazhi_shared.stores.deadletters import DeadLetters
from fazhi_shared.stores.redis import redis_client
from fazhi_shared.tasks import FetchPayload, TaskName
from tests.crawler.test_workers import Processes
from tests.web.server import LocalWeb
from tests.web.sites import bench_site

pytestmark = pytest.mark.slow


def test_an_ingested_url_that_is_gone_ends_in_a_dead_letter(crawl_settings: Settings,
                                                           tmp_path: Path) -> None:
    site = bench_site(1, reports=1, per_page=5)
    registry = tmp_path / "sources.yaml"
    registry.write_text("sources: []\n")
    (tmp_path / "logs").mkdir()
    procs = Processes(crawl_settings, registry, tmp_path / "logs")
    app = make_celery("test-producer", crawl_settings)
    with LocalWeb([site]) as web:
        gone = site.url("/col/gone/202403/t20240301_404.html")
        try:
            procs.start("crawler-1")
            send(app, TaskName.CRAWL_FETCH, FetchPayload(url=gone))
            letters = DeadLetters(redis_client(crawl_settings))
            deadline = time.monotonic() + 60
            while not letters.list() and time.monotonic() < deadline:
                time.sleep(0.2)
            tail = procs.tail()
        finally:
            procs.stop_all()
            app.close()
        (letter,) = letters.list()
        assert letter["task"] == "crawl.fetch", tail
        assert letter["kwargs"]["payload"]["url"] == gone
        # The failure itself, as the dead letter list shows it to whoever replays it.
        assert letter["error"] == f"FetchError('{gone}: HTTP 404')"
        assert [h.status for h in web.hits_of(site.name) if h.path != "/robots.txt"] == [404]
