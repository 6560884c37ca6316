"""A store that does not answer is a 503 problem with Retry-After, not a 500."""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer, ThreadingHTTPServer
from pathlib import Path

import httpx

from fazhi_shared.settings import Settings
from tests.api.conftest import API_KEY, assert_problem, serve


def test_redis_down_answers_503_with_retry_after(tmp_path: Path) -> None:
    # A port held but never listened on: every Redis call is refused, and no other server
    # of the test can be given it meanwhile.
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    port = held.getsockname()[1]
    dead = Settings(data_dir=tmp_path / "data", redis_url=f"redis://127.0.0.1:{port}/0",
                    api_keys=API_KEY)
    with held, serve(dead, []) as url, httpx.Client(
        base_url=url, timeout=30, headers={"Authorization": f"Bearer {API_KEY}"}
    ) as client:
        answer = client.get("/v1/alerts")
        body = assert_problem(answer, 503, "Service unavailable")
        assert answer.headers["retry-after"] == "5"
        assert "ConnectionError" in body["detail"]
        # Search does not need Redis and keeps working.
        assert client.get("/v1/search").status_code == 200


class _ElasticsearchThatSaysYes(BaseHTTPRequestHandler):
    """Just enough of a cluster for the backend to open (the alias and template exist)."""

    def _answer(self) -> None:
        self.send_response(200)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "2")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(b"{}")

    do_GET = do_PUT = do_POST = do_HEAD = _answer

    def log_message(self, *args: object) -> None:
        pass


def test_elasticsearch_down_answers_503(api_settings: Settings) -> None:
    cluster = HTTPServer(("127.0.0.1", 0), _ElasticsearchThatSaysYes)
    port = cluster.server_address[1]
    thread = threading.Thread(target=cluster.serve_forever, daemon=True)
    thread.start()
    settings = api_settings.model_copy(update={"search_url": f"http://127.0.0.1:{port}"})
    with serve(settings, []) as url, httpx.Client(base_url=url, timeout=60) as client:
        cluster.shutdown()
        cluster.server_close()
        with socket.socket() as held:  # the port stays taken, and refuses every connection
            held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            held.bind(("127.0.0.1", port))
            answer = client.get("/v1/search")
        body = assert_problem(answer, 503, "Service unavailable")
        assert answer.headers["retry-after"] == "5"
        assert "ConnectionError" in body["detail"]


class _ElasticsearchSlowToTellItsHealth(_ElasticsearchThatSaysYes):
    def do_GET(self) -> None:
        if self.path.startswith("/_cluster/health"):
            time.sleep(4)
        self._answer()


def test_a_slow_index_health_check_does_not_stall_other_requests(api_settings: Settings) -> None:
    cluster = ThreadingHTTPServer(("127.0.0.1", 0), _ElasticsearchSlowToTellItsHealth)
    threading.Thread(target=cluster.serve_forever, daemon=True).start()
    settings = api_settings.model_copy(
        update={"search_url": f"http://127.0.0.1:{cluster.server_address[1]}"})
    try:
        with serve(settings, []) as url, httpx.Client(base_url=url, timeout=60) as client:
            health = threading.Thread(target=client.get, args=("/healthz",))
            health.start()
            time.sleep(1.8)  # past the 1 s worker inspection: waiting on the cluster now
            started = time.monotonic()
            assert client.get("/openapi.json").status_code == 200
            assert time.monotonic() - started < 1.5
            health.join()
    finally:
        cluster.shutdown()
        cluster.server_close()
