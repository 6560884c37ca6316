"""DOCX headings numbered by Word (一、 （一） 1.) come out with their labels.

The documents are written with python-docx at test time; the list definitions (w:abstractNum,
w:num) are added to its numbering part as XML, the way Word and WPS store them.
"""

from __future__ import annotations

import io
import zipfile

import docx
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from fazhi_shared.text import read_page
from fazhi_shared.text.docx_numbering import format_number
from fazhi_shared.text.structure import outline

# A multilevel list as a report template defines it: level 0 tied to Heading 1, level 1 to
# Heading 2, level 2 plain "1.", level 3 "（1）".
REPORT_LIST = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:pStyle w:val="Heading1"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
    <w:pStyle w:val="Heading2"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="%3."/></w:lvl>
  <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
    <w:lvlText w:val="（%4）"/><w:suff w:val="nothing"/></w:lvl>
</w:abstractNum>
"""
BULLETS = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>
</w:abstractNum>
"""
DECIMAL = f"""
<w:abstractNum {nsdecls('w')} w:abstractNumId="92">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>
"""


def _num(num_id: int, abstract_id: int, restart_at: int | None = None) -> str:
    override = (
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart_at}"/></w:lvlOverride>'
        if restart_at is not None
        else ""
    )
    return (
        f'<w:num {nsdecls("w")} w:numId="{num_id}">'
        f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'
    )


def _define(document: Document, *xml: str) -> None:
    numbering = document.part.numbering_part.element
    first_num = numbering.find(qn("w:num"))
    for fragment in xml:
        element = parse_xml(fragment)
        if element.tag == qn("w:abstractNum") and first_num is not None:
            first_num.addprevious(element)  # the schema puts every abstractNum before the nums
        else:
            numbering.append(element)


def _numbered(paragraph: Paragraph, num_id: int, ilvl: int | None = None) -> Paragraph:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id
    return paragraph


def _link_style(document: Document, style: str, num_id: int, ilvl: int | None) -> None:
    num_pr = document.styles[style].element.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def _save(document: Document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _report() -> bytes:
    document = docx.Document()
    _define(document, REPORT_LIST, BULLETS, _num(90, 90), _num(91, 91))
    # Heading 1 names its list only (the level comes from w:lvl/w:pStyle); Heading 2 both.
    _link_style(document, "Heading 1", 90, None)
    _link_style(document, "Heading 2", 90, 1)
    add = document.add_paragraph
    add("关于2022年度法治政府建设情况的报告", style="Title")
    add("2022年，全市法治政府建设取得新成效。现将有关情况报告如下。")
    add("主要举措和成效", style="Heading 1")
    _numbered(add("深化行政复议体制改革"), 90, 1)
    add("全年共收到行政复议申请562件，受理498件，审结470件。")
    _numbered(add("案件办理"), 90, 2)
    _numbered(add("规范化建设"), 90, 2)
    _numbered(add("推进严格规范公正文明执法"), 90, 1)
    add("行政机关负责人出庭应诉率达100%。")
    add("存在的不足和原因", style="Heading 1")
    add("基层执法力量薄弱", style="Heading 2")
    _numbered(add("执法人员"), 90, 2)
    _numbered(add("乡镇执法人员不足"), 90, 3)
    _numbered(add("持证率偏低"), 90, 3)
    _numbered(add(""), 90, 1)  # an empty numbered paragraph still takes a number in Word
    add("法治宣传针对性不强", style="Heading 2")
    add("2023年工作安排", style="Heading 1")
    for item in ("持续深化行政复议体制改革", "推进“互联网+监管”"):
        _numbered(add(item), 91)
    return _save(document)


def test_labels_as_word_shows_them() -> None:
    page = read_page(_report(), url="http://example.gov.cn/fj/report.docx")
    assert page.status == "ok" and page.format == "docx"
    assert page.text.split("\n") == [
        "关于2022年度法治政府建设情况的报告",
        "2022年，全市法治政府建设取得新成效。现将有关情况报告如下。",
        "一、主要举措和成效",
        "（一）深化行政复议体制改革",
        "全年共收到行政复议申请562件，受理498件，审结470件。",
        "1. 案件办理",
        "2. 规范化建设",
        "（二）推进严格规范公正文明执法",
        "行政机关负责人出庭应诉率达100%。",
        "二、存在的不足和原因",
        "（一）基层执法力量薄弱",
        "1. 执法人员",
        "（1）乡镇执法人员不足",
        "（2）持证率偏低",
        "（三）法治宣传针对性不强",  # （二） went to the empty numbered paragraph
        "三、2023年工作安排",
        # Bullets keep their text and get no invented label.
        "持续深化行政复议体制改革",
        "推进“互联网+监管”",
    ]


def test_outline_of_a_word_numbered_report() -> None:
    text = read_page(_report()).text
    tree = [(s.level, s.heading, s.kind) for s in outline(text)]
    assert tree == [
        (1, "一、主要举措和成效", "achievements"),
        (2, "（一）深化行政复议体制改革", "achievements"),
        (3, "1. 案件办理", "achievements"),
        (3, "2. 规范化建设", "achievements"),
        (2, "（二）推进严格规范公正文明执法", "achievements"),
        (1, "二、存在的不足和原因", "problems"),
        (2, "（一）基层执法力量薄弱", "problems"),
        (3, "1. 执法人员", "problems"),
        (4, "（1）乡镇执法人员不足", "problems"),
        (4, "（2）持证率偏低", "problems"),
        (2, "（三）法治宣传针对性不强", "problems"),
        (1, "三、2023年工作安排", "plans"),
    ]
    first = outline(text)[1]
    assert "受理498件" in text[first.start:first.end]


def test_lists_sharing_a_definition_share_counters_until_restarted() -> None:
    document = docx.Document()
    _define(document, DECIMAL, _num(93, 92), _num(94, 92), _num(95, 92, restart_at=1))
    for text, num_id in (("甲项", 93), ("乙项", 93), ("丙项", 94), ("丁项", 95), ("戊项", 95)):
        _numbered(document.add_paragraph(text), num_id)
    # numId 0 on a paragraph whose style is numbered switches the numbering off.
    _numbered(document.add_paragraph("不编号", style="List Number"), 0)
    # A label typed by hand as well is not doubled; a number that only looks like one stays.
    _numbered(document.add_paragraph("3.己项"), 95)
    _numbered(document.add_paragraph("4.5亿元"), 95)
    lines = read_page(_save(document)).text.split("\n")
    assert lines == [
        "1. 甲项", "2. 乙项", "3. 丙项", "1. 丁项", "2. 戊项", "不编号", "3.己项", "4. 4.5亿元",
    ]


def test_list_defined_through_a_numbering_style_continues_it() -> None:
    # Word stores "use list style X" as an abstractNum with w:numStyleLink and no levels.
    document = docx.Document()
    _define(
        document,
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="80"><w:styleLink w:val="ReportList"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>',
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="81">'
        '<w:numStyleLink w:val="ReportList"/></w:abstractNum>',
        _num(80, 80),
        _num(81, 81),
    )
    document.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="numbering" w:styleId="ReportList">'
        '<w:name w:val="Report List"/><w:pPr><w:numPr><w:numId w:val="80"/></w:numPr></w:pPr>'
        "</w:style>"
    ))
    _numbered(document.add_paragraph("工作情况"), 80)
    _numbered(document.add_paragraph("存在问题"), 81)
    assert read_page(_save(document)).text.split("\n") == ["一、工作情况", "二、存在问题"]


