"""Search backends behind one interface (`base.SearchBackend`), chosen by FAZHI_SEARCH_URL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fazhi_shared.search.base import SearchBackend
    from fazhi_shared.settings import Settings


def open_backend(settings: Settings, url: str | None = None) -> SearchBackend:
    url = url or settings.effective_search_url()
    if url.startswith("tantivy://"):
        from fazhi_shared.search.tantivy_backend import TantivyBackend

        return TantivyBackend(Path(url.removeprefix("tantivy://")))
    if url.startswith(("http://", "https://")):
        from fazhi_shared.search.es_backend import ElasticsearchBackend

        return ElasticsearchBackend(url, prefix=settings.es_index_prefix)
    raise ValueError(f"FAZHI_SEARCH_URL must be tantivy://PATH or http(s)://…, not {url!r}")
