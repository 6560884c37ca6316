"""Which format a body is in (by its bytes, not its name) and how to read PDF and DOCX.

`sniff` looks at magic numbers first and only then at the declared content type or the URL's
extension, because sites serve attachments as `application/octet-stream`, name PDFs `.htm`
and serve HTML error pages for `.pdf` links. Readers return text and warnings and never
raise: a broken, encrypted or scanned file becomes a status on the document.
"""

from __future__ import annotations

import io
import re
import warnings as pywarnings
import zipfile
from dataclasses import dataclass, field
from typing import Any

from fazhi_shared.text import docx_numbering

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"BM", "bmp"),
)
_HTML_HINT = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|meta|title|div|table|p|br|script|span)\b", re.I
)
_EXTENSION = re.compile(r"\.([a-z0-9]{1,5})(?:[?#].*)?$", re.I)


@dataclass
class Extracted:
    """What a format reader found: body text and what went wrong."""

    text: str
    status: str = "ok"
    warnings: list[str] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


def _extension(url: str | None) -> str:
    if not url:
        return ""
    m = _EXTENSION.search(url)
    return m.group(1).lower() if m else ""


_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text: judge the characters
        decoded = head[2:len(head) - len(head) % 2].decode(
            "utf-16-le" if head.startswith(b"\xff\xfe") else "utf-16-be", errors="replace")
        bad = sum(1 for c in decoded if c == "\ufffd" or (c < " " and c not in "\t\n\r\f\v"))
        return bad > len(decoded) * 0.05
    if b"\x00" in head:
        return True
    control = len(head.translate(None, _NOT_CONTROL))
    return control / len(head) > 0.05


def sniff(body: bytes, content_type: str | None = None, url: str | None = None) -> str:
    """One of html, text, pdf, docx, ole (legacy .doc/.wps/.xls), ofd, zip, rtf, image, binary."""
    head = body[:4096]
    stripped = head.lstrip()
    if stripped.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(body)
    for magic, _name in _IMAGE_MAGIC:
        if head.startswith(magic):
            return "image"
    if stripped.startswith(b"{\\rtf"):
        return "rtf"
    if _looks_binary(head):
        return "binary"
    ctype = (content_type or "").split(";", 1)[0].strip().lower()
    if _HTML_HINT.search(head) or ctype in ("text/html", "application/xhtml+xml"):
        # A plain-text body served as text/html still goes through the HTML reader, which
        # treats it as one block of text.
        return "html"
    if ctype == "text/plain" or _extension(url) in ("txt", "text", ""):
        return "text"
    return "text"


def _zip_kind(body: bytes) -> str:
    """docx, ofd (the Chinese fixed-layout format, GB/T 33190) or zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "zip"
    if "word/document.xml" in names:
        return "docx"
    if any(n.upper() == "OFD.XML" for n in names):
        return "ofd"
    return "zip"


_PAGE_NUMBER = re.compile(r"^\s*(?:[-—－]\s*\d{1,4}\s*[-—－]?|\d{1,4}\s*[-—－]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?)\s*$")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,4})\s*$")


_EDGE = 2  # lines at the top and at the bottom of a page where running lines are printed


def _edges(page: str) -> tuple[list[str], list[str]]:
    lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
    return lines[:_EDGE], lines[-_EDGE:]


def _running_lines(pages: list[str]) -> tuple[set[str], set[str]]:
    """Short lines printed at the top (headers) or the bottom (footers) of most pages, such
    as 某市人民政府文件 or the issuer's name. Each is only dropped where it runs: an issuer
    printed in every footer is also the first line of the title on page one."""
    if len(pages) < 3:
        return set(), set()
    heads: dict[str, int] = {}
    feet: dict[str, int] = {}
    for page in pages:
        top, bottom = _edges(page)
        for line in set(top):
            if len(line) <= 40:
                heads[line] = heads.get(line, 0) + 1
        for line in set(bottom):
            if len(line) <= 40:
                feet[line] = feet.get(line, 0) + 1
    half = len(pages) / 2
    return {ln for ln, n in heads.items() if n > half}, {ln for ln, n in feet.items() if n > half}


def _is_page_number(lines: list[str], i: int, page_number: int) -> bool:
    """- 3 - and 第3页 anywhere; a bare 3 only as the first or last line of page 3 (give or
    take a cover page): elsewhere a bare number is a table's figure, in a cell of its own."""
    if _PAGE_NUMBER.match(lines[i]):
        return True
    bare = _BARE_NUMBER.match(lines[i])
    if bare is None or abs(int(bare.group(1)) - page_number) > 3:
        return False
    filled = [j for j, ln in enumerate(lines) if ln.strip()]
    return i in (filled[0], filled[-1])


