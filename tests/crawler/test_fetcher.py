"""The polite fetcher against misbehaving local sites; every claim measured at the server."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from fazhi_crawler.fetcher import Fetcher, FetchError, Forbidden
from fazhi_shared.archive import RawArchive
from fazhi_shared.settings import Settings
from fazhi_shared.stores.crawlstate import CrawlState
from fazhi_shared.stores.redis import redis_client
from tests.web.server import LocalWeb
from tests.web.sites import ListSite


def test_robots_txt_is_obeyed_and_cached(sites: dict[str, ListSite], web: LocalWeb,
                                         crawl_settings: Settings) -> None:
    trs = sites["trs"]
    with Fetcher(crawl_settings, redis_client(crawl_settings)) as fetcher:
        with pytest.raises(Forbidden):
            fetcher.get(trs.url("/private/202403/t20240301_9.html"), role="report")
        fetcher.get(trs.list_url(), role="list")  # type: ignore[attr-defined]
    with Fetcher(crawl_settings, redis_client(crawl_settings)) as other_process:
        with pytest.raises(Forbidden):
            other_process.get(trs.url("/private/x.html"), role="report")
    paths = web.paths_fetched("trs")
    assert paths.count("/robots.txt") == 1  # cached in Redis for every crawler
    assert not [p for p in paths if p.startswith("/private/")]
    assert all(h.user_agent == crawl_settings.crawl_user_agent for h in web.hits_of("trs"))


def test_conditional_get_answers_304_and_bodies_are_archived_first(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings
) -> None:
    url = sites["trs"].list_url()  # type: ignore[attr-defined]
    state = CrawlState(redis_client(crawl_settings))
    with Fetcher(crawl_settings, redis_client(crawl_settings)) as fetcher:
        first = fetcher.get(url, role="list", source_id="s1")
        state.save_validators(url, etag=first.headers.get("etag"),
                              last_modified=first.headers.get("last-modified"), sha256=first.sha256)
        second = fetcher.get(url, role="list", validators=state.validators(url))
    assert second.not_modified and second.body == b""
    assert [h.status for h in web.hits_of("trs") if h.path.endswith("index.html")] == [200, 304]
    archive = RawArchive(crawl_settings.archive_dir)
    assert archive.get(first.sha256) == first.body
    (entry,) = archive.fetches(first.sha256)
    assert entry["url"] == url and entry["role"] == "list" and entry["source_id"] == "s1"
    assert entry["headers"]["etag"] and entry["fetched_at"].endswith("Z")


def test_500s_that_recover_and_429_with_retry_after_are_retried(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings
) -> None:
    flaky = sites["flaky"]
    with Fetcher(crawl_settings, redis_client(crawl_settings)) as fetcher:
        ok = fetcher.get(flaky.url("/news/202403/t20240321_flaky.html"), role="report")
        busy = fetcher.get(flaky.url("/news/202403/t20240322_busy.html"), role="report")
    assert ok.status == 200 and busy.status == 200
    flaky_hits = [h for h in web.hits_of("flaky") if "flaky" in h.path]
    assert [h.status for h in flaky_hits] == [500, 500, 200]
    busy_hits = [h for h in web.hits_of("flaky") if "busy" in h.path]
    assert [h.status for h in busy_hits] == [429, 200]
    assert busy_hits[1].at - busy_hits[0].at >= 2.0  # Retry-After: 2


def test_redirect_loop_huge_page_and_slow_page_fail_cleanly(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings
) -> None:
    flaky = sites["flaky"]
    impatient = crawl_settings.model_copy(update={"crawl_read_timeout": 0.3, "crawl_retries": 1})
    with Fetcher(impatient, redis_client(impatient)) as fetcher:
        with pytest.raises(FetchError, match="redirect loop") as loop:
            fetcher.get(flaky.url("/loop/a.html"), role="report")
        assert not loop.value.transient
        with pytest.raises(FetchError, match="cap") as huge:
            fetcher.get(flaky.url("/news/202403/t20240324_huge.html"), role="report")
        assert not huge.value.transient
        with pytest.raises(FetchError, match="timeout") as slow:
            fetcher.get(flaky.url("/news/202403/t20240320_slow.html"), role="report")
        assert slow.value.transient
    assert len([p for p in web.paths_fetched("flaky") if p.startswith("/loop/")]) == 2
    assert len([p for p in web.paths_fetched("flaky") if "slow" in p]) == 2  # one retry
    assert RawArchive(impatient.archive_dir).all() == [
        sha for sha in RawArchive(impatient.archive_dir).all()
        if RawArchive(impatient.archive_dir).fetches(sha)[0]["role"] == "robots"
    ]


_HAMMER = textwrap.dedent("""
    import sys
    from fazhi_crawler.fetcher import Fetcher
    from fazhi_shared.settings import Settings
    from fazhi_shared.stores.redis import redis_client
    settings = Settings(data_dir=sys.argv[1], redis_url=sys.argv[2], crawl_rate_per_host=float(sys.argv[3]))
    with Fetcher(settings, redis_client(settings)) as fetcher:
        for i in range(int(sys.argv[5])):
            fetcher.get(sys.argv[4] + f"?n={i}", role="list")
""")


def test_rate_per_host_is_shared_by_every_crawler_process(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings
) -> None:
    """Three processes fetch one host as fast as they may: the host sees the configured rate."""
    rate, per_process = 4.0, 5
    url = sites["api"].url("/api/fzzf/list")
    procs = [subprocess.Popen([sys.executable, "-c", _HAMMER, str(crawl_settings.data_dir),
                               crawl_settings.effective_redis_url(), str(rate), url, str(per_process)])
             for _ in range(3)]
    assert [p.wait(60) for p in procs] == [0, 0, 0]
    hits = [h for h in web.hits_of("api") if h.path.startswith("/api/")]
    assert len(hits) == 3 * per_process
    assert web.min_gap("api") >= 1 / rate - 0.01


def test_crawl_delay_of_robots_txt_wins_over_a_faster_rate(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings
) -> None:
    flaky = sites["flaky"]  # robots.txt: Crawl-delay: 0.5; settings allow 10/s
    with Fetcher(crawl_settings, redis_client(crawl_settings)) as fetcher:
        for i in range(4):
            fetcher.get(flaky.url(f"/news/202403/t20240319_n.html?i={i}"), role="report")
    assert web.min_gap("flaky") >= 0.5 - 0.01


def test_a_crawler_killed_mid_request_frees_the_host_after_the_slot_lease(crawl_settings: Settings) -> None:
    import time

    from fazhi_crawler.politeness import HostLimiter

    client = redis_client(crawl_settings)
    dead = HostLimiter(client, lease_s=1.0)
    # Takes the host's only slot and never gives it back, as a process killed mid-request.
    assert dead._try("gov.example:80", 10, 1, "dead-token") == 0
    alive = HostLimiter(client, lease_s=1.0)
    started = time.monotonic()
    with alive.slot("gov.example:80", 0.01, 1):
        waited = time.monotonic() - started
    assert 0.8 <= waited <= 3.0
