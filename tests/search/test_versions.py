"""Writes and versions: upserts replace by id, deletes, and a rebuild that swaps versions
under readers and a writer that keep working."""

from __future__ import annotations

from pathlib import Path

from fazhi_shared.models import Document
from fazhi_shared.search.base import SearchBackend, SearchRequest
from fazhi_shared.search.tantivy_backend import TantivyBackend

from .expect import result_ids


def test_upsert_replaces_by_id_and_delete_removes(fresh_engine: SearchBackend,
                                                  corpus: list[Document]) -> None:
    docs = [d for d in corpus if d.is_report and not d.duplicate_of][:6]
    fresh_engine.upsert(docs)
    assert result_ids(fresh_engine) == {d.id for d in docs}
    changed = docs[0].model_copy(update={"title": "唯一的新标题关于营商环境的报告"})
    fresh_engine.upsert([changed])
    assert fresh_engine.count() == 6
    assert result_ids(fresh_engine, q="title:唯一") == {changed.id}
    stored = fresh_engine.get(changed.id)
    assert stored is not None and stored.title == changed.title and stored.text == changed.text
    fresh_engine.delete([docs[1].id])
    assert fresh_engine.get(docs[1].id) is None
    assert result_ids(fresh_engine) == {d.id for d in docs} - {docs[1].id}


def test_rebuild_swaps_to_a_new_version_without_losing_documents(
    fresh_engine: SearchBackend, corpus: list[Document]
) -> None:
    fresh_engine.upsert(corpus)
    before = fresh_engine.search(SearchRequest(q="复议", size=100, facets=("region",)))
    old_version = fresh_engine.health()["version"]

    late = corpus[1].model_copy(update={"id": "f" * 20, "url": "https://late.example/1"})

    def documents():  # type: ignore[no-untyped-def]
        yield from fresh_engine.iter_documents()
        # Written to the live version while the rebuild runs: must survive the swap.
        fresh_engine.upsert([late])

    new_version = fresh_engine.rebuild(documents())
    assert new_version != old_version
    assert fresh_engine.health()["version"] == new_version
    after = fresh_engine.search(SearchRequest(q="复议", size=100, facets=("region",)))
    assert {h.id for h in after.hits} - {h.id for h in before.hits} <= {late.id}
    assert {h.id for h in before.hits} <= {h.id for h in after.hits}
    assert fresh_engine.get(late.id) is not None
    assert fresh_engine.count() == len(corpus) + 1


def test_every_document_is_searchable_as_soon_as_rebuild_returns(
    fresh_engine: SearchBackend, corpus: list[Document]
) -> None:
    fresh_engine.upsert(corpus)
    fresh_engine.rebuild(list(fresh_engine.iter_documents()))  # no writes during the rebuild
    assert fresh_engine.count() == len(corpus)
    assert fresh_engine.search(SearchRequest(filters={"is_report": ["any"]}, collapse=False,
                                             size=0)).total == len(corpus)


def test_other_processes_follow_the_swap(tmp_path: Path, corpus: list[Document]) -> None:
    writer = TantivyBackend(tmp_path / "index")  # the indexer
    reader = TantivyBackend(tmp_path / "index")  # the API
    writer.upsert(corpus[:10])
    assert reader.count() == 10
    rebuilder = TantivyBackend(tmp_path / "index")  # `fazhi reindex`
    version = rebuilder.rebuild(iter(corpus[:20]))
    assert reader.count() == 20 and reader.health()["version"] == version
    writer.upsert(corpus[20:25])  # the indexer's writer moved to the new version
    assert reader.count() == 25 and writer.health()["version"] == version
    old_dirs = [p for p in (tmp_path / "index").iterdir() if p.is_dir()]
    assert len(old_dirs) == 2  # the new version and the one before it
    for backend in (writer, reader, rebuilder):
        backend.close()
