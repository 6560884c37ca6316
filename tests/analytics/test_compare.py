"""Reports side by side, on each engine."""

from __future__ import annotations

import pytest

from fazhi_shared.analytics.compare import CompareError, MissingDocuments, compare, parse_ids
from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend


def _pick(corpus: list[Document], *adcodes: str) -> list[Document]:
    return [next(d for d in corpus if d.region.adcode == a and d.issuer_kind == "government"
                 and d.report_year == 2023 and d.doc_type == "annual_report") for a in adcodes]


def test_columns_follow_the_ids_and_rows_line_up(engine: SearchBackend,
                                                  corpus: list[Document]) -> None:
    docs = _pick(corpus, "640200", "640000", "330100")
    result = compare(engine, [d.id for d in docs])
    assert [c.id for c in result.documents] == [d.id for d in docs]
    assert [r.kind for r in result.sections] == ["achievements", "problems", "leadership", "plans"]
    for row in result.sections:
        for doc, cell in zip(docs, row.cells, strict=True):
            section = next(s for s in doc.sections if s.kind == row.kind)
            assert cell is not None and cell.headings == [section.heading]
            assert cell.chars == section.end - section.start
            assert cell.excerpt and cell.excerpt in doc.text.replace("\n", " ")
    values = {r.name: r.values for r in result.indicators}
    for i, doc in enumerate(docs):
        for ind in doc.indicators:
            assert values[ind.name][i] == ind.value
    topics = {r.topic: r.present for r in result.topics}
    for i, doc in enumerate(docs):
        assert {t for t, present in topics.items() if present[i]} == set(doc.topics)
    assert result.shared_topics == sorted(set.intersection(*(set(d.topics) for d in docs)))


def test_a_missing_part_is_an_empty_cell(engine: SearchBackend, corpus: list[Document]) -> None:
    plan = next(d for d in corpus if d.doc_type == "work_plan")
    report = _pick(corpus, "640100")[0]
    assert plan.sections  # built with the same four parts; drop one by comparing a copy
    trimmed = plan.model_copy(update={"sections": [s for s in plan.sections if s.kind != "problems"]})
    from fazhi_shared.analytics.compare import compare_documents

    result = compare_documents([report, trimmed])
    problems = next(r for r in result.sections if r.kind == "problems")
    assert problems.cells[0] is not None and problems.cells[1] is None


@pytest.mark.parametrize("ids", [["a"], ["a,a"], ["a,b,c,d,e,f"], []])
def test_two_to_five_distinct_ids(ids: list[str]) -> None:
    with pytest.raises(CompareError):
        parse_ids(ids)


def test_unknown_ids_are_named(engine: SearchBackend, corpus: list[Document]) -> None:
    with pytest.raises(MissingDocuments) as info:
        compare(engine, [corpus[0].id, "nosuchdocument0000"])
    assert info.value.ids == ["nosuchdocument0000"]
