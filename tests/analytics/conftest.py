"""The known-truth corpus loaded into each engine: a real tantivy index on disk, and
Elasticsearch when FAZHI_TEST_ES_URL points at a cluster (otherwise those params skip)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend
from tests.engines import ENGINES, drop_engine
from tests.engines import open_engine as open_shared_engine

from .corpus import Planned, build_corpus, plan

ES_SKIP = "FAZHI_TEST_ES_URL not set: analytics on Elasticsearch not run"


@pytest.fixture(scope="session")
def planned() -> list[Planned]:
    return plan()


@pytest.fixture(scope="session")
def corpus(planned: list[Planned]) -> list[Document]:
    return build_corpus(planned)


def open_engine(name: str, path: Path) -> SearchBackend:
    return open_shared_engine(name, path, ES_SKIP)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest, corpus: list[Document],
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchBackend]:
    backend = open_engine(request.param, tmp_path_factory.mktemp("analytics-index"))
    backend.upsert(corpus)
    yield backend
    drop_engine(backend)
