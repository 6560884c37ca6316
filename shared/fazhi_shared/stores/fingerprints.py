"""SimHash fingerprints of processed documents in Redis, for near-duplicate lookups.

The 64 bits are cut into 8 bands of 8 bits; two fingerprints within 7 bits agree exactly
on at least one band (pigeonhole), and 96–99% of pairs 8–10 bits apart do, so a lookup
reads 8 small sets (about N/256 ids each) instead of scanning every document; candidates
are then checked against MAX_DISTANCE (extract/dedup.py explains the threshold).

Keys (prefix `fazhi:fp:`): `band:{i}:{bits}` → set of doc ids; `doc:{id}` → hash
{simhash, first_seen}; `seq` → counter giving first_seen its order.

The worker, after `pipeline.process` and before indexing::

    from fazhi_shared.stores.fingerprints import FingerprintIndex
    fingerprints = FingerprintIndex.from_settings(settings)        # once per worker
    doc.duplicate_of = fingerprints.register(doc.id, doc.simhash)  # per document

`register` stores the fingerprint (keeping the first_seen of an id seen before, so a
re-crawl of the same URL keeps its place) and returns the id of the earliest other
document within MAX_DISTANCE bits, or None. It is idempotent: running it twice for the same
document gives the same answer.
"""

from __future__ import annotations

import redis

from fazhi_shared.extract.dedup import BANDS, BITS, MAX_DISTANCE, find_first_copy, from_hex
from fazhi_shared.settings import Settings
from fazhi_shared.stores.redis import KEY_PREFIX, redis_client

PREFIX = KEY_PREFIX + "fp:"


def bands(value: int, count: int = BANDS) -> list[str]:
    """The band keys of a fingerprint: `count` runs of bits covering all 64."""
    out, pos = [], 0
    for i in range(count):
        width = BITS // count + (1 if i < BITS % count else 0)
        out.append(f"{i}:{(value >> pos) & ((1 << width) - 1):x}")
        pos += width
    return out


class FingerprintIndex:
    def __init__(
        self, client: redis.Redis, max_distance: int = MAX_DISTANCE, band_count: int = BANDS
    ) -> None:
        self.client = client
        self.max_distance = max_distance
        self.band_count = band_count

    @classmethod
    def from_settings(cls, settings: Settings) -> FingerprintIndex:
        """The index on the stack's Redis (FAZHI_REDIS_URL)."""
        return cls(redis_client(settings))

    def candidates(self, value: int) -> list[tuple[str, int, float]]:
        keys = [f"{PREFIX}band:{b}" for b in bands(value, self.band_count)]
        ids = sorted(_s(i) for i in self.client.sunion(keys))
        if not ids:
            return []
        pipe = self.client.pipeline(transaction=False)
        for doc_id in ids:
            pipe.hmget(f"{PREFIX}doc:{doc_id}", ["simhash", "first_seen"])
        out = []
        for doc_id, (sh, seen) in zip(ids, pipe.execute(), strict=True):
            if sh is not None and seen is not None:
                out.append((doc_id, from_hex(_s(sh)), float(_s(seen))))
        return out

    def add(self, doc_id: str, value: int) -> None:
        key = f"{PREFIX}doc:{doc_id}"
        old = self.client.hget(key, "simhash")
        if old is not None and from_hex(_s(old)) != value:
            self._unlink(doc_id, from_hex(_s(old)))
        if not self.client.hexists(key, "first_seen"):
            seq = self.client.incr(f"{PREFIX}seq")
            self.client.hsetnx(key, "first_seen", str(seq))
        pipe = self.client.pipeline()
        pipe.hset(key, "simhash", f"{value:016x}")
        for b in bands(value, self.band_count):
            pipe.sadd(f"{PREFIX}band:{b}", doc_id)
        pipe.execute()

    def _unlink(self, doc_id: str, value: int) -> None:
        pipe = self.client.pipeline()
        for b in bands(value, self.band_count):
            pipe.srem(f"{PREFIX}band:{b}", doc_id)
        pipe.execute()

    def register(self, doc_id: str, simhash: str | None) -> str | None:
        """Store this document's fingerprint; return the id of its first copy, if any."""
        if not simhash:
            return None
        value = from_hex(simhash)
        self.add(doc_id, value)
        return find_first_copy(doc_id, value, self, self.max_distance)

    def remove(self, doc_id: str) -> None:
        key = f"{PREFIX}doc:{doc_id}"
        old = self.client.hget(key, "simhash")
        if old is not None:
            self._unlink(doc_id, from_hex(_s(old)))
        self.client.delete(key)


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
