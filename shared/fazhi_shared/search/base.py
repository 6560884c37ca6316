"""The search-backend interface every engine implements, and its request/response models."""

from __future__ import annotations

import base64
import json
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field

from fazhi_shared.models import Document, Region
from fazhi_shared.search.query import Node, parse_query

# Filters by their document field names (models.Document); each may repeat (values OR'ed).
KEYWORD_FILTERS = (
    "province", "city", "county", "adcode", "level", "issuer", "issuer_kind", "doc_type",
    "topics", "cited", "source_id", "has_indicator",
)
BOOL_FILTERS = ("is_report", "on_time")
# Facet names; `region` is the province → city → county drill-down.
FACETS = (
    "region", "report_year", "doc_type", "issuer_kind", "topics", "cited", "source", "on_time",
    "publish_month",
)


class SearchRequest(BaseModel):
    q: str = ""
    filters: dict[str, list[str]] = Field(default_factory=dict)
    report_year: tuple[int | None, int | None] | None = None
    publish_date: tuple[str | None, str | None] | None = None
    sort: Literal["relevance", "date"] = "relevance"
    size: int = Field(default=10, ge=0, le=100)
    cursor: str | None = None
    facets: tuple[str, ...] = ()
    facet_size: int = Field(default=20, ge=1, le=500)
    # Indicator names whose min/avg/max/sum over the matching documents are wanted.
    stats: tuple[str, ...] = ()
    # Near-duplicates hidden behind their first copy (each hit then says how many).
    collapse: bool = True
    exclude_ids: tuple[str, ...] = ()
    snippets: bool = True


class Hit(BaseModel):
    id: str
    title: str | None
    issuer: str | None
    region: Region
    report_year: int | None
    publish_date: str | None
    url: str
    doc_type: str
    score: float | None = None
    snippets: list[str] = Field(default_factory=list)
    duplicates: int = Field(default=0, description="Near-duplicate copies collapsed behind this hit")


class FacetValue(BaseModel):
    value: str | int | bool
    count: int
    children: list[FacetValue] | None = None


class IndicatorStats(BaseModel):
    count: int
    min: float | None
    avg: float | None
    max: float | None
    sum: float | None


class SearchResponse(BaseModel):
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = Field(default_factory=dict)
    stats: dict[str, IndicatorStats] = Field(default_factory=dict)
    next_cursor: str | None = None


_I64 = 1 << 63


class BadCursor(ValueError):
    pass


class Cursor(BaseModel):
    """Where the previous page ended: its last sort key (search_after) and how many came before."""

    sort: Literal["relevance", "date"]
    after: tuple[int | float, int, str]  # (date_key or score, id_key, id)
    seen: int


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps([cursor.sort[0], list(cursor.after), cursor.seen], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(token: str | None, sort: str) -> Cursor | None:
    if not token:
        return None
    try:
        padded = token + "=" * (-len(token) % 4)
        kind, after, seen = json.loads(base64.urlsafe_b64decode(padded))
        cursor = Cursor(sort="relevance" if kind == "r" else "date", after=tuple(after), seen=seen)
    except Exception as exc:
        raise BadCursor("cursor is not one this API returned") from exc
    if cursor.sort != sort:
        raise BadCursor(f"cursor belongs to sort={cursor.sort}, not sort={sort}")
    # Both engines keep sort keys as 64-bit integers (or finite scores); anything else would
    # reach them as a value they reject with an error of their own.
    key, id_key, _ = cursor.after
    # The range first: math.isfinite() raises OverflowError on an int beyond a float.
    if not 0 <= cursor.seen < _I64 or not -_I64 <= id_key < _I64 or not (
        -_I64 <= key < _I64 and math.isfinite(key)
    ):
        raise BadCursor("cursor is out of range")
    return cursor


class SearchBackend(ABC):
    """One engine. Writes come only from the indexer (one writer); reads from anywhere."""

    @abstractmethod
    def upsert(self, documents: list[Document]) -> None:
        """Insert or replace by id, durably (committed / refreshed) before returning."""

    @abstractmethod
    def delete(self, ids: list[str]) -> None: ...

    @abstractmethod
    def get(self, doc_id: str) -> Document | None: ...

    def search(self, request: SearchRequest) -> SearchResponse:
        """Parse `request.q` (QuerySyntaxError on a malformed query) and run it."""
        return self.search_tree(parse_query(request.q), request)

    @abstractmethod
    def search_tree(self, tree: Node, request: SearchRequest) -> SearchResponse:
        """Run an already parsed query with the request's filters, sort, page and facets."""

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def health(self) -> dict[str, Any]: ...

    @abstractmethod
    def doc_freqs(self, field: str, terms: list[str]) -> tuple[int, dict[str, int]]:
        """(documents in the index, {term: documents containing it}) for more-like-this."""

    @abstractmethod
    def iter_documents(self) -> Iterator[Document]:
        """Every stored document (without tokens), e.g. to feed `rebuild`."""

    @abstractmethod
    def rebuild(self, documents: Iterable[Document]) -> str:
        """Build a new index version from `documents`, then switch readers and the writer to
        it atomically (alias swap / pointer file). Documents upserted into the old version
        while it ran are carried over. Returns the new version's name."""

    def similar(self, doc_id: str, size: int = 10) -> SearchResponse | None:
        """More like this: the document's most distinctive words, OR'ed (itself excluded)."""
        from fazhi_shared.search.similar import similar

        return similar(self, doc_id, size)

    def close(self) -> None:  # noqa: B027 - optional for engines without resources
        pass
