"""Topics from the taxonomy in catalogs/topics.yaml, assigned by keyword counts in one pass."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import ahocorasick_rs
import yaml


@dataclass(frozen=True)
class Taxonomy:
    labels: tuple[str, ...]
    min_hits: tuple[int, ...]
    # Every keyword of every topic in one automaton, matched leftmost-longest without overlaps.
    keywords: ahocorasick_rs.AhoCorasick
    topics_of: tuple[tuple[int, ...], ...]  # keyword index → the topics it counts for


@functools.cache
def _taxonomy() -> Taxonomy:
    path = resources.files("fazhi_shared") / "catalogs" / "topics.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    topics_of: dict[str, list[int]] = {}
    for index, topic in enumerate(data["topics"]):
        for word in topic["keywords"]:
            topics_of.setdefault(word, []).append(index)
    words = list(topics_of)
    return Taxonomy(
        labels=tuple(t["label"] for t in data["topics"]),
        min_hits=tuple(int(t.get("min_hits", 3)) for t in data["topics"]),
        keywords=ahocorasick_rs.AhoCorasick(
            words, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST,
            implementation=ahocorasick_rs.Implementation.DFA,
        ),
        topics_of=tuple(tuple(topics_of[w]) for w in words),
    )


def labels() -> list[str]:
    return list(_taxonomy().labels)


def assign(title: str | None, text: str) -> list[str]:
    tax = _taxonomy()
    body = (title or "") + "\n" + text
    hits = [0] * len(tax.labels)
    for word, _, _ in tax.keywords.find_matches_as_indexes(body):
        for index in tax.topics_of[word]:
            hits[index] += 1
    # Long reports touch every theme in passing: the bar rises by one hit per 5,000 characters.
    extra = len(body) // 5000
    return [
        label
        for label, count, needed in zip(tax.labels, hits, tax.min_hits, strict=True)
        if count >= max(needed, extra)
    ]
