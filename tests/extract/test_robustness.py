from __future__ import annotations

import pytest

from fazhi_shared.pipeline import process


@pytest.mark.parametrize(
    "body",
    [b"", b"\x00\x01\xff" * 100, "。。。，，，《》《".encode(), b"<html><body></body></html>",
     ("法治政府建设" * 5000).encode(), "《《《》》》〔〕（）".encode("gbk"),
     "关于2020年度法治政府建设情况的报告\n新收行政复议申请件，受理件。".encode()],
)
def test_process_never_raises(body: bytes) -> None:
    doc = process(body, url="http://example.gov.cn/a.html", content_sha256="-", fetched_at="t")
    assert doc.doc_type in {"annual_report", "work_plan", "implementation_plan", "other"}
    for ind in doc.indicators:
        assert 0 <= ind.start < ind.end <= len(doc.text)
