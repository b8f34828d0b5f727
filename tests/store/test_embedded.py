"""The embedded store: idempotent upserts, all-or-nothing batches, durable across reopen."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.model import Batch
from graphkit.query import ReachRequest
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from graphkit.validate import RawRecord
from ingest.curated import read_curated
from tests.conftest import SEED


def _dump(path: Path) -> list[tuple]:
    """Every row of every table, to compare whole-store states."""
    db = sqlite3.connect(path)
    try:
        rows: list[tuple] = []
        for (table,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
        ):
            rows += [(table, *r) for r in db.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        return rows
    finally:
        db.close()


def test_reingest_changes_nothing(engine: QueryEngine) -> None:
    first = engine.ingest(read_curated(SEED))
    assert first.created == {"sources": 5, "entities": 87, "relationships": 119}
    before = _dump(engine.settings.store)
    second = engine.ingest(read_curated(SEED))
    assert sum(second.created.values()) == sum(second.updated.values()) == 0
    assert second.unchanged == first.created
    assert _dump(engine.settings.store) == before


def test_batch_with_one_bad_record_leaves_store_unchanged(engine: QueryEngine) -> None:
    engine.ingest(read_curated(SEED))
    before = _dump(engine.settings.store)
    good_new = RawRecord("entities", {"id": "new-co", "kind": "Company", "name": "New Co"})
    changed = RawRecord("entities", {"id": "logink", "kind": "Platform", "name": "LOGINK v2"})
    bad = RawRecord(
        "relationships",
        {
            "type": "OWNS",
            "source": "new-co",
            "target": "ghost",
            "evidence": [{"source": "note-zoom-china-standards", "excerpt": "x"}],
        },
    )
    with pytest.raises(InvalidData) as info:
        engine.ingest([good_new, changed, bad])
    assert [i.field for i in info.value.issues] == ["target"]
    assert _dump(engine.settings.store) == before


def test_failure_inside_the_write_rolls_back_everything(tmp_path: Path) -> None:
    """Even past validation, a batch the database refuses leaves nothing behind."""
    from graphkit.model import Batch, Entity, Evidence, Relationship

    store = EmbeddedStore(tmp_path / "g.db")
    batch = Batch(
        entities=(Entity(id="a", kind="Company", name="A"),),
        relationships=(
            Relationship(
                id="r",
                type="OWNS",
                source="a",
                target="missing",
                evidence=(Evidence(source="nosuch", excerpt="x"),),
            ),
        ),
    )
    with pytest.raises(InvalidData, match="store refused"):
        store.write(batch)
    assert store.stats().entities == 0
    store.close()


def test_update_is_counted_and_visible(engine: QueryEngine) -> None:
    engine.ingest(read_curated(SEED))
    summary = engine.ingest(
        [RawRecord("entities", {"id": "logink", "kind": "Platform", "name": "LOGINK (renamed)"})]
    )
    assert summary.updated["entities"] == 1
    assert engine.entity("logink").entity.name == "LOGINK (renamed)"


def test_store_is_durable_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "durable.db"
    first = EmbeddedStore(path)
    QueryEngine(first).ingest(read_curated(SEED))
    answer = QueryEngine(first).reach(
        ReachRequest(target="rotterdam-port-logistics-data", as_of="2020-01-01")
    )
    first.close()
    again = EmbeddedStore(path)
    try:
        assert again.stats().relationships == 119
        same = QueryEngine(again, Settings(store=path)).reach(
            ReachRequest(target="rotterdam-port-logistics-data", as_of="2020-01-01")
        )
        assert same == answer
    finally:
        again.close()
    mode = sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_a_store_made_again_never_repeats_a_data_version(tmp_path: Path) -> None:
    """A permalink names the data version its answer came from. A store deleted and loaded
    again with other data, after the same number of writes, must show another version, or
    the permalink would take the new data for the one it cited."""
    path = tmp_path / "again.db"
    records = list(read_curated(SEED))
    shown: list[int] = []
    for batch in (records, records[:-1]):  # other data: one relationship less
        store = EmbeddedStore(path)
        QueryEngine(store).ingest(batch)
        shown.append(int(store.data_version() or 0))
        store.close()
        for file in tmp_path.glob("again.db*"):
            file.unlink()
    assert shown[1] > shown[0]
    fresh = [EmbeddedStore(tmp_path / f"{name}.db") for name in ("a", "b")]
    assert fresh[0].data_version() != fresh[1].data_version()
    for store in fresh:
        store.close()


def test_index_snapshot_is_reused_and_never_stale(tmp_path: Path) -> None:
    """Opening a store reads the saved traversal columns; any later write invalidates them."""
    path = tmp_path / "snap.db"
    store = EmbeddedStore(path)
    QueryEngine(store).ingest(read_curated(SEED))
    req = ReachRequest(target="rotterdam-port-logistics-data", as_of="2020-01-01")
    before = QueryEngine(store).reach(req)
    store.close()
    again = EmbeddedStore(path)
    assert again._snapshot() is not None  # saved by the first query, current
    assert QueryEngine(again).reach(req) == before
    # A write that cuts LOGINK's data coupling must be seen, not the saved columns.
    coupling = next(
        r for r in again.incident(["rotterdam-port-logistics-data"], 500) if r.source == "logink"
    )
    again.write(Batch(relationships=(coupling.model_copy(update={"valid_to": "2019-06"}),)))
    assert again._snapshot() is None
    again.close()
    third = EmbeddedStore(path)
    after = QueryEngine(third).reach(req)
    third.close()

    def logink(result: Any) -> float:
        return next(i.path.strength for i in result.items if i.entity.id == "logink")

    assert logink(after) < logink(before)  # only the 2019 agreement is left in 2020


def _indexes(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        return {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        db.close()


def test_a_refusal_after_written_rows_rolls_back_every_table(tmp_path: Path) -> None:
    """Sources, entities and seven relationships are in before the eighth is refused."""
    from graphkit.model import Entity, Evidence, Relationship, Source

    store = EmbeddedStore(tmp_path / "g.db")
    ev = (Evidence(source="doc", excerpt="x"),)
    rels = [
        Relationship(id=f"r{i}", type="OWNS", source="a", target="b", evidence=ev) for i in range(7)
    ]
    rels.append(Relationship(id="r9", type="OWNS", source="a", target="nobody", evidence=ev))
    batch = Batch(
        sources=(Source(id="doc", title="Doc"),),
        entities=(
            Entity(id="a", kind="Company", name="A"),
            Entity(id="b", kind="Company", name="B"),
        ),
        relationships=tuple(rels),
    )
    with pytest.raises(InvalidData, match="store refused"):
        store.write(batch)
    assert store.stats().model_dump() == {
        "backend": "embedded",
        "entities": 0,
        "relationships": 0,
        "sources": 0,
        "gds": None,
    }
    ok = store.write(batch.model_copy(update={"relationships": tuple(rels[:-1])}))
    assert ok.created == {"sources": 1, "entities": 2, "relationships": 7}
    store.close()


@pytest.mark.usefixtures("same_first_version")
def test_bulk_load_builds_lookup_indexes_at_the_end(tmp_path: Path) -> None:
    plain, bulk = tmp_path / "plain.db", tmp_path / "bulk.db"
    QueryEngine(EmbeddedStore(plain)).ingest_stream(read_curated(SEED), batch_size=40)
    store = EmbeddedStore(bulk)
    all_indexes = _indexes(bulk)
    engine = QueryEngine(store)
    seen: list[set[str]] = []
    summary = engine.ingest_stream(
        read_curated(SEED), batch_size=40, on_batch=lambda _: seen.append(_indexes(bulk))
    )
    assert summary.created == {"sources": 5, "entities": 87, "relationships": 119}
    assert all("relationships_source" not in s for s in seen)  # deferred while loading
    assert _indexes(bulk) == all_indexes == _indexes(plain)
    assert _dump(bulk) == _dump(plain)
    # A store that already holds relationships keeps its indexes up to date while loading.
    engine.ingest_stream(
        read_curated(SEED), batch_size=40, on_batch=lambda _: seen.append(_indexes(bulk))
    )
    assert seen[-1] == all_indexes
    store.close()


def test_a_bulk_load_cut_short_gets_its_indexes_back_on_reopen(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    store = EmbeddedStore(path)
    expected = _indexes(path)
    load = store.bulk()
    load.__enter__()  # the process dies inside the load: the context is never left
    QueryEngine(store).ingest(read_curated(SEED))
    store.close()
    assert "relationships_target" not in _indexes(path)
    again = EmbeddedStore(path)
    assert _indexes(path) == expected
    assert again.relationship_count("logink") > 0
    again.close()


def test_rows_read_from_columns_equal_rows_derived_from_records(tmp_path: Path) -> None:
    """Exports read stored columns; they must say what the records themselves say."""
    from graphkit.store.base import GraphStore
    from tests.conformance.datasets import gleif, icij, seed

    store = EmbeddedStore(tmp_path / "rows.db")
    eng = QueryEngine(store, Settings(store=tmp_path / "rows.db"))
    for records in (seed(), gleif(), icij()):
        eng.ingest(records)
    for method in ("source_rows", "entity_rows", "relationship_rows"):
        fast = getattr(store, method)(None, 100_000)
        derived = getattr(GraphStore, method)(store, None, 100_000)
        assert fast == derived and len(fast) > 4, method
    assert any(row.keys for row in store.entity_rows(None, 100_000))
    assert any(len(row.cites) > 1 for row in store.relationship_rows(None, 100_000))


def test_a_write_by_another_process_is_seen_without_a_restart(tmp_path: Path) -> None:
    """A load run beside a service: the service's index notices the new generation and
    answers about the new entity instead of failing on it."""
    import subprocess
    import sys
    import time

    from graphkit.engine import QueryEngine
    from graphkit.query import ExposureRequest
    from graphkit.validate import RawRecord

    path = tmp_path / "shared.db"
    engine = QueryEngine(EmbeddedStore(path))
    engine.ingest(
        [
            RawRecord("sources", {"id": "s", "title": "Doc", "date": "2020"}),
            RawRecord("entities", {"id": "a", "kind": "Company", "name": "A"}),
        ]
    )
    assert engine.exposure(ExposureRequest(source="a")).total == 0
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from graphkit.engine import QueryEngine\n"
        "from graphkit.store.embedded import EmbeddedStore\n"
        "from graphkit.validate import RawRecord\n"
        "e = QueryEngine(EmbeddedStore(Path(sys.argv[1])))\n"
        "e.ingest([RawRecord('entities', {'id': 'n', 'kind': 'Company', 'name': 'N'}),\n"
        "  RawRecord('relationships', {'type': 'OWNS', 'source': 'n', 'target': 'a',\n"
        "   'share': 0.6, 'evidence': [{'source': 's', 'excerpt': 'N owns A'}]})])\n"
        "e.store.close()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    time.sleep(EmbeddedStore.FRESHNESS_CHECK * 2)
    res = engine.exposure(ExposureRequest(source="n"))
    assert [i.entity.id for i in res.items] == ["a"]
    engine.store.close()


def test_a_store_locked_by_another_writer_is_busy_not_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holding the write lock past the busy timeout is an outage to retry
    (BackendUnavailable, 503 over HTTP), not a driver error."""
    from graphkit.errors import BackendUnavailable
    from graphkit.store import embedded

    monkeypatch.setattr(embedded, "BUSY_SECONDS", 0.2)
    path = tmp_path / "locked.db"
    store = EmbeddedStore(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        engine = QueryEngine(store)
        with pytest.raises(BackendUnavailable, match="busy"):
            engine.ingest([RawRecord("entities", {"id": "a", "kind": "Company", "name": "A"})])
    finally:
        other.execute("ROLLBACK")
        other.close()
    engine.ingest([RawRecord("entities", {"id": "a", "kind": "Company", "name": "A"})])
    assert store.stats().entities == 1
    store.close()


def test_lookups_by_many_ids_and_by_ids_json_cannot_hold(tmp_path: Path) -> None:
    """Ids travel to SQLite as one JSON array; thousands at once, repeats, unknown ids and a
    lone surrogate (which JSON cannot carry, so it goes as placeholders) all answer right."""
    store = EmbeddedStore(tmp_path / "g.db")
    ids = [f"e{i}" for i in range(1200)]
    store.write(
        Batch.model_validate(
            {"entities": [{"id": i, "kind": "Company", "name": i.upper()} for i in ids]}
        )
    )
    asked = [*ids, *ids[:10], "nobody", "\ud800", 'e1", "e2']
    kinds = store.entity_kinds(asked)
    assert sorted(kinds) == sorted(ids) and {k.value for k in kinds.values()} == {"Company"}
    assert sorted(store.entities(["e5", "e5", "\ud800", "nobody"])) == ["e5"]
    assert store.entity_kinds(["\ud800"]) == {} and store.entity_kinds([]) == {}
    assert store.source_ids(["\ud800", "x"]) == set()
    store.close()
