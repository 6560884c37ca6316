"""A fixed corpus for the search contract: documents built field by field (regions, topics,
indicators, dates, duplicates) plus the five real seeds through the real pipeline.

Expected answers are computed from these documents in Python, never written down."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from fazhi_shared.models import Document, Indicator, Region, Timeliness, document_id
from tests.conftest import process_seeds

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

REGIONS = [
    Region(province="浙江省", adcode="330000", level="province"),
    Region(province="浙江省", city="杭州市", adcode="330100", level="prefecture"),
    Region(province="浙江省", city="杭州市", county="西湖区", adcode="330106", level="county"),
    Region(province="浙江省", city="杭州市", county="余杭区", adcode="330110", level="county"),
    Region(province="浙江省", city="宁波市", adcode="330200", level="prefecture"),
    Region(province="浙江省", city="宁波市", county="鄞州区", adcode="330212", level="county"),
    Region(province="江苏省", adcode="320000", level="province"),
    Region(province="江苏省", city="南京市", adcode="320100", level="prefecture"),
    Region(province="江苏省", city="南京市", county="玄武区", adcode="320102", level="county"),
    Region(province="广东省", city="广州市", county="天河区", adcode="440106", level="county"),
]

# (sentence template, topic, cited title, indicator name fed by {n})
SENTENCES = [
    ("全面落实行政执法三项制度，行政执法公示信息及时公开。", "行政执法", None, None),
    ("全年共收到行政复议申请{n}件，依法受理后及时审结。", "行政复议与应诉", None,
     "admin_reconsideration_received"),
    ("行政机关负责人出庭应诉率达到{n}%。", "行政复议与应诉", None, "head_appearance_rate_pct"),
    ("扎实开展疫情防控法治保障工作，依法落实各项防控措施。", "疫情防控", None, None),
    ("执法人员持证上岗，三项重点工作稳步推进，相关制度建设不断完善。", "行政执法", None, None),
    ("深化放管服改革，持续优化营商环境。", "放管服/营商环境", "优化营商环境条例", None),
    ("各级人民调解组织调处矛盾纠纷{n}件。", "基层治理", None, "mediation_disputes"),
    ("认真贯彻实施行政复议法，规范行政复议案件办理。", "行政复议与应诉",
     "中华人民共和国行政复议法", None),
    ("加强规范性文件备案审查，全年备案规范性文件{n}件。", "规范性文件", None, "normative_docs_filed"),
]
SOURCES = ["src-a", "src-b", "src-c"]


def _name(region: Region) -> str:
    return region.county or region.city or region.province or ""


def _synthetic(i: int, rng: random.Random) -> Document:
    region = REGIONS[i % len(REGIONS)]
    kind = ["annual_report"] * 5 + ["work_plan", "implementation_plan", "other"]
    doc_type = kind[i % len(kind)]
    year = 2019 + (i * 7) % 5
    department = i % 4 == 3
    issuer = _name(region) + ("司法局" if department else "人民政府")
    if doc_type == "annual_report":
        title = f"{issuer}关于{year}年度法治政府建设情况的报告"
    elif doc_type == "work_plan":
        title = f"{issuer}{year}年法治政府建设工作要点"
    elif doc_type == "implementation_plan":
        title = f"{issuer}法治政府建设实施方案（{year}—{year + 4}年）"
    else:
        title = f"{issuer}召开常务会议研究部署近期工作"
    chosen = sorted(rng.sample(range(len(SENTENCES)), rng.randint(2, 5)))
    text_parts, topics, cited, indicators = [title], [], [], []
    for k in chosen:
        template, topic, law, indicator = SENTENCES[k]
        n = rng.randint(5, 3000) if indicator != "head_appearance_rate_pct" else rng.randint(60, 100)
        sentence = template.format(n=n)
        if indicator:
            start = sum(len(p) + 1 for p in text_parts) + sentence.index(str(n))
            indicators.append(Indicator(name=indicator, value=n, unit="件", start=start,
                                        end=start + len(str(n))))
        text_parts.append(sentence)
        topics.append(topic)
        if law:
            cited.append(law)
    dated = i % 9 != 4
    publish_date = f"{year + 1}-{1 + i % 6:02d}-{1 + (i * 5) % 27:02d}" if dated else None
    timeliness = None
    if doc_type == "annual_report" and publish_date:
        deadline = f"{year + 1}-04-01"
        timeliness = Timeliness(deadline=deadline, on_time=publish_date <= deadline, days_late=0)
    url = f"https://gov.example/{i}.html"
    text = "\n".join(text_parts)
    return Document(
        id=document_id(url), url=url, source_id=SOURCES[i % 3], fetched_at="2024-05-01T00:00:00Z",
        content_sha256=hashlib.sha256(text.encode()).hexdigest(), is_report=doc_type != "other",
        doc_type=doc_type, title=title, issuer=issuer,  # type: ignore[arg-type]
        issuer_kind="department" if department else "government", report_year=year,
        publish_date=publish_date, region=region, text=text, indicators=indicators,
        cited=sorted(set(cited)), topics=sorted(set(topics)), timeliness=timeliness,
    )


def _copy(original: Document, n: int) -> Document:
    url = f"https://mirror{n}.example/{original.id}.html"
    return original.model_copy(update={
        "id": document_id(url), "url": url, "source_id": "src-mirror", "duplicate_of": original.id,
    })


def _seeds() -> list[Document]:
    return process_seeds(source_id="seeds")


def build_corpus(n: int = 64) -> list[Document]:
    rng = random.Random(20240501)
    docs = [_synthetic(i, rng) for i in range(n)]
    # Near-duplicates: three reports mirrored once, one mirrored twice.
    copies = [_copy(docs[0], 1), _copy(docs[0], 2), _copy(docs[5], 1), _copy(docs[10], 1)]
    return docs + copies + _seeds()
