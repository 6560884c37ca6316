"""Read one list page (HTML, JSON, JSONP or a list inside a <script>): report links and the
next pages.

Without selectors: a link is a report link when its title reads as one of the three genres
(the same title rules the worker applies, plus truncated list titles), its date comes from
the row around it or from the URL; next pages are the 下一页 link, the TRS
`createPageHTML(total, current, "index", "html")` call, any link to the page's numeric
successor (index.html → index_1.html, ?page=2) and, in JSON, page numbers with a total.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from fazhi_shared.extract.genre import doc_type
from fazhi_shared.stores.sources import Selectors, Source
from fazhi_shared.text.decode import decode
from fazhi_shared.text.normalize import fold_width, to_simplified

_SUBJECT = re.compile(r"法治(?:政府)?建设|依法行政|法治政府")
_TRUNCATED = re.compile(r"(?:\.\.\.|…|。。。)$")
_NEGATIVE = re.compile(r"政府工作报告|召开|会议|培训|调研|新闻|发布会|案例|公示|征求意见|示范|督察|通报|解读")
_DATE = re.compile(r"((?:19|20)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_URL_DATES = (
    re.compile(r"/t((?:19|20)\d\d)(\d\d)(\d\d)_"),
    re.compile(r"/art/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d\d)-?(\d\d)-?(\d\d)/"),
)
_NEXT_TEXTS = {"下一页", "下页", "后一页", "下一頁", "next", "next page", ">", "›", "»", ">>"}
_TRS_PAGER = re.compile(
    r"createPage(?:HTML|Html)\w*\(\s*[\"']?(\d+)[\"']?\s*,\s*[\"']?(\d+)[\"']?\s*,\s*[\"']([\w\-]+)[\"']\s*,\s*[\"'](\w+)[\"']"
)
_PAGE_PARAMS = ("page", "pageNo", "pageNum", "pageIndex", "curPage", "currentPage", "p", "pn")
_TOTAL_KEYS = ("totalPage", "totalPages", "pageCount", "pageTotal", "total_page", "total_pages", "pages", "totalpage")
_URL_KEYS = ("url", "link", "href", "docUrl", "linkUrl", "path", "pageUrl", "articleUrl", "detailUrl")
_TITLE_KEYS = ("title", "name", "subject", "docTitle", "articleTitle", "caption")
_DATE_KEYS = ("date", "pubDate", "publishDate", "publish_date", "pubdate", "releaseDate", "time", "createTime", "docDate")
_JSONP = re.compile(r"^\s*[\w$.\[\]'\"]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)
_SCRIPT_ASSIGN = re.compile(r"(?:=|\(|:)\s*(?=[\[{])")


@dataclass
class Link:
    url: str
    title: str
    date: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"url": self.url, "title": self.title, "date": self.date}


@dataclass
class ListPage:
    links: list[Link] = field(default_factory=list)
    next_urls: list[str] = field(default_factory=list)


def clean_title(title: str) -> str:
    return re.sub(r"\s+", "", to_simplified(fold_width(title or "")))


def is_report_title(title: str, pattern: str | None = None) -> bool:
    t = clean_title(title)
    if not t:
        return False
    if pattern:
        return re.search(pattern, t) is not None
    if doc_type(t, "") != "other":
        return True
    # Lists cut long titles (关于2023年度法治政府建设工作情况的…): keep those on the subject.
    return bool(_TRUNCATED.search(t) and _SUBJECT.search(t) and not _NEGATIVE.search(t))


def date_in(text: str) -> str | None:
    match = _DATE.search(fold_width(text or ""))
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def date_from_url(url: str) -> str | None:
    for pattern in _URL_DATES:
        match = pattern.search(url)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def parse_list(body: bytes, url: str, content_type: str | None = None,
               source: Source | None = None) -> ListPage:
    kind = source.kind if source else "html"
    sel = source.selectors if source else Selectors()
    text, _encoding, _warnings = decode(body, content_type)
    stripped = text.lstrip()
    if kind in ("json", "jsonp") or (kind == "html" and stripped[:1] in "[{" and "json" in (content_type or "")):
        data = _load_json(text)
        if data is None:
            return ListPage()
        return _from_json(data, url, sel)
    if kind == "html" and _JSONP.match(text) and "javascript" in (content_type or ""):
        data = _load_json(text)
        return _from_json(data, url, sel) if data is not None else ListPage()
    return _from_html(text, url, sel, scripts=True)


# -- HTML ------------------------------------------------------------------------------------
def _from_html(html: str, url: str, sel: Selectors, scripts: bool) -> ListPage:
    tree = LexborHTMLParser(html)
    base = url
    base_node = tree.css_first("base[href]")
    if base_node is not None and base_node.attributes.get("href"):
        base = _join(url, base_node.attributes["href"] or "") or url
    page = ListPage()
    if sel.item:
        for item in tree.css(sel.item):
            anchor = item.css_first(sel.link) if sel.link else item.css_first("a[href]")
            if anchor is None:
                continue
            title_node = item.css_first(sel.title) if sel.title else None
            title = title_node.text(strip=True) if title_node is not None else _anchor_title(anchor)
            date_node = item.css_first(sel.date) if sel.date else None
            link = _link(base, anchor.attributes.get("href"), title,
                         date_node.text() if date_node is not None else item.text())
            if link and is_report_title(link.title, sel.title_pattern):
                page.links.append(link)
    else:
        for anchor in tree.css("a[href]"):
            title = _anchor_title(anchor)
            if not is_report_title(title, sel.title_pattern):
                continue
            link = _link(base, anchor.attributes.get("href"), title, _row_text(anchor))
            if link:
                page.links.append(link)
    if scripts:
        for script in tree.css("script"):
            code = script.text() or ""
            for data in _json_in_script(code):
                found = _from_json(data, base, sel)
                page.links.extend(found.links)
            for total, current, prefix, ext in _TRS_PAGER.findall(code):
                nxt = int(current) + 1
                if nxt < int(total):
                    page.next_urls.append(urljoin(base, f"{prefix}_{nxt}.{ext}"))
    page.next_urls.extend(_html_next(tree, base, url, sel))
    page.links = _unique(page.links)
    # Pagination stays on the list's own site; report links may point anywhere.
    host = urlsplit(url).netloc
    page.next_urls = list(dict.fromkeys(
        u for u in page.next_urls if u != url and urlsplit(u).netloc == host))
    return page


def _anchor_title(anchor: LexborNode) -> str:
    text = anchor.text(strip=True) or ""
    attr = (anchor.attributes.get("title") or "").strip()
    # The title attribute carries the full title when the text is cut.
    return attr if len(attr) >= len(text) else text


def _row_text(anchor: LexborNode) -> str:
    node: LexborNode | None = anchor
    for _ in range(3):
        if node is None or node.parent is None:
            break
        node = node.parent
        if node.tag in ("li", "tr", "dd", "dl", "p", "div", "td") and len(node.text() or "") < 400:
            return node.text() or ""
    return anchor.text() or ""


def _link(base: str, href: str | None, title: str, context: str) -> Link | None:
    href = (href or "").strip()
    if not href or href.startswith(("javascript:", "#", "mailto:")):
        return None
    url = _join(base, href)
    if url is None or not url.startswith(("http://", "https://")):
        return None
    return Link(url=url, title=clean_title(title), date=date_in(context) or date_from_url(url))


def _join(base: str, href: str) -> str | None:
    """`href` made absolute, without its fragment; None when it is no URL at all."""
    try:
        return urljoin(base, href).split("#", 1)[0]
    except ValueError:  # e.g. http://[unclosed
        return None


def _html_next(tree: LexborHTMLParser, base: str, url: str, sel: Selectors) -> list[str]:
    found: list[str] = []
    if sel.next:
        for anchor in tree.css(sel.next):
            href = anchor.attributes.get("href")
            target = _join(base, href) if href and not href.startswith("javascript:") else None
            if target:
                found.append(target)
        return found
    successor = successor_url(url)
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        target = _join(base, href)
        label = (anchor.text(strip=True) or "").lower()
        if target and (label in _NEXT_TEXTS or target == successor):
            found.append(target)
    return found


def successor_url(url: str) -> str | None:
    """The page after `url` in the usual schemes: index.html → index_1.html, ?page=N → N+1."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (key, value) in enumerate(query):
        if key in _PAGE_PARAMS and value.isdigit():
            query[i] = (key, str(int(value) + 1))
            return urlunsplit(parts._replace(query=urlencode(query)))
    path = parts.path
    match = re.search(r"/(index|default|list)(?:_(\d+))?\.(s?html?|jsp|php)$", path)
    if match:
        n = int(match.group(2) or 0) + 1
        new_path = path[: match.start()] + f"/{match.group(1)}_{n}.{match.group(3)}"
        return urlunsplit(parts._replace(path=new_path))
    if path.endswith("/"):
        return urlunsplit(parts._replace(path=path + "index_1.html"))
    return None


