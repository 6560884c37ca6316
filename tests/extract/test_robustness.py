from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


_PIECES = ["新收", "、", "受理", "审结", "行政复议", "案件", "分别为", "件", "，", "；", "。", "\n", " ", "\u3000",
           "1,2", "46", "3.42万", "余", "%", "（件）", "（含转送）", "均已审结", "人民调解", "诉前调解", "法院",
           "成功", "保持", "从", "提高到", "第四季度", "审核", "规范性文件", "报送", "备案", "<", ">", "《", "》",
           "以下简称", "条例", "2024年3月28日", "发布时间：", "——", "在", "会议上", "关于", "报告", "附：", "星期四",
           "10时30分", "更新时间：", "汇编", "法治政府建设", "镇", "街道办事处", "管理委员会", "文件", "〔2024〕", "号"]


@given(st.lists(st.sampled_from(_PIECES), max_size=120), st.sampled_from(["text/plain", "text/html"]))
@settings(max_examples=150, deadline=None)
def test_process_never_raises_on_report_like_fragments(pieces: list[str], content_type: str) -> None:
    text = "".join(pieces)
    body = text.encode("utf-8") if content_type == "text/plain" else f"<html><body><div id='zoom'>{text}</div></body></html>".encode()
    doc = process(body, url="http://example.gov.cn/a.html", content_sha256="-", fetched_at="t",
                  content_type=content_type)
    for ind in doc.indicators:
        assert 0 <= ind.start < ind.end <= len(doc.text)
    for cit in doc.citations:
        assert 0 <= cit.start < cit.end <= len(doc.text)
