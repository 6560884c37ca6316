"""Tokens past Elasticsearch's default whitespace-tokenizer length (255 characters): long
ASCII runs such as file names, serial numbers or URL paths that the segmenter keeps whole.
Each engine must index such a token as the one term the query looks for."""

from __future__ import annotations

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend
from fazhi_shared.text.segment import tokens

from .expect import result_ids

# A serial-number-like run of 300 characters, lower-case (index tokens are lower-cased).
LONG = "".join(f"x{i:03d}" for i in range(75))


def test_a_token_longer_than_255_characters_is_found_whole(fresh_engine: SearchBackend,
                                                           corpus: list[Document]) -> None:
    assert tokens(LONG) == [LONG]  # the premise: the segmenter keeps it as one token
    base = next(d for d in corpus if d.is_report and not d.duplicate_of and not d.tokens)
    doc = base.model_copy(update={"text": f"{base.text}\n附件编号：{LONG}"})
    other = next(d for d in corpus if d.is_report and not d.duplicate_of and d.id != base.id
                 and not d.tokens)
    fresh_engine.upsert([doc, other])
    assert result_ids(fresh_engine, q=LONG) == {doc.id}
    assert result_ids(fresh_engine, q=f'"附件编号 {LONG}"') == {doc.id}
    # Only the whole token is a term: its first 255 characters are not a word of the text.
    assert result_ids(fresh_engine, q=LONG[:255]) == set()
