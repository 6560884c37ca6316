"""HTML page → body text and metadata.

Metadata comes from the government meta tags (`ArticleTitle`, `PubDate`, `ContentSource`,
`SiteName`, `ColumnName`…) and from the 政务公开 info table (索引号, 发布机构, 生成日期, 文号).
The body is the first known CMS container that holds text (TRS `div.TRS_Editor`, `#zoom`,
Hanweb's `ContentStart`/`ContentEnd` markers, Kaipu `#UCAP-CONTENT`…); without one, the
element that holds most of the page's Chinese punctuation (text density) is taken — measured
against trafilatura on our fixtures in `bench/process_bench.py --extractors`.
Widgets inside the body (share, print, font size, QR codes) are removed by class and id.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from fazhi_shared.text.clean import WEB_DATE, is_noise, meta_from_line
from fazhi_shared.text.normalize import fold_width

META_NAMES = {
    "sitename": "SiteName",
    "articletitle": "ArticleTitle",
    "pubdate": "PubDate",
    "contentsource": "ContentSource",
    "columnname": "ColumnName",
    "columndescription": "ColumnDescription",
    "keywords": "Keywords",
    "description": "Description",
    "author": "Author",
    "firstpublishedtime": "firstpublishedtime",
    "publishdate": "publishdate",
    "source": "source",
    "catalog": "catalog",
}
# Fallbacks some CMS use instead of the standard names.
META_ALIASES = {"PubDate": ("firstpublishedtime", "publishdate"), "ContentSource": ("source",)}

BODY_SELECTORS = (
    "div.TRS_Editor",
    "div.TRS_UEDITOR",
    "#UCAP-CONTENT",
    "ucapcontent",
    "div#zoom",
    "div#Zoom",
    "#zoomcon",
    "#fontzoom",
    "div.pages_content",
    "div.article-content",
    "div.article_content",
    "div.article_con",
    "div.news_content",
    "div.bt-article",
    "div#zhengwen",
    "div.zhengwen",
    "div#zw",
    "div.zw",
    "div.wzy_con",
    "#ivs_content",
    "div.content_text",
    "div#content",
    "article",
)
# Markers Hanweb (and sites derived from it) put around the article body.
_HANWEB = re.compile(
    r"<meta\s+name=[\"']?ContentStart[\"']?\s*/?>(.*?)<meta\s+name=[\"']?ContentEnd[\"']?\s*/?>"
    r"|<!--\s*ZJEG_RSS\.content\.begin\s*-->(.*?)<!--\s*ZJEG_RSS\.content\.end\s*-->",
    re.S | re.I,
)
_WIDGET = re.compile(
    r"share|bdshare|jiathis|print|dayin|fontsize|font-size|zihao|close|guanbi|erweima|qrcode|"
    r"ewm|wechat|weixin|weibo|collect|favorite|related|xgwz|xglj|pagenav|prevnext|prev-next|"
    r"sxpage|breadcrumb|crumb|location|position|dqwz|nav|footer|toolbar|tools|btns?\b",
    re.I,
)
_STRIP_TAGS = ["script", "style", "noscript", "iframe", "object", "embed", "svg", "canvas",
               "form", "button", "input", "select", "textarea", "template"]
_BLOCKS = ("p, div, li, tr, table, h1, h2, h3, h4, h5, h6, section, article, ul, ol, dl, dt, dd,"
           " blockquote, pre, center, caption, hr")

INFO_LABELS = {
    "索引号": "索引号",
    "发布机构": "发布机构",
    "发文机关": "发布机构",
    "发布单位": "发布机构",
    "发文单位": "发布机构",
    "生成日期": "生成日期",
    "成文日期": "成文日期",
    "发布日期": "发布日期",
    "文号": "文号",
    "发文字号": "文号",
    "主题分类": "主题分类",
    "组配分类": "组配分类",
    "有效性": "有效性",
}
# Labels are sometimes spaced out to align the table (索 引 号：).
_INFO_ALT = "|".join(r"\s?".join(label) for label in sorted(INFO_LABELS, key=len, reverse=True))
_INFO = re.compile("(" + _INFO_ALT + r")\s*[:：]\s*")
# Cells joined by spaces: 发布机构 某局 发布日期 二〇二四年三月二十二日.
_INFO_SPACED = re.compile(r"(?:^|(?<=\s))(" + _INFO_ALT + r")\s+(?=\S)")
# A label alone on its line, its value on the next.
_INFO_BARE = re.compile("(" + _INFO_ALT + r")\s*[:：]?")
_CJK_PUNCT = re.compile(r"[，。；：、]")


_PUBLICATION_HINT = re.compile(r"[:：]|\d{4}")
_WIDE_DIGIT = re.compile("[０-９]")


_INFO_HINTS = ("索引号", "发布机构", "发文机关", "文号", "生成日期", "成文日期", "引 号", "文 号")
# The hints by their last character: a one-character search runs at memory speed on CJK text,
# where a search for a CJK word is several times slower (its skip table barely skips).
_HINTS_BY_LAST: dict[str, tuple[str, ...]] = {}
for _hint in _INFO_HINTS:
    _HINTS_BY_LAST[_hint[-1]] = (*_HINTS_BY_LAST.get(_hint[-1], ()), _hint)


def _has_info_label(text: str) -> bool:
    """True when one of the info table's labels occurs in `text`."""
    for last, hints in _HINTS_BY_LAST.items():
        i = text.find(last)
        while i >= 0:
            for hint in hints:
                if i + 1 >= len(hint) and text.startswith(hint, i + 1 - len(hint)):
                    return True
            i = text.find(last, i + 1)
    return False


