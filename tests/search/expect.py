"""Expected answers computed from the corpus itself (what a researcher would count by hand)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend, SearchRequest


def visible(corpus: Iterable[Document], *, reports_only: bool = True,
            collapse: bool = True) -> list[Document]:
    """What an empty query shows by default: reports, near-duplicates collapsed."""
    return [d for d in corpus
            if (d.is_report or not reports_only) and not (collapse and d.duplicate_of)]


def ids(docs: Iterable[Document]) -> set[str]:
    return {d.id for d in docs}


def where(corpus: Iterable[Document], pred: Callable[[Document], bool]) -> set[str]:
    return {d.id for d in visible(corpus) if pred(d)}


def contains(doc: Document, word: str) -> bool:
    return any(word in (part or "") for part in (doc.text, doc.title, doc.issuer))


def result_ids(backend: SearchBackend, **request: object) -> set[str]:
    """Every id the search returns, reading all pages."""
    found: list[str] = []
    cursor = None
    while True:
        page = backend.search(SearchRequest(size=100, cursor=cursor, **request))  # type: ignore[arg-type]
        found.extend(h.id for h in page.hits)
        cursor = page.next_cursor
        if not cursor:
            break
    assert len(found) == len(set(found)), "a document came twice"
    return set(found)


def counts(values: Iterable[object]) -> dict[object, int]:
    return dict(Counter(values))
