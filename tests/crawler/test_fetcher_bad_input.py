"""The fetcher against answers no site should send: each fails cleanly or is survived."""

from __future__ import annotations

import email.utils
import time

import pytest

from fazhi_crawler.fetcher import Fetcher, FetchError
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


