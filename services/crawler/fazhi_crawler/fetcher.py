"""One polite HTTP GET: robots.txt, per-host slot, redirects, retries, size cap, archive.

Reads the `crawl_*` settings and `max_body_bytes`. Redirects are followed by hand so every
hop is checked against robots.txt and takes its own per-host slot. Every body received is
written to the raw archive (with its headers, fetch time and role) before anyone reads it.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
import redis

from fazhi_crawler.politeness import (
    ALLOW_ALL,
    DISALLOW_ALL,
    UNREACHABLE_TTL,
    HostLimiter,
    RobotsCache,
)
from fazhi_shared.archive import RawArchive
from fazhi_shared.settings import Settings
from fazhi_shared.stores.sources import Source

log = logging.getLogger(__name__)


# RFC 9309 asks crawlers to parse at least 500 KiB of a robots.txt; the rest is not read.
ROBOTS_MAX_BYTES = 500 * 1024


class FetchError(Exception):
    # The arguments are kept as given so that the exception survives a pickle round trip:
    # Celery checks that before storing a failure, and otherwise wraps it in an
    # UnpickleableExceptionWrapper, which is what a dead letter would then show.
    def __init__(self, url: str, message: str, *, transient: bool = False) -> None:
        super().__init__(url, message)
        self.url = url
        self.message = message
        self.transient = transient

    def __str__(self) -> str:
        return f"{self.url}: {self.message}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class Forbidden(FetchError):
    """robots.txt disallows the URL: never fetched."""


class RobotsUnreachable(FetchError):
    """The site's robots.txt could not be read: nothing is fetched there for a while."""

    def __init__(self, url: str, message: str = "robots.txt unreachable: not crawled for now") -> None:
        super().__init__(url, message, transient=True)


@dataclass
class Fetched:
    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    sha256: str = ""
    fetched_at: str = ""
    not_modified: bool = False

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