def _without_running(page: str, heads: set[str], feet: set[str], number: int = 1) -> list[str]:
    raw = page.split("\n")
    lines = [ln for i, ln in enumerate(raw) if not _is_page_number(raw, i, number)]
    first = number == 1
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    top, bottom = set(filled[:_EDGE]), set(filled[-_EDGE:])
    if first:  # page one opens with the title block: an issuer line above 关于… stays
        top = {i for n, i in enumerate(filled[:_EDGE])
               if not (n + 1 < len(filled) and lines[filled[n + 1]].strip().startswith("关于"))}
    return [
        ln for i, ln in enumerate(lines)
        if not (i in top and ln.strip() in heads) and not (i in bottom and ln.strip() in feet)
    ]


def read_pdf(body: bytes) -> Extracted:
    """Text layer of a PDF; no text layer means the document needs OCR."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    out = Extracted(text="")
    try:
        with pywarnings.catch_warnings():
            pywarnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(body), strict=False)
            if reader.is_encrypted:
                try:
                    reader.decrypt("")
                except Exception:  # any failure means we cannot read it
                    out.status = "unsupported"
                    out.warnings.append("encrypted PDF: cannot be read without a password")
                    return out
            pages: list[str] = []
            for number, page in enumerate(reader.pages, start=1):
                try:
                    pages.append(page.extract_text() or "")
                except Exception as exc:  # one bad page must not lose the rest
                    out.warnings.append(f"PDF page {number} unreadable: {type(exc).__name__}")
            info = reader.metadata
            if info is not None and info.title:
                out.meta["pdf_title"] = str(info.title)
    except (PdfReadError, ValueError, TypeError, KeyError, OSError, RecursionError) as exc:
        out.status = "unsupported"
        out.warnings.append(f"PDF unreadable: {type(exc).__name__}")
        return out
    except Exception as exc:  # pypdf raises many kinds on broken files
        out.status = "unsupported"
        out.warnings.append(f"PDF unreadable: {type(exc).__name__}")
        return out
    heads, feet = _running_lines(pages)
    lines = [line for number, page in enumerate(pages)
             for line in _without_running(page, heads, feet, number=number + 1)]
    out.text = "\n".join(lines)
    if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", out.text):
        out.status = "needs_ocr"
        out.warnings.append(
            f"PDF has no text layer ({len(pages)} pages): scanned document, needs OCR"
        )
    return out


def read_docx(body: bytes) -> Extracted:
    """Paragraphs and table cells of a DOCX, in document order, with Word's list labels."""
    import docx

    out = Extracted(text="")
    try:
        try:
            document = docx.Document(io.BytesIO(body))
        except Exception:
            # A numbering part python-docx cannot parse should cost the labels, not the text.
            blanked = docx_numbering.without_numbering(body)
            if blanked is None:
                raise
            document = docx.Document(io.BytesIO(blanked))
            out.warnings.append("DOCX numbering part unreadable: list labels left out")
        lines = _docx_lines(document)
        props = document.core_properties
        if props.title:
            out.meta["docx_title"] = props.title
    except Exception as exc:  # python-docx/lxml raise many kinds on bad files
        out.status = "unsupported"
        out.warnings.append(f"DOCX unreadable: {type(exc).__name__}")
        return out
    out.text = "\n".join(lines)
    return out


def _docx_lines(document: Any) -> list[str]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    numbering = docx_numbering.numbering_of(document)

    def paragraph_text(paragraph: Paragraph) -> str:
        # Every numbered paragraph is labelled, in document order, so the counters match Word's.
        return docx_numbering.with_label(numbering.label(paragraph._p), paragraph.text)

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(paragraph_text(block))
        elif isinstance(block, Table):
            # A merged cell is returned once per grid column it spans; keyed by its element.
            done: dict[Any, str] = {}
            for row in block.rows:
                texts = []
                for cell in row.cells:
                    key = cell._tc
                    if key not in done:
                        done[key] = "\n".join(paragraph_text(p) for p in cell.paragraphs)
                    texts.append(done[key].strip())
                cells = list(dict.fromkeys(texts))
                lines.append("  ".join(c for c in cells if c))
    return lines


UNSUPPORTED = {
    "ole": ("unsupported", "legacy Word/WPS/Excel (OLE) file: unsupported, convert to DOCX or PDF"),
    "zip": ("unsupported", "ZIP archive that is not a DOCX: unsupported"),
    "ofd": ("unsupported", "OFD document: unsupported, needs an OFD reader"),
    "rtf": ("unsupported", "RTF document: unsupported"),
    "image": ("needs_ocr", "image file: needs OCR"),
    "binary": ("unsupported", "unknown binary format: unsupported"),
}
