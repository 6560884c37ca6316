"""List and report pages with links that are no URLs: the good links are still found."""

from __future__ import annotations

from fazhi_crawler.listpage import attachment_links, parse_list

_BAD = "http://[unclosed/x.html"


def test_a_list_page_with_an_unparsable_link_still_gives_its_reports() -> None:
    html = f"""<html><body><ul>
      <li><a href="{_BAD}">关于2022年度法治政府建设工作情况的报告</a> 2023-03-01</li>
      <li><a href="/202303/t20230302_1.html">关于2022年度法治政府建设工作情况的报告</a> 2023-03-02</li>
    </ul><a href="{_BAD}">下一页</a><a href="index_1.html">下一页</a></body></html>"""
    page = parse_list(html.encode(), "http://gov.example/fzzf/index.html", "text/html; charset=utf-8")
    assert [link.url for link in page.links] == ["http://gov.example/202303/t20230302_1.html"]
    assert page.next_urls == ["http://gov.example/fzzf/index_1.html"]


def test_a_report_page_with_an_unparsable_attachment_link_keeps_the_good_ones() -> None:
    html = f"""<html><body><p>正文</p>
      <a href="{_BAD[:-5]}.pdf">附件1</a><a href="/files/report.pdf">附件2</a></body></html>"""
    found = attachment_links(html.encode(), "http://gov.example/202303/t20230302_1.html",
                             "text/html; charset=utf-8")
    assert found == ["http://gov.example/files/report.pdf"]
