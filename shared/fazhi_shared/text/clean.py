"""Page noise: navigation, 字号, 打印, 关闭窗口, share widgets, counters, editors, footers."""

from __future__ import annotations

import re

_NOISE_LINE = re.compile(
    r"^(?:"
    r"本站搜索|省级部门|热门搜索排行|点赞|分享[:：]?|字号[:：]?.*|【?字体[:：].*|【?字號[:：].*"
    r"|.*扫一扫在手机(?:上)?打开当前页.*|hi!我是.*|当前位置[:：].*|首页\s*(?:>|>>|»|＞).*"
    r"|.*【?关闭窗口】?.*|.*【?打印(?:内容|本页)?】?\s*\|?.*【?收藏】?.*|【?打印(?:内容|本页)?】?"
    r"|.*点击数[:：]?\s*[\d|]*\s*\|*|责编[:：].*|责任编辑[:：].*|[|\s]+"
    r"|来源[:：]\s*|.*(?:版权所有|主办单位|承办单位|网站标识码|ICP备|公网安备).*"
    r")$"
)


def drop_noise_lines(text: str) -> str:
    kept = []
    for line in text.split("\n"):
        stripped = line.strip().strip("|").strip()
        if not stripped or _NOISE_LINE.match(stripped):
            continue
        kept.append(stripped)
    return "\n".join(kept)