# -- JSON, JSONP, script ---------------------------------------------------------------------
def _load_json(text: str) -> Any:
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    match = _JSONP.match(text)
    if match:
        try:
            return json.loads(match.group(1))
        except ValueError:
            return None
    return None


def _json_in_script(code: str) -> Iterator[Any]:
    decoder = json.JSONDecoder()
    for match in _SCRIPT_ASSIGN.finditer(code):
        try:
            value, _end = decoder.raw_decode(code, match.end())
        except ValueError:
            continue
        if isinstance(value, list | dict) and value:
            yield value


def _path(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


def _from_json(data: Any, url: str, sel: Selectors) -> ListPage:
    page = ListPage()
    items = _path(data, sel.items) if sel.items else None
    candidates = items if isinstance(items, list) else list(_dicts(data))
    entries = 0  # items with a title and a link, reports or not: a page past the end has none
    for item in candidates:
        if not isinstance(item, dict):
            continue
        link = _json_item(item, url, sel)
        if link is None:
            continue
        entries += 1
        if is_report_title(link.title, sel.title_pattern):
            page.links.append(link)
    page.links = _unique(page.links)
    nxt = _json_next(data, url, sel, had_items=entries > 0)
    if nxt:
        page.next_urls.append(nxt)
    return page


def _dicts(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _dicts(value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            yield from _dicts(value, depth + 1)


def _first(item: dict[str, Any], explicit: str | None, keys: tuple[str, ...]) -> Any:
    if explicit:
        return _path(item, explicit)
    lowered = {k.lower(): v for k, v in item.items()}
    for key in keys:
        if key.lower() in lowered and lowered[key.lower()] not in (None, ""):
            return lowered[key.lower()]
    return None


_URLISH = re.compile(r"^(?:https?://|/|\./|\.\./)|\.(?:s?html?|jsp|php|aspx?|pdf|docx?)(?:\?|$)", re.I)


def _json_item(item: dict[str, Any], url: str, sel: Selectors) -> Link | None:
    title = _first(item, sel.title, _TITLE_KEYS)
    href = _first(item, sel.url, _URL_KEYS)
    strings = [v for v in item.values() if isinstance(v, str)]
    # Lists built for a page's own script use any keys ({"t": …, "u": …}): read the values.
    if not isinstance(title, str) and not sel.title:
        title = next((v for v in strings if is_report_title(v, sel.title_pattern)), None)
    if not isinstance(href, str) and not sel.url:
        href = next((v for v in strings if _URLISH.search(v) and " " not in v), None)
    if not isinstance(title, str) or not isinstance(href, str):
        return None
    date = _first(item, sel.date, _DATE_KEYS)
    if date is None and not sel.date:
        date = next((v for v in strings if date_in(v)), None)
    link = _link(url, href, title, str(date) if date is not None else "")
    if link and link.date is None and isinstance(date, int | float) and date > 10**11:
        import datetime as dt

        link.date = dt.datetime.fromtimestamp(date / 1000, dt.UTC).strftime("%Y-%m-%d")
    return link


def _json_next(data: Any, url: str, sel: Selectors, had_items: bool) -> str | None:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    params = (sel.page_param,) if sel.page_param else _PAGE_PARAMS
    current, key = None, None
    for k, v in query:
        if k in params and v.isdigit():
            current, key = int(v), k
            break
    total = _path(data, sel.total_pages) if sel.total_pages else _find_key(data, _TOTAL_KEYS)
    if key is None:
        if sel.page_param and isinstance(total, int) and total > 1:
            key, current = sel.page_param, 1
        else:
            return None
    assert current is not None
    if isinstance(total, int | str) and str(total).isdigit():
        if current + 1 > int(total):
            return None
    elif not had_items:
        return None
    new_query = [(k, str(current + 1) if k == key else v) for k, v in query]
    if key not in dict(query):
        new_query.append((key, str(current + 1)))
    return urlunsplit(parts._replace(query=urlencode(new_query)))


def _find_key(data: Any, keys: tuple[str, ...]) -> Any:
    wanted = {k.lower() for k in keys}
    for item in _dicts(data):
        for k, v in item.items():
            if k.lower() in wanted and isinstance(v, int | str) and str(v).isdigit():
                return int(v)
    return None


def _unique(links: list[Link]) -> list[Link]:
    seen: dict[str, Link] = {}
    for link in links:
        if link.url not in seen:
            seen[link.url] = link
        elif not seen[link.url].date and link.date:
            seen[link.url].date = link.date
    return list(seen.values())


ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|ofd|xlsx?)(?:$|\?)", re.I)


def attachment_links(body: bytes, url: str, content_type: str | None) -> list[str]:
    """PDF / Word / WPS files linked from a report page."""
    text, _enc, _w = decode(body, content_type)
    if "<" not in text[:5000]:
        return []
    tree = LexborHTMLParser(text)
    found = []
    for anchor in tree.css("a[href]"):
        href = (anchor.attributes.get("href") or "").strip()
        label = anchor.text(strip=True) or ""
        target = _join(url, href) if href else None
        if target and (ATTACHMENT.search(urlsplit(target).path + "?") or ATTACHMENT.search(label)):
            if target.startswith(("http://", "https://")) and target != url:
                found.append(target)
    return list(dict.fromkeys(found))
