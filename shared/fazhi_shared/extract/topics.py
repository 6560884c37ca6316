"""Topics from the taxonomy in data/topics.yaml, assigned by keyword counts in one pass."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True)
class Taxonomy:
    labels: tuple[str, ...]
    min_hits: tuple[int, ...]
    pattern: re.Pattern[str]  # every keyword of every topic, longest first
    topics_of: dict[str, tuple[int, ...]]  # keyword → the topics it counts for


@functools.cache
def _taxonomy() -> Taxonomy:
    path = resources.files("fazhi_shared") / "data" / "topics.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    topics_of: dict[str, list[int]] = {}
    for index, topic in enumerate(data["topics"]):
        for word in topic["keywords"]:
            topics_of.setdefault(word, []).append(index)
    words = sorted(topics_of, key=len, reverse=True)
    return Taxonomy(
        labels=tuple(t["label"] for t in data["topics"]),
        min_hits=tuple(int(t.get("min_hits", 3)) for t in data["topics"]),
        pattern=re.compile("|".join(map(re.escape, words))),
        topics_of={w: tuple(ts) for w, ts in topics_of.items()},
    )


def labels() -> list[str]:
    return list(_taxonomy().labels)


def assign(title: str | None, text: str) -> list[str]:
    tax = _taxonomy()
    body = (title or "") + "\n" + text
    hits = [0] * len(tax.labels)
    for word in tax.pattern.findall(body):
        for index in tax.topics_of[word]:
            hits[index] += 1
    # Long reports touch every theme in passing: the bar rises by one hit per 5,000 characters.
    extra = len(body) // 5000
    return [
        label
        for label, count, needed in zip(tax.labels, hits, tax.min_hits, strict=True)
        if count >= max(needed, extra)
    ]
