"""Realistic synthetic reports for the search benchmark, as the indexer receives them.

    uv run python bench/synth.py --docs 3 --json     # look at a few

Each document: an issuer drawn from the gazetteer (shared/fazhi_shared/catalogs/gazetteer.csv:
every province, prefecture and county-level division), a genre and year with a realistic
title, a body of 15–45 paragraphs recombined from the five real seed reports, indicators
with values in a plausible range for the issuer's level, topics and cited laws drawn from
the seeds' own, a publish date in the reporting season (some late), and about 3% near-
duplicates of an earlier document (`duplicate_of`). Paragraphs are segmented once and their
tokens concatenated, so generating 100k documents takes seconds, not hours.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from fazhi_shared.models import Document, Indicator, Region, Timeliness, document_id
from fazhi_shared.text.normalize import normalize
from fazhi_shared.text.segment import sub_tokens, tokens

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
FALLBACK_PLACES = [  # used only when the gazetteer is missing
    ("330000", "浙江省", "province", None), ("330100", "杭州市", "prefecture", "330000"),
    ("330106", "西湖区", "county", "330100"), ("320000", "江苏省", "province", None),
    ("320100", "南京市", "prefecture", "320000"), ("320102", "玄武区", "county", "320100"),
    ("440000", "广东省", "province", None), ("440100", "广州市", "prefecture", "440000"),
    ("440106", "天河区", "county", "440100"),
]
# (name, unit, range by level: province, prefecture, county)
INDICATORS = [
    ("admin_reconsideration_received", "件", (1500, 9000), (150, 1500), (10, 300)),
    ("admin_reconsideration_accepted", "件", (1200, 8000), (120, 1300), (8, 260)),
    ("admin_reconsideration_concluded", "件", (1100, 7800), (100, 1250), (8, 250)),
    ("admin_litigation_cases", "件", (2000, 12000), (200, 2500), (20, 400)),
    ("head_appearance_rate_pct", "%", (80, 100), (70, 100), (60, 100)),
    ("normative_docs_filed", "件", (50, 400), (10, 120), (2, 40)),
    ("mediation_disputes", "件", (50000, 400000), (5000, 60000), (300, 9000)),
    ("mediation_success", "件", (48000, 390000), (4800, 58000), (280, 8800)),
]
TOPICS = ["放管服/营商环境", "行政执法", "行政复议与应诉", "重大行政决策", "规范性文件", "政务公开",
          "普法", "基层治理", "数字政府", "疫情防控", "立法", "监督", "公共法律服务",
          "党的领导/第一责任人"]
DEPARTMENTS = ["司法局", "市场监督管理局", "生态环境局", "自然资源局", "交通运输局", "教育局",
               "卫生健康委员会", "人力资源和社会保障局", "住房和城乡建设局", "应急管理局"]
LEVELS = ("province", "prefecture", "county")


@dataclass
class Paragraph:
    text: str
    tokens: list[str]
    sub_tokens: list[str]


def _places() -> list[tuple[str, str, str, str | None]]:
    try:
        raw = resources.files("fazhi_shared.data").joinpath("gazetteer.csv").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return FALLBACK_PLACES
    rows = [(r["adcode"], r["name"], r["level"], r["parent"] or None)
            for r in csv.DictReader(raw.splitlines())]
    return [r for r in rows if r[2] in LEVELS] or FALLBACK_PLACES


def _paragraphs() -> tuple[list[Paragraph], list[str]]:
    paragraphs, cited = [], set()
    for path in sorted(SEEDS.glob("*.txt")):
        text, _ = normalize(path.read_text("utf-8"))
        cited.update(re.findall(r"《([^《》]{2,40})》", text))
        for line in text.splitlines():
            line = line.strip()
            if len(line) >= 40:  # body paragraphs, not navigation crumbs
                paragraphs.append(Paragraph(line, tokens(line), sub_tokens(line)))
    return paragraphs, sorted(cited)


class Synth:
    def __init__(self, seed: int = 2024) -> None:
        self.rng = random.Random(seed)
        places = _places()
        self.by_code = {p[0]: p for p in places}
        # Counties outnumber prefectures outnumber provinces, as the reports do.
        self.places = places
        self.paragraphs, self.cited = _paragraphs()
        self.recent: list[Document] = []

    def _region(self, code: str) -> Region:
        _, name, level, parent = self.by_code[code]
        chain = [self.by_code[code]]
        while parent and parent in self.by_code:
            chain.append(self.by_code[parent])
            parent = self.by_code[parent][3]
        names = {p[2]: p[1] for p in chain}
        return Region(province=names.get("province"), city=names.get("prefecture"),
                      county=names.get("county"), adcode=code, level=level)  # type: ignore[arg-type]

    def document(self, n: int) -> Document:
        rng = self.rng
        if self.recent and rng.random() < 0.03:
            original = rng.choice(self.recent)
            url = f"https://mirror{rng.randint(1, 9)}.example.gov.cn/{n}.html"
            return original.model_copy(update={"id": document_id(url), "url": url,
                                               "duplicate_of": original.id, "source_id": "mirror"})
        code, name, level, _ = rng.choice(self.places)
        region = self._region(code)
        department = rng.random() < 0.3
        issuer = name + (rng.choice(DEPARTMENTS) if department else "人民政府")
        year = rng.randint(2018, 2024)
        roll = rng.random()
        doc_type = ("annual_report" if roll < 0.7 else "work_plan" if roll < 0.82
                    else "implementation_plan" if roll < 0.88 else "other")
        title = {
            "annual_report": f"{issuer}关于{year}年度法治政府建设情况的报告",
            "work_plan": f"{issuer}{year}年法治政府建设工作要点",
            "implementation_plan": f"{issuer}法治政府建设实施方案（{year}—{year + 4}年）",
            "other": f"{issuer}召开{rng.choice(['常务会议', '专题会议', '工作推进会'])}",
        }[doc_type]
        chosen = rng.sample(self.paragraphs, rng.randint(15, 45))
        text_parts, toks, subs = [title], tokens(title), []
        for p in chosen:
            text_parts.append(p.text)
            toks.extend(p.tokens)
            subs.extend(p.sub_tokens)
        text = "\n".join(text_parts)
        lvl = LEVELS.index(level)
        indicators = []
        for ind_name, unit, *ranges in INDICATORS:
            if rng.random() < 0.45:
                lo, hi = ranges[lvl]
                value = float(rng.randint(lo, hi))
                indicators.append(Indicator(name=ind_name, value=value, unit=unit, start=0, end=0))
        published = dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randint(10, 150))
        timeliness = None
        if doc_type == "annual_report":
            deadline = dt.date(year + 1, 4, 1)
            late = (published - deadline).days
            timeliness = Timeliness(deadline=deadline.isoformat(), on_time=late <= 0, days_late=late)
        url = f"https://www.{code}.example.gov.cn/art/{year + 1}/{n}.html"
        doc = Document(
            id=document_id(url), url=url, source_id=f"site-{code}",
            fetched_at="2025-05-01T00:00:00Z",
            content_sha256=hashlib.sha256(text.encode()).hexdigest(),
            is_report=doc_type != "other", doc_type=doc_type,  # type: ignore[arg-type]
            title=title, issuer=issuer, issuer_kind="department" if department else "government",
            report_year=year, publish_date=published.isoformat(), region=region, text=text,
            indicators=indicators, cited=rng.sample(self.cited, min(len(self.cited), rng.randint(1, 8))),
            topics=rng.sample(TOPICS, rng.randint(3, 8)), timeliness=timeliness,
            tokens=toks, sub_tokens=subs,
        )
        self.recent = (self.recent + [doc])[-200:]
        return doc

    def documents(self, count: int) -> Iterator[Document]:
        for n in range(count):
            yield self.document(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="one JSON document per line")
    args = parser.parse_args()
    for doc in Synth().documents(args.docs):
        if args.json:
            sys.stdout.write(doc.model_dump_json(exclude={"tokens", "sub_tokens"}) + "\n")
        else:
            print(doc.id, doc.title, doc.region.adcode, len(doc.text), doc.duplicate_of or "")


if __name__ == "__main__":
    main()
