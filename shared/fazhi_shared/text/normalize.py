"""Traditional → simplified, full-width ASCII → ASCII, whitespace, paragraphs.

Chinese punctuation (，。：；（）“”《》、) stays as it is: NFKC would turn ，（）： into ASCII
and is therefore not applied. Only full-width digits, letters, ％ and the full stop inside
numbers become ASCII, and U+3000 / NBSP become spaces.
"""

from __future__ import annotations

import functools
import operator
import re

import opencc

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH[0xA0] = 0x20
_FULLWIDTH[0xFF05] = 0x25  # ％
_FULLWIDTH[0xFF0B] = 0x2B  # ＋ (互联网＋监管)
_FULLWIDTH[0x2028] = 0x0A
_FULLWIDTH[0x2029] = 0x0A
_FULLWIDTH[0x0B] = 0x0A
_FULLWIDTH[0x0C] = 0x0A
for _cp in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD):
    _FULLWIDTH[_cp] = None  # type: ignore[assignment]
# Full-width full stop between digits (９５．８３％ → 95.83%): handled after folding.
_NUM_STOP = re.compile(r"(?<=\d)．(?=\d)")


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


_CJK = re.compile(r"[\u4e00-\u9fff]")


# Frequent characters that only traditional text uses: a page without any is not traditional,
# and the OpenCC round trip is skipped.
_TRADITIONAL_HINT = re.compile(
    "[這們個來時國會說對現與應從發經動進實學點長開問關樣頭間當還過將機為於讓認設務區員幹"
    "緊裡體業專華東見議記決運產導係軍範圍號條規務縣鄉鎮際歷級質術達極權務強設護證據"
    "黨領億萬與歲辦聯綜優總環門車網響單費報項線轉稅兩樂隊類義營標準體製務計劃廣]"
)


_SAMPLE = 2000


def looks_traditional(text: str) -> bool:
    """True when converting to simplified changes a noticeable share of the CJK characters."""
    return _traditional(text)[0]


def _traditional(text: str) -> tuple[bool, str]:
    """Whether `text` looks traditional, and the simplified form of its whole first lines
    (up to the last line break of the sample) when it was converted to decide.

    OpenCC never converts across a line break (no dictionary entry holds one), so those lines
    converted here are reused for the whole text instead of being converted twice.
    """
    sample = text[:_SAMPLE]
    if not sample or not _TRADITIONAL_HINT.search(sample):
        return False, ""
    cut = sample.rfind("\n") + 1
    head = to_simplified(sample[:cut]) if cut else ""
    converted = head + to_simplified(sample[cut:])
    if converted == sample:
        return False, head
    if len(converted) != len(sample):
        return True, head
    changed = sum(map(operator.ne, sample, converted))
    cjk = len(_CJK.findall(sample))
    return changed >= 3 and changed / max(1, cjk) > 0.03, head


# Only the characters that change are visited: most pages hold none or a few runs of U+3000.
_FOLD_CLASS = "[" + "".join(re.escape(chr(cp)) for cp in sorted(_FULLWIDTH)) + "]"
_TO_FOLD = re.compile(_FOLD_CLASS + "+")
# The bare class finds the first one three times faster than the run pattern, which the regex
# engine cannot skip ahead to (most texts hold none at all).
_FOLD_FIRST = re.compile(_FOLD_CLASS)


def _fold(match: re.Match[str]) -> str:
    return match.group(0).translate(_FULLWIDTH)


def fold_width(text: str) -> str:
    # The common ones by plain replacement (C speed), the rare ones by the pattern.
    if "\u3000" in text:
        text = text.replace("\u3000", " ")
    if "\xa0" in text:
        text = text.replace("\xa0", " ")
    first = _FOLD_FIRST.search(text)
    if first is not None:
        start = first.start()
        text = text[:start] + _TO_FOLD.sub(_fold, text[start:])
    if "．" in text:
        text = _NUM_STOP.sub(".", text)
    return text


# Heading markers a paragraph starts with (DESIGN §2): 一、 （一） (一) 1. 一是 第一章.
HEADING_START = (
    r"(?:[一二三四五六七八九十]{1,3}\s*[、是]"
    r"|[（(]\s*[一二三四五六七八九十]{1,3}\s*[）)]"
    r"|\d{1,2}\s*[.．、](?!\d)"
    r"|第[一二三四五六七八九十]{1,3}[章节部分条])"
)
# Sites that lose their <p> tags deliver a whole body on one line, the paragraphs separated
# by a space or by the U+3000 indentation: a run of spaces after a sentence end, or before a
# heading marker, is a paragraph break.
# Patterns start with the space itself so the regex engine can skip ahead to spaces; the
# character before is checked by a fixed-width look-behind. Spaces are collapsed first.
_SENTENCE_END_SPACE = re.compile(r" (?:(?<=[。！？；] )|(?<=[。！？][”’」』] ))(?=\S)")
_HEADING_AFTER_SPACE = re.compile(
    r" (?<=[\u4e00-\u9fff：:，,。；] )(?=" + HEADING_START + r")"
)
_SPACES = re.compile(r"[ \t\r\u3000\xa0]+")
# Characters spaced out for layout (法 治 政 府 建 设): three or more single CJK characters each
# separated by one space. Other spaces between CJK characters separate fields (来源：x 时间：y)
# and stay.
_SPACED_OUT = re.compile(r"(?<![^\s])[\u4e00-\u9fff](?: [\u4e00-\u9fff]){2,}(?![^\s])")


