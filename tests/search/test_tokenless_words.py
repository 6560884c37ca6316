"""A word that holds nothing searchable (punctuation, an emoji) is left out of the query:
it neither widens an OR to every document nor empties a NOT."""

from __future__ import annotations

import pytest

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend

from .expect import contains, result_ids, visible, where

SYNTHETIC = "gov.example"


@pytest.mark.parametrize("noise", ["😀", "。", "!!!", '"😀"', "title:、"])
def test_a_word_without_tokens_changes_nothing(engine: SearchBackend, corpus: list[Document],
                                               noise: str) -> None:
    mine = {d.id for d in corpus if SYNTHETIC in d.url}
    a = where(corpus, lambda d: contains(d, "疫情防控")) & mine
    b = where(corpus, lambda d: contains(d, "人民调解")) & mine
    assert a and b and a != mine

    def q(query: str) -> set[str]:
        return result_ids(engine, q=query) & mine

    assert q(f"{noise} OR 疫情防控") == a
    assert q(f"疫情防控 OR {noise}") == a
    assert q(f"疫情防控 {noise}") == a
    assert q(f"疫情防控 -{noise}") == a
    assert q(f"(疫情防控 OR {noise}) 人民调解") == a & b
    # Alone, it is the empty query: every document.
    assert result_ids(engine, q=noise) == result_ids(engine, q="") == {d.id for d in visible(corpus)}
    assert result_ids(engine, q=f"NOT {noise}") == result_ids(engine, q="")
