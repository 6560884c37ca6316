"""Page noise: navigation, 字号, 打印, 关闭窗口, share widgets, counters, editors, footers.

Works on normalized text (simplified characters, ASCII digits), one candidate paragraph per
line, the same for HTML bodies and plain-text input. A line is noise when, once every noise
fragment (`字号：大 中 小`, `【打印】`, `点击数：12`, `来源：…`, a web timestamp, `|`
separators…) is taken out, nothing is left. Publication lines at the top of a page
(`日期：2021-04-22 14:43 来源：`) are noise for the body but carry metadata, which
`drop_noise_lines` hands back so nothing is lost.
"""

from __future__ import annotations

import re

_LABELS = (
    "日期|时间|发布时间|发布日期|更新时间|发文日期|信息来源|文章来源|稿件来源|来源|作者|撰稿|撰稿人"
    "|点击数|点击量|点击率|点击|浏览次数|浏览量|阅读次数|阅读数|阅读量|访问量|访问次数|浏览"
    "|字号|字体|责编|责任编辑|编辑|审核|审校|校对|供稿|摄影|发布者|信息提供|文字"
)
# Some CMS templates space the parts out (2023 年 03 月 27 日, 2023 - 03 - 27).
# A byline names the role before the name: 作者：记者 张伟.
_ROLE = r"(?:(?:本报|本网)?(?:记者|通讯员|实习生|特约记者)\s+)?"
_WEB_DATE = (
    r"(?:19|20)\d\d(?:\s?[-/.]\s?\d{1,2}\s?[-/.]\s?\d{1,2}|\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日)"
    r"(?:\s*\d{1,2}(?::\d{2}(?::\d{2})?|时\d{1,2}分(?:\d{1,2}秒)?))?"  # 10:30, 10时30分
    r"(?:\s*星期[一二三四五六日天])?"
)
_FRAGMENT = re.compile(
    r"(?:" + _LABELS + r")\s*[:：]\s*(?:" + _WEB_DATE + r"|" + _ROLE + r"[^\s|:：【】\[\]]*)"
    r"|" + _WEB_DATE
    + r"|【?\[?\s*(?:(?:我要)?打印(?:本页|内容|此页|文章|正文)?|(?:我要)?收藏(?:本页)?|关闭(?:本?窗口|本页|页面)?|返回顶部"
    r"|我要纠错|纠错|分享到?|点赞|下载|保存|大|中|小|默认|TOP|top|视力保护色|繁体|简体|无障碍|长者模式"
    r"|加入收藏|设为首页|扫一扫|微信|微博|QQ空间|QQ|手机版|复制链接|朗读|放大|缩小|原文链接)\s*\]?】?"
    r"|[|｜/·•\-—_=\s【】\[\]()（）:：,，>»]"
)
# Every character a noise fragment can hold: a line with any other Chinese character is text.
_NOISE_CHARS = frozenset(
    re.sub(r"[^\u4e00-\u9fff]", "", _LABELS)
    + "打印本页内容此文章正收藏关闭窗口页面返回顶部我要纠错分享到点赞下载保存大中小默认视力保护色繁体简体"
    "无障碍长者模式加入设为首扫一微信博空间手机版复制链接朗读放缩原年月日时分秒星期二三四五六天"
    + "".join(chr(c) for c in range(0x20, 0x7F))
    + "【】［］（）：，、|｜·•—－＿＝>»  \t　"
)
_LABEL_ONLY = re.compile(r"^(?:" + _LABELS + r"|分享|点赞|打印|关闭|收藏)")
_LINE = re.compile(
    r"^(?:"
    r"本站搜索|站内搜索|搜索|省级部门|热门搜索(?:排行)?|热门搜索词|相关链接|相关文章|相关阅读|相关新闻|相关稿件|相关报道|相关推荐"
    r"|上一篇[:：].*|下一篇[:：].*|附件下载[:：]?|网站地图|联系我们|网站纠错|无障碍浏览|English"
    r"|.*扫一扫在手机(?:上)?打开(?:当前|本)页(?:面)?.*|.*用手机扫描二维码.*|.*手机扫码.*(?:打开|查看).*"
    r"|(?:hi|Hi|HI)\s*[!！,，]?\s*我是.{0,12}|您好[!！,，]?\s*我是智能.{0,12}"
    r"|(?:当前位置|您当前的位置|您的位置|您现在的位置|当前所在位置|所在位置)\s*[:：].*"
    r"|首页\s*(?:>|>>|»|＞|→|/|\\).*"
    r"|.*(?:版权所有|主办单位[:：]|承办单位[:：]|协办单位[:：]|网站标识码|ICP备|公网安备|技术支持[:：]"
    r"|建议使用.{0,20}浏览器|分辨率).*"
    r")$"
)


