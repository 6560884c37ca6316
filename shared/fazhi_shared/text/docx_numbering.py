"""The list labels Word displays for automatically numbered DOCX paragraphs (一、 （一） 1.).

python-docx returns a paragraph's runs only; the label Word draws comes from numbering.xml
(w:num → w:abstractNum → w:lvl), reached through the paragraph's own w:numPr or through its
style chain. Reports number their headings this way, and `structure.outline` finds headings by
those labels, so they are put back. Counters follow Word: one set per abstract numbering
(several w:num share it) unless a w:num restarts a level with w:startOverride; a level
restarts when a shallower one advances (w:lvlRestart can say otherwise); empty numbered
paragraphs advance the count. Anything malformed gives no label rather than an error.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")
# Word separates a label from the text by a tab; after 、 or ） Chinese text needs nothing.
_NO_SPACE_AFTER = ("、", "）", "．")


def _val(el: Any, tag: str) -> str | None:
    child = el.find(_W + tag) if el is not None else None
    return None if child is None else child.get(_W + "val")


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _counting(n: int, digits: str, units: str, short_ten: bool) -> str:
    """Chinese counting numerals: 一 … 十, 十一, 二十一, 一百零一, 一千零一十."""
    if not 0 < n < 10000:
        return str(n)
    parts: list[str] = []
    zero = False
    text = str(n)
    for i, ch in enumerate(text):
        d = int(ch)
        if d == 0:
            zero = True
            continue
        if zero and parts:
            parts.append(digits[0])
        zero = False
        parts.append(digits[d] + units[len(text) - 1 - i])
    out = "".join(parts)
    return out[1:] if short_ten and 10 <= n < 20 else out


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, numeral in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        count, n = divmod(n, value)
        out += numeral * count
    return out


def _letter(n: int) -> str:
    # Word repeats the letter past z: y, z, aa, bb.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _enclosed(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """`n` written in the w:numFmt `fmt`; formats not known here fall back to decimal."""
    if fmt in ("chineseCounting", "chineseCountingThousand"):
        return _counting(n, "零一二三四五六七八九", " 十百千", True).replace(" ", "")
    if fmt == "chineseLegalSimplified":
        return _counting(n, "零壹贰叁肆伍陆柒捌玖", " 拾佰仟", False).replace(" ", "")
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[n - 1] if 1 <= n <= 10 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _enclosed(n)
    if fmt == "decimalZero":
        return f"{n:02d}" if 0 <= n < 10 else str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letters = _letter(n)
        return letters.upper() if fmt == "upperLetter" else letters
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(n)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(n)


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None  # 1-based level whose use restarts this one; 0 = never
    legal: bool = False  # w:isLgl: every placeholder in decimal
    style: str | None = None  # w:pStyle: the paragraph style this level is linked to


def _level(lvl: Any) -> _Level:
    return _Level(
        # An omitted w:start means 0 (ECMA-376 §17.9.25).
        start=_int(_val(lvl, "start")) or 0,
        fmt=_val(lvl, "numFmt") or "decimal",
        text=_val(lvl, "lvlText"),
        restart=_int(_val(lvl, "lvlRestart")),
        legal=lvl.find(_W + "isLgl") is not None,
        style=_val(lvl, "pStyle"),
    )


@dataclass
class _Num:
    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # level → w:startOverride
    levels: dict[int, _Level] = field(default_factory=dict)  # level → w:lvlOverride/w:lvl


@dataclass
class _Counters:
    values: list[int | None] = field(default_factory=lambda: [None] * _LEVELS)


class Numbering:
    """Labels for one document's paragraphs, in document order (counters advance per call)."""

    def __init__(self, numbering: Any = None, styles: Any = None) -> None:
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._links: dict[str, str] = {}  # abstractNum with w:numStyleLink → its style id
        self._nums: dict[str, _Num] = {}
        # style id → (basedOn, numId, ilvl)
        self._styles: dict[str, tuple[str | None, str | None, int | None]] = {}
        self._default_style: str | None = None
        self._counters: dict[str, _Counters] = {}
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.iterfind(_W + "abstractNum"):
            key = abstract.get(_W + "abstractNumId")
            if key is None:
                continue
            levels: dict[int, _Level] = {}
            for lvl in abstract.iterfind(_W + "lvl"):
                ilvl = _int(lvl.get(_W + "ilvl"))
                if ilvl is not None and 0 <= ilvl < _LEVELS:
                    levels[ilvl] = _level(lvl)
            self._abstract[key] = levels
            link = _val(abstract, "numStyleLink")
            if link:
                self._links[key] = link
        for num in root.iterfind(_W + "num"):
            num_id, abstract_id = num.get(_W + "numId"), _val(num, "abstractNumId")
            if num_id is None or abstract_id is None:
                continue
            entry = _Num(abstract=abstract_id)
            for override in num.iterfind(_W + "lvlOverride"):
                ilvl = _int(override.get(_W + "ilvl"))
                if ilvl is None or not 0 <= ilvl < _LEVELS:
                    continue
                start = _int(_val(override, "startOverride"))
                if start is not None:
                    entry.starts[ilvl] = start
                lvl = override.find(_W + "lvl")
                if lvl is not None:
                    entry.levels[ilvl] = _level(lvl)
            self._nums[num_id] = entry

    def _read_styles(self, root: Any) -> None:
        # Numbering styles (w:type="numbering") are kept too: w:numStyleLink points at them.
        for style in root.iterfind(_W + "style"):
            style_id = style.get(_W + "styleId")
            if style_id is None:
                continue
            num_pr = style.find(f"{_W}pPr/{_W}numPr")
            self._styles[style_id] = (
                _val(style, "basedOn"),
                _val(num_pr, "numId"),
                _int(_val(num_pr, "ilvl")),
            )
            if style.get(_W + "type") == "paragraph" and style.get(_W + "default") in (
                "1", "true", "on"
            ):
                self._default_style = style_id

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None, str | None]:
        """(numId, ilvl, the style that gave them) from a style or the styles it is based on."""
        seen: set[str] = set()
        while style_id is not None and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            based_on, num_id, ilvl = self._styles[style_id]
            if num_id is not None:
                return num_id, ilvl, style_id
            style_id = based_on
        return None, None, None

    def _definition(self, num: _Num) -> tuple[str, dict[int, _Level]]:
        """The abstract list a w:num counts in and its levels, following w:numStyleLink."""
        abstract = num.abstract
        link = self._links.get(abstract)
        if link is not None and not self._abstract.get(abstract):
            linked_id = self._style_numbering(link)[0]
            linked = self._nums.get(linked_id) if linked_id is not None else None
            if linked is not None:
                abstract = linked.abstract
        return abstract, {**self._abstract.get(abstract, {}), **num.levels}

    def label(self, p: Any) -> str:
        """The label Word shows before paragraph `p` (a w:p element), or ""; advances counters."""
        try:
            return self._label(p)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):
            return ""  # a definition this reader did not expect: the text matters more

    def _label(self, p: Any) -> str:
        ppr = p.find(_W + "pPr")
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        num_id, ilvl = _val(num_pr, "numId"), _int(_val(num_pr, "ilvl"))
        style_id = _val(ppr, "pStyle") or self._default_style
        linked_style = None
        if num_id is None:
            num_id, style_ilvl, linked_style = self._style_numbering(style_id)
            ilvl = ilvl if ilvl is not None else style_ilvl
        # numId 0 on the paragraph switches off the numbering its style would give.
        num = self._nums.get(num_id) if num_id is not None and num_id != "0" else None
        if num is None or num_id is None:
            return ""
        abstract, levels = self._definition(num)
        if ilvl is None and linked_style is not None:
            # Heading styles tied to a multilevel list name their level through w:lvl/w:pStyle.
            ilvl = next((i for i, lvl in levels.items() if lvl.style == linked_style), None)
        ilvl = ilvl if ilvl is not None and 0 <= ilvl < _LEVELS else 0
        level = levels.get(ilvl)
        if level is None:
            return ""
        # A w:num that restarts a level keeps its own counters; the others share their list's.
        key = f"num:{num_id}" if num.starts else f"abstract:{abstract}"
        values = self._advance(key, num, levels, ilvl)
        if level.fmt in ("bullet", "none") or not level.text:
            return ""
        return self._render(level, levels, values)

    def _advance(self, key: str, num: _Num, levels: dict[int, _Level], ilvl: int) -> list[int]:
        counters = self._counters.setdefault(key, _Counters())
        values = counters.values
        start = num.starts.get(ilvl, levels[ilvl].start)
        current = values[ilvl]
        values[ilvl] = start if current is None else current + 1
        for deeper in range(ilvl + 1, _LEVELS):
            restart = levels[deeper].restart if deeper in levels else None
            if ilvl < (deeper if restart is None else restart):
                values[deeper] = None
        # Levels never used yet show their start value, as Word does.
        return [
            v if v is not None else num.starts.get(i, levels[i].start if i in levels else 1)
            for i, v in enumerate(values)
        ]

    @staticmethod
    def _render(level: _Level, levels: dict[int, _Level], values: list[int]) -> str:
        def one(match: re.Match[str]) -> str:
            i = int(match.group(1)) - 1
            fmt = levels[i].fmt if i in levels else "decimal"
            if level.legal or fmt in ("bullet", "none"):
                fmt = "decimal"
            return format_number(values[i], fmt)

        return _PLACEHOLDER.sub(one, level.text or "").strip()


