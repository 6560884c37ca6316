"""The document's title: meta tag, the page heading, or the first line; never a site name."""

from __future__ import annotations

import re

from fazhi_shared.extract.genre import is_list_page

_BREADCRUMB = re.compile(r"当前位置|您的位置|所在位置|首页\s*(?:>|》|/|→|-)|>>|>\s*\S+\s*>|»")
_NOT_TITLE = re.compile(
    r"^(?:日期|时间|发布|来源|作者|字号|字体|【|\[|分享|打印|浏览|点击|索引号|信息来源|主题分类|"
    r"(?:摘要|关键词|关键字|主题词|文号|发文字号|发布机构|成文日期|附件|附)\s*[:：]|"
    r"本站|热门|搜索|网站|首页|登录|注册|无障碍|繁体|简体|English|扫一扫)"
    r"|(?:人民政府网|政府网|门户网站|网站)$"
    r"|(?:政府|办公室|办公厅|委员会|局|厅)文件$"  # the red header of an official document
)
_TITLE_WORDS = re.compile(r"报告|要点|方案|规划|纲要|通知|意见|决定|办法|公告|情况|总结|计划|讲话|会议")
# A lone hyphen separates the site's name, but not inside a year range (2022-2025年).
_SPLIT = re.compile(r"\s*(?:_|\||｜|--|—-| - |(?<!\d)-\s*(?=\S*(?:网|政府|门户)))\s*")
_TRAILING = re.compile(r"[\s|｜_]+$")


def _clean(line: str) -> str:
    return _TRAILING.sub("", line).strip(" \u3000|｜")


def _site_names(meta: dict[str, str]) -> set[str]:
    names = {meta.get("SiteName", ""), meta.get("ColumnName", "")}
    return {n.strip() for n in names if n.strip()}


def _plausible(line: str, sites: set[str]) -> bool:
    if not 4 <= len(line) <= 100 or line in sites:
        return False
    if _BREADCRUMB.search(line) or _NOT_TITLE.search(line):
        return False
    if line.endswith(("。", "：", ":")) or line.count("，") + line.count(",") >= 2:
        return False
    return bool(re.search(r"[\u4e00-\u9fff]{4}", line))


def _heading_like(line: str) -> bool:
    """An outline heading (一、… （一）… 1.…) is not the title."""
    return bool(re.match(
        r"^(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]"
        r"|(?:案例|专栏)[一二三四五六七八九十\d]+[：:、.．\s])", line))


def _cut_short(meta: dict[str, str]) -> str | None:
    """What is left of an ArticleTitle a CMS cut short (关于2020年度全省法治政府建设工作...)."""
    truncated = re.match(r"^(.{6,}?)(?:\.{2,}|…+)$", _clean(meta.get("ArticleTitle", "")))
    return truncated.group(1) if truncated else None


def title_in_text(meta: dict[str, str], text: str) -> str | None:
    sites = _site_names(meta)
    article = _clean(meta.get("ArticleTitle", ""))
    cut = _cut_short(meta)
    if cut:  # the heading line has it whole, in the text or else above the body container
        for line in text.split("\n")[:15]:
            if _clean(line).startswith(cut):
                return _clean(line)
        return None
    if article and _plausible(article, sites):
        return article
    for line in text.split("\n")[:15]:
        line = _clean(line)
        if _plausible(line, sites) and _TITLE_WORDS.search(line) and not _heading_like(line):
            return line if len(line) <= 80 else None
    return None


def title(
    meta: dict[str, str], html_title: str | None, text: str, headings: list[str] | None = None
) -> str | None:
    if is_list_page(text):  # a column of reports: its name, not the first report listed
        column = _clean(meta.get("ColumnName", ""))
        parts = [p for p in _SPLIT.split(html_title or "") if _clean(p)]
        return column or (_clean(parts[0]) if parts else None)
    found = _title(meta, html_title, text, headings)
    return _finish(found, meta, html_title, text, headings) if found else None


# 《…》 around a whole title, a document number after it (（河政〔2024〕18号）), a subtitle
# shown on its own (——黄冈市2023年度…报告), and an issuer printed on the line above 关于….
_QUOTED = re.compile(r"^《([^《》]+)》$")
_DOC_NUMBER = re.compile(r"\s*[（(][^（()）]{0,12}[〔\[［]\s*(?:19|20)\d\d\s*[〕\]］]\s*\d+\s*号[）)]$")
_DASHES = re.compile(r"^[—－\-─]{2,}\s*")
_CONTINUATION = re.compile(
    r"(?:的|情况的|工作情况的|工作)?(?:报告|总结|反馈意见|意见|通知)"
    r"|[（(]\s*(?:19|20)\d\d\s*[—–\-－~～至]\s*(?:19|20)\d\d\s*年?\s*[）)]"
)
_ISSUER_LINE = re.compile(
    r"^[\u4e00-\u9fff（）()]{2,30}(?:人民政府|政府|厅|局|委员会|委|办公室|管委会|管理委员会|行政公署|公署|署|督察组|领导小组)$"
)


