"""A webhook receiver on 127.0.0.1 that checks signatures the way a third party would
(the `standardwebhooks` library), with a scripted answer per path."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook

# An answer: (status, headers, body, seconds to wait before answering).
Answer = tuple[int, dict[str, str], bytes, float]


@dataclass
class Call:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    error: str | None
    at: float
    status: int

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]


@dataclass
class Route:
    secret: str | None = None
    script: list[Answer] = field(default_factory=list)  # consumed in order, then `default`
    default: Answer = (200, {}, b"ok", 0.0)


class Receiver:
    def __init__(self, port: int = 0) -> None:
        self.routes: dict[str, Route] = {}
        self.calls: list[Call] = []  # answered calls
        self.arrivals: list[tuple[str, str]] = []  # (path, webhook-id) as each request arrives
        self.in_flight: dict[str, int] = {}
        self.most_in_flight: dict[str, int] = {}  # the most requests a path had at once
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length)
                receiver._handle(self, body)

            def do_GET(self) -> None:
                receiver._handle(self, b"")

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, *script: Answer, default: Answer | None = None) -> Route:
        route = Route(script=list(script))
        if default is not None:
            route.default = default
        self.routes[path] = route
        return route

    def _handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        path = handler.path
        headers = {k.lower(): v for k, v in handler.headers.items()}
        route = self.routes.get(path) or Route(default=(404, {}, b"no route", 0.0))
        with self.lock:
            self.arrivals.append((path, headers.get("webhook-id", "")))
            answer = route.script.pop(0) if route.script else route.default
            self.in_flight[path] = self.in_flight.get(path, 0) + 1
            self.most_in_flight[path] = max(self.most_in_flight.get(path, 0), self.in_flight[path])
        try:
            self._answer(handler, path, headers, body, route, answer)
        finally:
            with self.lock:
                self.in_flight[path] -= 1

    def _answer(self, handler: BaseHTTPRequestHandler, path: str, headers: dict[str, str],
                body: bytes, route: Route, answer: Answer) -> None:
        status, extra, payload, delay = answer
        verified, error = False, None
        if route.secret is not None:
            try:
                Webhook(route.secret).verify(body, headers)
                verified = True
            except Exception as exc:  # the receiver reports, the test asserts
                error = repr(exc)
        call = Call(path, headers, body, verified, error, time.time(), status)
        if delay:
            time.sleep(delay)
        # Logged before the answer is written, so a sender that has read the answer always
        # finds its call here; taken back if the sender is gone (it gave up: a timeout).
        call.at = time.time()
        with self.lock:
            self.calls.append(call)
        try:
            handler.send_response(status)
            for name, value in extra.items():
                handler.send_header(name, value)
            handler.send_header("content-length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except OSError:
            with self.lock:
                self.calls.remove(call)

    def received(self, path: str, status: int | None = 200) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.path == path and (status is None or c.status == status)]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"receiver: condition not met within {timeout} s; calls: "
                                     f"{[(c.path, c.status) for c in self.calls][-20:]}")
            time.sleep(0.05)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