def _chinese_value(numeral: str) -> int:
    """Reads 一 … 九十九 back, the way a reader of the report would."""
    digits = "一二三四五六七八九"
    if "十" not in numeral:
        return digits.index(numeral) + 1
    tens, _, units = numeral.partition("十")
    return (digits.index(tens) + 1 if tens else 1) * 10 + (digits.index(units) + 1 if units else 0)


def test_chinese_counting_up_to_99() -> None:
    for n in range(1, 100):
        numeral = format_number(n, "chineseCounting")
        assert _chinese_value(numeral) == n, numeral
        assert outline(f"{numeral}、工作情况\n正文。")[0].heading == f"{numeral}、工作情况"
    assert [format_number(n, "chineseCounting") for n in (10, 11, 20, 21, 100, 101, 110)] == [
        "十", "十一", "二十", "二十一", "一百", "一百零一", "一百一十",
    ]


def test_other_formats() -> None:
    def fmt(name: str) -> list[str]:
        return [format_number(n, name) for n in (1, 2, 3, 11)]

    assert fmt("chineseLegalSimplified") == ["壹", "贰", "叁", "壹拾壹"]
    assert fmt("ideographTraditional") == ["甲", "乙", "丙", "11"]
    assert fmt("decimalEnclosedCircleChinese") == ["①", "②", "③", "⑪"]
    assert fmt("decimalZero") == ["01", "02", "03", "11"]
    assert fmt("lowerLetter") == ["a", "b", "c", "k"]
    assert fmt("upperRoman") == ["I", "II", "III", "XI"]
    assert fmt("somethingNew") == ["1", "2", "3", "11"]
    assert format_number(27, "upperLetter") == "AA"


def test_broken_numbering_part_still_reads_the_text() -> None:
    document = docx.Document()
    _define(document, DECIMAL, _num(96, 92))
    _numbered(document.add_paragraph("一项工作"), 96)
    document.add_paragraph("全年共收到行政复议申请562件。")
    with zipfile.ZipFile(io.BytesIO(_save(document))) as source:
        broken = io.BytesIO()
        with zipfile.ZipFile(broken, "w") as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename == "word/numbering.xml":
                    data = data[: len(data) // 2]  # cut off mid-element
                target.writestr(info, data)
    page = read_page(broken.getvalue())
    assert page.status == "ok"
    assert page.text.split("\n") == ["一项工作", "全年共收到行政复议申请562件。"]
    assert any("numbering" in w for w in page.warnings)


def test_definitions_that_make_no_sense_give_no_label() -> None:
    document = docx.Document()
    _define(
        document,
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="97"><w:lvl w:ilvl="x"/>'
        '<w:lvl w:ilvl="1"><w:start w:val="two"/><w:numFmt w:val="decimal"/></w:lvl>'
        "</w:abstractNum>",
        _num(97, 97),
        _num(98, 404),  # a list whose definition is missing
    )
    _numbered(document.add_paragraph("第一段"), 97)
    _numbered(document.add_paragraph("第二段"), 97, 1)
    _numbered(document.add_paragraph("第三段"), 98)
    _numbered(document.add_paragraph("第四段"), 12345)
    page = read_page(_save(document))
    assert page.status == "ok"
    assert page.text.split("\n") == ["第一段", "第二段", "第三段", "第四段"]
