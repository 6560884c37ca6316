"""A poll's lease outlives the fetcher's waits between retries."""

from __future__ import annotations

from fazhi_crawler.fetcher import Fetcher
from fazhi_shared.settings import Settings
from fazhi_shared.stores.crawlstate import CrawlState
from fazhi_shared.stores.redis import redis_client
from tests.web.server import Answer, LocalWeb, Site


class BusySite(Site):
    """Answers 429 with a Retry-After longer than the poll lease, once; then the page."""

    name = "busy"

    def __init__(self) -> None:
        super().__init__()
        self.answered_429 = False

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer | None:
        with self.lock:
            if not self.answered_429:
                self.answered_429 = True
                return Answer(status=429, headers={"Retry-After": "4"}, cacheable=False)
        return Answer(body=b"<html><body>list</body></html>")


def test_a_retry_after_longer_than_the_lease_does_not_lose_it(crawl_settings: Settings) -> None:
    lease_s = 2
    client = redis_client(crawl_settings)
    state = CrawlState(client)
    lease = state.take_lease("busy-source", lease_s)
    assert lease is not None
    lost: list[bool] = []

    def heartbeat() -> None:  # what a poll does before each request
        if not state.holds_lease("busy-source", lease, lease_s):
            lost.append(True)
            raise RuntimeError("lease lost")

    site = BusySite()
    with LocalWeb([site]) as web, Fetcher(crawl_settings, client, heartbeat=heartbeat) as fetcher:
        got = fetcher.get(site.url("/list/index.html"), role="list")
    assert got.status == 200 and not lost
    assert [h.status for h in web.hits_of("busy") if h.path != "/robots.txt"] == [429, 200]
    assert state.lease_holder("busy-source") == lease
