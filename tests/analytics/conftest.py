"""The known-truth corpus loaded into each engine: a real tantivy index on disk, and
Elasticsearch when FAZHI_TEST_ES_URL points at a cluster (otherwise those params skip)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend

from .corpus import Planned, build_corpus, plan

ES_SKIP = "FAZHI_TEST_ES_URL not set: analytics on Elasticsearch not run"
ENGINES = ["tantivy", pytest.param("elasticsearch", marks=pytest.mark.es)]


@pytest.fixture(scope="session")
def planned() -> list[Planned]:
    return plan()


@pytest.fixture(scope="session")
def corpus(planned: list[Planned]) -> list[Document]:
    return build_corpus(planned)


def open_engine(name: str, path: Path) -> SearchBackend:
    if name == "tantivy":
        from fazhi_shared.search.tantivy_backend import TantivyBackend

        return TantivyBackend(path)
    url = os.environ.get("FAZHI_TEST_ES_URL")
    if not url:
        pytest.skip(ES_SKIP)
    from fazhi_shared.search.es_backend import ElasticsearchBackend

    return ElasticsearchBackend(url, prefix=f"fazhitest-{uuid.uuid4().hex[:10]}")


def drop_engine(backend: SearchBackend) -> None:
    from fazhi_shared.search.es_backend import ElasticsearchBackend

    if isinstance(backend, ElasticsearchBackend):
        backend.client.indices.delete(index=f"{backend.prefix}-documents-v*")
        backend.client.indices.delete_index_template(name=backend.alias)
    backend.close()


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest, corpus: list[Document],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchBackend]:
    backend = open_engine(request.param, tmp_path_factory.mktemp("analytics-index"))
    backend.upsert(corpus)
    yield backend
    drop_engine(backend)
