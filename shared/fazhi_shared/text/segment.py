"""One segmenter (rjieba) with the domain dictionary, for documents and queries alike.

Precise mode gives the index its phrase tokens (行政复议); search mode adds the shorter words
inside long ones (复议), so a query for either finds the document. jieba's search mode only
adds 2- and 3-character sub-words; dictionary words of 4 or more characters inside a longer
word (行政执法 and 三项制度 in 行政执法三项制度) are added here too. One search-mode pass gives
both sets: a token is precise when it does not overlap the precise token after it.
Offsets are character offsets into the text given, so highlights land on the original.
"""

from __future__ import annotations

import functools
from importlib import resources

import rjieba

from fazhi_shared.text.normalize import fold_width, to_simplified

Span = tuple[str, int, int]


def dictionary_words() -> list[str]:
    """The domain dictionary shipped in the repo (`domain_dict.txt`)."""
    words = resources.files("fazhi_shared.text").joinpath("domain_dict.txt").read_text("utf-8")
    out = []
    for line in words.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            out.append(word.split()[0])
    return out


@functools.cache
def _segmenter() -> rjieba.Jieba:
    jieba = rjieba.Jieba()
    for word in dictionary_words():
        jieba.add_word(word, None, None)
    return jieba


def _keep(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


@functools.lru_cache(maxsize=8)
def _analyze(text: str) -> tuple[tuple[Span, ...], tuple[Span, ...]]:
    """(precise spans, sub-word spans), lower-cased, punctuation and spaces dropped."""
    jieba = _segmenter()
    raw = jieba.tokenize(text, "search")
    precise: list[Span] = []
    subs: list[Span] = []
    next_start = len(text) + 1
    for word, start, end in reversed(raw):
        if end <= next_start:
            next_start = start
            if _keep(word):
                precise.append((word.lower(), start, end))
        elif _keep(word):
            subs.append((word.lower(), start, end))
    precise.reverse()
    subs.reverse()
    # Dictionary words of 4+ characters inside longer precise tokens.
    extra: list[Span] = []
    for word, start, _end in precise:
        n = len(word)
        if n <= 4:
            continue
        for size in range(4, n):
            for i in range(0, n - size + 1):
                piece = word[i:i + size]
                if jieba.has_word(piece):
                    extra.append((piece, start + i, start + i + size))
    if extra:
        subs = sorted(subs + extra, key=lambda s: (s[1], s[2]))
    return tuple(precise), tuple(subs)


def tokens(text: str) -> list[str]:
    """Precise-mode tokens, lower-cased, punctuation and spaces dropped (positions = order)."""
    return [t for t, _s, _e in _analyze(text)[0]]


def sub_tokens(text: str) -> list[str]:
    """The shorter words search mode adds inside long ones (复议 inside 行政复议)."""
    precise_spans, sub_spans = _analyze(text)
    precise = {t for t, _s, _e in precise_spans}
    return [t for t, _s, _e in sub_spans if t not in precise]


def token_spans(text: str) -> list[Span]:
    """Precise-mode tokens with their character offsets into `text`."""
    return list(_analyze(text)[0])


def spans(text: str) -> list[Span]:
    """Search-mode tokens (precise and sub-words) with character offsets into `text`."""
    precise, subs = _analyze(text)
    return sorted(precise + subs, key=lambda s: (s[1], -s[2]))


def query_text(text: str) -> str:
    """Queries get the same normalization as documents before segmentation."""
    return " ".join(to_simplified(fold_width(text)).split())
