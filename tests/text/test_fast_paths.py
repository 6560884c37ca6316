"""The text stage's shortcuts give what the plain definitions they replace give."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fazhi_shared.text import clean, htmlpage, normalize, structure
from fazhi_shared.text.clean import is_noise, meta_from_line

# Words of the noise-line pattern, so that random lines often hit it.
_NOISE_WORDS = re.findall(r"[\u4e00-\u9fffA-Za-z]+", clean._LINE.pattern)
LINES = st.lists(
    st.one_of(st.sampled_from(_NOISE_WORDS), st.text(alphabet="法治报告：: >/»!，,0123456789-年月日来源作者", max_size=4)),
    max_size=6,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(LINES)
@example("首页 > 政务公开 > 通知公告")
@example("当前位置：首页")
@example("所在位置: 首页")
@example("Hi，我是小法")
@example("您好！我是智能客服")
@example("English")
@example("上一篇：关于x的通知")
@example("附件下载")
@example("版权所有：某市人民政府 网站标识码：1234")
@example("扫一扫在手机打开当前页")
@example("建议使用IE9以上浏览器")
def test_noise_line_precheck_keeps_the_pattern(line: str) -> None:
    plain = bool(clean._LINE.match(line))
    fast = bool((line[:1] in clean._LINE_FIRST or clean._LINE_ANYWHERE.search(line)) and clean._LINE.match(line))
    assert fast == plain


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, max_size=8), st.sets(st.sampled_from(["PubDate", "ContentSource", "Author"])))
def test_publication_meta_is_the_first_noise_line_of_each_key(lines: list[str], known: set[str]) -> None:
    plain: dict[str, str] = {}
    for line in lines:
        if len(line) <= 120 and htmlpage._PUBLICATION_HINT.search(line) and is_noise(line):
            meta_from_line(line, plain)
    fast = htmlpage._publication_meta(lines, dict.fromkeys(known, "x"))
    assert {k: v for k, v in fast.items() if k not in known} == {k: v for k, v in plain.items() if k not in known}


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="索引号发布机构发文关生成日期 x", max_size=14))
def test_info_label_search(text: str) -> None:
    assert htmlpage._has_info_label(text) == any(label in text for label in htmlpage._INFO_HINTS)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="，。；：、法治x", max_size=12))
def test_punctuation_counts(text: str) -> None:
    assert htmlpage._punct_count(text) == len(htmlpage._CJK_PUNCT.findall(text))
    assert htmlpage._two_punct(text) == (len(htmlpage._CJK_PUNCT.findall(text)) >= 2)


_FOLD_ALPHABET = "".join(map(chr, normalize._FULLWIDTH)) + "法治 1２．。\n"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_FOLD_ALPHABET, max_size=20))
def test_fold_width_is_the_translation_table(text: str) -> None:
    plain = text.translate(normalize._FULLWIDTH)
    plain = re.sub(r"(?<=\d)．(?=\d)", ".", plain)
    assert normalize.fold_width(text) == plain


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="法治。；一、1. \t\u3000\xa0\r\n", max_size=30))
def test_clean_whitespace_collapses_space_runs_like_the_pattern(text: str) -> None:
    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    for ch in "\t\u3000\xa0":
        plain = plain.replace(ch, " ")
    plain = re.sub(" {2,}", " ", plain)
    plain = normalize._SENTENCE_END_SPACE.sub("\n", plain)
    plain = normalize._HEADING_AFTER_SPACE.sub("\n", plain)
    plain = normalize._SPACED_OUT.sub(normalize._unspace, plain)
    plain = "\n".join(line for line in (raw.strip() for raw in plain.split("\n")) if line)
    assert normalize.clean_whitespace(text) == plain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="這們個來時國說对这们个来时国说。\n", max_size=2600))
def test_traditional_conversion_reuses_the_sample_exactly(text: str) -> None:
    traditional = normalize.looks_traditional(text)
    plain = normalize.to_simplified(text) if traditional else text
    assert normalize.normalize(text) == (normalize.clean_whitespace(plain), traditional)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="一、法治。！？；ab（）", min_size=1, max_size=200))
def test_heading_text_is_the_first_sentence(line: str) -> None:
    m = structure._FIRST_SENTENCE.match(line[: structure.MAX_HEADING + 1])
    plain = m.group(0)[: structure.MAX_HEADING] if m and m.end() < len(line) else line[: structure.MAX_HEADING]
    assert structure._heading_text(line) == plain


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["一、总体情况", "（一）加强领导。做了工作", "1.制度", "2022年，我们将继续推进。",
                                 "存在的问题", "", "正文段落。"]), max_size=15))
def test_section_ends_are_the_next_heading_at_the_same_level_or_above(lines: list[str]) -> None:
    text = "\n".join(lines)
    sections = structure.outline(text)
    for i, section in enumerate(sections):
        end = next((later.start for later in sections[i + 1:] if later.level <= section.level), len(text))
        while end > section.start and text[end - 1] == "\n":
            end -= 1
        assert section.end == end


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="法治 政府\t\r\n\u3000\xa0建设２報告", max_size=12), st.booleans())
def test_inline_values_without_spaces_skip_the_patterns(text: str, traditional: bool) -> None:
    plain = normalize.fold_width(text)
    if traditional:
        plain = normalize.to_simplified(plain)
    plain = normalize._SPACED_OUT.sub(normalize._unspace, normalize._SPACES.sub(" ", plain.replace("\n", " ")))
    assert normalize.normalize_inline(text, traditional) == plain.strip()
