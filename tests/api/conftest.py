"""The real API app served by uvicorn on 127.0.0.1, over a real tantivy index holding the five
seed reports (through the real pipeline) and a real Redis database."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import redis
import uvicorn

from fazhi_api.app import create_app
from fazhi_shared.models import Document
from fazhi_shared.pipeline import process
from fazhi_shared.search import open_backend
from fazhi_shared.settings import Settings
from fazhi_shared.stores.embedded_redis import free_port
from tests.conftest import REDIS_DATABASES, _databases

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
API_KEY = "test-key"


@pytest.fixture(scope="session")
def seed_documents() -> list[Document]:
    docs = []
    for path in sorted(SEEDS.glob("*.txt")):
        body = path.read_bytes()
        docs.append(process(body, url=f"https://seed.example/{path.stem}.html",
                            content_sha256=hashlib.sha256(body).hexdigest(),
                            fetched_at="2024-06-01T00:00:00Z", content_type="text/plain"))
    return docs


@contextmanager
def serve(settings: Settings, documents: list[Document]) -> Iterator[str]:
    """Index `documents`, then run the app on a free port; yields its base URL."""
    backend = open_backend(settings)
    backend.upsert(documents)
    backend.close()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the API did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def api_settings(redis_server: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The settings of a module's API: its own data directory and Redis database."""
    redis_url = f"{redis_server}/{next(_databases) % REDIS_DATABASES}"
    redis.Redis.from_url(redis_url).flushdb()
    return Settings(data_dir=tmp_path_factory.mktemp("api-data"), redis_url=redis_url,
                    api_keys=API_KEY)


@pytest.fixture(scope="module")
def api(api_settings: Settings, seed_documents: list[Document]) -> Iterator[httpx.Client]:
    """A client of the API shared by a module's read-mostly tests, authorised for writes."""
    with serve(api_settings, seed_documents) as url, httpx.Client(
        base_url=url, timeout=30, headers={"Authorization": f"Bearer {API_KEY}"}
    ) as client:
        yield client


def assert_problem(answer: httpx.Response, status: int, title: str | None = None) -> dict:
    """The answer is an RFC 9457 problem with `status` (and `title`); returns its body."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json"), answer.headers
    body = answer.json()
    assert body["status"] == status and body["title"], body
    if title is not None:
        assert body["title"] == title, body
    return body
