"""Genre: annual report, work plan, implementation plan, or anything else on the same sites."""

from __future__ import annotations

import functools
import re

_SUBJECT = r"(?:法治(?:政府)?建设|依法行政|法治政府)"
_NEGATIVE_TITLE = re.compile(
    r"政府工作报告|召开|举行|举办|会议|座谈|研讨|培训|调研|出席|讲话|发言|致辞|答记者问|解读|图解|"
    r"一图|读懂|视频|新闻|发布会|案例|典型|判决|裁定|决定书|处罚|公示|征求意见|论文|研究|探析|浅析|"
    r"思考|述评|综述|评估报告|第三方|述法|第一责任人|督察|通报|表彰|获评|入选|荣获|示范|考核|考评|"
    r"工作会|动员|部署会|推进会|学习|专题|宣讲|观察|访谈|如何|为何|怎样|！|？|发布|公布|出炉|晒出|亮相"
    r"|汇编|选编|合集"
)
_ANNUAL = re.compile(
    rf"{_SUBJECT}.{{0,30}}?报告|{_SUBJECT}.{{0,20}}?情况$|{_SUBJECT}.{{0,20}}?(?:工作)?总结$"
)
# 2022—2023年法治政府建设情况报告: a report over two years, not a plan for them.
_RANGE_REPORT = re.compile(r"(?:情况|工作)的?报告$")
_WORK_PLAN = re.compile(rf"{_SUBJECT}.{{0,20}}?(?:工作要点|要点|工作计划|工作安排|重点任务)")
_IMPL_PLAN = re.compile(
    rf"{_SUBJECT}.{{0,30}}?(?:实施方案|规划|实施纲要|纲要|实施意见|行动方案|方案)"
    r"|(?:19|20)\d\d\s*[—–\-－~～至]\s*(?:19|20)\d\d\s*年.{0,20}?" + _SUBJECT
)
# 2022年法治政府建设工作总结和2023年工作计划: the year's report, with next year's plan appended.
_SUMMARY_AND_PLAN = re.compile(rf"{_SUBJECT}.{{0,20}}?总结(?:和|及|暨|与|以及)")
_REPORT_OPENING = re.compile(r"(?:现将|特将|现就|兹将).{0,30}?(?:报告如下|汇报如下|报告)")
_NEWS_OPENING = re.compile(
    r"^.{0,40}?(?:\d{1,2}月\d{1,2}日|日前|近日|近期|上午|下午).{0,60}?"
    r"(?:召开|举行|举办|组织|开展|发布|印发|出台|通过|审议|主持)"
)
# Reports of courts, procuratorates and congresses are not the government's either.
# Reports on the rule of law by universities, companies or hospitals are not the
# government's (湖南工程学院关于…法治建设…的报告, …集团有限公司…).
_NON_GOVERNMENT = re.compile(
    r"大学|学院|学校|集团|公司|银行|医院|研究院|协会|商会|法院|检察院|人大常委会|人民代表大会|政协"
)
# A column page: titles, each with its date, one per line.
_LIST_LINE = re.compile(
    r"^.{4,80}?\s*[\[【(（]?\s*(?:19|20)\d\d\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?\s*[\]】)）]?$",
    re.M,
)
_ACADEMIC = re.compile(r"摘\s*要[:：]|关键词[:：]|参考文献|作者简介|基金项目")
_SPEECH = re.compile(r"同志们[:：,，!！]|(?:^|\n)各位(?:领导|代表|委员)")


