from __future__ import annotations

import pytest

from fazhi_shared.extract import genre, title
from fazhi_shared.extract.heading import page_heading

REPORT_BODY = "2020年，我市法治政府建设取得新成效。现将有关情况报告如下：\n一、主要举措和成效\n法治政府建设……法治政府建设……"


@pytest.mark.parametrize(
    ("heading", "body", "expected"),
    [("关于2020年度全省法治政府建设工作情况的报告", REPORT_BODY, "annual_report"),
     ("江苏省司法厅2021年度法治政府建设情况报告", REPORT_BODY, "annual_report"),
     ("德清县法治政府建设年度报告", REPORT_BODY, "annual_report"),
     ("某区依法行政工作情况报告", REPORT_BODY, "annual_report"),
     ("大连市2020年法治政府建设工作要点", "为推进……制定本要点。", "work_plan"),
     ("合肥市法治政府建设规划（2021-2025年）", "为推进……制定本规划。", "implementation_plan"),
     ("关于印发《杭州市法治政府建设实施方案（2021—2025年）》的通知", "现印发给你们。", "implementation_plan"),
     ("我市召开2022年度法治政府建设工作推进会", "4月11日，推进会召开。", "other"),
     ("关于报送2022年度法治政府建设情况报告的通知", "各乡镇：请于2月28日前报送。" + REPORT_BODY, "other"),
     ("某市人民政府关于2022年度法治政府建设情况的报告",
      "各位委员：\n我受市人民政府委托，向市人大常委会报告2022年度法治政府建设情况，请予审议。", "annual_report"),
     ("关于印发2023年全县法治政府建设工作要点的通知", "现将要点印发给你们。", "work_plan"),
     ("某市2022年度法治政府建设工作考核实施方案", "为做好考核工作，制定本方案。", "other"),
     ("2023年政府工作报告", "各位代表：现在，我代表市人民政府，向大会报告政府工作。", "other"),
     ("法治政府建设年度报告制度的实践困境与完善路径", "摘要：本文……\n关键词：法治政府", "other"),
     ("2022年度全省行政复议典型案例通报", "案例一：……", "other"),
     ("在全县法治政府建设工作会议上的讲话", "同志们：\n今天召开……", "other"),
     ("《合肥市法治政府建设规划（2021—2025年）》政策解读", "一、制定背景", "other"),
     ("我省发布2021年度法治政府建设情况报告", "日前，省政府公开发布报告。", "other"),
     ("关于第二批全省法治政府建设示范地区拟命名名单的公示", "现予以公示。", "other"),
     ("", REPORT_BODY, "annual_report"),
     ("某县2021年度法治政府建设情况报告", "某县2021年度法治政府建设情况报告\n3月30日，县政府在门户网站发布了2021年度法治政府建设情况报告。报告显示……",
      "other"),
     ("某市公布2021年度法治政府建设情况报告", "日前，……", "other"),
     ("某县2021年度法治政府建设情况报告", "依据《关于加强行政规范性文件管理的通知》（黔府办发[2019]12号）……" + REPORT_BODY,
      "annual_report"),
     ("某市2021年政府信息公开工作年度报告", "本报告根据……编制。", "other"),
     ("2022年全市政务公开工作要点", "为推进……制定本要点。", "other"),
     ("关于2021年国民经济和社会发展计划执行情况的报告", REPORT_BODY, "other"),
     ("某县司法局2021年度法治建设工作情况报告", REPORT_BODY, "annual_report"),
     ("党政主要负责人履行推进法治建设第一责任人职责情况报告", REPORT_BODY, "other")],
)
def test_doc_type(heading: str, body: str, expected: str) -> None:
    assert genre.doc_type(heading, body) == expected


def test_title_never_site_name_or_breadcrumb() -> None:
    meta = {"SiteName": "黄石市人民政府"}
    text = "当前位置: 首页 > 国资动态 > 通知公告\n关于2023年法治政府建设情况的报告\n来源:黄石市政府网 时间:2024-02-28\n2023年，黄石市……"
    assert title.title(meta, "黄石市人民政府", text) == "关于2023年法治政府建设情况的报告"
    assert title.title({"ArticleTitle": "某县2021年度法治政府建设情况报告"}, None, "x") == "某县2021年度法治政府建设情况报告"
    # A Hanweb page: the title sits outside the body, <title> is the site name.
    heads = ["德清县人民政府", "德清县法治政府建设年度报告"]
    body = "过去一年，德清县……\n一、主要举措和成效\n（一）强化组织领导。"
    assert title.title({"SiteName": "德清县人民政府"}, "德清县人民政府", body, heads) == "德清县法治政府建设年度报告"
    assert title.title({}, "兰山区2020年度法治政府建设工作的报告 | 兰山区政府", "正文第一段很长，不是标题，，，") == "兰山区2020年度法治政府建设工作的报告"