_SPACED_HINT = re.compile(r" [\u4e00-\u9fff] [\u4e00-\u9fff]")


def _unspace(match: re.Match[str]) -> str:
    return match.group(0).replace(" ", "")


def clean_whitespace(text: str) -> str:
    """Paragraphs one per line, spaces collapsed, spaced-out characters joined."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in "\t\u3000\xa0":
        if ch in text:
            text = text.replace(ch, " ")
    # Runs of spaces (mostly the indentation of each paragraph) collapse by plain replacement:
    # each pass halves every run, at C speed, where a regex sub pays for every match.
    while "  " in text:
        text = text.replace("  ", " ")
    text = _SENTENCE_END_SPACE.sub("\n", text)
    text = _HEADING_AFTER_SPACE.sub("\n", text)
    if _SPACED_HINT.search(text):
        text = _SPACED_OUT.sub(_unspace, text)
    return "\n".join(line for line in (raw.strip() for raw in text.split("\n")) if line)


_SENTENCE_END = re.compile(r"[。！？；：:”」』）)]$")
_HEADING_RE = re.compile(HEADING_START)
_TITLE_END = re.compile(r"(?:报告|方案|要点|规划|纲要|意见|通知|决定|总结)$")
_LAYOUT_GAP = re.compile(r"\S[ \u3000\xa0]{3,}\S")


def hard_wrapped(text: str) -> bool:
    """Plain text cut into lines of one width (a PDF's text pasted into a .txt file): at
    least ten lines, and two in five of exactly the most common length, of 20 or more."""
    lengths = [len(ln.strip()) for ln in text.split("\n", 400)[:400] if ln.strip()]
    if len(lengths) < 10:
        return False
    width = max(set(lengths), key=lengths.count)
    return width >= 20 and lengths.count(width) >= 0.4 * len(lengths)


def rejoin_wrapped(text: str) -> str:
    """Join the visual lines of a PDF back into paragraphs.

    A line continues the previous one unless the previous one ends a sentence, is clearly
    shorter than a full line (a title or a heading), or the line starts with a heading marker.
    """
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        return ""
    lengths = sorted(len(ln) for ln in lines)
    full = lengths[int(len(lengths) * 0.8)] if len(lengths) > 4 else max(lengths)
    out: list[str] = [lines[0]]
    last = lines[0]  # the previous visual line: a paragraph's length says nothing of wrapping
    for line in lines[1:]:
        prev = out[-1]
        ends = bool(_SENTENCE_END.search(prev))
        # A line shorter than a full one ends its paragraph (a title, a heading); so does a
        # line laid out with a gap inside (淇政〔2024〕9号　　　　签发人：…), which is no
        # wrapped prose.
        short = len(last) < full * 0.8 or _LAYOUT_GAP.search(last) is not None
        # A title line at the top as long as a full line (…情况的报告) is no wrapped prose.
        title = len(out) <= 4 and _TITLE_END.search(last) is not None
        if ends or short or title or _HEADING_RE.match(line):
            out.append(line)
        else:
            a, b = prev[-1:], line[:1]
            joiner = " " if a.isascii() and b.isascii() and a.isalpha() and b.isalpha() else ""
            out[-1] = prev + joiner + line
        last = line
    return "\n".join(out)


# Control characters (C0 but tab and line breaks, DEL, C1) and zero-width marks that pages
# carry from their editors (&#1;, U+200B, a BOM inside the text): invisible, and they would
# split words and sit in snippets.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff]")


def drop_controls(text: str) -> str:
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def normalize(text: str, traditional: bool | None = None) -> tuple[str, bool]:
    """Return the normalized text and whether the source was in traditional characters.

    `traditional` forces the decision (metadata of a page follows its body).
    """
    text = drop_controls(fold_width(text))
    head = ""
    if traditional is None:
        traditional, head = _traditional(text)
    if traditional:
        # `head` is the simplified form of text[:n] for the n whole first lines it covers.
        cut = text.rfind("\n", 0, _SAMPLE) + 1 if head else 0
        text = head + to_simplified(text[cut:])
    return clean_whitespace(text), traditional


def normalize_inline(text: str, traditional: bool) -> str:
    """Normalize a short single-line value (a title, a meta tag)."""
    text = drop_controls(fold_width(text))
    if traditional:
        text = to_simplified(text)
    if " " not in text and "\n" not in text and "\t" not in text and "\r" not in text:
        # Folding turned U+3000 and NBSP into spaces: without any space both patterns are
        # no-ops (most values: dates, names, a title).
        return text.strip()
    return _SPACED_OUT.sub(_unspace, _SPACES.sub(" ", text.replace("\n", " "))).strip()
