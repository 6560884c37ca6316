"""A cluster that answers but cannot serve (all shards failed, search queue full) is a 503
problem with Retry-After like a cluster that does not answer; any other error stays a 500."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest

from fazhi_shared.settings import Settings
from tests.api.conftest import assert_problem, serve

# (status, error type) as Elasticsearch answers them.
ANSWERS = {
    503: "search_phase_execution_exception",  # shards unavailable: "all shards failed"
    429: "es_rejected_execution_exception",  # the search thread pool's queue is full
    400: "x_content_parse_exception",  # a request the cluster cannot read: our bug
}


def _cluster(status: int) -> HTTPServer:
    """Enough of a cluster for the backend to open; every search answers `status`."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            code, body = 200, {}
            if self.path.split("?")[0].endswith("/_search"):
                code = status
                body = {"error": {"type": ANSWERS[status], "reason": "busy"}, "status": status}
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("X-Elastic-Product", "Elasticsearch")
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_HEAD = _answer

        def log_message(self, *args: object) -> None:
            pass

    cluster = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=cluster.serve_forever, daemon=True).start()
    return cluster


@pytest.mark.parametrize("status", [503, 429])
def test_a_cluster_that_cannot_serve_answers_503(api_settings: Settings, status: int) -> None:
    cluster = _cluster(status)
    settings = api_settings.model_copy(
        update={"search_url": f"http://127.0.0.1:{cluster.server_address[1]}"})
    try:
        with serve(settings, []) as url, httpx.Client(base_url=url, timeout=60) as client:
            answer = client.get("/v1/search", params={"q": "复议"})
            body = assert_problem(answer, 503, "Service unavailable")
            assert answer.headers["retry-after"] == "5"
            assert "ApiError" in body["detail"]
    finally:
        cluster.shutdown()
        cluster.server_close()


def test_a_request_the_cluster_refuses_is_still_an_internal_error(api_settings: Settings) -> None:
    cluster = _cluster(400)
    settings = api_settings.model_copy(
        update={"search_url": f"http://127.0.0.1:{cluster.server_address[1]}"})
    try:
        with serve(settings, []) as url, httpx.Client(base_url=url, timeout=60) as client:
            answer = client.get("/v1/search", params={"q": "复议"})
            body = assert_problem(answer, 500, "Internal error")
            assert "retry-after" not in answer.headers
            assert body["detail"] == "BadRequestError"
    finally:
        cluster.shutdown()
        cluster.server_close()
