"""One segmenter (rjieba) with the domain dictionary, for documents and queries alike."""

from __future__ import annotations

import functools
from importlib import resources

import rjieba

from fazhi_shared.text.normalize import fold_width, to_simplified


@functools.cache
def _segmenter() -> rjieba.Jieba:
    jieba = rjieba.Jieba()
    words = resources.files("fazhi_shared.text").joinpath("domain_dict.txt").read_text("utf-8")
    for line in words.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            jieba.add_word(word.split()[0], None, None)
    return jieba


def _keep(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


def tokens(text: str) -> list[str]:
    """Precise-mode tokens, lower-cased, punctuation and spaces dropped (positions = order)."""
    return [t.lower() for t in _segmenter().cut(text) if _keep(t)]


def sub_tokens(text: str) -> list[str]:
    """The shorter words search mode adds inside long ones (复议 inside 行政复议)."""
    precise = set(tokens(text))
    return [
        t.lower()
        for t in _segmenter().cut_for_search(text)
        if _keep(t) and t.lower() not in precise
    ]


def spans(text: str) -> list[tuple[str, int, int]]:
    """Search-mode tokens with their character offsets into `text` (for highlighting)."""
    return [(t.lower(), a, b) for t, a, b in _segmenter().tokenize(text, "search") if _keep(t)]


def query_text(text: str) -> str:
    """Queries get the same normalization as documents before segmentation."""
    return to_simplified(fold_width(text))
