"""Highlighted snippets cut from the original text, never from a token string."""

from __future__ import annotations

import html
import re

from fazhi_shared.text.segment import query_text, tokens

MAX_SNIPPETS = 3
WINDOW = 60


def highlight_terms(texts: list[str]) -> list[str]:
    """Strings to mark in the text: each phrase whole, each word and its tokens."""
    terms: set[str] = set()
    for raw in texts:
        norm = query_text(raw).strip()
        if not norm:
            continue
        terms.add(norm.lower())
        terms.update(t for t in tokens(norm) if len(t) > 1 or not t.isascii())
    return sorted(terms, key=len, reverse=True)


def make_snippets(text: str, query_texts: list[str], limit: int = MAX_SNIPPETS) -> list[str]:
    terms = highlight_terms(query_texts)
    if not terms or not text:
        return [html.escape(text[: WINDOW * 2])] if text else []
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.I)
    matches = list(pattern.finditer(text))
    if not matches:
        return [html.escape(text[: WINDOW * 2])]
    snippets: list[str] = []
    covered_until = -1
    for m in matches:
        if m.start() < covered_until:
            continue
        start = max(0, m.start() - WINDOW // 2)
        # Start at a sentence or line boundary when one is close.
        boundary = max(text.rfind("。", start, m.start()), text.rfind("\n", start, m.start()))
        if boundary != -1:
            start = boundary + 1
        end = min(len(text), start + WINDOW * 2)
        snippets.append(_mark(text[start:end], pattern).replace("\n", " "))
        covered_until = end
        if len(snippets) >= limit:
            break
    return snippets


def _mark(window: str, pattern: re.Pattern[str]) -> str:
    """Escaped text with <em> around each match. Escaping the pieces, not the marked string:
    marker characters would also be found in a text that holds them (control characters do
    reach documents) and become tags of their own."""
    out: list[str] = []
    last = 0
    for m in pattern.finditer(window):
        out += [html.escape(window[last:m.start()]), "<em>", html.escape(m.group(0)), "</em>"]
        last = m.end()
    out.append(html.escape(window[last:]))
    return "".join(out)
