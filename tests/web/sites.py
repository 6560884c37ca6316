"""Realistic local government sites: TRS static lists, a JSON list API, JSONP, a list inside a
<script> in GBK, and a badly behaved site; report pages in the usual CMS templates.

Every site knows which of its links are reports (`expected()`), so tests compare what the
crawler found with the truth. `publish()` adds a new report at the top of a list.
"""

from __future__ import annotations

import functools
import io
import json
import os
import random
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from tests.web.server import Answer, Site

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PLACES = ["临江市", "青山县", "白河区", "安宁市", "东湖县", "南岭市", "西峰区", "北川县", "云溪市", "石门县",
          "梅林区", "长宁县", "清水市", "高台县", "柳城区", "平阳市", "松江县", "宁远市", "永和县", "金川区"]
NOTICES = ["关于召开全市法治政府建设工作会议的通知", "市政府2024年政府工作报告", "关于开展“八五”普法中期检查的通知",
           "我市举办行政执法人员培训班", "关于2023年度行政执法案例评选结果的公示", "市司法局领导调研基层司法所",
           "关于征求《市行政规范性文件管理办法（征求意见稿）》意见的公告", "法治政府建设示范创建活动推进会召开"]


@functools.cache
def _sentences() -> list[str]:
    text = "".join(p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return [s.strip() + "。" for s in re.split(r"[。\n]", text) if len(s.strip()) > 25]


def report_text(key: str, place: str, year: int) -> list[str]:
    """Paragraphs of a plausible annual report, different for every key."""
    rng = random.Random(key)
    pool = _sentences()
    paragraphs = [f"{year}年，{place}深入学习贯彻习近平法治思想，全面推进法治政府建设。现将有关情况报告如下："]
    for heading in ("一、主要举措和成效", "二、存在的不足和原因",
                    "三、党政主要负责人履行推进法治建设第一责任人职责情况", "四、下一年度工作安排"):
        paragraphs.append(heading)
        paragraphs.append("".join(rng.sample(pool, 4)))
        paragraphs.append(f"全年共办理行政复议案件{rng.randint(20, 900)}件，"
                          f"行政机关负责人出庭应诉率达{rng.randint(80, 100)}%。编号{key}。")
    return paragraphs


@dataclass
class Item:
    path: str
    title: str
    date: str
    report: bool = True
    attachments: list[str] = field(default_factory=list)


def _page(title: str, body: str, charset: str = "utf-8", meta: str = "") -> str:
    return (f'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"{meta}<title>{escape(title)}</title></head><body>"
            '<div class="top">首页 | 政务公开 | 互动交流 <a href="/">网站首页</a> <a href="javascript:void(0)">无障碍</a></div>'
            f"{body}<div class=\"foot\">主办：{escape(title[:4])}人民政府 扫一扫在手机打开当前页 打印 关闭窗口</div></body></html>")


def report_page(item: Item, site_name: str, place: str, charset: str = "utf-8") -> str:
    year = int(item.date[:4]) - 1
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in report_text(item.path + item.title, place, year))
    files = "".join(f'<p>附件：<a href="{a}">{escape(item.title)}{os.path.splitext(a)[1]}</a></p>'
                    for a in item.attachments)
    meta = (f'<meta name="SiteName" content="{place}人民政府"><meta name="ArticleTitle" content="{escape(item.title)}">'
            f'<meta name="PubDate" content="{item.date} 09:30"><meta name="ContentSource" content="{place}司法局">')
    body = (f'<div class="crumb">当前位置：首页 &gt; 法治政府建设</div><h1>{escape(item.title)}</h1>'
            f'<div class="info">发布时间：{item.date} 来源：{place}司法局 字号：大 中 小</div>'
            f'<div class="TRS_Editor">{paragraphs}</div>{files}'
            f'<div class="share">分享到：微信 微博</div><div class="related"><a href="/">返回首页</a></div>')
    return _page(item.title, body, charset, meta)


def notice_page(item: Item, charset: str = "utf-8") -> str:
    return _page(item.title, f"<h1>{escape(item.title)}</h1><div id=\"zoom\"><p>{item.date}上午，会议在市政府召开。</p></div>",
                 charset)


@functools.cache
def pdf_bytes(title: str) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont("STSong-Light", 12)
    y = 800
    for line in [title, *report_text(title, "临江市", 2023)]:
        for start in range(0, len(line), 38):
            pdf.drawString(40, y, line[start:start + 38])
            y -= 18
            if y < 60:
                pdf.showPage()
                pdf.setFont("STSong-Light", 12)
                y = 800
    pdf.save()
    return out.getvalue()


