"""More like this, engine-neutral: pick the document's most distinctive words (tf·idf over
its title and text tokens), OR them into a query tree, and let the engine rank."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from fazhi_shared.search.base import SearchRequest, SearchResponse
from fazhi_shared.search.query import Or, Term
from fazhi_shared.text.segment import tokens

if TYPE_CHECKING:
    from fazhi_shared.search.base import SearchBackend

MAX_TERMS = 25
MIN_TERM_FREQ = 2
CANDIDATES = 80  # the most frequent words whose document frequency is looked up


def distinctive_terms(backend: SearchBackend, text: str, title: str) -> list[str]:
    counts = Counter(t for t in tokens(text) if len(t) > 1 and not t.isdigit())
    for t in tokens(title):
        if len(t) > 1:
            counts[t] += 3
    candidates = [t for t, n in counts.most_common(CANDIDATES) if n >= MIN_TERM_FREQ]
    if not candidates:
        candidates = [t for t, _ in counts.most_common(MAX_TERMS)]
    total, dfs = backend.doc_freqs("text", candidates)
    scored = []
    for term in candidates:
        df = dfs.get(term, 0)
        if df > 0.5 * max(1, total) and total > 10:
            continue  # in most documents: says nothing about this one
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        scored.append((counts[term] * idf, term))
    scored.sort(key=lambda x: (-x[0], x[1]))
    return [term for _, term in scored[:MAX_TERMS]]


def similar(backend: SearchBackend, doc_id: str, size: int = 10) -> SearchResponse | None:
    doc = backend.get(doc_id)
    if doc is None:
        return None
    terms = distinctive_terms(backend, doc.text, doc.title or "")
    if not terms:
        return SearchResponse(total=0, hits=[])
    tree = Or(tuple(Term(t, "text") for t in terms))
    # The document itself and its own copies are not "similar", they are the same.
    copies = [doc.id, *([doc.duplicate_of] if doc.duplicate_of else [])]
    request = SearchRequest(size=size, exclude_ids=tuple(copies), filters={"is_report": ["any"]},
                            snippets=False)
    return backend.search_tree(tree, request)