def numbering_of(document: Any) -> Numbering:
    """The numbering definitions of a python-docx Document; none when they cannot be read."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    # Looked up by relationship: python-docx's own properties add an empty part when absent.
    def element(reltype: str) -> Any:
        try:
            return document.part.part_related_by(reltype).element
        except (KeyError, AttributeError):
            return None  # no such part, or one that is not XML

    try:
        return Numbering(element(RT.NUMBERING), element(RT.STYLES))
    except (TypeError, ValueError, AttributeError, IndexError):
        return Numbering()


def with_label(label: str, text: str) -> str:
    """Paragraph text as Word shows it: the label, a separator when needed, the text."""
    if not label or not text.strip():
        return text
    typed = text.lstrip()
    # Some authors also type the label; "1." before "5亿元" is not one.
    if typed.startswith(label) and not typed[len(label):len(label) + 1].isdigit():
        return text
    return label + ("" if label.endswith(_NO_SPACE_AFTER) else " ") + text


def without_numbering(body: bytes) -> bytes | None:
    """The DOCX with an empty numbering part, or None when it had none to blank out."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as source:
            if "word/numbering.xml" not in source.namelist():
                return None
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
                for info in source.infolist():
                    data = source.read(info.filename)
                    if info.filename == "word/numbering.xml":
                        data = (
                            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                            b'<w:numbering xmlns:w="' + _W[1:-1].encode() + b'"/>'
                        )
                    target.writestr(info, data)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        return None
    return out.getvalue()
