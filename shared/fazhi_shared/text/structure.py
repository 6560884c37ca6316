"""Headings → sections with offsets into `text`; sentence splitting.

Heading markers (DESIGN §2) are ranked 第一部分 > 一、 > （一）/(一) > 1. > (1) > 一是; the
ranks a document actually uses become levels 1, 2, 3… A heading is its whole line when the
line is short, otherwise the line's first sentence (`(一)主要负责同志高度重视，切实履行……职责。`
followed by the paragraph). Reports often drop the heading for their last parts and open a
paragraph instead (`2020年……虽然取得了一定的成绩，但还存在一些短板：`, `2021年，我们将……`):
such a paragraph starts an implicit top-level section.

Kinds follow the five parts the rules ask annual reports for: achievements (主要举措和成效),
problems (存在的不足和原因), leadership (党政主要负责人履行推进法治建设第一责任人职责情况), plans
(下一年度工作安排), other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fazhi_shared.models import Section

_NUM = "一二三四五六七八九十"
_MARKER_RANKS = (
    rf"第[{_NUM}]{{1,3}}(?:部分|章|篇)",
    rf"[{_NUM}]{{1,3}}\s*[、．.]",
    rf"[（(]\s*[{_NUM}]{{1,3}}\s*[）)]",
    r"\d{1,2}\s*[.．、](?!\d)",
    r"[（(]\s*\d{1,2}\s*[）)]",
    rf"[{_NUM}]{{1,3}}是",
)
_MARKER = re.compile("|".join(f"(?P<r{rank}>{p})" for rank, p in enumerate(_MARKER_RANKS)))
_FIRST_SENTENCE = re.compile(r"^.+?(?:[。！？；]|$)")
MAX_HEADING = 80

_LEADERSHIP = re.compile(
    r"第一责任人|主要负责人履行|主要负责同志履行|履行推进法治(?:政府)?建设|主要负责人.{0,12}职责|述法"
)
_PROBLEMS = re.compile(
    r"(?:存在|面临|主要)的?(?:一些)?(?:问题|不足|困难)|不足|短板|差距|薄弱环节|^问题|问题(?:和|与|及)(?:原因|困难)"
)
_PROBLEMS_STRONG = re.compile(r"存在|面临|原因|^.{0,8}(?:问题|不足|差距)")
_PLANS = re.compile(
    r"下一步|下一年|下步|今后|展望|努力方向|工作(?:安排|打算|计划|思路|重点|设想|要点|目标)"
    r"|(?:19|20)\d\d年.{0,20}(?:重点|安排|打算|计划|思路|要点|目标|任务)"
)
# Said of the year reported on: checked before plans (2022年度法治政府建设工作任务完成情况).
_ACHIEVEMENTS = re.compile(r"成效|成绩|举措|做法|进展|完成情况|开展情况|推进情况|工作情况|建设情况")
_ACHIEVEMENTS_WEAK = re.compile(r"取得|主要工作")
# Paragraphs that open an unmarked part of a report.
_PROBLEMS_INTRO = re.compile(
    r"(?:存在|仍有|还有|面临)(?:着)?(?:的)?(?:一些|一定|不少|诸多|以下)?(?:的)?"
    r"(?:问题|不足|短板|差距|薄弱环节|困难)"
)
_PLANS_INTRO = re.compile(
    r"^(?:下一步|下一阶段|今后|新的一年|(?:19|20)\d\d\s*年?(?:度)?[，,]?\s*"
    r"(?:我们|我[省市区县州旗盟局厅委]|全[省市区县州旗盟]|本[省市区县州旗盟]|[^，,。]{0,12}?)"
    r"(?:将|要|继续|计划|拟))"
)


def _marker(line: str) -> tuple[int, int] | None:
    """(rank, marker length) when the line starts with a heading marker."""
    m = _MARKER.match(line)
    if m is None or m.lastgroup is None:
        return None
    return int(m.lastgroup[1:]), m.end()


_STOP = re.compile(r"[。！？；]")


def _heading_text(line: str) -> str:
    """The heading line itself, or the first sentence of a paragraph that opens with one."""
    # The first sentence end after the first character (what `_FIRST_SENTENCE` matches up
    # to), found by a plain search instead of a lazy match that steps character by character.
    stop = _STOP.search(line, 1, MAX_HEADING + 1)
    end = stop.end() if stop is not None else min(len(line), MAX_HEADING + 1)
    if end < len(line):
        return line[:min(end, MAX_HEADING)]
    return line[:MAX_HEADING]


_CLAUSE = re.compile(r"^.+?(?:[。！？；：:]|$)")


def _implicit_heading(line: str) -> str:
    """An unmarked part's opening clause, up to its colon or full stop."""
    m = _CLAUSE.match(line[: MAX_HEADING + 1])
    return (m.group(0) if m else line)[:MAX_HEADING]