# What a line must hold for `_LINE` to match: one of the first characters of its anchored
# alternatives, or one of the words of those that may start anywhere. Checking this first
# spares the `.*` alternatives, which backtrack over every ordinary paragraph.
_LINE_FIRST = frozenset("本站搜省热相上下附网联无EhH您当所首")
_LINE_ANYWHERE = re.compile(
    "扫一扫在手机|用手机扫描二维码|手机扫码|版权所有|主办单位|承办单位|协办单位|网站标识码|ICP备|公网安备"
    "|技术支持|建议使用|分辨率"
)


def is_noise(line: str) -> bool:
    if len(line) > 200:
        return False
    if (line[:1] in _LINE_FIRST or _LINE_ANYWHERE.search(line)) and _LINE.match(line):
        return True
    if len(line) > 120:
        return False
    # Other characters can only be the value of a label (来源：市司法局), which needs a colon.
    if not _NOISE_CHARS.issuperset(line) and ":" not in line and "：" not in line:
        return False
    residue = _FRAGMENT.sub("", line)
    if residue:
        return False
    # Nothing left: noise when it held a label, a widget word or a web timestamp — a
    # dated signature line (2021年3月31日) at the end of a report is body text.
    return bool(_LABEL_ONLY.search(line) or re.search(r"[-/.:|【]", line) or not re.search(r"\d", line))


_META_SOURCE = re.compile(r"(?:信息来源|文章来源|稿件来源|来源)\s*[:：]\s*([^\s|【】]+)")
# A web timestamp (2021-04-22 14:43, 2021年4月22日).
WEB_DATE = re.compile(_WEB_DATE)
_META_AUTHOR = re.compile(r"(?:作者|撰稿人?)\s*[:：]\s*" + _ROLE + r"([^\s|【】]+)")
# The date a page was last edited, which some templates print beside the publication date.
_UPDATED_BEFORE = re.compile(r"(?:更新|修改|修订)(?:时间|日期)\s*[:：]\s*$")


def publication_date(line: str) -> str | None:
    """The first web date of `line` that is not labelled as an update (更新时间：…), or the
    first date when all are."""
    dates = list(WEB_DATE.finditer(line))
    for m in dates:
        if not _UPDATED_BEFORE.search(line, max(0, m.start() - 8), m.start()):
            return m.group(0)
    return dates[0].group(0) if dates else None


def meta_from_line(line: str, meta: dict[str, str]) -> None:
    """Publication date, source and author of a publication line, unless already known."""
    if "PubDate" not in meta:
        found = publication_date(line)
        if found:
            meta["PubDate"] = found
    m = _META_SOURCE.search(line)
    if m and "ContentSource" not in meta:
        meta["ContentSource"] = m.group(1)
    m = _META_AUTHOR.search(line)
    if m and "Author" not in meta:
        meta["Author"] = m.group(1)


HEADER_ZONE = 12
# Headers of the link lists sites print after the article.
_LINK_LIST = re.compile(r"^(?:相关链接|相关文章|相关阅读|相关新闻|相关稿件|相关报道|相关推荐|热点新闻|推荐阅读)$")
_SENTENCE_END = re.compile(r"[。；！？]$")


def drop_noise_lines(text: str) -> tuple[str, dict[str, str]]:
    """Remove noise lines; return the kept text and metadata read from the noise lines
    (publication date, source, author; the first one found wins).

    In the first lines of a page a line repeated (title printed twice) is kept once, where it
    is printed last.
    """
    kept: list[str] = []
    meta: dict[str, str] = {}
    seen_header: set[str] = set()
    in_link_list = False
    for line in text.split("\n"):
        stripped = line.strip(" \t|｜")
        if not stripped:
            continue
        if in_link_list:
            # Titles of related pages: short, no sentence end. A real paragraph ends the list.
            if len(stripped) <= 60 and not _SENTENCE_END.search(stripped):
                continue
            in_link_list = False
        if is_noise(stripped):
            meta_from_line(stripped, meta)
            if kept and _LINK_LIST.match(stripped):
                in_link_list = True
            continue
        if len(kept) < HEADER_ZONE and len(stripped) <= 120:
            if stripped in seen_header:
                # The later copy is the one in the title block (a running header or a page
                # heading came first): keep it where it stands, below its issuer line.
                kept.remove(stripped)
            seen_header.add(stripped)
        kept.append(stripped)
    return "\n".join(kept), meta
