"""Titles cited in 《》: normalized, deduplicated, typed when the title tells."""

from __future__ import annotations

import functools
import re

from fazhi_shared.extract.gazetteer import gazetteer
from fazhi_shared.models import Citation

_QUOTED = re.compile(r"[《﹁](?P<t>(?:[^《》〈〉<>\n]|[〈<][^《》〈〉<>\n]{1,60}[〉>]){1,120})[》﹂]")
_PAREN = str.maketrans({"(": "（", ")": "）", "[": "〔", "]": "〕", "【": "〔", "】": "〕",
                        "<": "〈", ">": "〉", "《": "〈", "》": "〉"})
_YEARS = re.compile(r"((?:19|20)\d\d)\s*[-－–—~～至]+\s*((?:19|20)\d\d)")
_DOC_NO = re.compile(r"〔\s*((?:19|20)\d\d)\s*〕")

_PARTY = re.compile(r"(?:^|[^民])党|中国共产党|党内|中共|党委|党组|纪律检查|巡视")
_PLAN = re.compile(r"(?:方案|规划|纲要|计划|要点|行动|清单)$")
_LAW = re.compile(r"(?:^中华人民共和国.+法$|^[^省市县区州]{1,20}法$|^宪法$|民法典$|^.{1,20}法(?:修正案|修正)$)")
_ADMIN_REG = re.compile(r"条例$|^国务院.+(?:规定|办法|决定)$")
_RULE = re.compile(r"(?:办法|规定|细则|规则)$")
_NORMATIVE = re.compile(r"(?:意见|通知|决定|办法|规定|指引|指南|标准|制度|措施|目录|通告|公告)$")


@functools.lru_cache(maxsize=50_000)
def normalize_title(raw: str) -> str:
    t = re.sub(r"\s+", "", raw).translate(_PAREN)
    t = _YEARS.sub(r"\1—\2", t)
    t = _DOC_NO.sub(r"〔\1〕", t)
    return t


def _starts_with_place(t: str) -> bool:
    mentions = gazetteer().mentions(t[:12])
    return bool(mentions) and mentions[0].start == 0


@functools.lru_cache(maxsize=50_000)  # the same laws are cited by every report
def classify(t: str) -> str | None:
    body = re.sub(r"（[^）]*）$", "", t)  # (2021—2025年), (试行), (修订)
    body = re.sub(r"〔\d{4}〕\d+号$", "", body)
    if _PARTY.search(body) and re.search(r"(?:条例|规定|准则|办法|规则)$", body):
        return "党内法规"
    if _PLAN.search(body):
        return "方案/规划"
    local = _starts_with_place(body)
    if re.search(r"实施〈.+〉(?:办法|条例)$", body) and local:
        return "地方性法规"
    if _LAW.search(body) and not local:
        return "法律"
    if body.endswith("条例"):
        return "地方性法规" if local else "行政法规"
    if _ADMIN_REG.search(body):
        return "行政法规"
    if _RULE.search(body) and local and "人民政府" not in body[:14]:
        return "规章"
    if _NORMATIVE.search(body):
        return "规范性文件"
    return None


# <中华人民共和国行政复议法> typed with ASCII brackets: only a title that ends like a law,
# regulation or plan counts, since < > also stand around other things.
_ANGLED = re.compile(
    r"<(?P<t>[\u4e00-\u9fff][^<>《》\n]{1,60}?(?:法|法典|条例|规定|办法|细则|规则|纲要|方案|规划|意见|决定))>"
)


def extract(text: str) -> list[Citation]:
    out: list[Citation] = []
    matches = list(_QUOTED.finditer(text))
    if "<" in text:
        inside = [(m.start(), m.end()) for m in matches]
        matches += [m for m in _ANGLED.finditer(text)
                    if not any(s <= m.start() < e for s, e in inside)]  # not 《实施<…>办法》
        matches.sort(key=lambda m: m.start())
    # （以下简称《条例》）: a short form names a title cited already, there and after.
    short = {m.group("t") for m in matches if "简称" in text[max(0, m.start() - 4):m.start()]}
    for m in matches:
        if m.group("t") in short:
            continue
        title = normalize_title(m.group("t"))
        if not title or len(title) < 2:
            continue
        out.append(Citation(title=title, type=classify(title), start=m.start(), end=m.end()))
    return out


def cited(citations: list[Citation]) -> list[str]:
    seen: dict[str, None] = {}
    for c in citations:
        seen.setdefault(c.title, None)
    return list(seen)
