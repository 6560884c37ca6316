"""The SimHash computed over arrays with cached digests equals its plain definition."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

from fazhi_shared.extract import dedup

SEEDS = sorted((Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))


def reference(text: str) -> int:
    """The definition, written plainly: blake2b of every anchored 5-character shingle of the
    text without digits, spaces and punctuation; bit i set when most digests have it."""
    core = dedup._DROP.sub("", text)
    shingles = {core[i : i + 5] for i in range(len(core) - 4) if core[i] in dedup.ANCHORS}
    shingles = shingles or {core[:5] or "_"}
    digests = [int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little")
               for s in shingles]
    return sum(1 << bit for bit in range(64)
               if 2 * sum((d >> bit) & 1 for d in digests) > len(digests))


def _texts() -> list[str]:
    rng = random.Random(5)
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    rare = [chr(c) for c in range(0x4E00, 0x9FFF)]
    out = [*seeds, "", "的", "的法治政府", "１２３ 的法治政府建设工作", "𝟘的法治政府建设工作𝟙", "的" * 40]
    for _ in range(60):
        seed = rng.choice(seeds)
        start = rng.randrange(len(seed))
        piece = seed[start : start + rng.randrange(0, 3000)]
        noise = "".join(rng.choice(rare) if rng.random() < 0.7 else rng.choice(dedup.ANCHORS)
                        for _ in range(rng.randrange(0, 800)))
        out.append(piece + noise if rng.random() < 0.5 else noise + piece)
    return out


def test_cached_simhash_equals_the_definition() -> None:
    texts = _texts()
    expected = [reference(t) for t in texts]
    assert [dedup.simhash(t) for t in texts] == expected
    assert [dedup.simhash(t) for t in texts] == expected  # digests now from the cache


def test_small_cache_merges_and_resets_without_changing_values() -> None:
    cache = dedup.digest_cache(cache_limit=3000, recent_min=200)
    texts = _texts()
    for _ in range(2):
        for text in texts:
            assert dedup.simhash(text, cache) == reference(text)
    assert cache.keys.size - 1 <= 3000


def test_shingle_choice_matches_the_sampling_pattern() -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    core = dedup._DROP.sub("", text)
    sampled = set(dedup._SAMPLE.findall(core))
    assert sampled == {core[i : i + 5] for i in range(len(core) - 4) if core[i] in dedup.ANCHORS}
    assert re.search(r"\d", core) is None
