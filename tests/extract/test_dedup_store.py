from __future__ import annotations

from pathlib import Path

import redis

from fazhi_shared.extract.dedup import MAX_DISTANCE, distance, simhash, to_hex
from fazhi_shared.pipeline import process
from fazhi_shared.stores.fingerprints import FingerprintIndex, bands
from tests.extract.conftest import ROOT

SEED = (ROOT / "seeds" / "003_44a61183b8d6e99a.txt").read_text(encoding="utf-8")
OTHER = (ROOT / "seeds" / "000_1ed194cdb958c2d2.txt").read_text(encoding="utf-8")


def _republished(text: str) -> str:
    """Another site's copy: other noise around it, one sentence changed."""
    changed = text.replace("2020年1月2日,州司法局", "2020年1月3日,州司法局").replace("扎实推行", "切实推进")
    return "首页 > 政务公开 > 通知公告\n" + changed + "\n责编：张三 点击数：123\n【打印】【关闭窗口】"


def test_simhash_is_stable_and_separates() -> None:
    assert simhash(SEED) == simhash(SEED)
    assert to_hex(simhash(SEED)) == to_hex(simhash(SEED)) and len(to_hex(simhash(SEED))) == 16
    assert distance(simhash(SEED), simhash(_republished(SEED))) <= 3
    assert distance(simhash(SEED), simhash(OTHER)) > MAX_DISTANCE


def test_bands_cover_all_bits() -> None:
    keys = bands(0xFFFF_FFFF_FFFF_FFFF)
    assert keys == [f"{i}:ff" for i in range(8)]


def test_store_finds_the_first_copy(fingerprint_redis: redis.Redis) -> None:
    fingerprint_redis.flushdb()
    index = FingerprintIndex(fingerprint_redis)
    first, copy, other = to_hex(simhash(SEED)), to_hex(simhash(_republished(SEED))), to_hex(simhash(OTHER))
    assert index.register("doc-a", first) is None
    assert index.register("doc-b", other) is None
    assert index.register("doc-c", copy) == "doc-a"
    # Idempotent, and the first copy never points at a later one.
    assert index.register("doc-c", copy) == "doc-a"
    assert index.register("doc-a", first) is None
    # A third copy still points at the first, not at the second.
    assert index.register("doc-d", copy) == "doc-a"
    index.remove("doc-a")
    assert index.register("doc-d", copy) == "doc-c"
    assert index.register("doc-e", None) is None


def test_store_lookup_reads_only_shared_bands(fingerprint_redis: redis.Redis) -> None:
    fingerprint_redis.flushdb()
    index = FingerprintIndex(fingerprint_redis)
    for n in range(200):
        index.add(f"noise-{n}", simhash(f"第{n}号文件 " * 3 + OTHER[n * 20 : n * 20 + 400]))
    value = simhash(SEED)
    assert len(index.candidates(value)) < 50
    index.add("seed", value)
    assert any(doc_id == "seed" for doc_id, _, _ in index.candidates(simhash(_republished(SEED))))


def test_exact_recrawl_keeps_its_id_and_fingerprint(tmp_path: Path) -> None:
    body = SEED.encode("utf-8")
    url = "http://www.qxn.gov.cn/zwgk/tzgg/zfgg/202104/t20210401_67123456.html"
    a = process(body, url=url, content_sha256="1", fetched_at="2024-01-01T00:00:00Z")
    b = process(body, url=url + "#top", content_sha256="1", fetched_at="2024-02-01T00:00:00Z")
    assert a.id == b.id and a.simhash == b.simhash


def test_store_with_decoded_responses(fingerprint_redis: redis.Redis) -> None:
    """The stack's clients decode responses (stores.redis.redis_client); both work."""
    fingerprint_redis.flushdb()
    kw = fingerprint_redis.connection_pool.connection_kwargs
    client = redis.Redis(host=kw["host"], port=kw["port"], db=kw.get("db", 0), decode_responses=True)
    try:
        index = FingerprintIndex(client)
        assert index.register("first", to_hex(simhash(SEED))) is None
        assert index.register("copy", to_hex(simhash(_republished(SEED)))) == "first"
    finally:
        client.close()
