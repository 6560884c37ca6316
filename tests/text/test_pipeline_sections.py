"""The process stage fills `sections` from the outline of the document's text."""

from __future__ import annotations

from pathlib import Path

from fazhi_shared.pipeline import process

SEED = Path(__file__).resolve().parents[2] / "seeds" / "002_118fc12fe431ecd5.txt"


def test_process_fills_sections_with_offsets_into_text() -> None:
    doc = process(SEED.read_bytes(), url="http://www.huangshi.gov.cn/a.html", content_sha256="0",
                  fetched_at="2024-03-01T00:00:00Z", content_type="text/plain; charset=utf-8")
    assert doc.status == "ok"
    top = [(s.kind, s.heading) for s in doc.sections if s.level == 1]
    assert top[0] == ("achievements", "一、2023年法治政府建设的主要举措和成效")
    assert [k for k, _h in top] == ["achievements", "problems", "plans"]
    for s in doc.sections:
        assert doc.text[s.start:].startswith(s.heading)
        assert s.end <= len(doc.text)
    assert "行政复议" in doc.tokens or "复议" in doc.sub_tokens
