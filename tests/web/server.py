"""Local government web: each site its own HTTP server on 127.0.0.1 with its own port.

Every request is logged at the server (arrival time, path, status), so tests measure what a
site really saw: how often, what, and whether it answered 304. Static answers carry an ETag
and a Last-Modified and honour If-None-Match / If-Modified-Since.
"""

from __future__ import annotations

import email.utils
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    cacheable: bool = True
    modified: float | None = None
    stream_without_length: bool = False


@dataclass
class Hit:
    site: str
    path: str
    at: float
    status: int
    user_agent: str


Route = Callable[[str, dict[str, list[str]], dict[str, str]], Answer | None]


class Site:
    """A site: a name, a robots.txt and a router from path+query to an answer."""

    name = "site"
    # Older CMSs send only Last-Modified: such a site answers If-Modified-Since alone.
    etags = True

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.modified = time.time() - 86400
        self.base_url = ""

    def robots(self) -> str:
        return "User-agent: *\nDisallow:\n"

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer | None:
        raise NotImplementedError

    def url(self, path: str) -> str:
        return self.base_url + path

    def touch(self) -> None:
        # Last-Modified has one-second resolution: make every change visible to it.
        self.modified = max(time.time(), self.modified + 1)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        arrived = time.monotonic()
        site = self.server.site
        parts = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            if parts.path == "/robots.txt":
                answer: Answer | None = Answer(body=site.robots().encode(), content_type="text/plain")
            else:
                answer = site.route(parts.path, parse_qs(parts.query), headers)
        except Exception as exc:  # a bug in a site must show, not hang the crawler
            answer = Answer(status=500, body=repr(exc).encode())
        if answer is None:
            answer = Answer(status=404, body=b"<html><body>404</body></html>", cacheable=False)
        status = answer.status
        out_headers = {"Content-Type": answer.content_type, **answer.headers}
        if status == 200 and answer.cacheable:
            etag = '"' + hashlib.sha1(answer.body).hexdigest()[:16] + '"'
            modified = answer.modified or site.modified
            if site.etags:
                out_headers["ETag"] = etag
            out_headers["Last-Modified"] = email.utils.formatdate(modified, usegmt=True)
            since = headers.get("if-modified-since")
            if site.etags and headers.get("if-none-match") == etag:
                status = 304
            elif since and (not site.etags or "if-none-match" not in headers):
                parsed = email.utils.parsedate_to_datetime(since).timestamp()
                if int(modified) <= int(parsed):
                    status = 304
        self.server.log(Hit(site.name, self.path, arrived, status, headers.get("user-agent", "")))
        if answer.delay:
            time.sleep(answer.delay)
        self.send_response(status)
        for key, value in out_headers.items():
            self.send_header(key, value)
        body = b"" if status == 304 else answer.body
        try:
            if answer.stream_without_length and status == 200:
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                for i in range(0, len(body), 65536):
                    self.wfile.write(body[i:i + 65536])
                return
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, site: Site, log: Callable[[Hit], None]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.site = site
        self.log = log


class LocalWeb:
    """Start sites, each on its own port; `hits` is the log of every request they got."""

    def __init__(self, sites: list[Site]) -> None:
        self.sites = {s.name: s for s in sites}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []

    def _log(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def start(self) -> LocalWeb:
        for site in self.sites.values():
            server = _Server(site, self._log)
            site.base_url = f"http://127.0.0.1:{server.server_address[1]}"
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                      daemon=True)
            thread.start()
            self._servers.append(server)
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> LocalWeb:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def hits_of(self, site: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.site == site]

    def paths_fetched(self, site: str) -> list[str]:
        return [h.path for h in self.hits_of(site)]

    def min_gap(self, site: str) -> float:
        """Shortest time between two requests arriving at `site` (inf with fewer than two)."""
        times = sorted(h.at for h in self.hits_of(site))
        return min((b - a for a, b in zip(times, times[1:], strict=False)), default=float("inf"))