def doc_type(title: str | None, text: str) -> str:
    """Classify from the title first, the body's opening and structure second."""
    t = re.sub(r"\s+", "", title or "")
    head = text[:600]
    if is_list_page(text):
        return "other"
    issuer_part = re.split(r"关于|(?:19|20)\d\d", re.sub(r"《[^》]*》", "", t), maxsplit=1)[0]
    if _NON_GOVERNMENT.search(issuer_part):
        return "other"
    # A report delivered to the people's congress opens like a speech (各位委员：) but asks
    # for its review (请予审议).
    if _academic(text[:3000]) or (_speech(text[:1500]) and "请予审议" not in head):
        return "other"
    if _NEGATIVE_TITLE.search(re.sub(r"《[^》]*》", "", t)):
        # A notice that carries a plan (关于印发《…实施方案》的通知) is the plan itself.
        quoted = re.search(r"印发.{0,4}《([^》]+)》", t)
        if not quoted or not _is_plan_title(quoted.group(1)):
            return "other"
        return _plan_kind(quoted.group(1))
    quoted = re.search(r"(?:印发|转发).{0,4}《([^》]+)》", t)
    if quoted and _is_plan_title(quoted.group(1)):
        return _plan_kind(quoted.group(1))
    if _news_opening(t, text) and not _REPORT_OPENING.search(head):
        return "other"
    # 关于报送2022年度法治政府建设情况报告的通知 asks for reports; only one that issues a
    # document (印发/转发) is that document.
    if re.search(r"(?:通知|公告|通告|函)$", t) and not re.search(r"印发|转发", t):
        return "other"
    if _SUMMARY_AND_PLAN.search(t):
        return "annual_report"
    if _WORK_PLAN.search(t):
        return "work_plan"
    if _IMPL_PLAN.search(t) and not _RANGE_REPORT.search(t):
        return "implementation_plan"
    if _ANNUAL.search(t):
        return "annual_report"
    sample = text[:6000]
    # The matches of _SUBJECT, counted as substrings: none of the three words overlaps
    # another, and 法治政府建设 holds 法治政府 once, as the pattern takes it once.
    body_mentions = sample.count("法治政府") + sample.count("法治建设") + sample.count("依法行政")
    # A generic title (2021年度报告, 某县关于2021年工作情况的报告) leaves it to the body; a
    # title naming another subject (国民经济…计划执行情况的报告) does not.
    generic = len(re.sub(r"关于|(?:19|20)\d\d|年度?|工作|情况|的|报告|[\s（）()]", "", t)) <= 8
    if "报告" in t and generic and _REPORT_OPENING.search(head) and body_mentions >= 3:
        return "annual_report"
    if not t and _REPORT_OPENING.search(head) and body_mentions >= 3:
        return "annual_report"
    return "other"


@functools.lru_cache(maxsize=8)  # title, date and genre steps ask about the same text
def is_list_page(text: str) -> bool:
    """A column page listing items (reports, news) with their dates, not a report: five or
    more such lines, and fewer sentences than lines."""
    lines = text.count("\n") + 1
    # Cheap test first: a list has fewer sentences than lines.
    if lines < 6 or text.count("。") >= lines:
        return False
    listed = len(_LIST_LINE.findall(text))
    return listed >= 5 and text.count("。") < listed


# Substring tests first: each pattern needs one of these words, and most pages hold none.
def _academic(sample: str) -> bool:
    return any(w in sample for w in ("摘", "关键词", "参考文献", "作者简介", "基金项目")) and bool(
        _ACADEMIC.search(sample)
    )


def _speech(sample: str) -> bool:
    return ("同志们" in sample or "各位" in sample) and bool(_SPEECH.search(sample))


def _news_opening(title: str, text: str) -> bool:
    """The first paragraph after the title reads like news (3月30日，…召开…)."""
    for line in text.split("\n", 4)[:4]:
        line = line.strip()
        if not line or re.sub(r"\s+", "", line) == title or len(line) < 15:
            continue
        return bool(_NEWS_OPENING.search(line))
    return False


def _is_plan_title(title: str) -> bool:
    return bool(re.search(_SUBJECT, title)) and bool(
        _WORK_PLAN.search(title) or _IMPL_PLAN.search(title)
    )


def _plan_kind(title: str) -> str:
    return "work_plan" if _WORK_PLAN.search(title) else "implementation_plan"
