"""Title, publish date, report year and genre: the first fields every document needs."""

from __future__ import annotations

import re

from fazhi_shared.text.page import PageContent

_REPORT_TITLE = re.compile(r"法治(?:政府)?建设.{0,30}?(?:报告|工作要点|要点|实施方案|规划|方案)")
_DATE_PATTERNS = [
    re.compile(r"(20\d\d)[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(20\d\d)年(\d{1,2})月(\d{1,2})日"),
]
_DATE_LINE = re.compile(r"(?:日期|时间|发布时间|发布日期|生成日期)[:：]?\s*")


def _date(text: str) -> str | None:
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def title(page: PageContent) -> str | None:
    if page.meta.get("ArticleTitle"):
        return page.meta["ArticleTitle"]
    for line in page.text.split("\n")[:15]:
        if len(line) <= 80 and _REPORT_TITLE.search(line):
            return line.strip()
    if page.html_title:
        return page.html_title.split("_")[0].split("|")[0].strip() or None
    first = page.text.split("\n", 1)[0].strip()
    return first[:80] or None


def publish_date(page: PageContent) -> str | None:
    if page.meta.get("PubDate"):
        found = _date(page.meta["PubDate"])
        if found:
            return found
    for line in page.text.split("\n")[:20]:
        if _DATE_LINE.search(line) or len(line) < 40:
            found = _date(line)
            if found:
                return found
    return None


def doc_type(title_text: str | None) -> str:
    t = title_text or ""
    if "法治" not in t:
        return "other"
    if re.search(r"工作要点|要点", t):
        return "work_plan"
    if re.search(r"实施方案|规划|实施纲要", t):
        return "implementation_plan"
    if "报告" in t and "政府工作报告" not in t:
        return "annual_report"
    return "other"


def report_year(title_text: str | None, kind: str, published: str | None) -> tuple[int | None, bool]:
    """The year covered; an annual report without one is publish year − 1 (flagged inferred)."""
    t = title_text or ""
    m = re.search(r"(20\d\d)\s*年?(?:度)?", t)
    if m:
        return int(m.group(1)), False
    if kind == "annual_report" and published:
        return int(published[:4]) - 1, True
    if kind == "work_plan" and published:
        return int(published[:4]), True
    return None, False
