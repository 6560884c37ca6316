"""The real API app served by uvicorn on 127.0.0.1, over a real tantivy index holding the five
seed reports (through the real pipeline) and a real Redis database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fazhi_shared.models import Document
from fazhi_shared.settings import Settings
from tests.conftest import fresh_database, process_seeds, serve

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
API_KEY = "test-key"


@pytest.fixture(scope="session")
def seed_documents() -> list[Document]:
    return process_seeds()


@pytest.fixture(scope="module")
def api_settings(redis_server: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The settings of a module's API: its own data directory and Redis database."""
    return Settings(data_dir=tmp_path_factory.mktemp("api-data"),
                    redis_url=fresh_database(redis_server), api_keys=API_KEY)


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
