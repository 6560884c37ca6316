"""Normalization (width, traditional, paragraphs), segmentation (domain words, search mode,
offsets), structure (headings, kinds, sentences) and decoding evidence order."""

from __future__ import annotations

import codecs

import pytest

from fazhi_shared.text import read_page, segment
from fazhi_shared.text.decode import decode
from fazhi_shared.text.normalize import (
    clean_whitespace,
    fold_width,
    hard_wrapped,
    normalize,
    rejoin_wrapped,
)
from fazhi_shared.text.structure import classify, outline, sentences


def test_fold_width_keeps_chinese_punctuation() -> None:
    assert fold_width("２０２２年，共１２３件（占９５．８３％）：ＡＰＰ　用户") == "2022年，共123件（占95.83%）：APP 用户"
    assert fold_width("“放管服”、《条例》；！？") == "“放管服”、《条例》；！？"


def test_normalize_traditional_and_flag() -> None:
    text, traditional = normalize("堅持以習近平新時代中國特色社會主義思想為指導，推進法治政府建設。")
    assert traditional
    assert text == "坚持以习近平新时代中国特色社会主义思想为指导，推进法治政府建设。"
    text, traditional = normalize("坚持以习近平法治思想为指导，推进法治政府建设。")
    assert not traditional


def test_paragraphs_rebuilt_from_one_line() -> None:
    line = "现将有关情况报告如下。 一、加强领导 一是统筹推进。严格报告制度。 二是压实责任。　　（二）健全机制。"
    assert clean_whitespace(line).split("\n") == [
        "现将有关情况报告如下。", "一、加强领导", "一是统筹推进。严格报告制度。", "二是压实责任。", "（二）健全机制。",
    ]


def test_spaces_that_are_not_breaks_stay() -> None:
    assert clean_whitespace("印发了《关于做好 2020年度评查工作的通知》") == "印发了《关于做好 2020年度评查工作的通知》"
    assert clean_whitespace("来源：市政府网 时间：2024-02-28") == "来源：市政府网 时间：2024-02-28"
    assert clean_whitespace("法 治 政 府 建 设 报 告") == "法治政府建设报告"
    assert normalize("a\u200bb\r\n\r\n\tc")[0] == "ab\nc"


def test_rejoin_wrapped_pdf_lines() -> None:
    wrapped = "\n".join([
        "一、主要成效",
        "全年共收到行政复议申请562件，受理498件，审",
        "结470件，行政机关负责人出庭应诉率达100%，",
        "较上年提高5个百分点。",
        "二、存在的不足",
    ])
    assert rejoin_wrapped(wrapped).split("\n") == [
        "一、主要成效",
        "全年共收到行政复议申请562件，受理498件，审结470件，行政机关负责人出庭应诉率达100%，较上年提高5个百分点。",
        "二、存在的不足",
    ]


@pytest.mark.parametrize("term", ["法治政府", "放管服", "行政复议", "行政执法三项制度", "重大行政决策",
                                  "规范性文件", "证照分离", "一网通办", "互联网+监管", "负责人出庭应诉"])
def test_domain_terms_stay_whole(term: str) -> None:
    assert term in segment.tokens(f"我市全面推进{term}工作，成效明显。")


def test_search_mode_finds_long_words_by_their_parts() -> None:
    text = "深化行政复议体制改革，落实行政执法三项制度。"
    precise = segment.tokens(text)
    subs = segment.sub_tokens(text)
    assert "行政复议" in precise and "复议" in subs
    assert "行政执法三项制度" in precise
    assert {"行政执法", "三项制度", "执法"} <= set(subs)
    assert not set(subs) & set(precise)
    # A query for either word finds the document.
    indexed = set(precise) | set(subs)
    for query in ("行政复议", "复议", "三项制度", "行政执法"):
        assert set(segment.tokens(segment.query_text(query))) <= indexed


def test_tokens_lowercase_no_punctuation_and_ordered() -> None:
    tokens = segment.tokens("APP注册用户达66万户，PM2.5浓度下降。")
    assert "app" in tokens and "，" not in tokens and "。" not in tokens
    spans = segment.token_spans("APP注册用户达66万户，PM2.5浓度下降。")
    assert [s for s, _a, _b in spans] == tokens
    assert [a for _s, a, _b in spans] == sorted(a for _s, a, _b in spans)


def test_offsets_land_on_the_original_text() -> None:
    text = "𠮷祥社区推进“互联网+监管”，行政机关负责人出庭应诉率达100%。\n二、存在的问题"
    for token, start, end in segment.spans(text):
        assert text[start:end].lower() == token
    assert ("复议", 4, 6) in segment.spans("深化行政复议改革")


def test_query_text_matches_document_normalization() -> None:
    assert segment.query_text("行政復議　２０２２") == "行政复议 2022"
    assert segment.tokens(segment.query_text("行政復議")) == ["行政复议"]


def test_outline_markers_and_levels() -> None:
    text = "\n".join([
        "前言段落。",
        "一、主要举措和成效",
        "（一）党政主要负责人履行推进法治建设第一责任人职责情况。全年学法4次。",
        "1.健全制度。内容。",
        "(二)深化改革。内容。",
        "二、存在的问题和原因",
        "三、下一年度工作安排",
        "一是深化改革。",
        "四、其他需要报告的情况",
    ])
    sections = outline(text, doc_type="annual_report")
    got = [(s.level, s.kind, s.heading) for s in sections]
    assert got == [
        (1, "achievements", "一、主要举措和成效"),
        (2, "leadership", "（一）党政主要负责人履行推进法治建设第一责任人职责情况。"),
        (3, "leadership", "1.健全制度。"),
        (2, "achievements", "(二)深化改革。"),
        (1, "problems", "二、存在的问题和原因"),
        (1, "plans", "三、下一年度工作安排"),
        (2, "plans", "一是深化改革。"),
        (1, "other", "四、其他需要报告的情况"),
    ]
    first = sections[0]
    assert text[first.start:first.end].endswith("(二)深化改革。内容。")
    assert sections[-1].end == len(text)


