"""Generic discovery on every kind of list page, as `fazhi discover` prints it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fazhi_crawler.discovery import discover
from fazhi_crawler.listpage import is_report_title, parse_list, successor_url
from fazhi_shared.settings import Settings
from fazhi_shared.stores.sources import Source
from tests.web.server import LocalWeb
from tests.web.sites import ListSite


def _truth(site: ListSite) -> dict[str, tuple[str, str]]:
    return {site.url(i.path): (i.title, i.date) for i in site.items if i.report}


@pytest.mark.parametrize("name,kind", [("trs", "html"), ("api", "json"), ("gbk", "html")])
def test_discover_finds_every_report_link_with_title_and_date_and_nothing_else(
    name: str, kind: str, sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings
) -> None:
    site = sites[name]
    list_url = site.list_url()  # type: ignore[attr-defined]
    found = list(discover(list_url, crawl_settings, source=Source(id=name, list_urls=[list_url], kind=kind)))
    assert {f["url"]: (f["title"], f["date"]) for f in found} == _truth(site)
    assert len(found) == len({f["url"] for f in found})
    # Only list pages were read: every page of the pagination, no report.
    fetched = web.paths_fetched(name)
    assert not [p for p in fetched if p.endswith((".shtml", "art_1_")) or "/t2024" in p]
    pages = -(-len(site.items) // site.per_page)  # type: ignore[attr-defined]
    assert len([p for p in fetched if p != "/robots.txt"]) == pages


def test_discover_reads_jsonp_without_being_told_the_kind(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings
) -> None:
    site = sites["api"]
    found = list(discover(site.jsonp_url(), crawl_settings))  # type: ignore[attr-defined]
    assert {f["url"] for f in found} == set(_truth(site))


def test_pagination_stops_at_the_limit(sites: dict[str, ListSite], web: LocalWeb,
                                       crawl_settings: Settings) -> None:
    site = sites["trs"]
    found = list(discover(site.list_url(), crawl_settings, max_pages=2))  # type: ignore[attr-defined]
    first_two_pages = site.items[: 2 * site.per_page]  # type: ignore[attr-defined]
    assert {f["url"] for f in found} == {site.url(i.path) for i in first_two_pages if i.report}
    assert [p for p in web.paths_fetched("trs") if p != "/robots.txt"] == [
        "/col/fzzfjs/index.html", "/col/fzzfjs/index_1.html"]


def test_title_rules_keep_reports_and_drop_notices() -> None:
    assert is_report_title("关于2023年度法治政府建设工作情况的报告")
    assert is_report_title("关于2023年度法治政府建設工作情況的報告")  # traditional
    assert is_report_title("某某县2024年法治政府建设工作要点")
    assert is_report_title("法治政府建设实施方案（2021-2025年）")
    assert is_report_title("关于印发《某市法治政府建设实施方案》的通知")
    assert is_report_title("某某市人民政府关于2023年度法治政府建设...")
    for notice in ("2024年政府工作报告", "关于召开法治政府建设工作会议的通知", "法治政府建设示范创建推进会召开",
                   "我市举办行政执法人员培训班", "站内搜索"):
        assert not is_report_title(notice), notice


def test_list_page_variants_without_a_server() -> None:
    html = ('<html><body><ul><li><a href="/art/2022/3/28/art_1_2.html">青山县2021年度法治政府建设年度报告</a>'
            "<span>２０２２年３月２８日</span></li></ul>"
            '<a href="?page=2">2</a></body></html>').encode()
    page = parse_list(html, "http://x.gov.cn/col/list.jsp?page=1")
    assert [(link.url, link.date) for link in page.links] == [
        ("http://x.gov.cn/art/2022/3/28/art_1_2.html", "2022-03-28")]
    assert page.next_urls == ["http://x.gov.cn/col/list.jsp?page=2"]
    assert successor_url("http://x.gov.cn/col/index_3.html") == "http://x.gov.cn/col/index_4.html"
    assert successor_url("http://x.gov.cn/col/") == "http://x.gov.cn/col/index_1.html"
    # Binary garbage is no list: nothing found, nothing raised.
    assert parse_list(bytes(range(256)) * 50, "http://x.gov.cn/").links == []


def test_selectors_and_field_paths_when_a_source_gives_them(
    sites: dict[str, ListSite], web: LocalWeb, crawl_settings: Settings
) -> None:
    trs, api = sites["trs"], sites["api"]
    html_source = Source(id="t", list_urls=[trs.list_url()], selectors={  # type: ignore[attr-defined]
        "item": "div.list li", "link": "a", "date": "span", "next": "div.page a:last-child",
        "title_pattern": "法治政府建设.*报告$"})
    found = list(discover(trs.list_url(), crawl_settings, source=html_source))  # type: ignore[attr-defined]
    # Only annual reports this time (the pattern), work plan and implementation plan left out.
    assert {f["url"] for f in found} == {
        trs.url(i.path) for i in trs.items if i.report and i.title.endswith("报告")}
    json_source = Source(id="j", list_urls=[api.list_url()], kind="json", selectors={  # type: ignore[attr-defined]
        "items": "data.list", "url": "linkUrl", "title": "title", "date": "pubDate",
        "total_pages": "data.totalPage", "page_param": "page"})
    found = list(discover(api.list_url(), crawl_settings, source=json_source))  # type: ignore[attr-defined]
    assert {(f["url"], f["date"]) for f in found} == {
        (api.url(i.path), i.date) for i in api.items if i.report}


def test_json_pages_without_a_total_stop_at_the_first_empty_page() -> None:
    full = json.dumps({"result": {"rows": [
        {"title": "某县2023年度法治政府建设工作报告", "url": "/a/1.html", "date": "2024-03-01"},
        {"title": "某县召开工作会议", "url": "/a/2.html", "date": "2024-03-02"}]}}, ensure_ascii=False)
    page = parse_list(full.encode(), "http://x.gov.cn/api?pageNo=3", "application/json",
                      Source(id="x", list_urls=["http://x.gov.cn/api?pageNo=1"], kind="json"))
    assert [link.url for link in page.links] == ["http://x.gov.cn/a/1.html"]
    assert page.next_urls == ["http://x.gov.cn/api?pageNo=4"]
    empty = parse_list(b'{"result": {"rows": []}, "code": 0}', "http://x.gov.cn/api?pageNo=4",
                       "application/json", Source(id="x", list_urls=["http://x.gov.cn/api"], kind="json"))
    assert empty.links == [] and empty.next_urls == []
    # A 下一页 link to another site is not followed.
    off_site = parse_list('<a href="http://other.example/index_1.html">下一页</a>'.encode(),
                          "http://x.gov.cn/col/index.html")
    assert off_site.next_urls == []


def test_fazhi_discover_prints_one_json_object_per_report_link(
    sites: dict[str, ListSite], web: LocalWeb, tmp_path: Path
) -> None:
    """The command itself, with no stack running (politeness then holds inside the process)."""
    site = sites["gbk"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAZHI_")}
    env.update({"FAZHI_DATA_DIR": str(tmp_path / "data"), "FAZHI_CRAWL_RATE_PER_HOST": "20"})
    done = subprocess.run([sys.executable, "-m", "fazhi_cli.main", "discover", site.list_url(), "--json"],  # type: ignore[attr-defined]
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert {(d["url"], d["title"], d["date"]) for d in lines} == {
        (site.url(i.path), i.title, i.date) for i in site.items if i.report}
    assert len(lines) == len({d["url"] for d in lines})