_OPENING_LINE = re.compile(
    r"[\u4e00-\u9fff（）()]{0,30}关于(?:19|20)\d\d\s*年度?"
    r"|[\u4e00-\u9fff（）()]{2,30}(?:政府|厅|局|委员会|委|办公室|管委会|公署)关于[\u4e00-\u9fff]{0,12}"
)


# ——2024年1月18日在某市第十八届人民代表大会第四次会议上: when and where it was delivered.
_DELIVERED = re.compile(r"\s*[—－\-─]{2,}\s*(?:(?:19|20)\d\d\s*年[^在]{0,8}日\s*)?在.{2,60}?(?:会议|大会|会)上.{0,6}$")


def _finish(
    found: str, meta: dict[str, str], html_title: str | None, text: str, headings: list[str] | None
) -> str:
    delivery_only = _DELIVERED.fullmatch(found) is not None  # the note line, taken alone
    found = _DELIVERED.sub("", found) or found
    quoted = _QUOTED.match(found)
    if quoted:
        found = quoted.group(1)
    if re.search(r"报告|方案|要点|规划|计划", found):  # a decision's number stays with it
        found = _DOC_NUMBER.sub("", found)
    if _DASHES.match(found):
        subtitle = _DASHES.sub("", found)
        sites = _site_names(meta)
        candidates = [*(headings or []), *_SPLIT.split(html_title or "")[:1]]
        mains = [c for c in map(_clean, candidates)
                 if c and not _DASHES.match(c) and subtitle not in c and _plausible(c, sites)]
        if delivery_only:
            return mains[0] if mains else subtitle
        return f"{mains[0]}——{subtitle}" if mains else subtitle
    lines = [_clean(line) for line in text.split("\n", 8)[:8]]
    for i, line in enumerate(lines):
        if not line or not found.endswith(line):
            continue
        # A title block set on several lines: …工作情况 / 的报告, …实施方案 / （2021—2025年）.
        if i + 1 < len(lines) and _CONTINUATION.fullmatch(lines[i + 1]):
            found += lines[i + 1]
        # …or broken after its opening: 太仓市司法局关于2025年度 / 法治政府建设工作情况的报告.
        if found == line and i > 0 and _OPENING_LINE.fullmatch(lines[i - 1]):
            found = lines[i - 1] + found
        if found.startswith("关于") and i > 0 and _ISSUER_LINE.match(lines[i - 1]):
            found = lines[i - 1] + found
        break
    return found


def _title(
    meta: dict[str, str], html_title: str | None, text: str, headings: list[str] | None = None
) -> str | None:
    sites = _site_names(meta)
    found = title_in_text(meta, text)
    if found:
        return found
    cut = _cut_short(meta)
    if cut:
        whole = [h for h in map(_clean, headings or []) if h.startswith(cut)]
        return whole[0] if whole else _clean(meta["ArticleTitle"])
    for heading in headings or []:
        heading = _clean(heading)
        if _plausible(heading, sites) and _TITLE_WORDS.search(heading) and not _heading_like(heading):
            return heading
    lines = [_clean(line) for line in text.split("\n")[:15]]
    candidates = [line for line in lines if _plausible(line, sites) and not _heading_like(line)]
    if html_title:
        parts = [p for p in _SPLIT.split(html_title) if _plausible(_clean(p), sites)]
        parts = [p for p in parts if not re.search(r"(?:政府|网|门户|网站)$", p) or _TITLE_WORDS.search(p)]
        # A part that only names an office is the site (曲靖市司法局--曲靖市2025年度…典型案例).
        parts.sort(key=lambda p: bool(_ISSUER_LINE.match(_clean(p))) and not _TITLE_WORDS.search(p))
        if parts:
            return _clean(parts[0])
    if candidates:
        return candidates[0][:100]
    return None


def find_span(needle: str | None, text: str, limit: int = 3000) -> tuple[int, int] | None:
    """Where `needle` appears near the top of the text, for evidence."""
    if not needle:
        return None
    at = text.find(needle, 0, limit + len(needle))
    return (at, at + len(needle)) if at >= 0 else None
