"""Dates: the publish date of the page and the year a report covers."""

from __future__ import annotations

import re
from datetime import date

from fazhi_shared.extract.numbers import fold_digits, parse_chinese

_CN_DIGITS = "零〇○一二三四五六七八九十"
_DATE = re.compile(
    r"((?:19|20)\d\d)\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?!\d)"
    r"|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日)"
)
_CN_DATE = re.compile(rf"([{_CN_DIGITS}]{{4}})年([{_CN_DIGITS}]{{1,3}})月([{_CN_DIGITS}]{{1,3}})日")
_DATE_LABEL = re.compile(r"(?:发布|日期|时间|生成|成文|印发|发文)")
_META_KEYS = ("PubDate", "pubdate", "发布日期", "发布时间", "生成日期", "成文日期", "publishdate")
# ——2024年1月8日在…会议上: when and where a report was delivered.
_DELIVERED = re.compile(r"在.{2,40}会议?上")
# An update date printed beside the publication date (更新时间：2023-05-02 发布时间：…).
_UPDATED = re.compile(r"(?:更新|修改|修订)(?:时间|日期)\s*[:：]\s*[\d\s年月日:/.\-]+")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*(?:[—–\-－~～至到]\s*((?:19|20)\d\d))?\s*年?")
_CN_YEAR = re.compile(rf"([{_CN_DIGITS}]{{4}})\s*年")


def _valid(y: int, mo: int, d: int) -> str | None:
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in `text` as (YYYY-MM-DD, start, end)."""
    text = fold_digits(text)
    found: list[tuple[int, int, str]] = []
    for m in _DATE.finditer(text):
        mo, d = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
        iso = _valid(int(m.group(1)), int(mo), int(d))
        if iso:
            found.append((m.start(), m.end(), iso))
            break
    m2 = _CN_DATE.search(text)
    if m2:
        y, mo2, d2 = (parse_chinese(g) for g in m2.groups())
        if y and mo2 and d2:
            iso = _valid(y, mo2, d2)
            if iso:
                found.append((m2.start(), m2.end(), iso))
    if not found:
        return None
    start, end, iso = min(found)
    return iso, start, end


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def publish_date(
    meta: dict[str, str], text: str
) -> tuple[str | None, tuple[int, int] | None]:
    """Meta tags and info table first, then dated header lines, then the signature date."""
    for key in _META_KEYS:
        if meta.get(key):
            found = find_date(meta[key])
            if found:
                return found[0], None
    spans = _line_spans(text)
    head = spans[:25]
    # A labelled line (发布时间：…, 日期: …) near the top.
    for s, e in head:
        line = text[s:e]
        if len(line) <= 120 and _DATE_LABEL.search(line):
            # Blanked to the same length, so that the offsets still point into the text.
            published = _UPDATED.sub(lambda m: " " * len(m.group(0)), line)
            found = find_date(published) or find_date(line)
            if found:
                return found[0], (s + found[1], s + found[2])
    # A short line that is mostly a date (2021-03-31 点击数:), before the body starts.
    delivered: tuple[str, tuple[int, int]] | None = None
    for s, e in head[:8]:
        line = text[s:e]
        if len(line) <= 40:
            found = find_date(line)
            if found and _DELIVERED.search(line):
                # ——2024年1月8日在…会议上 says when a report was delivered: the publish date
                # only when nothing else dates the page.
                delivered = delivered or (found[0], (s + found[1], s + found[2]))
                continue
            if found and not re.search(r"报告|要点|方案|规划", line):
                return found[0], (s + found[1], s + found[2])
    # The date under the signature.
    for s, e in reversed(spans[-8:]):
        line = text[s:e].strip()
        if len(line) <= 24:
            found = find_date(line)
            if found:
                return found[0], (s + found[1], s + found[2])
    if delivered is not None:
        return delivered
    return None, None


_URL_DATES = (
    re.compile(r"/t((?:19|20)\d\d)(\d\d)(\d\d)_\d+"),  # TRS: /202403/t20240328_6583952.html
    re.compile(r"/art/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})/"),  # Hanweb: /art/2022/3/28/art_1_2.html
    re.compile(r"/((?:19|20)\d\d)-(\d\d)/(\d\d)/"),  # /2023-01/16/content_….shtml
    re.compile(r"/P0((?:19|20)\d\d)(\d\d)(\d\d)\d{4,}\.\w+$"),  # TRS attachments: P020210915….pdf
)


def date_from_url(url: str | None) -> str | None:
    """The publish date CMS URLs carry, for pages that show none."""
    for pattern in _URL_DATES:
        m = pattern.search(url or "")
        if m:
            return _valid(*(int(g) for g in m.groups()))
    return None


_FIVE_YEAR = {"十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}


def title_years(title: str) -> tuple[int, int] | None:
    """First year named in a title, with its position (2021—2025年 → 2021, “十四五” → 2021)."""
    t = fold_digits(title)
    m = _YEAR.search(t)
    if m:
        return int(m.group(1)), m.start()
    for name, first in _FIVE_YEAR.items():
        at = t.find(name)
        if at >= 0:
            return first, at
    m2 = _CN_YEAR.search(t)
    if m2:
        y = parse_chinese(m2.group(1))
        if y and 1990 <= y <= 2100:
            return y, m2.start()
    return None


_OPENING_YEAR = re.compile(r"(?:^|\n)[^\n]{0,12}?((?:19|20)\d\d)\s*年(?:度|以来)?\s*[,，]")


def report_year(
    title: str | None, doc_type: str, published: str | None, text: str = ""
) -> tuple[int | None, bool]:
    """The year covered; without one in the title, inferred from the publish date.

    An annual report titled with the year it is published in (2022年…年度报告, out in March
    2022) covers the year before when its opening sentence says so (2021年，我县…).
    """
    if doc_type == "other":
        return None, False
    found = title_years(title or "")
    if found:
        year = found[0]
        if doc_type == "annual_report" and published and int(published[:4]) == year:
            opening = _OPENING_YEAR.search(fold_digits(text[:400]))
            if opening and int(opening.group(1)) == year - 1:
                return year - 1, False
        return year, False
    if not published:
        return None, False
    year = int(published[:4])
    return (year - 1 if doc_type == "annual_report" else year), True