def _meta(tree: LexborHTMLParser) -> dict[str, str]:
    meta: dict[str, str] = {}
    for node in tree.css("meta[name]"):
        name = (node.attributes.get("name") or "").strip().lower()
        key = META_NAMES.get(name)
        if key and key not in meta:
            value = (node.attributes.get("content") or "").strip()
            if value:
                meta[key] = value
    for key, aliases in META_ALIASES.items():
        for alias in aliases:
            if key not in meta and alias in meta:
                meta[key] = meta[alias]
        for alias in aliases:
            meta.pop(alias, None)
    return meta


_BLOCK_OR_BREAK = "br, td, th, " + _BLOCKS


def _block_text(root: LexborNode) -> str:
    """Text with a line break after every block element and <br>, cells separated by spaces."""
    # One selector walk: every node gets its own insertion, so the order does not matter.
    for node in root.css(_BLOCK_OR_BREAK):
        tag = node.tag
        if tag == "br":
            node.replace_with("\n")
        elif tag in ("td", "th"):
            node.insert_after(" ")
        else:
            node.insert_after("\n")
    return root.text(deep=True, separator="", strip=False)


def info_table(lines: list[str]) -> dict[str, str]:
    """索引号/发布机构/生成日期/文号 from the 政务公开 table, label and value in one or two cells
    (a label cell may go without its colon: <th>发布日期</th><td>…</td>)."""
    found: dict[str, str] = {}
    for i, line in enumerate(lines):
        bare = _INFO_BARE.fullmatch(line)
        if bare is not None:
            key = INFO_LABELS[re.sub(r"\s", "", bare.group(1))]
            value = lines[i + 1].strip() if i + 1 < len(lines) else ""
            if key not in found and value and len(value) <= 80 and not _INFO_BARE.fullmatch(value):
                found[key] = value
            continue
        matches = list(_INFO.finditer(line))
        spaced = not matches  # an empty cell there is an empty value, not one on the next line
        if spaced:
            matches = list(_INFO_SPACED.finditer(line))
        for j, m in enumerate(matches):
            key = INFO_LABELS[re.sub(r"\s", "", m.group(1))]
            if key in found:
                continue
            end = matches[j + 1].start() if j + 1 < len(matches) else len(line)
            value = line[m.end():end].strip()
            if not value and not spaced and i + 1 < len(lines) and not _INFO.search(lines[i + 1]):
                value = lines[i + 1].strip()
            if value and len(value) <= 80:
                found[key] = value
    return found


def _remove_widgets(root: LexborNode) -> None:
    for node in root.css("[class], [id]"):
        marker = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _WIDGET.search(marker) and not _CJK_PUNCT.search(node.text(deep=True)[:2000] or ""):
            # remove() detaches without freeing, so descendants met later stay valid.
            node.remove()


_ANY_BODY = ", ".join(BODY_SELECTORS)


def _find_body(tree: LexborHTMLParser) -> LexborNode | None:
    """The first known container, in the order of BODY_SELECTORS, that holds text."""
    candidates = [n for n in tree.css(_ANY_BODY) if _two_punct(n.text(deep=True))]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    for selector in BODY_SELECTORS:
        for node in candidates:
            if node.css_matches(selector):
                return node
    return candidates[0]


def _two_punct(text: str) -> bool:
    """At least two Chinese punctuation marks: a container that holds sentences."""
    first = _CJK_PUNCT.search(text)
    return first is not None and _CJK_PUNCT.search(text, first.end()) is not None


def _punct_count(text: str) -> int:
    # str.count runs in C at memory speed: three times faster than findall on a page.
    return sum(map(text.count, "，。；：、"))


