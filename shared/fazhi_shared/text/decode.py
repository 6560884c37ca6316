"""Bytes → str: BOM, HTTP charset, <meta charset>/http-equiv, then detection; never raises.

Order of evidence: a byte-order mark wins; then the charset of the HTTP `Content-Type`; then
the page's own `<meta charset>` or `<meta http-equiv="Content-Type" content="…; charset=…">`.
A declaration is only trusted when the bytes decode cleanly with it. GB2312 and GBK are read
as GB18030, their superset (pages declared GB2312 routinely carry GBK-only characters). When
nothing fits, charset-normalizer guesses; as a last resort the bytes are decoded as GB18030
with replacement characters and a warning is recorded, so a document is never lost here.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-:.]+)""", re.I
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "gb_2312": "gb18030",
    "csgb2312": "gb18030",
    "euc-cn": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "big5": "big5hkscs",
    "cp950": "big5hkscs",
    # Browsers read latin-1 declarations as windows-1252.
    "iso-8859-1": "cp1252",
    "latin-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "utf-8",
    "us-ascii": "utf-8",
    "utf8": "utf-8",
}
_LATIN = frozenset({"cp1252", "latin-1", "iso8859-1", "iso8859-15"})
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# How much of a large body detection looks at.
_DETECT_SAMPLE = 64_000


def canonical(name: str | None) -> str | None:
    """A Python codec name for a declared charset, GB2312/GBK mapped to GB18030."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    name = _SUPERSETS.get(name, name)
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    return _SUPERSETS.get(found, found)


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\"';,\s]+)", content_type, re.I)
    return canonical(m.group(1)) if m else None


def charset_from_meta(body: bytes) -> str | None:
    m = _META_CHARSET.search(body[:8192])
    return canonical(m.group(1).decode("ascii", "ignore")) if m else None


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> str | None:
    best = from_bytes(body[:_DETECT_SAMPLE]).best()
    if best is None or not best.encoding:
        return None
    return canonical(best.encoding)


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Return (text, encoding used, warnings)."""
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if body.startswith(bom):
            text = body[len(bom):].decode(enc, errors="replace")
            if "\ufffd" in text:
                warnings.append(f"undecodable bytes replaced ({enc} with BOM)")
            return text, enc, warnings

    if not _NON_ASCII.search(body):
        return body.decode("ascii"), "ascii", warnings

    declared = [
        enc
        for enc in dict.fromkeys((charset_from_content_type(content_type), charset_from_meta(body)))
        if enc
    ]
    # Valid UTF-8 with non-ASCII bytes is almost never anything else; legacy declarations
    # (GBK pages re-saved as UTF-8 by a CMS upgrade) are frequently wrong, and GB18030
    # decodes most UTF-8 byte sequences into mojibake without any error.
    utf8 = _strict(body, "utf-8")
    if utf8 is not None:
        wrong = [d for d in declared if d != "utf-8"]
        if wrong:
            warnings.append(f"declared charset {wrong[0]} is wrong: the bytes are UTF-8")
        return utf8, "utf-8", warnings

    # A Latin-1 declaration is what many servers send by default, whatever the page holds:
    # every byte decodes under it, so it comes last, after the page's own meta and GB18030.
    latin = [d for d in declared if d in _LATIN]
    declared = [d for d in declared if d not in _LATIN] + latin
    for enc in declared:
        if enc == "utf-8":
            continue
        if enc in _LATIN:
            wide = _strict(body, "gb18030")
            if wide is not None and _plausible_chinese(wide):
                warnings.append(f"declared charset {enc} is wrong: the bytes are gb18030")
                return wide, "gb18030", warnings
        strict = _strict(body, enc)
        if strict is not None:
            if "utf-8" in declared:
                warnings.append(f"declared charset utf-8 is wrong: the bytes are {enc}")
            return strict, enc, warnings

    # Chinese government pages: GB18030 is by far the most likely when UTF-8 fails.
    if "gb18030" not in declared:
        strict = _strict(body, "gb18030")
        if strict is not None and _plausible_chinese(strict):
            if declared:
                warnings.append(f"declared charset {declared[0]} is wrong: the bytes are gb18030")
            return strict, "gb18030", warnings

    # A few corrupt bytes in an otherwise well-declared page (truncated download, a broken
    # character pasted into the CMS): keep the declaration, replace the bad bytes.
    for enc in [*declared, "utf-8", "gb18030"]:
        lenient = body.decode(enc, errors="replace")
        bad = lenient.count("\ufffd")
        if bad <= max(3, len(lenient) // 200) and (enc in declared or _plausible_chinese(lenient)):
            warnings.append(f"undecodable bytes replaced: {bad} characters ({enc})")
            return lenient, enc, warnings

    detected = _detect(body)
    if detected:
        strict = _strict(body, detected)
        if strict is not None:
            warnings.append(f"charset detected as {detected}")
            return strict, detected, warnings

    # Nothing fits: keep the document with replacement characters.
    enc = declared[0] if declared else (detected or "gb18030")
    text = body.decode(enc, errors="replace")
    bad = text.count("\ufffd")
    warnings.append(f"undecodable bytes replaced: {bad} characters ({enc})")
    return text, enc, warnings


_NON_ASCII_CHAR = re.compile(r"[^\x00-\x7f]")
_CJK_OR_PUNCT = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


def _plausible_chinese(text: str) -> bool:
    """True when most non-ASCII characters decoded are common CJK or CJK punctuation."""
    sample = text[:5000]
    non_ascii = len(_NON_ASCII_CHAR.findall(sample))
    cjk = len(_CJK_OR_PUNCT.findall(sample))
    if non_ascii == 0 or cjk / non_ascii <= 0.9:
        return False
    if cjk < 50:
        return True
    # Mojibake is CJK too, but it almost never contains the most frequent characters.
    common = sum(map(_COMMON.__contains__, sample))
    return common / cjk > 0.04


_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下"
    "过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两"
    "体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线"
    "内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并"
    "提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见"
    "计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七"
    "海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场"
    "身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广"
    "石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办"
    "青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江"
    "型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龍這個們來時國"
    "會說對現與應從發經動進實學點長開問關樣頭間當還還過將機"
)