@functools.cache
def docx_bytes(title: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for paragraph in report_text(title, "青山县", 2023):
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class ListSite(Site):
    """Items newest first; the list layout is up to the subclass."""

    place = "临江市"
    charset = "utf-8"

    def __init__(self, name: str, items: list[Item]) -> None:
        super().__init__()
        self.name = name
        self.items = sorted(items, key=lambda i: i.date, reverse=True)
        self.published = 0

    def expected(self) -> set[str]:
        """URLs of the reports a crawler must find (and may fetch)."""
        return {self.url(i.path) for i in self.items if i.report and not i.path.startswith("/private/")}

    def attachment_urls(self) -> set[str]:
        return {self.url(a) for i in self.items if i.report for a in i.attachments}

    def publish(self, title: str | None = None, date: str = "2025-03-30") -> str:
        with self.lock:
            self.published += 1
            n = 9000 + self.published
            item = Item(self.report_path(date, n), title or f"关于{self.place}2024年度法治政府建设工作情况的报告（{n}）", date)
            self.items.insert(0, item)
            self.touch()
            return self.url(item.path)

    def report_path(self, date: str, n: int) -> str:
        return f"/col/fzzfjs/{date[:4]}{date[5:7]}/t{date.replace('-', '')}_{n}.html"

    def encode(self, html: str) -> bytes:
        return html.encode(self.charset)

    def content_type(self) -> str:
        return f"text/html; charset={self.charset}"

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer | None:
        for item in self.items:
            if path == item.path:
                html = report_page(item, self.name, self.place, self.charset) if item.report else notice_page(item, self.charset)
                return Answer(body=self.encode(html), content_type=self.content_type())
            for a in item.attachments:
                if path == a:
                    if a.endswith(".pdf"):
                        return Answer(body=pdf_bytes(item.title), content_type="application/pdf")
                    return Answer(body=docx_bytes(item.title), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return self.list_route(path, query)

    def list_route(self, path: str, query: dict[str, list[str]]) -> Answer | None:
        raise NotImplementedError


class TrsSite(ListSite):
    """TRS WCM static lists: index.html, index_1.html… with createPageHTML and 下一页."""

    def __init__(self, name: str, items: list[Item], per_page: int = 5, column: str = "/col/fzzfjs/") -> None:
        super().__init__(name, items)
        self.per_page = per_page
        self.column = column

    def robots(self) -> str:
        return "User-agent: *\nDisallow: /private/\nDisallow: /search/\n"

    def list_url(self) -> str:
        return self.url(self.column + "index.html")

    def list_route(self, path: str, query: dict[str, list[str]]) -> Answer | None:
        match = re.fullmatch(re.escape(self.column) + r"index(?:_(\d+))?\.html", path)
        if not match:
            return None
        with self.lock:
            pages = max(1, -(-len(self.items) // self.per_page))
            n = int(match.group(1) or 0)
            if n >= pages:
                return None
            rows = "".join(
                f'<li><a href="{self._href(i)}" target="_blank" title="{escape(i.title)}">{escape(self._cut(i.title))}</a>'
                f"<span>{i.date}</span></li>"
                for i in self.items[n * self.per_page:(n + 1) * self.per_page]
            )
            nxt = f'<a href="index_{n + 1}.html">下一页</a>' if n + 1 < pages else "<span>下一页</span>"
            prev = f'<a href="{"index.html" if n == 1 else f"index_{n - 1}.html"}">上一页</a>' if n else ""
            body = (f'<div class="list"><ul>{rows}</ul></div><div class="page">'
                    f'<script>createPageHTML({pages}, {n}, "index", "html");</script>{prev}{nxt}</div>'
                    '<a href="/search/?q=法治">站内搜索</a>')
            return Answer(body=self.encode(_page(f"{self.place}法治政府建设", body, self.charset)),
                          content_type=self.content_type(), modified=self.modified)

    def _href(self, item: Item) -> str:
        # TRS writes links relative to the list page (./202403/t…html).
        if item.path.startswith(self.column):
            return "./" + item.path[len(self.column):]
        return item.path

    @staticmethod
    def _cut(title: str) -> str:
        return title if len(title) <= 24 else title[:22] + "..."


class JsonApiSite(ListSite):
    """A JSON list API (Hanweb-like URLs) and a JSONP variant of it."""

    def __init__(self, name: str, items: list[Item], per_page: int = 4) -> None:
        super().__init__(name, items)
        self.per_page = per_page

    def report_path(self, date: str, n: int) -> str:
        return f"/art/{int(date[:4])}/{int(date[5:7])}/{int(date[8:10])}/art_1_{n}.html"

    def list_url(self) -> str:
        return self.url(f"/api/fzzf/list?page=1&pageSize={self.per_page}")

    def jsonp_url(self) -> str:
        return self.url("/api/fzzf/jsonp?callback=jQuery1124_1711&page=1")

    def list_route(self, path: str, query: dict[str, list[str]]) -> Answer | None:
        if path not in ("/api/fzzf/list", "/api/fzzf/jsonp"):
            return None
        with self.lock:
            page = int(query.get("page", ["1"])[0])
            pages = max(1, -(-len(self.items) // self.per_page))
            chunk = self.items[(page - 1) * self.per_page: page * self.per_page]
            data = {"code": 200, "msg": "success", "data": {
                "page": page, "pageSize": self.per_page, "totalPage": pages, "total": len(self.items),
                "list": [{"id": k, "title": i.title, "linkUrl": i.path, "pubDate": i.date + " 10:12:00",
                          "source": self.place} for k, i in enumerate(chunk)]}}
            text = json.dumps(data, ensure_ascii=False)
            if path.endswith("jsonp"):
                callback = query.get("callback", ["cb"])[0]
                return Answer(body=f"{callback}({text});".encode(), content_type="application/javascript; charset=utf-8")
            return Answer(body=text.encode(), content_type="application/json; charset=utf-8")


class ScriptListSite(ListSite):
    """A GBK site whose list lives in a <script> array, pages by ?page=N with 下一页."""

    charset = "gbk"

    def __init__(self, name: str, items: list[Item], per_page: int = 4) -> None:
        super().__init__(name, items)
        self.per_page = per_page

    def report_path(self, date: str, n: int) -> str:
        return f"/xxgk/fzzf/{date[:4]}/{n}.shtml"

    def list_url(self) -> str:
        return self.url("/xxgk/fzzf/list.html?page=1")

    def list_route(self, path: str, query: dict[str, list[str]]) -> Answer | None:
        if path != "/xxgk/fzzf/list.html":
            return None
        with self.lock:
            page = int(query.get("page", ["1"])[0])
            pages = max(1, -(-len(self.items) // self.per_page))
            if page > pages:
                return None
            chunk = self.items[(page - 1) * self.per_page: page * self.per_page]
            docs = json.dumps([{"t": i.title, "u": i.path, "d": i.date} for i in chunk], ensure_ascii=False)
            nxt = f'<a href="list.html?page={page + 1}">下一页</a>' if page < pages else ""
            body = (f'<ul id="list"></ul><script type="text/javascript">var docs = {docs};\n'
                    "for (var i = 0; i < docs.length; i++) { document.write('<li><a href=\"' + docs[i].u + '\">'"
                    " + docs[i].t + '</a>' + docs[i].d + '</li>'); }</script>"
                    f'<div class="pager">共{pages}页 {nxt}</div>')
            return Answer(body=self.encode(_page(f"{self.place}信息公开", body, "gb2312")),
                          content_type="text/html")


class FlakySite(TrsSite):
    """Slow pages, 500s that recover, a 429, a redirect loop, a huge page, binary garbage."""

    def __init__(self, name: str, items: list[Item], huge_bytes: int = 3_000_000) -> None:
        super().__init__(name, items, per_page=20, column="/news/")
        self.failures: dict[str, int] = {"flaky": 2, "busy": 1}
        self.huge_bytes = huge_bytes

    def robots(self) -> str:
        return "User-agent: *\nCrawl-delay: 0.5\nDisallow: /admin/\n"

    def expected(self) -> set[str]:
        """Reports that can be fetched: not the loop, the huge page or the forbidden one."""
        return {self.url(i.path) for i in self.items
                if i.report and not any(w in i.path for w in ("loop", "huge", "/admin/"))}

    def route(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> Answer | None:
        with self.lock:
            if "flaky" in path and self.failures["flaky"] > 0:
                self.failures["flaky"] -= 1
                return Answer(status=500, body=b"Internal Server Error", cacheable=False)
            if "busy" in path and self.failures["busy"] > 0:
                self.failures["busy"] -= 1
                return Answer(status=429, body=b"Too Many Requests", headers={"Retry-After": "2"}, cacheable=False)
        if "/loop/a" in path:
            return Answer(status=302, headers={"Location": "/loop/b.html"}, cacheable=False)
        if "/loop/b" in path:
            return Answer(status=302, headers={"Location": "/loop/a.html"}, cacheable=False)
        if "huge" in path:
            return Answer(body=b"<html><body>" + "法治政府建设".encode() * (self.huge_bytes // 18),
                          stream_without_length=True)
        if "garbage" in path:
            return Answer(body=random.Random(7).randbytes(40_000), content_type="text/html")
        answer = super().route(path, query, headers)
        if answer is not None and ("slow" in path or path.endswith("index.html")):
            answer.delay = 0.8
        return answer


def test_sites() -> dict[str, ListSite]:
    """The sites of the crawler's tests."""
    trs_items = [
        Item(f"/col/fzzfjs/2024{m:02d}/t2024{m:02d}{d:02d}_{n}.html", title, f"2024-{m:02d}-{d:02d}")
        for n, (m, d, title) in enumerate([
            (3, 28, "临江市人民政府关于2023年度法治政府建设工作情况的报告"),
            (3, 25, "临江市司法局2023年度法治政府建设情况报告"),
            (3, 20, "临江市市场监督管理局关于2023年法治政府建设工作的报告"),
            (2, 18, "临江市2024年法治政府建设工作要点"),
            (1, 10, "临江市法治政府建设实施方案（2021—2025年）"),
            (3, 29, "临江市交通运输局2023年度法治政府建设年度报告"),
            (3, 27, "临江市教育局2023年法治政府建设工作情况报告"),
            (3, 26, "临江市生态环境局关于2023年度法治政府建设工作情况的报告"),
            (3, 15, "临江市应急管理局2023年度法治政府建设工作报告"),
        ], start=1000)
    ]
    trs_items[0].attachments = ["/uploadfiles/202403/P020240328_1.pdf"]
    trs_items[1].attachments = ["/uploadfiles/202403/P020240325_2.docx"]
    trs_items += [Item(f"/col/fzzfjs/2024{3:02d}/t202403{d:02d}_{2000 + d}.html", t, f"2024-03-{d:02d}", report=False)
                  for d, t in zip((27, 22, 12, 5), NOTICES, strict=False)]
    trs_items.append(Item("/private/202403/t20240301_9.html", "临江市内部2023年度法治政府建设工作情况的报告", "2024-03-01"))
    api_items = [
        Item(f"/art/2024/3/{d}/art_1_{300 + d}.html", f"青山县{dept}2023年度法治政府建设工作情况报告", f"2024-03-{d:02d}")
        for d, dept in zip(range(10, 17), ["人民政府", "司法局", "财政局", "公安局", "民政局", "卫健局", "水利局"], strict=False)
    ] + [Item(f"/art/2024/3/{d}/art_1_{400 + d}.html", t, f"2024-03-{d:02d}", report=False)
         for d, t in zip((11, 13, 15), NOTICES[3:], strict=False)]
    gbk_items = [
        Item(f"/xxgk/fzzf/2024/{500 + k}.shtml", f"白河区{dept}关于2023年度法治政府建设工作的报告", f"2024-03-{10 + k:02d}")
        for k, dept in enumerate(["人民政府", "司法局", "城管局", "税务局", "住建局", "人社局"])
    ] + [Item("/xxgk/fzzf/2024/600.shtml", NOTICES[1], "2024-03-12", report=False)]
    flaky_items = [
        Item("/news/202403/t20240320_slow.html", "安宁市2023年度法治政府建设工作报告", "2024-03-20"),
        Item("/news/202403/t20240321_flaky.html", "安宁市司法局2023年度法治政府建设工作报告", "2024-03-21"),
        Item("/news/202403/t20240322_busy.html", "安宁市财政局2023年度法治政府建设工作报告", "2024-03-22"),
        Item("/loop/a.html", "安宁市公安局2023年度法治政府建设工作报告", "2024-03-23"),
        Item("/news/202403/t20240324_huge.html", "安宁市卫健委2023年度法治政府建设工作报告", "2024-03-24"),
        Item("/news/202403/t20240325_garbage.html", "安宁市水务局2023年度法治政府建设工作报告", "2024-03-25"),
        Item("/admin/202403/t20240326_1.html", "安宁市审计局2023年度法治政府建设工作报告", "2024-03-26"),
        Item("/news/202403/t20240319_n.html", NOTICES[0], "2024-03-19", report=False),
    ]
    gbk = ScriptListSite("gbk", gbk_items)
    gbk.place = "白河区"
    gbk.etags = False
    api = JsonApiSite("api", api_items)
    api.place = "青山县"
    flaky = FlakySite("flaky", flaky_items)
    flaky.place = "安宁市"
    return {"trs": TrsSite("trs", trs_items), "api": api, "gbk": gbk, "flaky": flaky}


def bench_site(k: int, reports: int = 12, per_page: int = 6) -> TrsSite:
    place = PLACES[k % len(PLACES)] + (str(k) if k >= len(PLACES) else "")
    items = [Item(f"/col/fzzfjs/2024{3:02d}/t202403{1 + d:02d}_{k * 100 + d}.html",
                  f"{place}{dept}2023年度法治政府建设工作情况的报告", f"2024-03-{1 + d:02d}")
             for d, dept in enumerate(["人民政府", "司法局", "财政局", "公安局", "民政局", "卫健局", "水利局", "教育局",
                                       "农业农村局", "商务局", "文旅局", "审计局", "统计局", "医保局"][:reports])]
    site = TrsSite(f"h{k:02d}", items, per_page=per_page)
    site.place = place
    return site
