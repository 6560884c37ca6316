"""Numbers as reports write them: 3,699 · 95.83% · 1.2万 · 三千六百九十九 · 百分之九十五."""

from __future__ import annotations

import re

_DIGIT = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10_000, "亿": 100_000_000}
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")

CN_NUM = "[零〇○一二两三四五六七八九十百千万亿]+"
# An Arabic number (thousands separators, decimals, an optional 万/亿 multiplier) or a
# Chinese one. Used inside larger patterns, so it has no groups of its own.
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)[万亿]?|{CN_NUM}"


def parse_chinese(text: str) -> int | None:
    """三千六百九十九 → 3699, 十二 → 12, 一万零五 → 10005, 二〇二一 → 2021."""
    if not text:
        return None
    if all(ch in _DIGIT for ch in text):  # digit by digit, as in 二〇二一
        return int("".join(str(_DIGIT[ch]) for ch in text))
    total, section, number = 0, 0, 0
    for ch in text:
        if ch in _DIGIT:
            number = _DIGIT[ch]
        elif ch in _SMALL:
            section += (number or 1) * _SMALL[ch]
            number = 0
        elif ch in _BIG:
            section += number
            total += (section or 1) * _BIG[ch]
            section, number = 0, 0
        else:
            return None
    return total + section + number


def parse_number(text: str) -> float | None:
    """Parse one match of NUM (or any plain number) into a float."""
    t = text.translate(_FULLWIDTH).replace(" ", "")
    mult = 1
    if t and t[-1] in _BIG and re.search(r"\d", t):
        mult = _BIG[t[-1]]
        t = t[:-1]
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", t):
        return float(t.replace(",", "")) * mult
    value = parse_chinese(t)
    return float(value) if value is not None else None


def fold_digits(text: str) -> str:
    return text.translate(_FULLWIDTH)
