from __future__ import annotations

import pytest

from fazhi_shared.extract import dates, timeliness
from fazhi_shared.extract.numbers import parse_number
from fazhi_shared.pipeline import process
from fazhi_shared.text.clean import meta_from_line


@pytest.mark.parametrize(
    ("text", "value"),
    [("三千六百九十九", 3699), ("3,699", 3699), ("1.2万", 12000), ("十二", 12), ("一百零三", 103),
     ("两千零五", 2005), ("二〇二一", 2021), ("95.83", 95.83), ("３６９９", 3699)],
)
def test_numbers(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "iso"),
    [("日期:2021-04-22 14:43", "2021-04-22"), ("2021年4月22日", "2021-04-22"),
     ("２０２２年３月２９日", "2022-03-29"), ("二〇二二年三月二十五日", "2022-03-25"),
     ("2021/3/1", "2021-03-01"), ("2021.03.31", "2021-03-31")],
)
def test_find_date(text: str, iso: str) -> None:
    found = dates.find_date(text)
    assert found is not None and found[0] == iso


def test_publish_date_sources_in_order() -> None:
    text = "关于2020年度法治政府建设情况的报告\n发布时间：2021-03-30 来源：市司法局\n正文2020年5月1日……\n某某市人民政府\n2021年3月28日"
    assert dates.publish_date({"PubDate": "2021-04-01 10:00"}, text)[0] == "2021-04-01"
    iso, span = dates.publish_date({}, text)
    assert iso == "2021-03-30" and span is not None and text[span[0] : span[1]] == "2021-03-30"
    signed = "关于2020年度法治政府建设情况的报告\n正文。\n某某县人民政府\n二〇二一年三月二十八日"
    assert dates.publish_date({}, signed)[0] == "2021-03-28"


@pytest.mark.parametrize(
    ("title", "kind", "published", "expected"),
    [("关于2020年度全省法治政府建设工作情况的报告", "annual_report", "2021-04-22", (2020, False)),
     ("某市法治政府建设实施方案（2021—2025年）", "implementation_plan", "2021-12-01", (2021, False)),
     ("德清县法治政府建设年度报告", "annual_report", "2023-03-20", (2022, True)),
     ("某县法治政府建设工作要点", "work_plan", "2023-03-20", (2023, True)),
     ("二〇二一年度法治政府建设情况报告", "annual_report", "2022-03-20", (2021, False)),
     ("2023年政府工作报告", "other", "2023-01-18", (None, False)),
     ("某市“十四五”法治政府建设规划", "implementation_plan", "2021-10-08", (2021, False))],
)
def test_report_year(title: str, kind: str, published: str, expected: tuple[int | None, bool]) -> None:
    assert dates.report_year(title, kind, published) == expected


def test_timeliness() -> None:
    late = timeliness.timeliness("annual_report", 2020, "2021-04-22")
    assert late is not None and late.model_dump() == {"deadline": "2021-04-01", "on_time": False, "days_late": 21}
    early = timeliness.timeliness("annual_report", 2023, "2024-02-28")
    assert early is not None and early.on_time and early.days_late == -33
    on_deadline = timeliness.timeliness("annual_report", 2021, "2022-04-01")
    assert on_deadline is not None and on_deadline.on_time and on_deadline.days_late == 0
    assert timeliness.timeliness("work_plan", 2020, "2020-04-30") is None
    assert timeliness.timeliness("annual_report", 2020, None) is None


def test_annual_report_titled_with_its_publish_year_covers_the_year_before() -> None:
    text = "2022年某县法治政府建设年度报告\n2021年，我县深入推进法治政府建设。"
    assert dates.report_year("2022年某县法治政府建设年度报告", "annual_report", "2022-03-20", text) == (2021, False)
    same = "2022年，我县……"
    assert dates.report_year("2022年某县法治政府建设年度报告", "annual_report", "2022-12-20", same) == (2022, False)


@pytest.mark.parametrize(
    ("url", "iso"),
    [("http://www.gov.cn/zhengce/202403/t20240328_6583952.html", "2024-03-28"),
     ("https://www.zj.gov.cn/art/2022/3/28/art_1_2.html", "2022-03-28"),
     ("http://scjgj.chengdu.gov.cn/cdscjgj/c131234/2023-01/16/content_abc.shtml", "2023-01-16"),
     ("http://www.qxn.gov.cn/zwgk/content_67123456.html", None),
     ("http://x.gov.cn/t20241340_1.html", None)],
)
def test_date_from_url(url: str, iso: str | None) -> None:
    assert dates.date_from_url(url) == iso


