"""Read one fetched body: detect its format, take out body text and metadata, normalize."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser as HTMLParser

from fazhi_shared.text.clean import drop_noise_lines
from fazhi_shared.text.decode import decode
from fazhi_shared.text.normalize import normalize

META_NAMES = ("SiteName", "ArticleTitle", "PubDate", "ContentSource", "ColumnName", "Keywords")
BODY_SELECTORS = ("div.TRS_Editor", "div#zoom", "div#Zoom", "div.article-content", "div#content")


@dataclass
class PageContent:
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    html_title: str | None = None
    traditional_source: bool = False
    status: str = "ok"
    format: str = "text"
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


def _looks_html(text: str) -> bool:
    head = text[:2048].lower()
    return "<html" in head or "<body" in head or "<div" in head or "<!doctype html" in head


def _from_html(html: str) -> tuple[str, dict[str, str], str | None]:
    tree = HTMLParser(html)
    meta: dict[str, str] = {}
    for node in tree.css("meta[name]"):
        name = node.attributes.get("name") or ""
        for wanted in META_NAMES:
            if name.lower() == wanted.lower():
                meta[wanted] = (node.attributes.get("content") or "").strip()
    title_node = tree.css_first("title")
    html_title = title_node.text(strip=True) if title_node else None
    for tag in tree.css("script, style, noscript, nav, header, footer"):
        tag.decompose()
    body = None
    for selector in BODY_SELECTORS:
        body = tree.css_first(selector)
        if body is not None:
            break
    root = body if body is not None else tree.body
    if root is None:
        return "", meta, html_title
    for br in root.css("br"):
        br.replace_with("\n")
    text = root.text(separator="\n", strip=False)
    return text, meta, html_title


def read_page(body: bytes, *, content_type: str | None = None, url: str | None = None) -> PageContent:
    decoded, encoding, warnings = decode(body, content_type)
    is_html = (content_type or "").lower().startswith("text/html") or _looks_html(decoded)
    meta: dict[str, str] = {}
    html_title = None
    if is_html:
        decoded, meta, html_title = _from_html(decoded)
    text, traditional = normalize(decoded)
    text = drop_noise_lines(text)
    meta = {k: normalize(v)[0] for k, v in meta.items()}
    if html_title:
        html_title = normalize(html_title)[0]
    status = "ok" if re.search(r"[\u4e00-\u9fff]", text) else "empty"
    return PageContent(
        text=text,
        meta=meta,
        html_title=html_title,
        traditional_source=traditional,
        status=status,
        format="html" if is_html else "text",
        encoding=encoding,
        warnings=warnings,
    )
