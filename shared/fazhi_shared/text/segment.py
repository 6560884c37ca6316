"""One segmenter (rjieba) with the domain dictionary, for documents and queries alike.

Precise mode gives the index its phrase tokens (行政复议); search mode adds the shorter words
inside long ones (复议), so a query for either finds the document. jieba's search mode only
adds 2- and 3-character sub-words; dictionary words of 4 or more characters inside a longer
word (行政执法 and 三项制度 in 行政执法三项制度) are added here too. Tokens come from one
precise-mode pass; the sub-words of each distinct word are looked up once and cached, since
reports reuse a small vocabulary.
Offsets are character offsets into the text given, so highlights land on the original.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from itertools import chain, repeat

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


_WORD = re.compile(r"[^\W_]")
# Per-word caches: government reports reuse a small vocabulary, so each distinct word is
# looked at once. Bounded: cleared when they grow past _CACHE_LIMIT entries.
_CACHE_LIMIT = 500_000
_norm_cache: dict[str, str | None] = {}
_sub_cache: dict[str, tuple[tuple[str, int], ...]] = {}


def _keep(token: str) -> bool:
    return token.isalnum() or _WORD.search(token) is not None


def _norm(word: str) -> str | None:
    """The index form of a segmenter word (lower-cased), None for punctuation and spaces."""
    found = _norm_cache.get(word, "")
    if found != "":
        return found
    if len(_norm_cache) > _CACHE_LIMIT:
        _norm_cache.clear()
    value = word.lower() if _keep(word) else None
    _norm_cache[word] = value
    return value


def _subwords(word: str) -> tuple[tuple[str, int], ...]:
    """Dictionary words inside `word` (2 characters and up), with their offsets in it."""
    found = _sub_cache.get(word)
    if found is not None:
        return found
    if len(_sub_cache) > _CACHE_LIMIT:
        _sub_cache.clear()
    jieba = _segmenter()
    n = len(word)
    subs = tuple(
        (word[i:i + size], i)
        for size in range(2, n)
        for i in range(0, n - size + 1)
        if jieba.has_word(word[i:i + size])
    )
    _sub_cache[word] = subs
    return subs


_strings_cache: dict[str, tuple[str, ...]] = {}


def _subword_strings(word: str) -> tuple[str, ...]:
    found = _strings_cache.get(word)
    if found is None:
        if len(_strings_cache) > _CACHE_LIMIT:
            _strings_cache.clear()
        found = _strings_cache[word] = tuple(s for s, _i in _subwords(word))
    return found


@functools.lru_cache(maxsize=8)
def _precise(text: str) -> tuple[str, ...]:
    words = _segmenter().cut(text)
    cache = _norm_cache
    for word in set(words).difference(cache):
        _norm(word)
    return tuple(filter(None, map(cache.__getitem__, words)))


def tokens(text: str) -> list[str]:
    """Precise-mode tokens, lower-cased, punctuation and spaces dropped (positions = order)."""
    return list(_precise(text))


def sub_tokens(text: str) -> list[str]:
    """The shorter words search mode adds inside long ones (复议 inside 行政复议)."""
    precise = _precise(text)
    vocabulary = set(precise)
    subs: dict[str, tuple[str, ...]] = {}
    for word in vocabulary:
        if len(word) > 2:
            found = _subword_strings(word)
            if found and not vocabulary.isdisjoint(found):
                found = tuple(s for s in found if s not in vocabulary)
            if found:
                subs[word] = found
    if not subs:
        return []
    return list(chain.from_iterable(map(subs.get, precise, repeat(()))))


def token_spans(text: str) -> list[Span]:
    """Precise-mode tokens with their character offsets into `text`."""
    return [
        (t, start, end)
        for w, start, end in _segmenter().tokenize(text)
        if (t := _norm(w)) is not None
    ]


def spans(text: str) -> list[Span]:
    """Search-mode tokens (precise and sub-words) with character offsets into `text`."""
    out: list[Span] = []
    for token, start, end in token_spans(text):
        out.append((token, start, end))
        if end - start > 2:
            out.extend((sub, start + i, start + i + len(sub)) for sub, i in _subwords(token))
    return out


def query_text(text: str) -> str:
    """Queries get the same normalization as documents before segmentation."""
    return " ".join(to_simplified(fold_width(text)).split())
