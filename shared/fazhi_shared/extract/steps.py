"""The extraction steps of the process stage, each filling a few fields of the Document.

Every step takes the Document being built and the PageContent it came from, and does
nothing when it does not apply. pipeline.py lists them in order.
"""

from __future__ import annotations

from fazhi_shared.extract import citations as _citations
from fazhi_shared.extract import dates, dedup, genre, heading, region
from fazhi_shared.extract import indicators as _indicators
from fazhi_shared.extract import timeliness as _timeliness
from fazhi_shared.extract import title as _title
from fazhi_shared.extract import topics as _topics
from fazhi_shared.models import Document, Span
from fazhi_shared.text.page import PageContent


def add_page_headings(page: PageContent, body: bytes) -> None:
    """Headings outside the body container, for pages whose text lacks a title line."""
    if page.format != "html" or _title.title_in_text(page.meta, page.text):
        return
    headings = heading.page_heading(body, page.encoding)
    if headings:
        page.meta["PageHeadings"] = "\n".join(headings)


def _evidence(doc: Document, field: str, span: tuple[int, int] | None) -> None:
    if span is not None:
        doc.evidence[field] = Span(start=span[0], end=span[1])


def title(doc: Document, page: PageContent) -> None:
    headings = page.meta.get("PageHeadings", "").split("\n") if page.meta.get("PageHeadings") else []
    doc.title = _title.title(page.meta, page.html_title, doc.text, headings)
    _evidence(doc, "title", _title.find_span(doc.title, doc.text))


def publish_date(doc: Document, page: PageContent) -> None:
    if genre.is_list_page(doc.text):  # the dates listed are the reports', not the page's
        return
    doc.publish_date, span = dates.publish_date(page.meta, doc.text)
    _evidence(doc, "publish_date", span)
    if doc.publish_date is None:
        doc.publish_date = dates.date_from_url(doc.url)


def doc_type(doc: Document, page: PageContent) -> None:
    doc.doc_type = genre.doc_type(doc.title, doc.text)  # type: ignore[assignment]
    doc.is_report = doc.doc_type != "other"


def report_year(doc: Document, page: PageContent) -> None:
    doc.report_year, doc.report_year_inferred = dates.report_year(
        doc.title, doc.doc_type, doc.publish_date, doc.text
    )
    if doc.report_year is not None and not doc.report_year_inferred and "title" in doc.evidence:
        doc.evidence["report_year"] = doc.evidence["title"]


def issuer(doc: Document, page: PageContent) -> None:
    found = region.resolve(doc.title, page.meta, doc.text)
    doc.issuer, doc.issuer_kind = found.issuer, found.kind  # type: ignore[assignment]
    if found.region is not None:
        doc.region = found.region
    _evidence(doc, "issuer", found.span or _title.find_span(doc.issuer, doc.text, limit=400))
    if "issuer" in doc.evidence and found.region is not None:
        doc.evidence["region"] = doc.evidence["issuer"]


def indicators(doc: Document, page: PageContent) -> None:
    if genre.is_list_page(doc.text):  # titles of other pages state no figures of this one
        return
    written = int(doc.publish_date[:4]) if doc.publish_date else None
    doc.indicators = _indicators.extract(doc.text, written, report=doc.doc_type == "annual_report")


def citations(doc: Document, page: PageContent) -> None:
    doc.citations = _citations.extract(doc.text)
    doc.cited = _citations.cited(doc.citations)


def topics(doc: Document, page: PageContent) -> None:
    doc.topics = _topics.assign(doc.title, doc.text)


def timeliness(doc: Document, page: PageContent) -> None:
    doc.timeliness = _timeliness.timeliness(doc.doc_type, doc.report_year, doc.publish_date)


def fingerprint(doc: Document, page: PageContent) -> None:
    doc.simhash = dedup.to_hex(dedup.simhash(doc.text)) if doc.text else None
