"""Random bytes and random HTML never make the text stage raise."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi_shared.text import read_page, segment
from fazhi_shared.text.structure import outline, sentences

TAGS = ["div", "p", "span", "table", "tr", "td", "br", "meta", "script", "style", "title", "a", "li"]
ATTRS = ['class="TRS_Editor"', 'id="zoom"', 'name="ArticleTitle" content="报告"', 'charset="gbk"',
         'class="share"', 'name="ContentStart"', "", 'http-equiv="Content-Type" content="text/html; charset=big5"']
TEXT = st.text(alphabet=st.sampled_from("法治政府建设报告一二三、（）()1.是。，：；\n 　２<>&\"'|【】索引号：字号打印"), max_size=40)


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag = draw(st.sampled_from(TAGS))
        attr = draw(st.sampled_from(ATTRS))
        kind = draw(st.integers(0, 3))
        if kind == 0:
            parts.append(f"<{tag} {attr}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(draw(TEXT))
        else:
            parts.append("<!--ZJEG_RSS.content.begin-->" if draw(st.booleans()) else "<!-- x -->")
    return "".join(parts)


def _check(page) -> None:  # type: ignore[no-untyped-def]
    assert page.status in ("ok", "unsupported", "needs_ocr", "empty")
    for s in outline(page.text):
        assert 0 <= s.start <= s.end <= len(page.text)
    for token, start, end in segment.spans(page.text):
        assert page.text[start:end].lower() == token
    sentences(page.text)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from([None, "text/html", "text/html; charset=gbk",
                                                 "application/pdf", "text/plain; charset=utf-8"]))
def test_random_bytes_never_raise(body: bytes, content_type: str | None) -> None:
    _check(read_page(body, content_type=content_type))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html>", b"\xef\xbb\xbf"]),
       st.binary(max_size=2000))
def test_random_bytes_behind_magic_numbers_never_raise(magic: bytes, rest: bytes) -> None:
    _check(read_page(magic + rest))


@settings(max_examples=300, deadline=None)
@given(html_pages(), st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_random_html_never_raises(html: str, encoding: str) -> None:
    _check(read_page(html.encode(encoding, "replace")))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_segment_any_text(text: str) -> None:
    for token, start, end in segment.spans(text):
        assert text[start:end].lower() == token
    assert isinstance(segment.query_text(text), str)


PUNCT = "，。：；（）“”《》、！？【】〔〕"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(PUNCT + "法治２０Ａａ　 \n一、（一）1.是"), max_size=200))
def test_normalization_keeps_chinese_punctuation(text: str) -> None:
    from fazhi_shared.text.normalize import normalize

    out, _traditional = normalize(text)
    for ch in PUNCT:
        assert out.count(ch) == text.count(ch)
    assert not any("\uff10" <= ch <= "\uff19" or ch == "\u3000" for ch in out)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["一、总体情况", "（一）深化改革。内容。", "1.落实制度。", "一是加强领导。",
                                 "二、存在的问题", "2021年，我们将继续推进。", "正文段落，内容。",
                                 "虽然取得成绩，但仍存在不足：", "三、下一步工作打算"]), max_size=30))
def test_outline_sections_nest(lines: list[str]) -> None:
    text = "\n".join(lines)
    sections = outline(text)
    for i, s in enumerate(sections):
        assert text[s.start:s.end].startswith(s.heading)
        # A deeper section that follows lies inside this one until a same-or-higher level.
        for later in sections[i + 1:]:
            if later.level <= s.level:
                assert later.start >= s.end
                break
            assert later.end <= s.end
