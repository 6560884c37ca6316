"""A poll's lease outlives the fetcher's waits between retries."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


class _Trickle(BaseHTTPRequestHandler):
    """A 200 whose body arrives over four seconds, a little every half second."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = b"" if self.path == "/robots.txt" else b"<html><body>" + b"x" * 800 + b"</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain" if not body else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        for i in range(0, len(body), 100):
            self.wfile.write(body[i:i + 100])
            self.wfile.flush()
            time.sleep(0.5)


def test_a_download_longer_than_the_lease_does_not_lose_it(crawl_settings: Settings) -> None:
    lease_s = 3  # renewed at least every 2 s (read timeout / 2 + one chunk); body takes 4.5 s
    client = redis_client(crawl_settings)
    state = CrawlState(client)
    lease = state.take_lease("slow-source", lease_s)
    assert lease is not None

    def heartbeat() -> None:
        if not state.holds_lease("slow-source", lease, lease_s):
            raise RuntimeError("lease lost")

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
    try:
        with Fetcher(crawl_settings, client, heartbeat=heartbeat) as fetcher:
            got = fetcher.get(f"http://127.0.0.1:{server.server_address[1]}/list.html", role="list")
    finally:
        server.shutdown()
        server.server_close()
    assert got.status == 200 and len(got.body) > 800
    assert state.lease_holder("slow-source") == lease
