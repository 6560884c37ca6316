"""Both engines, loaded with the same corpus: a real tantivy index on disk, and
Elasticsearch when FAZHI_TEST_ES_URL points at a cluster (otherwise those params skip)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend
from fazhi_shared.search.tantivy_backend import TantivyBackend

from .corpus import build_corpus

ENGINES = ["tantivy", pytest.param("elasticsearch", marks=pytest.mark.es)]
ES_SKIP = "FAZHI_TEST_ES_URL not set: Elasticsearch contract not run"


@pytest.fixture(scope="session")
def corpus() -> list[Document]:
    return build_corpus()


def open_engine(name: str, path: Path) -> SearchBackend:
    if name == "tantivy":
        return TantivyBackend(path)
    url = os.environ.get("FAZHI_TEST_ES_URL")
    if not url:
        pytest.skip(ES_SKIP)
    from fazhi_shared.search.es_backend import ElasticsearchBackend

    return ElasticsearchBackend(url, prefix=f"fazhitest-{uuid.uuid4().hex[:10]}")


def drop_engine(backend: SearchBackend) -> None:
    from fazhi_shared.search.es_backend import ElasticsearchBackend

    if isinstance(backend, ElasticsearchBackend):
        for name in backend.versions():  # wildcard deletes are refused by default
            backend.client.indices.delete(index=name)
        backend.client.indices.delete_index_template(name=backend.alias)
    backend.close()


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