class Fetcher:
    def __init__(self, settings: Settings, client: redis.Redis | None, *,
                 source: Source | None = None, archive: bool = True,
                 heartbeat: Callable[[], None] | None = None) -> None:
        self.settings = settings
        # Called before every request: a poll extends its lease there (or learns it lost it).
        self.heartbeat = heartbeat
        self.source = source
        self.archive = RawArchive(settings.archive_dir) if archive else None
        # A request in flight holds its host's slot this long at most (a crawler killed
        # mid-request frees the host after it); downloads still running renew it.
        self.limiter = HostLimiter(
            client, lease_s=settings.crawl_connect_timeout + settings.crawl_read_timeout + 5
        )
        self.robots = RobotsCache(client, settings.crawl_robots_ttl)
        self.http = httpx.Client(
            timeout=httpx.Timeout(settings.crawl_read_timeout, connect=settings.crawl_connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": settings.crawl_user_agent, "Accept-Encoding": "gzip, deflate"},
            trust_env=False,
        )
        self.requests_made = 0

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- public ----------------------------------------------------------------------------
    def get(self, url: str, *, role: str, source_id: str | None = None,
            validators: dict[str, str] | None = None, referer: str | None = None,
            parent: str | None = None) -> Fetched:
        """GET `url` politely; a 304 comes back with `not_modified` and no body.

        Raises Forbidden (robots.txt), FetchError (transient after the retries, or final).
        """
        headers = {}
        if referer:
            headers["Referer"] = referer
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        attempt = 0
        while True:
            try:
                result = self._follow(url, headers)
                break
            except FetchError as exc:
                # The unreachable robots.txt stays cached for a minute: retrying sooner only waits.
                if not exc.transient or isinstance(exc, RobotsUnreachable) or (
                        attempt >= self.settings.crawl_retries):
                    raise
                wait = getattr(exc, "retry_after", None)
                if wait is None:
                    wait = self.settings.crawl_retry_backoff * (2 ** attempt)
                log.info("retrying %s in %.1fs: %s", url, wait, exc)
                self._wait(wait)
                attempt += 1
        if result.not_modified:
            return result
        if self.archive is not None:
            meta = {"url": result.url, "requested_url": url, "status": result.status,
                    "headers": result.headers, "fetched_at": result.fetched_at, "role": role,
                    "source_id": source_id}
            if parent:
                meta["parent"] = parent
            self.archive.put(result.body, meta)
        return result

    def allowed(self, url: str) -> bool:
        return bool(self.robots.parser(self._robots_of(url)).can_fetch(
            url, self.settings.crawl_user_agent))

    def _robots_of(self, url: str) -> str:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        text = self.robots.cached(origin)
        return text if text is not None else self._load_robots(origin)

    def interval_for(self, url: str) -> float:
        rate = (self.source.rate_per_host if self.source and self.source.rate_per_host
                else self.settings.crawl_rate_per_host)
        interval = 1.0 / rate
        parts = urlsplit(url)
        text = self.robots.cached(f"{parts.scheme}://{parts.netloc}")
        if text:
            delay = self.robots.parser(text).crawl_delay(self.settings.crawl_user_agent)
            if delay:
                interval = max(interval, float(delay))
        return interval

    # -- internals -------------------------------------------------------------------------
    def _wait(self, seconds: float) -> None:
        """Sleep, calling the heartbeat every second: a long Retry-After keeps a poll's lease."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self.heartbeat is not None:
                self.heartbeat()
            time.sleep(min(left, 1.0))

    def _follow(self, url: str, headers: dict[str, str]) -> Fetched:
        seen = set()
        current = url
        for _hop in range(self.settings.crawl_max_redirects + 1):
            _check_url(url, current)
            if not self.allowed(current):
                if self._robots_of(current) == DISALLOW_ALL:
                    raise RobotsUnreachable(current)
                raise Forbidden(current, "disallowed by robots.txt")
            seen.add(current)
            response = self._request(current, headers)
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("location")
                if not location:
                    raise FetchError(current, f"HTTP {response.status} without Location")
                try:
                    nxt = urljoin(current, location.strip())
                except ValueError as exc:  # e.g. an unclosed IPv6 bracket
                    raise FetchError(url, f"redirect to a bad URL {location!r}") from exc
                if nxt in seen:
                    raise FetchError(url, f"redirect loop at {nxt}")
                if not nxt.startswith(("http://", "https://")):
                    raise FetchError(url, f"redirect to {nxt}")
                current = nxt
                continue
            return response
        raise FetchError(url, f"more than {self.settings.crawl_max_redirects} redirects")

    def _request(self, url: str, headers: dict[str, str]) -> Fetched:
        host = host_of(url)
        concurrency = (self.source.concurrency_per_host if self.source and self.source.concurrency_per_host
                       else self.settings.crawl_concurrency_per_host)
        cap = self.settings.max_body_bytes
        if self.heartbeat is not None:
            self.heartbeat()
        with self.limiter.slot(host, self.interval_for(url), concurrency) as keep_slot:
            self.requests_made += 1
            renewed = time.monotonic()
            try:
                with self.http.stream("GET", url, headers=headers) as response:
                    status = response.status_code
                    got = {k.lower(): v for k, v in response.headers.items()}
                    declared = got.get("content-length", "")
                    if status == 200 and declared.isdigit() and int(declared) > cap:
                        raise FetchError(url, f"body of {declared} bytes over the {cap} bytes cap")
                    chunks: list[bytes] = []
                    size = 0
                    if status == 200:
                        for chunk in response.iter_bytes():
                            if time.monotonic() - renewed > self.settings.crawl_read_timeout / 2:
                                keep_slot()
                                if self.heartbeat is not None:  # a poll's lease too
                                    self.heartbeat()
                                renewed = time.monotonic()
                            size += len(chunk)
                            if size > cap:
                                raise FetchError(url, f"body over the {cap} bytes cap")
                            chunks.append(chunk)
            except httpx.TimeoutException as exc:
                raise FetchError(url, f"timeout ({type(exc).__name__})", transient=True) from exc
            except httpx.TransportError as exc:
                raise FetchError(url, f"{type(exc).__name__}: {exc}", transient=True) from exc
            except httpx.HTTPError as exc:  # decoding errors and the like: the body is unusable
                raise FetchError(url, f"{type(exc).__name__}: {exc}") from exc
        if status == 429 or status >= 500:
            error = FetchError(url, f"HTTP {status}", transient=True)
            retry_after = _retry_after(got.get("retry-after"))
            if retry_after is not None:
                if retry_after > self.settings.crawl_retry_after_max:
                    error.transient = False
                self.limiter.push_back(host, min(retry_after, self.settings.crawl_retry_after_max))
                error.retry_after = min(retry_after, self.settings.crawl_retry_after_max)  # type: ignore[attr-defined]
            raise error
        if status == 304:
            return Fetched(url=url, status=304, headers=got, not_modified=True)
        if status in (301, 302, 303, 307, 308):
            return Fetched(url=url, status=status, headers=got)
        if status != 200:
            raise FetchError(url, f"HTTP {status}")
        body = b"".join(chunks)
        return Fetched(url=url, status=200, headers=got, body=body,
                       sha256=hashlib.sha256(body).hexdigest(), fetched_at=now_iso())

    def _load_robots(self, origin: str) -> str:
        url = origin + "/robots.txt"
        try:
            result = self._robots_request(url)
        except FetchError as exc:
            # RFC 9309: unreachable robots.txt means everything is disallowed, for a short while.
            log.warning("robots.txt of %s unreachable (%s): not crawling it for now", origin, exc)
            self.robots.store(origin, DISALLOW_ALL, ttl_s=UNREACHABLE_TTL)
            return DISALLOW_ALL
        if result is None:
            text = ALLOW_ALL
        else:
            text = result.body.decode("utf-8", errors="replace")
            if self.archive is not None:
                self.archive.put(result.body, {"url": url, "status": 200, "headers": result.headers,
                                               "fetched_at": result.fetched_at, "role": "robots"})
        self.robots.store(origin, text)
        delay = self.robots.parser(text).crawl_delay(self.settings.crawl_user_agent)
        if delay:
            # The robots.txt request itself took a slot at the plain rate: the next one waits
            # the Crawl-delay.
            self.limiter.push_back(host_of(url), float(delay))
        return text

    def _robots_request(self, url: str) -> Fetched | None:
        """robots.txt itself: None when absent (4xx: everything allowed)."""
        current = url
        for _ in range(5):
            try:
                with self.limiter.slot(host_of(current), 1.0 / self.settings.crawl_rate_per_host,
                                       self.settings.crawl_concurrency_per_host):
                    self.requests_made += 1
                    with self.http.stream("GET", current) as response:
                        body = _read_at_most(response, ROBOTS_MAX_BYTES) if response.status_code == 200 else b""
            except httpx.HTTPError as exc:
                raise FetchError(current, repr(exc), transient=True) from exc
            if response.is_redirect and response.headers.get("location"):
                try:
                    current = urljoin(current, response.headers["location"])
                    httpx.URL(current)
                except (ValueError, httpx.InvalidURL) as exc:
                    raise FetchError(url, f"redirect to a bad URL: {exc}", transient=True) from exc
                continue
            if 400 <= response.status_code < 500:
                return None
            if response.status_code != 200:
                raise FetchError(current, f"HTTP {response.status_code}", transient=True)
            return Fetched(url=current, status=200, body=body, fetched_at=now_iso(),
                           headers={k.lower(): v for k, v in response.headers.items()},
                           sha256=hashlib.sha256(body).hexdigest())
        return None


def _read_at_most(response: httpx.Response, cap: int) -> bytes:
    """The first `cap` bytes of the (decoded) body; the rest is never read."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk[:cap - size])
        size += len(chunks[-1])
        if size >= cap:
            break
    return b"".join(chunks)


def _check_url(url: str, current: str) -> None:
    """A URL neither urllib nor httpx can use fails for good, not with a crash."""
    try:
        urlsplit(current)
        httpx.URL(current)
    except (ValueError, httpx.InvalidURL) as exc:
        raise FetchError(url, f"bad URL {current!r}: {exc}") from exc


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": a UTC time of unknown origin (RFC 5322)
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())
