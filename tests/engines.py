"""Both search engines for parametrized tests: a tantivy index on disk, and Elasticsearch when
FAZHI_TEST_ES_URL points at a cluster (otherwise those params skip, saying why)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from fazhi_shared.search.base import SearchBackend

ENGINES = ["tantivy", pytest.param("elasticsearch", marks=pytest.mark.es)]


def open_engine(name: str, path: Path, skip_reason: str) -> SearchBackend:
    if name == "tantivy":
        from fazhi_shared.search.tantivy_backend import TantivyBackend

        return TantivyBackend(path)
    url = os.environ.get("FAZHI_TEST_ES_URL")
    if not url:
        pytest.skip(skip_reason)
    from fazhi_shared.search.es_backend import ElasticsearchBackend

    return ElasticsearchBackend(url, prefix=f"fazhitest-{uuid.uuid4().hex[:10]}")


def drop_engine(backend: SearchBackend) -> None:
    from fazhi_shared.search.es_backend import ElasticsearchBackend

    if isinstance(backend, ElasticsearchBackend):
        for name in backend.versions():  # wildcard deletes are refused by default
            backend.client.indices.delete(index=name)
        backend.client.indices.delete_index_template(name=backend.alias)
    backend.close()
