"""Both engines, loaded with the same corpus: a real tantivy index on disk, and
Elasticsearch when FAZHI_TEST_ES_URL points at a cluster (otherwise those params skip)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend
from tests.engines import ENGINES, drop_engine
from tests.engines import open_engine as open_shared_engine

from .corpus import build_corpus

ES_SKIP = "FAZHI_TEST_ES_URL not set: Elasticsearch contract not run"


@pytest.fixture(scope="session")
def corpus() -> list[Document]:
    return build_corpus()


def open_engine(name: str, path: Path) -> SearchBackend:
    return open_shared_engine(name, path, ES_SKIP)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest, corpus: list[Document],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchBackend]:
    """A backend holding the corpus, shared by the read-only tests of one engine."""
    backend = open_engine(request.param, tmp_path_factory.mktemp("index"))
    # Two batches: the engines must merge segments / bulk requests correctly.
    backend.upsert(corpus[:40])
    backend.upsert(corpus[40:])
    yield backend
    drop_engine(backend)


@pytest.fixture(scope="session")
def both_engines(corpus: list[Document],
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchBackend, SearchBackend]]:
    if not os.environ.get("FAZHI_TEST_ES_URL"):
        pytest.skip(ES_SKIP)
    tantivy = open_engine("tantivy", tmp_path_factory.mktemp("index-pair"))
    es = open_engine("elasticsearch", Path("."))
    for backend in (tantivy, es):
        backend.upsert(corpus[:40])
        backend.upsert(corpus[40:])
    yield tantivy, es
    drop_engine(tantivy)
    drop_engine(es)


@pytest.fixture(params=ENGINES)
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SearchBackend]:
    """An empty backend of its own, for tests that write."""
    backend = open_engine(request.param, tmp_path / "index")
    yield backend
    drop_engine(backend)