def density_body(tree: LexborHTMLParser) -> LexborNode | None:
    """The smallest element holding at least 70% of the page's Chinese punctuation."""
    root = tree.body
    if root is None:
        return None
    total = _punct_count(root.text(deep=True))
    if total == 0:
        return root
    best = root
    best_len = len(root.text(deep=True))
    for node in root.css("div, td, article, section, main"):
        text = node.text(deep=True)
        if len(text) >= best_len:
            continue
        if _punct_count(text) >= total * 0.7:
            best, best_len = node, len(text)
    return best


def _stashed_html(tree: LexborHTMLParser, html: str) -> list[str]:
    """Escaped HTML some CMSs keep in a hidden <textarea> and draw with a script."""
    if "<textarea" not in html and "<TEXTAREA" not in html:
        return []
    return [raw for area in tree.css("textarea") if len(raw := area.text(deep=True)) >= 200 and "<" in raw]


def _textarea_body(stashed: list[str], body: LexborNode | None) -> LexborNode | None:
    """The stashed article, when it holds more prose than the body found in the page."""
    found = _punct_count(body.text(deep=True)) if body is not None else 0
    for raw in stashed:
        if _punct_count(raw) <= 2 * found + 3:
            continue
        fragment = LexborHTMLParser(raw)
        fragment.strip_tags(_STRIP_TAGS)
        if fragment.body is not None:
            return fragment.body
    return None


def _lines(text: str) -> list[str]:
    return [ln for ln in (raw.strip() for raw in text.split("\n")) if ln]


def _publication_meta(lines: list[str], known: dict[str, str]) -> dict[str, str]:
    """Date, source and author from the page's publication lines (noise lines), the first
    found of each; keys already in `known` are not looked for."""
    found: dict[str, str] = {}
    for line in lines:
        # Only a line that can give a key still missing is checked for noise (the costly
        # test): a source needs 来源, an author 作者 or 撰稿, a date a year.
        want_date = "PubDate" not in known and "PubDate" not in found
        want_source = "ContentSource" not in known and "ContentSource" not in found
        want_author = "Author" not in known and "Author" not in found
        if not (want_date or want_source or want_author):
            break
        if len(line) > 120 or not _PUBLICATION_HINT.search(line):
            continue
        if _WIDE_DIGIT.search(line):  # 发布时间：２０２４-０３-１５, outside the normalized body
            line = fold_width(line)
        if not (
            (want_source and "来源" in line)
            or (want_author and ("作者" in line or "撰稿" in line))
            or (want_date and WEB_DATE.search(line))
        ):
            continue
        if is_noise(line):
            meta_from_line(line, found)
    return found


def read_html(html: str) -> tuple[str, dict[str, str], str | None, str]:
    """Return (body text, metadata, <title>, how the body was found)."""
    tree = LexborHTMLParser(html)
    meta = _meta(tree)
    title_node = tree.css_first("title")
    html_title = title_node.text(strip=True) if title_node else None
    stashed = _stashed_html(tree, html)
    tree.strip_tags(_STRIP_TAGS)
    root = tree.body
    if root is None:
        return "", meta, html_title, "none"
    # The whole page's lines are only needed for the info table and for publication lines
    # (发布时间：… 来源：… 点击数：…) when the meta tags lack them.
    page_text: str | None = None
    if _has_info_label(html):
        page_text = _block_text(root)
        page_lines = _lines(page_text)
        if _has_info_label(page_text):
            meta.update(info_table(page_lines))
    if "PubDate" not in meta or "ContentSource" not in meta:
        # Text nodes one per line are enough here, and cost one call.
        lines = page_lines if page_text is not None else _lines(root.text(deep=True, separator="\n"))
        for key, value in _publication_meta(lines, meta).items():
            meta.setdefault(key, value)

    hanweb = _HANWEB.search(html) if ("ContentStart" in html or "ZJEG_RSS" in html) else None
    if hanweb:
        fragment = LexborHTMLParser(hanweb.group(1) or hanweb.group(2) or "")
        fragment.strip_tags(_STRIP_TAGS)
        if fragment.body is not None and _CJK_PUNCT.search(fragment.body.text(deep=True)):
            _remove_widgets(fragment.body)
            return _block_text(fragment.body), meta, html_title, "hanweb"
    body = _find_body(tree)
    how = "container"
    if body is None:
        body = density_body(tree)
        how = "density"
    if stashed:
        from_textarea = _textarea_body(stashed, body)
        if from_textarea is not None:
            body, how = from_textarea, "textarea"
    if body is None:
        return page_text if page_text is not None else _block_text(root), meta, html_title, "page"
    _remove_widgets(body)
    if page_text is not None:
        # The DOM already holds the inserted line breaks.
        return body.text(deep=True, separator="", strip=False), meta, html_title, how
    return _block_text(body), meta, html_title, how
