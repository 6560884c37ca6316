"""A store that does not answer is a 503 problem with Retry-After, not a 500."""

from __future__ import annotations

import socket
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
