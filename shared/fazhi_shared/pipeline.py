"""The process stage as one visible list of steps: raw body → processed Document."""

from __future__ import annotations

from fazhi_shared.extract import basic
from fazhi_shared.models import Document, document_id
from fazhi_shared.text import read_page, segment
from fazhi_shared.text.structure import outline


def canonical_url(url: str) -> str:
    return url.split("#", 1)[0].strip()


def process(
    body: bytes,
    *,
    url: str,
    content_sha256: str,
    fetched_at: str,
    content_type: str | None = None,
    source_id: str | None = None,
    max_bytes: int | None = None,
) -> Document:
    if max_bytes is not None and len(body) > max_bytes:
        return Document(
            id=document_id(canonical_url(url)), url=url, source_id=source_id,
            fetched_at=fetched_at, content_sha256=content_sha256, status="unsupported",
            warnings=[f"body of {len(body)} bytes exceeds the limit of {max_bytes}"],
        )
    page = read_page(body, content_type=content_type, url=url)
    doc = Document(
        id=document_id(canonical_url(url)),
        url=url,
        source_id=source_id,
        fetched_at=fetched_at,
        content_sha256=content_sha256,
        status=page.status,  # type: ignore[arg-type]
        warnings=page.warnings,
        text=page.text,
        traditional_source=page.traditional_source,
    )
    doc.title = basic.title(page)
    doc.publish_date = basic.publish_date(page)
    doc.doc_type = basic.doc_type(doc.title)  # type: ignore[assignment]
    doc.is_report = doc.doc_type != "other"
    doc.report_year, doc.report_year_inferred = basic.report_year(
        doc.title, doc.doc_type, doc.publish_date
    )
    doc.sections = outline(doc.text, doc_type=doc.doc_type)
    doc.tokens = segment.tokens(doc.text)
    doc.sub_tokens = segment.sub_tokens(doc.text)
    return doc
