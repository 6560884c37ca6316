"""A local HTTP server that answers as an Elasticsearch cluster does when it is busy or refuses
a request: answers a real cluster cannot be made to give on demand. Everything else gets an
empty 200, enough for the backend to open."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer

# (path, request body) → (status, JSON body), or None for the empty 200.
Answer = Callable[[str, bytes], "tuple[int, dict] | None"]


@contextmanager
def answering_cluster(answer: Answer) -> Iterator[str]:
    """The cluster's URL while it serves."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            code, out = answer(self.path.split("?")[0], body) or (200, {})
            data = json.dumps(out).encode()
            self.send_response(code)
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = _answer

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