_BODY = "".join(f"<p>{i}、我县深入推进法治政府建设，全年办理行政复议案件{i}件。</p>" for i in range(1, 9))


def _page(info: str) -> bytes:
    return (
        '<html><head><meta charset="utf-8"><title>某县2022年法治政府建设年度报告</title></head><body>'
        '<div class="nav">首页 > 政务公开</div><h1>某县2022年法治政府建设年度报告</h1>'
        f'<div class="info">{info}</div><div class="TRS_Editor">{_BODY}</div>'
        "<div>版权所有：某县人民政府</div></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("info", "iso"),
    [
        ("发布时间： 2023 年 03 月 27 日", "2023-03-27"),  # spaced out by the template
        ("发布日期： 2023 - 03 - 27 09:30", "2023-03-27"),
        ("更新时间：2023-05-02 发布时间：2023-03-27", "2023-03-27"),  # the update comes first
        ("更新时间：2023年05月02日｜发布时间：2023年03月27日", "2023-03-27"),
        ("2023-04-11 18:20\u3000来源：洛阳日报\u3000作者：记者 张伟", "2023-04-11"),  # a byline
        ("发布时间：２０２４-０３-１５\u3000来源：县司法局", "2024-03-15"),  # full-width digits
        ("发布时间：2024年03月28日 星期四", "2024-03-28"),  # with the day of the week
        ("发布时间：2024年3月28日 10时30分  来源：凤县司法局", "2024-03-28"),  # time in Chinese
    ],
)
def test_publication_line_outside_the_body(info: str, iso: str) -> None:
    doc = process(_page(info), url="http://www.example.gov.cn/a.html", content_sha256="x",
                  fetched_at="2023-06-01T00:00:00Z", content_type="text/html")
    assert doc.publish_date == iso
    assert "时间" not in doc.text and "来源" not in doc.text


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("发布时间： 2023 年 03 月 27 日  来源：县司法局", "2023-03-27"),
        ("更新时间：2023-05-02 10:00 发布时间：2023-03-27 09:00", "2023-03-27"),
        ("作者：通讯员 王芳  2023-03-27", "2023-03-27"),
    ],
)
def test_publication_line_in_plain_text(line: str, iso: str) -> None:
    text = ("某县2022年法治政府建设年度报告\n" + line + "\n"
            + "".join(f"{i}、我县深入推进法治政府建设，严格规范公正文明执法。\n" for i in range(1, 9))
            + "某县人民政府\n2023年3月25日\n")
    doc = process(text.encode(), url="http://www.example.gov.cn/a.txt", content_sha256="x",
                  fetched_at="2023-06-01T00:00:00Z", content_type="text/plain")
    assert doc.publish_date == iso
    assert line not in doc.text  # the publication line is page furniture, not body
    assert doc.text.endswith("2023年3月25日")  # while the dated signature stays


def test_byline_author_is_the_name_not_the_role() -> None:
    meta: dict[str, str] = {}
    meta_from_line("2023-04-11 18:20 来源：洛阳日报 作者：记者 张伟", meta)
    assert meta == {"PubDate": "2023-04-11 18:20", "ContentSource": "洛阳日报", "Author": "张伟"}


def test_delivery_date_only_when_nothing_else_dates_the_page() -> None:
    head = "政府工作报告\n——2024年1月8日在天门市第十届人民代表大会第四次会议上\n"
    assert dates.publish_date({}, head + "各位代表：……")[0] == "2024-01-08"
    assert dates.publish_date({"PubDate": "2024-01-15"}, head + "各位代表：……")[0] == "2024-01-15"
    assert dates.publish_date({}, head + "发布时间：2024-01-15\n各位代表：……")[0] == "2024-01-15"


def test_trs_attachment_names_carry_the_date() -> None:
    assert dates.date_from_url("https://www.qdn.gov.cn/xxgk/P020210915512345678901.pdf") == "2021-09-15"
