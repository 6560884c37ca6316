"""Near-duplicates: a 64-bit SimHash over sampled character shingles of the body text.

Features are the 5-character shingles that start at one of a few dozen frequent characters
(的, 是, 法, 政, 建…, about a fifth of all positions, after dropping digits, spaces and
punctuation): the choice depends only on the text, so two copies of a report pick the same
shingles, and hashing a fifth of them keeps the step cheap (no per-document heavy work).

The same report republished on another site differs in template noise, a heading or a
sentence; its SimHash then differs in a few bits, while two different reports (even on the
same template, with the same boilerplate openings) differ in ~20–32. Tuned on
tests/fixtures/labelled (`uv run python bench/score_extraction.py --distances`): the
five near-duplicate pairs are 4–7 bits apart (7: a paragraph of a short page dropped, the
copy in traditional characters, full-width digits in another header), the 2,400 pairs of
distinct documents at least 15 (1st percentile 20, median 30), so `MAX_DISTANCE` = 10 sits
in the gap. Lookups against earlier documents live in fazhi_shared.stores.fingerprints: 8 bands of
8 bits find every copy within 7 bits, and 96–99% of those 8–10 bits away.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

import numpy as np

from fazhi_shared.extract.shingles import ShingleDigests

BITS = 64
SHINGLE = 5
ANCHORS = "的是在和对了有为与及等中一不人年法政府建设工作行治依规制度推进全加强化"
_SAMPLE = re.compile(rf"(?=([{ANCHORS}].{{{SHINGLE - 1}}}))", re.S)
MAX_DISTANCE = 10
BANDS = 8
_DROP = re.compile(r"[\s\d,，。、；;：:“”\"'‘’（）()《》!！?？\-—·.|｜【】\[\]]+")
# Which UTF-16 code units `_DROP` keeps, for the array path (extract/shingles.py).
_KEEP = np.array([_DROP.fullmatch(chr(c)) is None for c in range(0x10000)], dtype=bool)
_SHINGLES = ShingleDigests(ANCHORS, _KEEP, SHINGLE)


def digest_cache(cache_limit: int, recent_min: int) -> ShingleDigests:
    """A digest cache of its own, with other limits (the default one holds 1,000,000)."""
    return ShingleDigests(ANCHORS, _KEEP, SHINGLE, cache_limit, recent_min)


def simhash(text: str, shingles: ShingleDigests | None = None) -> int:
    """SimHash of `text` (digits, spaces and punctuation ignored; shingles counted once).
    `shingles` is the digest cache to use (the module's own by default)."""
    digests = (shingles or _SHINGLES).digests(text)
    if digests is None:
        return _simhash_general(text)
    return _majority(digests.astype("<u8", copy=False).tobytes(), digests.size)


def _majority(digests: bytes, n: int) -> int:
    """Bit i of the result is set when more than half of the n 64-bit digests have it set."""
    rows = np.frombuffer(digests, dtype=np.uint8).reshape(n, 8)
    ones = np.unpackbits(rows, axis=1, bitorder="little").sum(axis=0, dtype=np.int64)
    return int.from_bytes(np.packbits(ones * 2 > n, bitorder="little").tobytes(), "little")


def _simhash_general(text: str) -> int:
    core = _DROP.sub("", text)
    shingles = set(_SAMPLE.findall(core)) or {core[:SHINGLE] or "_"}
    blake = hashlib.blake2b
    return _majority(b"".join([blake(s.encode(), digest_size=8).digest() for s in shingles]), len(shingles))


def to_hex(value: int) -> str:
    return f"{value:016x}"


def from_hex(value: str) -> int:
    return int(value, 16)


def distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()


class FingerprintStore(Protocol):
    """What find_first_copy needs: earlier fingerprints that share a band with `value`."""

    def candidates(self, value: int) -> list[tuple[str, int, float]]:
        """(doc_id, simhash, first_seen) of every stored document sharing a band."""
        ...


def find_first_copy(
    doc_id: str, value: int, store: FingerprintStore, max_distance: int = MAX_DISTANCE
) -> str | None:
    """The id of the earliest other document within `max_distance` bits, if any.

    A document that was itself stored first is never a duplicate of a later one: its own
    first_seen bounds the search once it is stored.
    """
    cands = store.candidates(value)
    own = [seen for other, _, seen in cands if other == doc_id]
    own_seen = own[0] if own else float("inf")
    best: tuple[float, str] | None = None
    for other, other_value, seen in cands:
        if other == doc_id or seen > own_seen:
            continue
        if seen == own_seen and other > doc_id:
            continue
        if distance(value, other_value) <= max_distance and (best is None or (seen, other) < best):
            best = (seen, other)
    return best[1] if best else None
