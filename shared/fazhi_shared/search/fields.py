"""How a Document becomes index fields: the same for every engine, so results agree."""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from fazhi_shared.models import Document
from fazhi_shared.text.segment import sub_tokens, tokens

# Text fields hold whitespace-joined tokens from our segmenter: engines split on spaces only.
TEXT_FIELDS = ("text", "text_sub", "title", "title_sub", "issuer_text")
FIELD_BOOSTS = {"text": 1.0, "text_sub": 0.5, "title": 3.0, "title_sub": 1.5, "issuer_text": 2.0}
# Which index fields a query field searches.
QUERY_FIELD_MAP: dict[str | None, tuple[str, ...]] = {
    None: ("text", "text_sub", "title", "title_sub", "issuer_text"),
    "text": ("text", "text_sub"),
    "title": ("title", "title_sub"),
    "issuer": ("issuer_text",),
}
PHRASE_FIELD_MAP: dict[str | None, tuple[str, ...]] = {
    None: ("text", "title", "issuer_text"),
    "text": ("text",),
    "title": ("title",),
    "issuer": ("issuer_text",),
}
KEYWORD_FIELDS = (
    "id", "province", "city", "county", "adcode", "level", "issuer", "issuer_kind", "doc_type",
    "topics", "cited", "source_id", "has_indicator", "is_report", "on_time", "duplicate_of",
    "is_duplicate", "publish_date",
)
# Integer fast fields. `id_key` and `date_key` give both engines one deterministic order:
# ties in score are broken by id_key, and date_key is (day, id_key) packed into one number.
INT_FIELDS = ("report_year", "publish_day", "date_key", "id_key", "indexed_at")
INDICATOR_FIELD = "ind"  # {indicator name: value}, numeric sub-fields for stats

_EPOCH = dt.date(1970, 1, 1)
_ID_BITS = 47


def id_key(doc_id: str) -> int:
    """A 47-bit number from the id: the tie-breaker both engines sort by."""
    return int(hashlib.sha1(doc_id.encode()).hexdigest()[:12], 16) >> 1


def date_key(publish_date: str | None, doc_id: str) -> int:
    """Days since 1970 in the high bits, the inverted id_key below: one descending sort gives
    newest first and, within a day, ascending id_key. Undated documents sort last."""
    days = 0
    if publish_date:
        try:
            days = max(0, (dt.date.fromisoformat(publish_date) - _EPOCH).days + 1)
        except ValueError:
            days = 0
    return (days << _ID_BITS) | ((1 << _ID_BITS) - 1 - id_key(doc_id))


def _bool(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def indicator_values(doc: Document) -> dict[str, float]:
    """One value per indicator name (the first mention), for stats across documents."""
    out: dict[str, float] = {}
    for ind in doc.indicators:
        out.setdefault(ind.name, float(ind.value))
    return out


def index_fields(doc: Document, indexed_at: int | None = None) -> dict[str, Any]:
    """Flat field → value(s) mapping; lists are multi-valued, None is absent."""
    title = doc.title or ""
    text_tokens = doc.tokens or tokens(doc.text)
    title_tokens = tokens(title)
    return {
        "id": doc.id,
        "text": " ".join(text_tokens),
        # Sub-words already hold every dictionary word inside a longer token (行政执法 and
        # 三项制度 inside 行政执法三项制度), so a word finds the terms it is part of.
        "text_sub": " ".join(doc.sub_tokens if doc.tokens else sub_tokens(doc.text)),
        "title": " ".join(title_tokens),
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
        "topics": sorted(set(doc.topics)),
        "cited": sorted(set(doc.cited)),
        "source_id": doc.source_id,
        "has_indicator": sorted({i.name for i in doc.indicators}),
        "is_report": _bool(doc.is_report),
        "on_time": _bool(doc.timeliness.on_time) if doc.timeliness else None,
        "duplicate_of": doc.duplicate_of,
        "is_duplicate": _bool(bool(doc.duplicate_of)),
        "publish_date": doc.publish_date,
        "report_year": doc.report_year,
        "publish_day": _day(doc.publish_date),
        "date_key": date_key(doc.publish_date, doc.id),
        "id_key": id_key(doc.id),
        "indexed_at": indexed_at if indexed_at is not None else now_ms(),
        INDICATOR_FIELD: indicator_values(doc),
    }


def _day(date: str | None) -> int | None:
    if not date:
        return None
    try:
        return int(dt.date.fromisoformat(date).strftime("%Y%m%d"))
    except ValueError:
        return None


def now_ms() -> int:
    return int(time.time() * 1000)


def stored_document(doc: Document) -> str:
    """The document as stored beside the index (tokens are index-only)."""
    return doc.model_dump_json(exclude={"tokens", "sub_tokens"})
