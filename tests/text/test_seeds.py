"""Golden tests on the five real seeds: expected text and outline, checked by hand.

The expected files live in tests/text/golden/. When the pipeline changes on purpose,
regenerate them and read the diff line by line before committing: no noise line may come
back and no body paragraph may go.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from fazhi_shared.text import read_page
from fazhi_shared.text.normalize import to_simplified
from fazhi_shared.text.structure import outline

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = Path(__file__).parent / "golden"

NOISE = ("扫一扫", "字号", "点击数", "关闭窗口", "打印", "当前位置", "责编", "分享", "点赞",
         "本站搜索", "热门搜索", "hi!我是", "首页", "收藏", "||")
# Lines of the seeds that are page furniture, by seed: everything else must survive.
EXPECTED_DROPS = {
    "000": {"本站搜索", "省级部门", "热门搜索排行", "当前位置: 首页>省政府>省政府公报>2021>第8期",
            "日期:2021-04-22 14:43 来源:", "字号:", "点赞", "扫一扫在手机打开当前页", "hi!我是智小龙"},
    "001": {"2021-03-31 点击数: | ||||||||||||||||||||||||", "【关闭窗口】 |", "|",
            "||||||||||||||||||||||||"},
    "002": {"当前位置: 首页 > 国资动态 > 通知公告", "来源:黄石市政府网      时间:2024-02-28", "分享:"},
    "003": {"首页 >> 政务公开 >> 通知公告 >> 政府公告 >> 文章内容", "【字体:  【打印内容】",
            "扫一扫在手机打开当前页面"},
    "004": {"日期: 2020-04-30", "【字號: | |", "責編: | 來源:市司法局 | 【打印】 | 【收藏】 | 【關閉窗口】"},
}
EXPECTED_META = {
    "000": {"PubDate": "2021-04-22 14:43"},
    "001": {"PubDate": "2021-03-31"},
    "002": {"PubDate": "2024-02-28", "ContentSource": "黄石市政府网"},
    "003": {},
    "004": {"PubDate": "2020-04-30", "ContentSource": "市司法局"},
}


def _cjk(text: str) -> str:
    return "".join(re.findall(r"[\u4e00-\u9fff]", to_simplified(text)))


@pytest.fixture(params=SEEDS, ids=lambda p: p.name[:3])
def seed(request: pytest.FixtureRequest) -> tuple[str, bytes]:
    path: Path = request.param
    return path.name[:3], path.read_bytes()


def test_seed_text_matches_golden(seed: tuple[str, bytes]) -> None:
    name, body = seed
    page = read_page(body, content_type="text/plain; charset=utf-8")
    expected = (GOLDEN / f"seed_{name}.txt").read_text("utf-8").rstrip("\n")
    assert page.text == expected
    assert page.status == "ok"
    assert page.format == "text"


def test_seed_has_no_noise_line(seed: tuple[str, bytes]) -> None:
    name, body = seed
    text = read_page(body).text
    for line in text.split("\n"):
        for word in NOISE:
            if word in line:
                # A noise word inside a real sentence is fine; a short line holding one is not.
                assert len(line) > 40, (name, line)


def test_seed_loses_no_body_paragraph(seed: tuple[str, bytes]) -> None:
    name, body = seed
    text = _cjk(read_page(body).text)
    dropped = []
    for line in body.decode("utf-8").split("\n"):
        if line.strip() and _cjk(line) not in text:
                dropped.append(" ".join(line.split()))
    assert set(dropped) <= {" ".join(d.split()) for d in EXPECTED_DROPS[name]}


def test_seed_metadata_from_publication_lines(seed: tuple[str, bytes]) -> None:
    name, body = seed
    meta = read_page(body).meta
    for key, value in EXPECTED_META[name].items():
        assert meta.get(key) == value


def test_seed_outline_matches_golden(seed: tuple[str, bytes]) -> None:
    name, body = seed
    text = read_page(body).text
    sections = outline(text)
    got = [{"level": s.level, "kind": s.kind, "heading": s.heading} for s in sections]
    expected = json.loads((GOLDEN / f"seed_{name}.outline.json").read_text("utf-8"))
    assert got == expected
    for s in sections:
        assert text[s.start:].startswith(s.heading)
        assert s.start < s.end <= len(text)


def test_seed_paragraphs_one_per_line() -> None:
    """Seed 001 delivers its body as one long line with inline headings."""
    text = read_page((ROOT / "seeds" / "001_bb387f8f674f647c.txt").read_bytes()).text
    lines = text.split("\n")
    assert len(lines) >= 35
    assert "一、加强党对法治建设的领导,压实法治政府建设责任" in lines
    assert "七、全面提升法治思维,打造高素质干部队伍" in lines
    assert max(len(line) for line in lines) < 700
    kinds = [s.kind for s in outline(text) if s.level == 1]
    assert kinds[-2:] == ["problems", "plans"]


def test_traditional_seed_is_simplified() -> None:
    page = read_page((ROOT / "seeds" / "004_b4c9e809b3a2f8d2.txt").read_bytes())
    assert page.traditional_source
    assert page.text.startswith("大连市2020年法治政府建设工作要点")
    assert "建設" not in page.text and "法治政府建设" in page.text
