"""Attachments: PDF with a text layer, scanned PDF, DOCX, legacy OLE, images, unknown binary.

PDFs are drawn with reportlab and its bundled CJK font (STSong-Light), DOCX written with
python-docx, both at test time; nothing is downloaded.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from fazhi_shared.text import read_page
from fazhi_shared.text.formats import OLE_MAGIC, sniff
from fazhi_shared.text.structure import outline

REPORT = [
    "关于2022年度法治政府建设情况的报告",
    "2022年，全市深入学习贯彻习近平法治思想，法治政府建设取得新成效。现将有关情况报告如下。",
    "一、主要举措和成效",
    "全年共收到行政复议申请562件，受理498件，审结470件，行政机关负责人出庭应诉率达100%。",
    "二、存在的不足",
    "基层执法队伍专业化水平有待提高。",
    "三、2023年工作安排",
    "持续深化行政复议体制改革，推进“互联网+监管”。",
]


def _pdf(lines: list[str], *, text: bool = True, wrap: int = 0) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("法治政府建设报告")
    y = 800
    for line in lines:
        chunks = [line[i:i + wrap] for i in range(0, len(line), wrap)] if wrap else [line]
        for chunk in chunks:
            if text:
                c.setFont("STSong-Light", 12)
                c.drawString(50, y, chunk)
            else:  # a scan: only shapes, no text layer
                c.rect(50, y, 12 * len(chunk), 10, fill=1)
            y -= 18
    c.drawString(280, 40, "- 1 -") if text else None
    c.showPage()
    c.save()
    return buf.getvalue()


def _docx(lines: list[str]) -> bytes:
    document = docx.Document()
    document.core_properties.title = lines[0]
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "行政复议申请"
    table.cell(0, 1).text = "562件"
    table.cell(1, 0).text = "出庭应诉率"
    table.cell(1, 1).text = "100%"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_pdf_text_layer() -> None:
    page = read_page(_pdf(REPORT), url="http://example.gov.cn/fj/report.htm")
    assert page.format == "pdf"
    assert page.status == "ok"
    lines = page.text.split("\n")
    assert lines[0] == REPORT[0]
    assert REPORT[3] in lines
    assert "- 1 -" not in page.text and "1" != lines[-1]
    assert [s.kind for s in outline(page.text)] == ["achievements", "problems", "plans"]


def test_pdf_wrapped_lines_are_rejoined() -> None:
    page = read_page(_pdf(REPORT, wrap=30))
    lines = page.text.split("\n")
    assert REPORT[1] in lines
    assert REPORT[3] in lines
    assert "一、主要举措和成效" in lines


def test_pdf_running_headers_removed() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i, line in enumerate(REPORT[1:4]):
        c.setFont("STSong-Light", 10)
        c.drawString(50, 810, "某市人民政府文件")
        c.setFont("STSong-Light", 12)
        c.drawString(50, 700, line)
        c.drawString(280, 40, f"- {i + 1} -")
        c.showPage()
    c.save()
    page = read_page(buf.getvalue())
    assert page.text.split("\n") == REPORT[1:4]


def test_pdf_issuer_in_every_footer_keeps_the_title_line() -> None:
    # Government PDFs print the issuer under each page; on page one it also heads the title.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    bodies = [["浙江省自然资源厅", REPORT[0], REPORT[1]], [REPORT[2], REPORT[3]], [REPORT[4], REPORT[5]]]
    for i, lines in enumerate(bodies):
        c.setFont("STSong-Light", 12)
        for j, line in enumerate(lines):
            c.drawString(50, 780 - 18 * j, line)
        c.drawString(250, 60, "浙江省自然资源厅")
        c.drawString(280, 40, f"- {i + 1} -")
        c.showPage()
    c.save()
    page = read_page(buf.getvalue(), content_type="application/octet-stream")
    assert page.text.split("\n") == ["浙江省自然资源厅", *REPORT[:6]]


def test_utf16_text_with_a_bom_is_text() -> None:
    body = "\n".join(REPORT).encode("utf-16")  # BOM first, NUL bytes throughout
    assert sniff(body, "text/plain", "http://example.gov.cn/fj/report.txt") == "text"
    page = read_page(body, content_type="text/plain")
    assert page.status == "ok" and page.text.split("\n")[0] == REPORT[0]


def test_pdf_running_header_that_is_also_the_issuer_line_of_page_one() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    pages = [["遵义市人民政府", REPORT[0], REPORT[1]], ["遵义市人民政府", REPORT[2], REPORT[3]],
             ["遵义市人民政府", REPORT[4], REPORT[5]]]
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for j, line in enumerate(lines):
            c.drawString(50, 790 - 18 * j, line)
        c.showPage()
    c.save()
    page = read_page(buf.getvalue(), content_type="application/pdf")
    assert page.text.split("\n")[:3] == ["遵义市人民政府", REPORT[0], REPORT[1]]
    assert page.text.count("遵义市人民政府") == 1  # the running header of pages two and three is gone


def test_scanned_pdf_needs_ocr() -> None:
    page = read_page(_pdf(REPORT, text=False), content_type="application/pdf")
    assert page.format == "pdf"
    assert page.status == "needs_ocr"
    assert page.text == ""
    assert any("OCR" in w for w in page.warnings)


def test_docx_detected_by_content() -> None:
    body = _docx(REPORT)
    assert sniff(body, "application/octet-stream", "http://example.gov.cn/download.jsp?id=3") == "docx"
    page = read_page(body, content_type="application/octet-stream")
    assert page.format == "docx"
    assert page.status == "ok"
    lines = page.text.split("\n")
    assert lines[: len(REPORT)] == REPORT
    assert "行政复议申请 562件" in lines
    assert page.html_title == REPORT[0]


@pytest.mark.parametrize(
    ("body", "status", "fmt"),
    [
        (OLE_MAGIC + bytes(504) + "法治政府建设".encode("utf-16-le") * 50, "unsupported", "ole"),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), "needs_ocr", "image"),
        (b"\xff\xd8\xff\xe0" + bytes(100), "needs_ocr", "image"),
        (bytes(range(256)) * 8, "unsupported", "binary"),
        (b"PK\x03\x04" + bytes(200), "unsupported", "zip"),
        (b"%PDF-1.4\n% broken\n1 0 obj << >> endobj\n", "unsupported", "pdf"),
        (b"{\\rtf1\\ansi hello}", "unsupported", "rtf"),
    ],
    ids=["doc-wps-ole", "png", "jpeg", "binary", "zip", "broken-pdf", "rtf"],
)
def test_unsupported_formats_get_a_status(body: bytes, status: str, fmt: str) -> None:
    page = read_page(body, content_type="application/msword", url="http://x.gov.cn/a.doc")
    assert page.status == status
    assert page.format == fmt
    assert page.text == ""
    assert page.warnings


def test_ofd_is_named() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("OFD.xml", "<ofd:OFD/>")
        zf.writestr("Doc_0/Document.xml", "<ofd:Document/>")
    page = read_page(buf.getvalue(), url="http://x.gov.cn/a.ofd")
    assert (page.format, page.status) == ("ofd", "unsupported")
    assert "OFD" in page.warnings[0]


def test_pdf_served_with_html_extension_and_type() -> None:
    page = read_page(_pdf(REPORT), content_type="text/html; charset=utf-8", url="http://x.gov.cn/a.html")
    assert page.format == "pdf"
    assert page.status == "ok"


def test_plain_text_goes_through_noise_removal() -> None:
    body = "当前位置：首页 > 通知公告\n关于法治政府建设的报告\n【打印】【关闭窗口】\n全年受理行政复议案件12件。\n".encode("gbk")
    page = read_page(body, content_type="text/plain")
    assert page.format == "text"
    assert page.text == "关于法治政府建设的报告\n全年受理行政复议案件12件。"


def test_empty_body() -> None:
    page = read_page(b"<html><body><div id='zoom'></div></body></html>")
    assert page.status == "empty"
    assert read_page(b"").status == "empty"


def test_file_title_unwrapped() -> None:
    from fazhi_shared.text.page import _file_title

    assert _file_title("Microsoft Word - 关于2022年度法治政府建设情况的报告.docx") == "关于2022年度法治政府建设情况的报告"
    assert _file_title("  ") is None


def test_related_links_after_the_article_are_dropped() -> None:
    body = "\n".join([
        "关于法治政府建设的报告",
        "全年受理行政复议案件12件。",
        "相关稿件",
        "关于2020年度法治政府建设情况的报告",
        "市司法局召开法治政府建设推进会",
        "某县2021年度法治政府建设工作报告",
    ]).encode("utf-8")
    assert read_page(body).text == "关于法治政府建设的报告\n全年受理行政复议案件12件。"


def test_pdf_table_figures_in_cells_of_their_own_are_kept() -> None:
    # A table drawn as text gives each cell its own line: 236 is a figure, not a page number;
    # the bare page numbers at the foot of each page still go.
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("STSong-Light", 12)
    rows = [("指标", "2023年"), ("行政复议申请收到数（件）", "236"), ("行政应诉案件数（件）", "2")]
    c.drawString(50, 780, REPORT[1])
    for j, (name, value) in enumerate(rows):
        c.drawString(50, 740 - 20 * j, name)
        c.drawString(300, 740 - 20 * j, value)
    c.drawString(50, 640, REPORT[2])
    c.drawString(290, 40, "1")
    c.showPage()
    c.setFont("STSong-Light", 12)
    c.drawString(50, 780, REPORT[3])
    c.drawString(290, 40, "2")
    c.showPage()
    c.save()
    lines = read_page(buf.getvalue()).text.split("\n")
    assert "236" in lines and "2" in lines  # the table's 2 is not page 1's foot
    assert lines[-1] == REPORT[3] and "1" not in lines
