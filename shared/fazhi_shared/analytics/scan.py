"""Every document matching a search request, page by page through the public cursor, so the
analytics work the same on every engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fazhi_shared.models import Document
from fazhi_shared.search.base import Hit, SearchBackend, SearchRequest

# (done, total) after each page; lets the CLI draw a progress bar.
Progress = Callable[[int, int], None]
PAGE = 100


def iter_hits(backend: SearchBackend, request: SearchRequest,
              progress: Progress | None = None) -> Iterator[Hit]:
    """All hits of `request` in date order, however many pages that takes."""
    page = request.model_copy(update={
        "size": PAGE, "cursor": None, "facets": (), "stats": (), "snippets": False,
        "sort": "date" if not request.q.strip() else request.sort,
    })
    done = 0
    while True:
        result = backend.search(page)
        yield from result.hits
        done += len(result.hits)
        if progress is not None:
            progress(done, result.total)
        if not result.next_cursor or not result.hits:
            return
        page = page.model_copy(update={"cursor": result.next_cursor})


def iter_documents(backend: SearchBackend, request: SearchRequest,
                   progress: Progress | None = None) -> Iterator[Document]:
    """Full documents (text, indicators, sections) of every hit; a document deleted between
    the page and the read is skipped."""
    for hit in iter_hits(backend, request, progress):
        doc = backend.get(hit.id)
        if doc is not None:
            yield doc
