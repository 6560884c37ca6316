"""Documents and alert definitions for the alerts tests, random but seeded."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from fazhi_shared.models import Document, Region, document_id

TOPICS = ["行政复议", "规范性文件", "人民调解", "行政诉讼", "营商环境", "综合行政执法",
          "负责人出庭应诉", "公平竞争审查", "行政处罚", "政务公开", "合法性审查", "信访"]
FILLER = ["全面推进依法行政", "坚持以人民为中心", "不断提升治理能力", "取得明显成效",
          "健全工作机制", "加强组织领导"]
PROVINCES = ["浙江省", "河北省", "四川省", "广东省", "黑龙江省"]
DOC_TYPES = ["annual_report", "work_plan", "implementation_plan"]


def make_document(n: int, rng: random.Random, **overrides: Any) -> Document:
    province = rng.choice(PROVINCES)
    year = rng.randint(2019, 2023)
    chosen = rng.sample(TOPICS, rng.randint(1, 3))
    sentences = [f"{t}工作{rng.choice(FILLER)}" for t in chosen]
    sentences += rng.sample(FILLER, 2)
    rng.shuffle(sentences)
    text = "。".join(sentences) + "。"
    url = f"http://gov.example/{province}/{n}.html"
    fields: dict[str, Any] = {
        "id": document_id(url), "url": url, "fetched_at": "2024-03-30T00:00:00Z",
        "content_sha256": hashlib.sha256(text.encode()).hexdigest(), "is_report": True,
        "doc_type": rng.choice(DOC_TYPES),
        "title": f"{province}关于{year}年度法治政府建设{rng.choice(chosen)}情况的报告",
        "issuer": f"{province}人民政府", "issuer_kind": "government", "report_year": year,
        "publish_date": f"{year + 1}-03-{rng.randint(1, 28):02d}",
        "region": Region(province=province, level="province"), "text": text,
    }
    fields.update(overrides)
    if "text" in overrides and "content_sha256" not in overrides:
        fields["content_sha256"] = hashlib.sha256(fields["text"].encode()).hexdigest()
    return Document(**fields)


def make_alert_spec(n: int, rng: random.Random, webhook_url: str) -> dict[str, Any]:
    """A saved search in the syntax of /v1/search: a few query shapes and filters."""
    a, b, c = rng.sample(TOPICS, 3)
    q = rng.choice([
        f"{a} {b}", f"{a} OR {b}", f"{a} -{b}", f'"{a}" NOT {c}', f"title:{a}",
        f"({a} OR {b}) {c}", f"{a}",
    ])
    filters: dict[str, Any] = {}
    if rng.random() < 0.5:
        filters["province"] = rng.sample(PROVINCES, rng.randint(1, 2))
    if rng.random() < 0.3:
        lo = rng.randint(2019, 2022)
        filters["report_year"] = f"{lo}..{lo + 1}"
    if rng.random() < 0.3:
        filters["doc_type"] = rng.choice(DOC_TYPES)
    return {"name": f"alert {n}", "q": q, "filters": filters, "webhook_url": webhook_url}
