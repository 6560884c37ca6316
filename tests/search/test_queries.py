"""The query language on each engine: words, phrases, operators, fields, traditional and
full-width input, ranking, snippets, paging, collapsed duplicates, more like this."""

from __future__ import annotations

import html
import re

import pytest

from fazhi_shared.models import Document
from fazhi_shared.search.base import BadCursor, SearchBackend, SearchRequest
from fazhi_shared.search.query import QuerySyntaxError
from fazhi_shared.search.snippets import make_snippets
from fazhi_shared.text.segment import tokens

from .expect import contains, result_ids, visible, where

SYNTHETIC = "gov.example"  # the hand-built part of the corpus, whose wording we control


def synthetic(docs: list[Document]) -> list[Document]:
    return [d for d in docs if SYNTHETIC in d.url or (d.duplicate_of and "mirror" in d.url)]


@pytest.mark.parametrize("word", ["行政复议", "复议", "疫情防控", "人民调解", "行政执法", "三项制度"])
def test_a_word_finds_every_document_containing_it(engine: SearchBackend, corpus: list[Document],
                                                   word: str) -> None:
    docs = synthetic(corpus)
    expected = where(docs, lambda d: contains(d, word))
    assert expected
    got = result_ids(engine, q=word) & {d.id for d in docs}
    assert got == expected


def test_phrase_is_stricter_than_its_words(engine: SearchBackend, corpus: list[Document]) -> None:
    docs = synthetic(corpus)
    words = result_ids(engine, q="执法 三项 制度") & {d.id for d in docs}
    phrase = result_ids(engine, q='"行政执法三项制度"') & {d.id for d in docs}
    assert phrase == where(docs, lambda d: "行政执法三项制度" in d.text)
    # The words also match "执法人员……三项重点工作……制度建设", where the phrase is absent.
    assert words == where(docs, lambda d: all(w in d.text for w in ("执法", "三项", "制度")))
    assert phrase < words
    other = '"执法人员持证上岗"'
    assert result_ids(engine, q=other) & {d.id for d in docs} == where(
        docs, lambda d: "执法人员持证上岗" in d.text)


def test_phrase_matches_in_the_real_seeds(engine: SearchBackend, corpus: list[Document]) -> None:
    seeds = [d for d in corpus if "seed.example" in d.url]
    expected = {d.id for d in seeds if "行政执法三项制度" in d.text}
    assert expected
    assert result_ids(engine, q='"行政执法三项制度"', filters={"source_id": ["seeds"]}) == expected


def test_boolean_operators_and_parentheses(engine: SearchBackend, corpus: list[Document]) -> None:
    docs = synthetic(corpus)
    mine = {d.id for d in docs}

    def q(query: str) -> set[str]:
        return result_ids(engine, q=query) & mine

    a = where(docs, lambda d: contains(d, "疫情防控"))
    b = where(docs, lambda d: contains(d, "人民调解"))
    c = where(docs, lambda d: contains(d, "营商环境"))
    assert q("疫情防控 AND 人民调解") == q("疫情防控 人民调解") == a & b
    assert q("疫情防控 OR 人民调解") == a | b
    assert q("疫情防控 NOT 人民调解") == q("疫情防控 -人民调解") == a - b
    assert q("(疫情防控 OR 人民调解) 营商环境") == (a | b) & c
    assert q("疫情防控 OR 人民调解 营商环境") == a | (b & c)  # AND binds tighter
    assert a & b and a - b and (a | b) & c


def test_field_filters_in_the_query(engine: SearchBackend, corpus: list[Document]) -> None:
    docs = synthetic(corpus)
    mine = {d.id for d in docs}
    assert result_ids(engine, q="title:要点") & mine == where(docs, lambda d: "要点" in (d.title or ""))
    assert result_ids(engine, q='issuer:"南京市司法局"') & mine == where(
        docs, lambda d: d.issuer == "南京市司法局")
    # 要点 appears only in titles, so text: finds none of them.
    assert result_ids(engine, q="text:要点") & mine == where(docs, lambda d: "要点" in d.text)


def test_traditional_and_full_width_queries_equal_their_plain_forms(engine: SearchBackend) -> None:
    assert result_ids(engine, q="行政復議") == result_ids(engine, q="行政复议")
    assert result_ids(engine, q="疫情防控　ＯＲ　人民調解") == result_ids(engine, q="疫情防控 OR 人民调解")
    assert result_ids(engine, q="title:２０２１") == result_ids(engine, q="title:2021")
    assert result_ids(engine, q="（疫情防控 OR 人民调解）營商環境") == result_ids(
        engine, q="(疫情防控 OR 人民调解) 营商环境")
    assert result_ids(engine, q="title:2021")


def test_empty_query_means_every_document_newest_first(engine: SearchBackend, corpus: list[Document]) -> None:
    page = engine.search(SearchRequest(q="", size=100))
    assert page.total == len(visible(corpus))
    dates = [h.publish_date for h in page.hits if h.publish_date]
    assert dates == sorted(dates, reverse=True)
    assert [h.publish_date for h in page.hits][-1] is None  # undated documents come last


@pytest.mark.parametrize("query", ['"行政复议', "(复议 OR 诉讼", "复议 AND", "title:", "foo:bar", "复议 )"])
def test_malformed_queries_name_the_position(engine: SearchBackend, query: str) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        engine.search(SearchRequest(q=query))
    assert 0 <= err.value.position <= len(query)


