"""The processed document: the field names the API, the CLI and the index share."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, Field

DocType = Literal["annual_report", "work_plan", "implementation_plan", "other"]
SectionKind = Literal["achievements", "problems", "leadership", "plans", "other"]
Level = Literal["province", "prefecture", "county"]


class Region(BaseModel):
    province: str | None = None
    city: str | None = None
    county: str | None = None
    adcode: str | None = None
    level: Level | None = None


class Section(BaseModel):
    kind: SectionKind = "other"
    heading: str
    level: int
    start: int
    end: int


class Indicator(BaseModel):
    name: str
    value: float
    unit: str
    start: int
    end: int


class Citation(BaseModel):
    title: str
    type: str | None = None
    start: int
    end: int


class Span(BaseModel):
    """Where in `text` a field's value was read (offsets into Document.text)."""

    start: int
    end: int


class Timeliness(BaseModel):
    deadline: str
    on_time: bool
    days_late: int


class Document(BaseModel):
    id: str
    url: str
    source_id: str | None = None
    fetched_at: str
    content_sha256: str
    status: Literal["ok", "unsupported", "needs_ocr", "empty"] = "ok"
    warnings: list[str] = Field(default_factory=list)
    is_report: bool = False
    doc_type: DocType = "other"
    title: str | None = None
    issuer: str | None = None
    issuer_kind: Literal["government", "department"] | None = None
    report_year: int | None = None
    report_year_inferred: bool = False
    publish_date: str | None = None
    region: Region = Field(default_factory=Region)
    traditional_source: bool = False
    text: str = ""
    sections: list[Section] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    cited: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    topics: list[str] = Field(default_factory=list)
    timeliness: Timeliness | None = None
    duplicate_of: str | None = None
    simhash: str | None = None
    # field name (title, publish_date, issuer, report_year…) → where it was read in `text`;
    # absent when the value came from page metadata or was inferred.
    evidence: dict[str, Span] = Field(default_factory=dict)
    # Segmentation, kept so the indexer never needs to re-segment:
    # precise-mode tokens (phrases) and the extra sub-word tokens of search mode.
    tokens: list[str] = Field(default_factory=list, exclude=False)
    sub_tokens: list[str] = Field(default_factory=list)


def document_id(canonical_url: str) -> str:
    """Stable id from the canonical URL, so a re-crawl updates the document in place."""
    return hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]
