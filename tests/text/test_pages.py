"""HTML fixtures as sites serve them: TRS, Hanweb, 政务公开 table, GBK, GB18030, wrong charsets,
traditional rendering, full-width digits, a body on one line, a page without a known container."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi_shared.text import read_page
from fazhi_shared.text.structure import outline

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
NOISE = ("扫一扫", "字号", "点击数", "浏览次数", "关闭", "打印", "当前位置", "责编", "分享", "版权所有",
         "首页", "收藏", "网站标识码", "技术支持", "政务公开", "新闻中心", "繁体", "主办")


def page(name: str, content_type: str | None = None):  # type: ignore[no-untyped-def]
    return read_page((PAGES / name).read_bytes(), content_type=content_type, url=f"http://example.gov.cn/{name}")


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_no_noise_left(name: str) -> None:
    result = page(name, "text/html; charset=utf-8" if name.startswith("header_utf8") else None)
    assert result.status == "ok"
    assert result.format == "html"
    for line in result.text.split("\n"):
        for word in NOISE:
            assert word not in line or len(line) > 30, (name, line)


def test_trs_gbk_page() -> None:
    result = page("trs_gbk.html")
    assert result.encoding == "gb18030"  # declared gb2312, read as its superset
    assert result.body_source == "container"
    assert "张喆" in result.text  # 喆 is in GBK, not in GB2312
    assert result.meta["ArticleTitle"] == "关于2022年度法治政府建设情况的报告"
    assert result.meta["PubDate"] == "2023-03-28 09:12"
    assert result.meta["ContentSource"] == "市司法局"
    assert result.meta["SiteName"] == "某市司法局"
    assert result.meta["ColumnName"] == "通知公告"
    assert result.html_title == "关于2022年度法治政府建设情况的报告_通知公告_某市司法局"
    lines = result.text.split("\n")
    assert lines[0].startswith("2022年，在市委、市政府的坚强领导下")
    assert "（一）深化“放管服”改革。全面推行证照分离改革，“一网通办”事项达到1286项，行政许可事项压减30%。" in lines
    assert len(lines) == 8
    assert ".TRS_Editor" not in result.text
    kinds = [(s.level, s.kind) for s in outline(result.text)]
    assert kinds == [(1, "achievements"), (2, "achievements"), (2, "achievements"),
                     (1, "problems"), (2, "problems"), (1, "plans")]


def test_hanweb_markers() -> None:
    result = page("hanweb_utf8.html")
    assert result.body_source == "hanweb"
    lines = result.text.split("\n")
    assert lines[0] == "市人民政府："
    assert lines[-2:] == ["某县人民政府", "2022年3月25日"]  # the signature stays
    assert "1.深化行政复议体制改革。" in lines
    sections = outline(result.text)
    assert [s.kind for s in sections if s.level == 1] == ["achievements", "problems", "plans"]
    assert sections[1].kind == "leadership"


def test_zwgk_info_table() -> None:
    result = page("zwgk_table.html")
    assert result.meta["索引号"] == "11520000MB1A23456X/2024-00321"
    assert result.meta["发布机构"] == "某省人民政府办公厅"
    assert result.meta["生成日期"] == "2024-03-29"
    assert result.meta["文号"] == "某府函〔2024〕15号"
    assert "索引号" not in result.text
    assert result.text.startswith("国务院：\n2023年，全省各级政府")
    assert "受理7805件，审结7311件。行政机关负责人出庭应诉率达98.6%。" in result.text


def test_gb18030_four_byte_characters() -> None:
    result = page("gb18030.html")
    assert result.encoding == "gb18030"
    assert "㙟村、䶮山乡" in result.text
    assert "𠮷祥社区" in result.text


def test_meta_declares_gb2312_but_bytes_are_utf8() -> None:
    result = page("wrong_declared_utf8.html")
    assert result.encoding == "utf-8"
    assert "实际以UTF-8保存" in result.text
    assert any("wrong" in w for w in result.warnings)


def test_header_declares_utf8_but_bytes_are_gbk() -> None:
    result = page("header_utf8_body_gbk.html", "text/html; charset=UTF-8")
    assert result.encoding == "gb18030"
    assert "“证照分离”改革全覆盖" in result.text
    assert any("wrong" in w for w in result.warnings)


def test_header_declares_latin1_over_gbk_bytes() -> None:
    # Servers send ISO-8859-1 by default; every byte decodes under it, into mojibake.
    result = page("header_utf8_body_gbk.html", "text/html; charset=ISO-8859-1")
    assert result.encoding == "gb18030"
    assert "“证照分离”改革全覆盖" in result.text
    assert any("iso8859-1" in w or "cp1252" in w for w in result.warnings)


def test_body_kept_as_escaped_html_in_a_hidden_textarea() -> None:
    paragraphs = "".join(f"&lt;p&gt;第{i}项，全县深入推进法治政府建设，依法行政水平不断提高。&lt;/p&gt;" for i in range(12))
    html = f"""<html><head><meta charset="utf-8"></head><body><div class="nav">首页 &gt; 信息公开</div>
    <div id="content"></div><textarea id="txtContent" style="display:none">{paragraphs}</textarea>
    <script>document.getElementById('content').innerHTML = txtContent.value;</script></body></html>"""
    result = read_page(html.encode("utf-8"))
    lines = result.text.split("\n")
    assert len(lines) == 12 and lines[0] == "第0项，全县深入推进法治政府建设，依法行政水平不断提高。"


def test_traditional_rendering() -> None:
    result = page("traditional.html")
    assert result.traditional_source
    assert result.meta["ArticleTitle"] == "某市2021年法治政府建设工作要点"
    assert "各区市县政府要在党委领导下，谋划和落实好法治政府建设各项任务。" in result.text
    assert "謀劃" not in result.text
    assert [s.kind for s in outline(result.text, doc_type="work_plan")] == ["plans"] * 3


def test_fullwidth_digits_and_chinese_punctuation() -> None:
    result = page("fullwidth.html")
    assert result.text.split("\n") == [
        "2022年，全市共办理行政复议案件123件，综合纠错率达95.83%。",
        "推进“互联网+监管”，APP注册用户达66万户。",
    ]


def test_one_line_body_becomes_paragraphs() -> None:
    result = page("one_line.html")
    lines = result.text.split("\n")
    assert lines[:3] == [
        "2020年，某区法治政府建设工作取得新进展。现将有关情况报告如下。",
        "一、加强党对法治建设的领导，压实法治政府建设责任",
        "一是统筹推进法治政府建设。严格法治政府建设情况报告制度。",
    ]
    assert "二、纵深推进依法行政" in lines
    assert result.meta["PubDate"] == "2021-03-31"
    top = [(s.kind, s.heading[:6]) for s in outline(result.text) if s.level == 1]
    assert [k for k, _h in top] == ["achievements", "achievements", "problems", "plans"]


def test_page_without_known_container() -> None:
    result = page("no_container.html")
    assert result.body_source == "density"
    assert result.text.split("\n") == [
        "2022年，我镇坚持以习近平法治思想为指导，扎实推进法治政府建设。",
        "一、工作成效",
        "全年开展法治宣传活动36场次，调处矛盾纠纷215件，调解成功率98%。",
        "二、存在问题",
        "法治宣传形式较为单一，群众参与度不高。",
    ]


def test_tables_and_line_breaks_inside_the_body() -> None:
    html = """<html><head><meta charset="utf-8"></head><body><div id="zoom">
    <p>　　一、主要成效<br/>　　全年办理案件如下表。<br>　　二、存在的问题</p>
    <table><tr><td>项目</td><td>收到</td><td>受理</td></tr>
    <tr><td>行政复议</td><td><span>562</span>件</td><td>498件</td></tr></table>
    <p>全年受理<span>行政</span><b>复议</b>案件<font color="red">498</font>件。</p>
    </div></body></html>"""
    text = read_page(html.encode("utf-8")).text
    assert text.split("\n") == [
        "一、主要成效", "全年办理案件如下表。", "二、存在的问题",
        "项目 收到 受理", "行政复议 562件 498件", "全年受理行政复议案件498件。",
    ]


def test_big5_page_is_read_and_simplified() -> None:
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"></head>'
            '<body><div class="TRS_Editor"><p>堅持以習近平法治思想為指導，推進法治政府建設。'
            '全年辦理行政復議案件１２３件。</p></div></body></html>')
    page = read_page(html.encode("big5"))
    assert page.encoding == "big5hkscs"
    assert page.traditional_source
    assert page.text == "坚持以习近平法治思想为指导，推进法治政府建设。全年办理行政复议案件123件。"


def test_info_table_with_spaced_labels_and_list_layout() -> None:
    html = """<html><head><meta charset="utf-8"><meta name="PubDate" content="2022-03-30">
    <meta name="ContentSource" content="县司法局"></head><body>
    <ul class="xxgk"><li><b>索 引 号：</b>000014349/2022-00061</li><li><b>发文机关：</b>某县人民政府</li>
    <li><b>成文日期：</b>2022年3月29日</li><li><b>发文字号：</b>某政发〔2022〕3号</li></ul>
    <div id="zoom"><p>2021年，我县法治政府建设取得新进展。</p></div></body></html>"""
    page = read_page(html.encode("utf-8"))
    assert page.meta["索引号"] == "000014349/2022-00061"
    assert page.meta["发布机构"] == "某县人民政府"
    assert page.meta["成文日期"] == "2022-03-29"
    assert page.meta["文号"] == "某政发〔2022〕3号"
    assert page.text == "2021年，我县法治政府建设取得新进展。"


def test_info_table_cells_without_colons_after_the_body() -> None:
    html = """<html><head><meta charset="utf-8"></head><body>
    <div id="zoom"><p>2023年，我局法治政府建设取得新进展。</p></div>
    <table class="info"><tr><th>索引号</th><td>11410000MB1957262T/2024-00125</td><th>主题分类</th><td>法治税务</td></tr>
    <tr><th>发布机构</th><td>国家税务总局河南省税务局</td><th>发布日期</th><td>二〇二四年三月二十二日</td></tr>
    <tr><th>文号</th><td></td><th>有效性</th><td>有效</td></tr></table>
    <div class="tools"><a>【打印本页】</a><a>【关闭窗口】</a></div>
    <div class="meta"><div class="label">成文日期</div><div>2024年3月20日</div></div></body></html>"""
    page = read_page(html.encode("utf-8"))
    assert page.meta["发布机构"] == "国家税务总局河南省税务局"
    assert page.meta["发布日期"] == "二〇二四年三月二十二日"
    assert page.meta["成文日期"] == "2024-03-20"  # a label alone on its line, the value below
    assert "文号" not in page.meta  # an empty cell is an empty value, not the next line
    assert page.text == "2023年，我局法治政府建设取得新进展。"


def test_control_characters_and_zero_width_marks_are_dropped() -> None:
    html = ("<html><head><meta charset='utf-8'><title>某县报告&#1;</title></head><body><div id='zoom'>"
            "<p>全县深入推进法治\u200b政府建设&#1;，依法行政&#x7f;水平\ufeff不断提高。</p></div></body></html>")
    page = read_page(html.encode("utf-8"))
    assert page.text == "全县深入推进法治政府建设，依法行政水平不断提高。"
    assert page.html_title == "某县报告"