def test_title_and_issuer_matches_rank_above_body_matches(engine: SearchBackend, corpus: list[Document]) -> None:
    hits = engine.search(SearchRequest(q="要点 OR 疫情防控", size=100)).hits
    in_title = [h.score for h in hits if "要点" in (h.title or "")]
    body_only = [h.score for h in hits if "要点" not in (h.title or "")]
    assert in_title and body_only
    assert min(in_title) > max(body_only)  # type: ignore[operator]


def test_snippets_are_cut_from_the_original_text(engine: SearchBackend, corpus: list[Document]) -> None:
    by_id = {d.id: d for d in corpus}
    hits = engine.search(SearchRequest(q='复议 "行政执法三项制度"', size=20)).hits
    assert hits
    for hit in hits:
        assert hit.snippets
        text = by_id[hit.id].text.replace("\n", " ")
        for snippet in hit.snippets:
            marked = re.findall(r"<em>(.*?)</em>", snippet)
            assert marked and all(m in ("复议", "行政执法三项制度") for m in marked)
            plain = html.unescape(re.sub(r"</?em>", "", snippet))
            assert plain in text  # the original characters, not tokens joined by spaces


def test_snippet_markup_is_only_the_highlights() -> None:
    # Control characters survive into document text; none may turn into markup.
    text = "前文\x00后文 <b>复议</b> \x01结尾"
    assert make_snippets(text, ["复议"]) == ["前文\x00后文 &lt;b&gt;<em>复议</em>&lt;/b&gt; \x01结尾"]


@pytest.mark.parametrize(("q", "sort"), [("法治政府", "relevance"), ("法治政府", "date"), ("", "date"),
                                         ("复议 OR 疫情防控 OR 调解", "relevance")])
def test_pages_have_no_gaps_or_repeats(engine: SearchBackend, q: str, sort: str) -> None:
    whole = engine.search(SearchRequest(q=q, sort=sort, size=100))  # type: ignore[arg-type]
    assert 14 < whole.total <= 100
    paged, cursor, pages = [], None, 0
    while True:
        page = engine.search(SearchRequest(q=q, sort=sort, size=7, cursor=cursor))  # type: ignore[arg-type]
        assert page.total == whole.total
        paged.extend(h.id for h in page.hits)
        pages += 1
        cursor = page.next_cursor
        if not cursor:
            break
    assert paged == [h.id for h in whole.hits]
    assert pages == -(-whole.total // 7)


def test_a_cursor_from_another_sort_or_garbage_is_refused(engine: SearchBackend) -> None:
    first = engine.search(SearchRequest(q="法治政府", size=3))
    assert first.next_cursor
    with pytest.raises(BadCursor):
        engine.search(SearchRequest(q="法治政府", size=3, sort="date", cursor=first.next_cursor))
    with pytest.raises(BadCursor):
        engine.search(SearchRequest(q="法治政府", size=3, cursor="not-a-cursor"))


def test_near_duplicates_collapse_behind_their_first_copy(engine: SearchBackend, corpus: list[Document]) -> None:
    copies = [d for d in corpus if d.duplicate_of]
    originals = {d.duplicate_of for d in copies}
    hits = {h.id: h for h in engine.search(SearchRequest(size=100, filters={"is_report": ["any"]})).hits}
    assert not any(c.id in hits for c in copies)
    for original in originals:
        assert hits[original].duplicates == sum(1 for c in copies if c.duplicate_of == original)
    assert sum(h.duplicates for h in hits.values()) == len(copies)
    loose = result_ids(engine, collapse=False, filters={"is_report": ["any"]})
    assert {c.id for c in copies} <= loose


def test_duplicates_are_counted_under_the_words_and_filters(engine: SearchBackend, corpus: list[Document]) -> None:
    copies = [d for d in corpus if d.duplicate_of]
    original = next(d for d in corpus if d.id == copies[0].duplicate_of)
    mirrored = sum(1 for c in copies if c.duplicate_of == original.id)
    words = tokens(original.text)
    # Two adjacent words that stay two words when searched: a phrase, not a single term.
    phrase = next(a + b for a, b in zip(words, words[1:], strict=False)
                  if len(a) > 1 and len(b) > 1 and len(tokens(a + b)) == 2)
    hits = {h.id: h for h in engine.search(SearchRequest(q=f'"{phrase}"', size=100)).hits}
    assert hits[original.id].duplicates == mirrored
    # The copies come from another source: filtered to the original's, none is counted.
    narrowed = engine.search(SearchRequest(q=f'"{phrase}"', size=100,
                                           filters={"source_id": [original.source_id]}))
    assert next(h for h in narrowed.hits if h.id == original.id).duplicates == 0


def test_similar_documents(engine: SearchBackend, corpus: list[Document]) -> None:
    original = next(d for d in corpus if d.id == next(c.duplicate_of for c in corpus if c.duplicate_of))
    answer = engine.similar(original.id, size=5)
    assert answer is not None and answer.hits
    returned = {h.id for h in answer.hits}
    assert original.id not in returned
    assert not returned & {d.id for d in corpus if d.duplicate_of == original.id}
    best = next(d for d in corpus if d.id == answer.hits[0].id)
    shared = set(original.text.splitlines()[1:]) & set(best.text.splitlines()[1:])
    assert shared or best.doc_type == original.doc_type
    assert engine.similar("0" * 20) is None
