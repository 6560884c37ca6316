from __future__ import annotations

import io
import re

import pytest

from bench.score_extraction import score
from fazhi_shared.pipeline import EXTRACT_STEPS, process
from tests.extract.conftest import LABELLED, ROOT


@pytest.fixture(scope="module")
def seed_docs() -> list:
    return [
        process(p.read_bytes(), url=f"http://example.gov.cn/{p.stem}.html", content_sha256="-",
                fetched_at="2024-01-01T00:00:00Z")
        for p in sorted((ROOT / "seeds").glob("*.txt"))
    ]


def test_steps_are_listed() -> None:
    names = [s.__name__ for s in EXTRACT_STEPS]
    assert names[:4] == ["title", "publish_date", "doc_type", "report_year"]
    assert {"issuer", "indicators", "citations", "topics", "timeliness", "fingerprint"} <= set(names)


def test_every_offset_points_at_its_evidence(seed_docs: list) -> None:
    for doc in seed_docs:
        for ind in doc.indicators:
            piece = doc.text[ind.start : ind.end]
            assert re.search(r"\d|[一二三四五六七八九十百千万]", piece), (doc.title, ind)
        for cit in doc.citations:
            assert doc.text[cit.start : cit.end].startswith("《")
        for field, span in doc.evidence.items():
            assert 0 <= span.start < span.end <= len(doc.text), field
        if "title" in doc.evidence:
            assert doc.text[doc.evidence["title"].start : doc.evidence["title"].end] == doc.title
        if "publish_date" in doc.evidence:
            piece = doc.text[doc.evidence["publish_date"].start : doc.evidence["publish_date"].end]
            assert piece[:4] == (doc.publish_date or "")[:4]


def test_documents_serialize_with_every_field(seed_docs: list) -> None:
    data = seed_docs[0].model_dump(mode="json")
    for name in ("is_report", "doc_type", "title", "issuer", "issuer_kind", "report_year",
                 "publish_date", "region", "indicators", "cited", "citations", "topics",
                 "timeliness", "duplicate_of", "simhash", "evidence"):
        assert name in data


@pytest.mark.parametrize("folder", ["seeds", "docs", "holdout", "holdout2", "holdout3", "holdout4", "holdout5", "holdout6", "holdout7", "holdout8", "holdout9", "holdout10", "holdout11", "holdout12", "holdout13", "holdout14", "holdout15"])
def test_labelled_scores_meet_targets(folder: str) -> None:
    out = io.StringIO()
    result = score([LABELLED / folder], verbose=True, out=out)
    for name, n in result.field_n.items():
        assert result.field_ok[name] / n >= 0.95, out.getvalue()
    assert result.precision >= 0.9 and result.recall >= 0.9, out.getvalue()