def test_sentences() -> None:
    text = "一是深化改革。二是“强化监督！”\n三是其他；完"
    assert [text[a:b] for a, b in sentences(text)] == ["一是深化改革。", "二是“强化监督！”", "三是其他；", "完"]


@pytest.mark.parametrize(
    ("body", "content_type", "encoding"),
    [
        (codecs.BOM_UTF8 + "法治政府".encode(), "text/html; charset=gbk", "utf-8"),
        ("法治政府建设报告".encode("gbk"), "text/html; charset=GB2312", "gb18030"),
        (b'<meta charset="gbk">' + "法治政府建设报告".encode("gbk"), None, "gb18030"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=GBK">' + "行政复议".encode("gbk"),
         None, "gb18030"),
        ("关于法治政府建设情况的报告，全年行政复议案件受理数量同比增长。".encode("gbk"), None, "gb18030"),
        ("法治政府建设".encode("utf-16-le"), None, "utf-8"),
        (b"plain ascii", None, "ascii"),
    ],
)
def test_decode_evidence_order(body: bytes, content_type: str | None, encoding: str) -> None:
    if encoding == "utf-8" and not body.startswith(codecs.BOM_UTF8):
        body = codecs.BOM_UTF16_LE + body
        encoding = "utf-16-le"
    text, used, _warnings = decode(body, content_type)
    assert used == encoding
    assert "法治" in text or "行政" in text or text == "plain ascii"


def test_undecodable_bytes_are_kept_with_a_warning() -> None:
    body = "法治政府建设工作报告，全年办理行政复议案件。".encode("gbk") + b"\xff\xfe\x81" + "完".encode("gbk")
    text, used, warnings = decode(body, "text/html; charset=gbk")
    assert used == "gb18030"
    assert text.startswith("法治政府建设工作报告")
    assert any("replaced" in w for w in warnings)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("一、2022年度推进法治政府建设的主要举措和成效", "achievements"),
        ("一、2022年度法治政府建设工作任务完成情况", "achievements"),
        ("二、党政主要负责人履行推进法治建设第一责任人职责情况", "leadership"),
        ("三、存在的不足和原因", "problems"),
        ("三、存在的问题及下一步工作打算", "problems"),
        ("四、2023年度推进法治政府建设的主要安排", "plans"),
        ("四、下一年度工作安排", "plans"),
        ("五、其他需要报告的情况", None),
    ],
)
def test_heading_kinds(heading: str, kind: str | None) -> None:
    assert classify(heading) == kind


def test_undeclared_big5_is_not_mistaken_for_gb18030() -> None:
    body = "堅持以習近平法治思想為指導，推進法治政府建設。全年辦理行政復議案件。".encode("big5") * 20
    text, used, warnings = decode(body)
    assert used == "big5hkscs"
    assert text.startswith("堅持以習近平法治思想")
    assert warnings == ["charset detected as big5hkscs"]


def test_subsection_words_about_shortcomings_inherit_their_part() -> None:
    text = "\n".join([
        "一、主要举措和成效",
        "（一）补齐短板，提升基层执法能力。内容。",
        "二、存在的不足和原因",
        "（一）基层执法力量薄弱。内容。",
        "（二）存在的主要问题。内容。",
    ])
    kinds = [(s.heading[:6], s.kind) for s in outline(text, doc_type="annual_report")]
    assert kinds == [("一、主要举措", "achievements"), ("（一）补齐短", "achievements"),
                     ("二、存在的不", "problems"), ("（一）基层执", "problems"), ("（二）存在的", "problems")]


def test_pdf_red_header_lines_are_not_joined_into_the_title() -> None:
    full = "县政府全体会议专题学习《中华人民共和国行政复议法》修订内容，邀请"
    text = "\n".join([
        "淇县人民政府文件", "淇政〔2024〕9号" + "\u3000" * 16 + "签发人：李明远",
        "淇县人民政府", "关于2023年度法治政府建设情况的报告", "鹤壁市人民政府：", full, full, full, "到此为止。",
    ])
    lines = rejoin_wrapped(text).split("\n")
    assert lines[:5] == ["淇县人民政府文件", "淇政〔2024〕9号" + "\u3000" * 16 + "签发人：李明远",
                         "淇县人民政府", "关于2023年度法治政府建设情况的报告", "鹤壁市人民政府："]
    assert lines[5] == full * 3 + "到此为止。"  # wrapped prose is still rejoined


def test_plain_text_cut_at_a_fixed_width_is_rejoined() -> None:
    para = "全市各级行政复议机关共收到行政复议申请412件，依法受理396件，审结385件，《优化营商环境条例》得到全面落实。"
    body = "".join(para for _ in range(10))
    wrapped = "\n".join(body[i:i + 40] for i in range(0, len(body), 40))
    assert hard_wrapped(wrapped)
    assert not hard_wrapped("一、标题\n" + "\n".join(["短句。", "另一句话比较长一些。", "第三句。"] * 4))
    page = read_page(("关于2020年度法治政府建设情况的报告\n" + wrapped).encode("utf-8"), content_type="text/plain")
    assert "《优化营商环境条例》" in page.text and para in page.text
