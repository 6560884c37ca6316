"""Traditional → simplified, full-width ASCII → ASCII, whitespace; Chinese punctuation kept."""

from __future__ import annotations

import functools
import re

import opencc

# Full-width digits and letters (and U+3000) become ASCII; full-width punctuation such as
# ，（）：stays, which is why NFKC is not applied.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF10, 0xFF1A)}
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF21, 0xFF3B)})
_FULLWIDTH.update({cp: cp - 0xFEE0 for cp in range(0xFF41, 0xFF5B)})
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH[0xA0] = 0x20
_FULLWIDTH[0xFF0E] = 0x2E  # full-width full stop inside numbers (９５．８３)
_FULLWIDTH[0xFF05] = 0x25  # ％


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def looks_traditional(text: str) -> bool:
    """True when converting to simplified changes a noticeable share of the characters."""
    sample = text[:4000]
    if not sample:
        return False
    converted = to_simplified(sample)
    changed = sum(1 for a, b in zip(sample, converted, strict=False) if a != b)
    return changed >= 5 and changed / max(1, len(sample)) > 0.01


def fold_width(text: str) -> str:
    return text.translate(_FULLWIDTH)


_SPACES = re.compile(r"[ \t\r\f\v\u2002-\u200b\u202f\u205f]+")
_BLANKS = re.compile(r"\n\s*\n+")


def clean_whitespace(text: str) -> str:
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return "\n".join(line for line in lines if line)


def normalize(text: str) -> tuple[str, bool]:
    """Return the normalized text and whether the source was in traditional characters."""
    traditional = looks_traditional(text)
    if traditional:
        text = to_simplified(text)
    return clean_whitespace(fold_width(text)), traditional