def test_title_keeps_a_year_range_and_skips_labelled_lines() -> None:
    # The hyphen inside 2022-2025 is not the separator before the site's name.
    assert title.title({}, "昆山市法治政府建设实施方案（2022-2025年）--昆山市人民政府", "正文，很长，不是标题。") == (
        "昆山市法治政府建设实施方案（2022-2025年）")
    # An article's 摘要/关键词 lines are not its title, even when they name a report.
    body = "摘要：本文以31个省级政府公开的年度报告为样本，进行文本分析。\n关键词：法治政府建设；年度报告；实证研究\n一、引言"
    assert title.title({}, "地方法治政府建设年度报告公开质量实证研究--湘潭大学法学院", body) == (
        "地方法治政府建设年度报告公开质量实证研究")


def test_title_without_quotes_number_or_lone_subtitle() -> None:
    body = "2023年，泰兴市……现将有关情况报告如下。"
    quoted = "《泰兴市人民政府关于2023年度法治政府建设情况的报告》"
    assert title.title({"ArticleTitle": quoted}, None, body) == quoted[1:-1]
    numbered = "河南蒙古族自治县人民政府关于2023年度法治政府建设工作情况的报告（河政〔2024〕18号）"
    assert title.title({"ArticleTitle": numbered}, None, body) == numbered.split("（")[0]
    decision = "恩施州人民政府行政复议决定书（恩施州复决字〔2023〕27号）"  # its number names it
    assert title.title({"ArticleTitle": decision}, None, body) == decision
    headings = ["以高水平法治护航高质量发展", "——黄冈市2023年度法治政府建设情况报告"]
    assert title.title({}, "以高水平法治护航高质量发展_黄冈市人民政府", body, headings) == (
        "以高水平法治护航高质量发展——黄冈市2023年度法治政府建设情况报告")


def test_issuer_line_above_a_title_that_starts_with_guanyu() -> None:
    # A PDF's title block: the issuer on one line, 关于… on the next.
    text = "浙江省自然资源厅\n关于2023年度法治政府建设工作情况的报告\n省委全面依法治省委员会办公室：\n2023年，……"
    assert title.title({}, None, text) == "浙江省自然资源厅关于2023年度法治政府建设工作情况的报告"
    # A line above that is not an issuer is left alone.
    text = "政务公开\n关于2023年度法治政府建设工作情况的报告\n2023年，……"
    assert title.title({}, None, text) == "关于2023年度法治政府建设工作情况的报告"


@pytest.mark.parametrize(
    "heading",
    ["湖南工程学院关于2023年度法治建设工作情况的报告", "某某集团有限公司2023年度法治建设工作报告",
     "某市人民医院关于2023年度依法执业情况的报告", "凯里市人民法院2023年法治建设工作情况报告",
     "某县人民检察院关于2023年度法治建设工作情况的报告",
     # A page compiling several departments' reports is nobody's report.
     "远安县县直部门2022年度法治政府建设情况报告汇编"],
)
def test_reports_of_universities_and_companies_are_not_government_reports(heading: str) -> None:
    assert genre.doc_type(heading, REPORT_BODY) == "other"


def test_a_column_page_listing_reports_is_not_a_report() -> None:
    rows = [f"{org}2023年度法治政府建设情况报告 2024-03-{day}"
            for org, day in [("十堰市人民政府", 29), ("十堰市司法局", 22), ("十堰市市场监督管理局", 18),
                             ("十堰市生态环境局", 15), ("十堰市教育局", 12), ("十堰市财政局", 8)]]
    text = "法治政府建设年度报告\n" + "\n".join(rows) + "\n共6条 1/1页"
    assert genre.is_list_page(text)
    assert genre.doc_type(rows[0], text) == "other"
    meta = {"ColumnName": "法治政府建设年度报告", "SiteName": "十堰市人民政府门户网站"}
    assert title.title(meta, "法治政府建设年度报告-十堰市人民政府门户网站", text) == "法治政府建设年度报告"
    # A report that lists a few dated documents stays a report.
    assert not genre.is_list_page(REPORT_BODY + "\n" + "\n".join(rows[:3]))


def test_work_summary_is_an_annual_report() -> None:
    assert genre.doc_type("某县司法局2021年度法治政府建设工作总结", REPORT_BODY) == "annual_report"
    # The year's summary with next year's plan appended is still the year's report.
    for heading in ("某县2022年法治政府建设工作总结和2023年工作计划", "某区2021年法治政府建设工作总结及2022年工作要点"):
        assert genre.doc_type(heading, REPORT_BODY) == "annual_report"
    assert genre.doc_type("某县2023年法治政府建设工作计划", REPORT_BODY) == "work_plan"