def classify(heading: str) -> str | None:
    """The kind a heading names, or None when it does not say."""
    if _LEADERSHIP.search(heading):
        return "leadership"
    if _PROBLEMS.search(heading):
        return "problems"
    if _ACHIEVEMENTS.search(heading):
        return "achievements"
    if _PLANS.search(heading):
        return "plans"
    if _ACHIEVEMENTS_WEAK.search(heading):
        return "achievements"
    return None


_MARKER_FIRST = frozenset("第" + _NUM + "（(0123456789")
_HINT_FIRST = frozenset("下今新12")
_HINT_WORD = re.compile("存在|仍有|还有|面临")
_IMPLICIT_HINT = re.compile(r"存在|仍有|还有|面临|^(?:下一|下步|今后|新的一年|(?:19|20)\d\d)")


def _implicit_kind(line: str) -> str | None:
    if not _IMPLICIT_HINT.search(line, 0, 160):
        return None
    first = _FIRST_SENTENCE.match(line[:160])
    sentence = first.group(0) if first else line[:160]
    head = re.split(r"[：:]", sentence, maxsplit=1)[0]
    if _PROBLEMS_INTRO.search(head) and re.search(r"虽|但|尽管|仍|还", head):
        return "problems"
    if _PLANS_INTRO.search(sentence):
        return "plans"
    return None


def _looks_like_report(text: str) -> bool:
    head = text[:600]
    return "报告" in head or "报告如下" in text[:3000] or "工作情况" in head


def _looks_like_plan(text: str) -> bool:
    first = text.split("\n", 1)[0]
    return "报告" not in first and bool(re.search(r"工作要点|实施方案|规划|工作计划|工作安排", first))


def outline(text: str, doc_type: str | None = None) -> list[Section]:
    """The heading tree of `text` as a flat list of sections in document order."""
    found: list[tuple[int, int, str, str | None]] = []  # (start, rank, heading, implicit kind)
    # Only lines that start like a marker or hint at an unmarked part are looked at.
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        if not line:
            continue
        first = line[0]
        marker = _marker(line) if first in _MARKER_FIRST else None
        if marker is not None:
            found.append((start, marker[0], _heading_text(line), None))
            continue
        if found and (first in _HINT_FIRST or _HINT_WORD.search(line, 0, 160)):
            kind = _implicit_kind(line)
            if kind is not None:
                found.append((start, -1, _implicit_heading(line), kind))
    top_rank = min((rank for _s, rank, _h, _k in found if rank >= 0), default=0)
    plan_doc = doc_type in ("work_plan", "implementation_plan") or (
        doc_type is None and _looks_like_plan(text)
    )
    report = doc_type == "annual_report" or (doc_type is None and _looks_like_report(text))
    sections: list[_Open] = []
    # Open sections with their marker rank; a heading closes every open one of its rank or deeper.
    stack: list[tuple[int, _Open]] = []
    seen_late_part = False
    for start, rank, heading, implicit in found:
        if implicit is not None:
            current_top = stack[0][1] if stack else None
            if current_top is not None and current_top.kind == implicit:
                continue
            # The first paragraph under a bare heading line belongs to that heading.
            last = stack[-1][1] if stack else None
            if (
                last is not None
                and last.start + len(last.heading) + 1 >= start
                and not re.search(r"[。；！？]$", last.heading)
            ):
                continue
            rank = top_rank
        while stack and stack[-1][0] >= rank:
            stack.pop()
        parent = stack[-1][1] if stack else None
        level = len(stack) + 1
        if plan_doc:
            kind = "plans"
        else:
            kind = implicit or classify(heading)
            if kind == "problems" and parent is not None and not _PROBLEMS_STRONG.search(heading):
                # 补齐短板 under a part on measures is a measure, not a shortcoming.
                kind = None
            if kind is None:
                if parent is not None:
                    kind = parent.kind
                elif report and not seen_late_part:
                    kind = "achievements"
                else:
                    kind = "other"
        if level == 1 and kind in ("problems", "plans"):
            seen_late_part = True
        section = _Open(kind=kind, heading=heading, level=level, start=start)
        sections.append(section)
        stack.append((rank, section))
    # Each section ends where the next one of the same or a higher level begins: found from
    # the last section back, keeping the later sections that can still end an earlier one.
    ends: list[int] = []
    upcoming: list[_Open] = []
    for section in reversed(sections):
        while upcoming and upcoming[-1].level > section.level:
            upcoming.pop()
        end = upcoming[-1].start if upcoming else len(text)
        while end > section.start and text[end - 1] == "\n":
            end -= 1
        ends.append(end)
        upcoming.append(section)
    return [
        Section(kind=section.kind, heading=section.heading, level=section.level,  # type: ignore[arg-type]
                start=section.start, end=end)
        for section, end in zip(sections, reversed(ends), strict=True)
    ]


@dataclass
class _Open:
    """A section while the outline is built (pydantic models are made once, at the end)."""

    kind: str
    heading: str
    level: int
    start: int


_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)]*|\n|$)")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) into `text`, split at 。！？； and line ends."""
    spans: list[tuple[int, int]] = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
