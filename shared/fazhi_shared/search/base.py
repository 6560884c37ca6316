"""The search-backend interface every engine implements, and its request/response models."""

from __future__ import annotations

import base64
import json
from abc import ABC, abstractmethod
from typing import Any, Literal

from pydantic import BaseModel, Field

from fazhi_shared.models import Document, Region

# Filters by their document field names (DESIGN.md §4); each may repeat (values OR'ed).
KEYWORD_FILTERS = (
    "province", "city", "county", "adcode", "level", "issuer", "issuer_kind", "doc_type",
    "topics", "cited", "source_id", "has_indicator",
)
BOOL_FILTERS = ("is_report", "on_time")
FACETS = ("report_year",)


class SearchRequest(BaseModel):
    q: str = ""
    filters: dict[str, list[str]] = Field(default_factory=dict)
    report_year: tuple[int | None, int | None] | None = None
    publish_date: tuple[str | None, str | None] | None = None
    sort: Literal["relevance", "date"] = "relevance"
    size: int = Field(10, ge=0, le=100)
    cursor: str | None = None
    facets: tuple[str, ...] = FACETS


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


class FacetValue(BaseModel):
    value: str | int | bool
    count: int


class SearchResponse(BaseModel):
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = Field(default_factory=dict)
    next_cursor: str | None = None


class BadCursor(ValueError):
    pass


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        offset = json.loads(base64.urlsafe_b64decode(padded))["o"]
    except Exception as exc:
        raise BadCursor("cursor is not one this API returned") from exc
    if not isinstance(offset, int) or offset < 0 or offset > 100_000:
        raise BadCursor("cursor is out of range")
    return offset


class SearchBackend(ABC):
    """One engine. Writes come only from the indexer (one writer); reads from anywhere."""

    @abstractmethod
    def upsert(self, documents: list[Document]) -> None:
        """Insert or replace by id, durably (committed / refreshed) before returning."""

    @abstractmethod
    def delete(self, ids: list[str]) -> None: ...

    @abstractmethod
    def get(self, doc_id: str) -> Document | None: ...

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResponse: ...

    @abstractmethod
    def count(self) -> int: ...

    @abstractmethod
    def health(self) -> dict[str, Any]: ...

    def close(self) -> None:  # noqa: B027 - optional for engines without resources
        pass