def test_truncated_meta_title_is_completed_from_the_heading() -> None:
    meta = {"ArticleTitle": "关于2020年度全省法治政府建设工作..."}
    text = "关于2020年度全省法治政府建设工作情况的报告\n2020年，我省……"
    assert title.title(meta, None, text) == "关于2020年度全省法治政府建设工作情况的报告"
    # The whole title only in a heading above the body container (h2 outside div.TRS_Editor).
    body = "2020年，我省……\n一、主要工作"
    assert title.title_in_text(meta, body) is None
    heads = ["相关文章", "关于2020年度全省法治政府建设工作情况的报告"]
    assert title.title(meta, None, body, heads) == "关于2020年度全省法治政府建设工作情况的报告"
    assert title.title(meta, None, body, []) == "关于2020年度全省法治政府建设工作..."


def test_a_red_header_is_not_the_title() -> None:
    text = ("淇县人民政府文件\n淇政〔2024〕9号 签发人：李明远\n淇县人民政府\n关于2023年度法治政府建设情况的报告\n"
            "鹤壁市人民政府：\n2023年，淇县……现将有关情况报告如下。")
    assert title.title({}, None, text) == "淇县人民政府关于2023年度法治政府建设情况的报告"
    # Among untitled lines, the red header is never the one taken.
    assert title.title({}, None, "淇县人民政府文件\n淇县法治政府建设工作\n正文很长，不是标题，，，") == "淇县法治政府建设工作"


def test_two_year_report_is_a_report_and_a_delivery_note_is_not_a_subtitle() -> None:
    assert genre.doc_type("德阳市2022—2023年法治政府建设情况报告", REPORT_BODY) == "annual_report"
    assert genre.doc_type("德阳市法治政府建设实施方案（2021—2025年）", "") == "implementation_plan"
    report = "关于2023年度县级预算执行和其他财政收支的审计工作报告"
    note = "——2024年8月26日在柘城县第十六届人民代表大会常务委员会第十九次会议上"
    assert title.title({"ArticleTitle": report + note}, None, "正文。") == report
    assert title.title({}, None, "正文，很长，，，", [note, report]) == report


def test_title_drawn_as_an_image() -> None:
    html = ('<html><head><meta charset="utf-8"><title>凤县人民政府</title></head><body>'
            '<div class="wz_title"><img src="/t.png" alt="凤县2023年度法治政府建设情况报告"></div>'
            '<div class="wz_content"><p>2023年，凤县……现将有关情况报告如下。</p></div></body></html>').encode()
    assert page_heading(html, "utf-8")[0] == "凤县2023年度法治政府建设情况报告"


def test_a_column_of_dated_news_titles_is_a_list_page() -> None:
    rows = [f"城口县{w}工作取得新进展 2024-0{m}-1{m}" for m, w in enumerate(["普法", "调解", "执法", "复议", "公开", "监督"], 1)]
    assert genre.is_list_page("工作动态\n" + "\n".join(rows))


def test_title_blocks_set_on_several_lines() -> None:
    text = "安庆市司法局\n关于2023年度法治政府建设工作情况\n的报告\n市委依法治市办：\n2023年，……"
    assert title.title({}, None, text) == "安庆市司法局关于2023年度法治政府建设工作情况的报告"
    text = "黔东南州法治政府建设实施方案\n（2021—2025年）\n一、总体要求\n……"
    assert title.title({}, None, text) == "黔东南州法治政府建设实施方案（2021—2025年）"
    text = "丽江市法治政府建设督察组\n关于对玉龙纳西族自治县法治政府建设督察情况\n的反馈意见\n……"
    assert title.title({}, None, text) == "丽江市法治政府建设督察组关于对玉龙纳西族自治县法治政府建设督察情况的反馈意见"


def test_a_title_broken_after_its_opening_is_joined() -> None:
    text = "太仓市司法局关于2025年度\n法治政府建设工作情况的报告\n2025年，太仓市司法局在……"
    assert title.title({}, None, text) == "太仓市司法局关于2025年度法治政府建设工作情况的报告"
    text = "某县人民政府关于全县\n法治政府建设情况的报告\n2023年，……"
    assert title.title({}, None, text) == "某县人民政府关于全县法治政府建设情况的报告"
    text = "关于我们\n法治政府建设情况的报告\n2023年，……"  # a site's link, not a title's opening
    assert title.title({}, None, text) == "法治政府建设情况的报告"


def test_a_numbered_case_is_not_the_title_nor_is_the_offices_name() -> None:
    text = ("2025年，全市共收到行政复议申请1486件。市司法局选取6件典型案例予以发布。\n"
            "案例一：某商贸有限公司不服某县市场监督管理局行政处罚决定案\n【基本案情】……")
    found = title.title({}, "曲靖市司法局--曲靖市2025年度行政复议典型案例", text)
    assert found == "曲靖市2025年度行政复议典型案例"
