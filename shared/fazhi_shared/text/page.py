"""Read one fetched body: detect its format, take out body text and metadata, normalize.

The steps, in order: `formats.sniff` (by content) → a reader (`htmlpage`, `formats.read_pdf`,
`formats.read_docx`, or `decode` for plain text) → `normalize` (width, traditional →
simplified, paragraphs) → `clean` (noise lines). Nothing here raises on bad input: whatever
goes wrong becomes `status` and `warnings` on the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fazhi_shared.text import formats
from fazhi_shared.text.clean import drop_noise_lines
from fazhi_shared.text.decode import decode
from fazhi_shared.text.htmlpage import read_html
from fazhi_shared.text.normalize import hard_wrapped, normalize, normalize_inline, rejoin_wrapped

_CONTENT = re.compile(r"[\u4e00-\u9fff]|[A-Za-z0-9]{3}")
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


@dataclass
class PageContent:
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    html_title: str | None = None
    traditional_source: bool = False
    status: str = "ok"
    format: str = "text"
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    # How the body was found: container, hanweb, density, page, text, pdf, docx, none.
    body_source: str = "text"


def _iso_date(value: str) -> str:
    m = _DATE.search(value)
    if not m:
        return value
    y, mo, d = (int(g) for g in m.groups())
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else value


_FILE_TITLE_NOISE = re.compile(
    r"^(?:Microsoft Word|Microsoft PowerPoint|WPS文字|WPS Office)\s*-\s*|\.(?:docx?|wps|pdf|rtf)$", re.I
)


def _file_title(title: str | None) -> str | None:
    """A document property title without the "Microsoft Word - x.docx" wrapping."""
    if not title:
        return None
    title = _FILE_TITLE_NOISE.sub("", title.strip()).strip()
    return title or None


def read_page(
    body: bytes, *, content_type: str | None = None, url: str | None = None
) -> PageContent:
    """Body text (normalized, one paragraph per line) and metadata of one fetched body."""
    try:
        return _read(body, content_type, url)
    except Exception as exc:  # the process stage must keep every document
        return PageContent(
            text="",
            status="unsupported",
            format="unknown",
            warnings=[f"reader failed: {type(exc).__name__}: {str(exc)[:200]}"],
            body_source="none",
        )


def _read(body: bytes, content_type: str | None, url: str | None) -> PageContent:
    fmt = formats.sniff(body, content_type, url)
    if fmt in formats.UNSUPPORTED:
        status, message = formats.UNSUPPORTED[fmt]
        return PageContent(text="", status=status, format=fmt, warnings=[message], body_source="none")

    meta: dict[str, str] = {}
    html_title: str | None = None
    encoding: str | None = None
    warnings: list[str] = []
    status = "ok"
    if fmt in ("pdf", "docx"):
        extracted = formats.read_pdf(body) if fmt == "pdf" else formats.read_docx(body)
        raw = rejoin_wrapped(extracted.text) if fmt == "pdf" else extracted.text
        warnings.extend(extracted.warnings)
        status = extracted.status
        html_title = _file_title(extracted.meta.get("pdf_title") or extracted.meta.get("docx_title"))
        source = fmt
    else:
        raw, encoding, warnings = decode(body, content_type)
        if fmt == "text" and formats.sniff(raw[:4096].encode("utf-8", "replace")) == "html":
            fmt = "html"
        source = "text"
        if fmt == "text" and hard_wrapped(raw):  # a copy of a PDF, cut at a fixed width
            raw = rejoin_wrapped(raw)
        if fmt == "html":
            raw, meta, html_title, source = read_html(raw)
            if source in ("density", "page"):
                warnings.append(f"no known body container: body taken by {source}")

    text, traditional = normalize(raw)
    text, line_meta = drop_noise_lines(text)
    for key, value in line_meta.items():
        meta.setdefault(key, value)
    meta = {k: normalize_inline(v, traditional) for k, v in meta.items()}
    meta = {k: v for k, v in meta.items() if v}
    for key in ("生成日期", "成文日期", "发布日期"):
        if key in meta:
            meta[key] = _iso_date(meta[key])
    if html_title:
        html_title = normalize_inline(html_title, traditional) or None
    if status == "ok" and not _CONTENT.search(text):
        status = "empty"
        warnings.append("no body text found")
    return PageContent(
        text=text,
        meta=meta,
        html_title=html_title,
        traditional_source=traditional,
        status=status,
        format=fmt,
        encoding=encoding,
        warnings=warnings,
        body_source=source,
    )
