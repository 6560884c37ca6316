"""How a Document becomes index fields: the same for every engine, so results agree."""

from __future__ import annotations

from typing import Any

from fazhi_shared.models import Document
from fazhi_shared.text.segment import sub_tokens, tokens

# Text fields hold whitespace-joined tokens from our segmenter: engines split on spaces only.
TEXT_FIELDS = ("text", "text_sub", "title", "title_sub", "issuer_text")
FIELD_BOOSTS = {"text": 1.0, "text_sub": 0.5, "title": 3.0, "title_sub": 1.5, "issuer_text": 2.0}
# Which index fields a query field searches.
QUERY_FIELD_MAP = {
    None: ("text", "text_sub", "title", "title_sub", "issuer_text"),
    "text": ("text", "text_sub"),
    "title": ("title", "title_sub"),
    "issuer": ("issuer_text",),
}
PHRASE_FIELD_MAP = {None: ("text", "title"), "text": ("text",), "title": ("title",), "issuer": ("issuer_text",)}
KEYWORD_FIELDS = (
    "id", "province", "city", "county", "adcode", "level", "issuer", "issuer_kind", "doc_type",
    "topics", "cited", "source_id", "has_indicator", "is_report", "on_time", "duplicate_of",
    "publish_date",
)


def _bool(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def index_fields(doc: Document) -> dict[str, Any]:
    """Flat field → value(s) mapping; lists are multi-valued, None is absent."""
    title = doc.title or ""
    return {
        "id": doc.id,
        "text": " ".join(doc.tokens or tokens(doc.text)),
        "text_sub": " ".join(doc.sub_tokens or sub_tokens(doc.text)),
        "title": " ".join(tokens(title)),
        "title_sub": " ".join(sub_tokens(title)),
        "issuer_text": " ".join(tokens(doc.issuer or "")),
        "province": doc.region.province,
        "city": doc.region.city,
        "county": doc.region.county,
        "adcode": doc.region.adcode,
        "level": doc.region.level,
        "issuer": doc.issuer,
        "issuer_kind": doc.issuer_kind,
        "doc_type": doc.doc_type,
        "topics": list(doc.topics),
        "cited": list(doc.cited),
        "source_id": doc.source_id,
        "has_indicator": sorted({i.name for i in doc.indicators}),
        "is_report": _bool(doc.is_report),
        "on_time": _bool(doc.timeliness.on_time) if doc.timeliness else None,
        "duplicate_of": doc.duplicate_of,
        "publish_date": doc.publish_date,
        "report_year": doc.report_year,
        "publish_day": int(doc.publish_date.replace("-", "")) if doc.publish_date else None,
    }


def stored_document(doc: Document) -> str:
    """The document as stored beside the index (tokens are index-only)."""
    return doc.model_dump_json(exclude={"tokens", "sub_tokens"})
