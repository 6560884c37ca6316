"""Bytes → str: HTTP charset, BOM, <meta charset>, then detection; never raises."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.I)
_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
# GB2312 and GBK pages routinely carry characters only GB18030 has; it is a superset.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}


def _canonical(name: str) -> str | None:
    name = name.strip().lower()
    name = _SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", content_type, re.I)
    return _canonical(m.group(1)) if m else None


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Return (text, encoding used, warnings)."""
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(enc, errors="replace"), enc, warnings
    candidates: list[str] = []
    declared = charset_from_content_type(content_type)
    if declared:
        candidates.append(declared)
    m = _META_CHARSET.search(body[:4096])
    if m:
        meta = _canonical(m.group(1).decode("ascii", "ignore"))
        if meta:
            candidates.append(meta)
    candidates.append("utf-8")
    for enc in dict.fromkeys(candidates):
        try:
            text = body.decode(enc)
        except UnicodeDecodeError:
            if enc in (declared,) or (m and enc == _canonical(m.group(1).decode("ascii", "ignore"))):
                warnings.append(f"declared charset {enc} does not fit the bytes")
            continue
        return text, enc, warnings
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        enc = _canonical(best.encoding) or "gb18030"
        if enc in ("gb2312", "gbk", "big5", "gb18030", "utf-8", "hz", "big5hkscs", "cp950"):
            pass
        text = body.decode(enc, errors="replace")
        if "\ufffd" in text:
            warnings.append(f"undecodable bytes replaced (detected {enc})")
        return text, enc, warnings
    warnings.append("charset unknown: decoded as GB18030 with replacements")
    return body.decode("gb18030", errors="replace"), "gb18030", warnings
