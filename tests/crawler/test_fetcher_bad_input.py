"""The fetcher against answers no site should send: each fails cleanly or is survived."""

from __future__ import annotations

import email.utils
import threading
import time
import tracemalloc
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fazhi_crawler.fetcher import Fetcher, FetchError, Forbidden
from fazhi_shared.settings import Settings
from fazhi_shared.stores.redis import redis_client
from tests.web.server import Answer, LocalWeb, Site


class OddSite(Site):
    name = "odd"

    def __init__(self) -> None:
        super().__init__()
        self.busy_once = True

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer | None:
        if path == "/bad-redirect.html":
            return Answer(status=302, headers={"Location": "http://[unclosed/x.html"}, cacheable=False)
        if path == "/busy.html":
            with self.lock:
                if self.busy_once:
                    self.busy_once = False
                    # One second from now, in the "-0000" form formatdate writes by default.
                    when = email.utils.formatdate(time.time() + 1)
                    return Answer(status=429, headers={"Retry-After": when}, cacheable=False)
            return Answer(body=b"<html><body>ok</body></html>")
        return None


def test_a_redirect_to_an_unparsable_url_fails_for_good(crawl_settings: Settings) -> None:
    site = OddSite()
    with LocalWeb([site]), Fetcher(crawl_settings, redis_client(crawl_settings)) as fetcher:
        with pytest.raises(FetchError, match="bad URL") as bad:
            fetcher.get(site.url("/bad-redirect.html"), role="report")
        assert not bad.value.transient


def test_a_retry_after_date_in_minus_0000_form_is_waited_for(crawl_settings: Settings) -> None:
    site = OddSite()
    with LocalWeb([site]) as web, Fetcher(crawl_settings, redis_client(crawl_settings)) as fetcher:
        got = fetcher.get(site.url("/busy.html"), role="report")
    assert got.status == 200
    assert [h.status for h in web.hits_of("odd") if h.path == "/busy.html"] == [429, 200]


class _EndlessRobots(BaseHTTPRequestHandler):
    """robots.txt: two rules, then 30 MB of comment lines written 64 KB at a time."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if self.path != "/robots.txt":
            self.wfile.write(b"<html><body>page</body></html>")
            return
        self.wfile.write(b"User-agent: *\nDisallow: /private/\n")
        chunk = b"#" + b"x" * 65534 + b"\n"
        try:
            for _ in range(30_000_000 // len(chunk)):
                self.wfile.write(chunk)
            self.wfile.write(b"Disallow: /late/\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the crawler stopped reading: what it should do


def test_a_huge_robots_txt_is_read_up_to_its_cap_only(crawl_settings: Settings) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EndlessRobots)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with Fetcher(crawl_settings, redis_client(crawl_settings)) as fetcher:
            tracemalloc.start()
            try:
                late = fetcher.get(base + "/late/a.html", role="report")
                _, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            with pytest.raises(Forbidden):
                fetcher.get(base + "/private/a.html", role="report")
    finally:
        server.shutdown()
        server.server_close()
    assert late.status == 200  # the rule after the cap was never read
    assert peak < 5_000_000
