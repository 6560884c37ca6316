"""The process stage as one visible list of steps: raw body → processed Document."""

from __future__ import annotations

from collections.abc import Callable

from fazhi_shared.extract import steps
from fazhi_shared.models import Document, document_id
from fazhi_shared.text import read_page, segment
from fazhi_shared.text.page import PageContent
from fazhi_shared.text.structure import outline

Step = Callable[[Document, PageContent], None]

# Extraction, in order: later steps read what earlier ones filled (genre needs the title,
# report year the genre and date, timeliness the year). Near-duplicates need memory of
# earlier documents: `fingerprint` only computes the SimHash; the worker looks it up in
# fazhi_shared.stores.fingerprints.
EXTRACT_STEPS: tuple[Step, ...] = (
    steps.title,
    steps.publish_date,
    steps.doc_type,
    steps.report_year,
    steps.issuer,
    steps.indicators,
    steps.citations,
    steps.topics,
    steps.timeliness,
    steps.fingerprint,
)


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
    steps.add_page_headings(page, body)
    for step in EXTRACT_STEPS:
        step(doc, page)
    doc.sections = outline(doc.text, doc_type=doc.doc_type)
    doc.tokens = segment.tokens(doc.text)
    doc.sub_tokens = segment.sub_tokens(doc.text)
    return doc
