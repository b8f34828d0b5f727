"""The hostile-input corpus (tests/ingest/hostile.py) against every loader: each refused case
is a clear InvalidData naming file and line or field, within a time bound, with the store
byte-for-byte as it was; each spreadsheet that real tools write loads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from ingest import read_path
from tests.conformance.datasets import seed
from tests.ingest.hostile import CASES, Case, bounded, ingest, problem, write_case


def digest(engine: QueryEngine) -> str:
    """Every stored entity, relationship and source, hashed in id order."""
    h = hashlib.sha256()
    for scan in (engine.store.scan_entities, engine.store.scan_relationships):
        after = None
        while rows := scan(after, 1000):
            for row in rows:
                h.update(row.model_dump_json().encode())
            after = rows[-1].id
    after = None
    while srcs := engine.store.scan_sources(after, 1000):
        for src in srcs:
            h.update(src.model_dump_json().encode())
        after = srcs[-1].id
    return h.hexdigest()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[QueryEngine, str]]:
    folder = tmp_path_factory.mktemp("hostile")
    engine = QueryEngine(EmbeddedStore(folder / "store.db"), Settings())
    engine.ingest(seed())
    yield engine, digest(engine)
    engine.store.close()


def test_the_corpus_is_large_and_covers_every_loader() -> None:
    assert len(CASES) >= 200
    assert {c.fmt for c in CASES} == {"csv", "curated", "ftm", "bods", "gleif", "icij"}
    assert len({c.name for c in CASES}) == len(CASES)


REFUSED = [c for c in CASES if c.expect == "refused"]
LOADS = [c for c in CASES if c.expect == "loads"]


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_refused_clearly_and_store_unchanged(
    case: Case, tmp_path: Path, seeded: tuple[QueryEngine, str]
) -> None:
    engine, before = seeded
    path = write_case(case, tmp_path / "in")
    outcome = bounded(lambda: ingest(engine, path, case.fmt))
    assert problem(case, outcome) is None, problem(case, outcome)
    assert digest(engine) == before


@pytest.mark.parametrize("case", LOADS, ids=[c.name for c in LOADS])
def test_what_real_tools_write_loads(case: Case, tmp_path: Path) -> None:
    engine = QueryEngine(EmbeddedStore(tmp_path / "store.db"), Settings())
    path = write_case(case, tmp_path / "in")
    outcome = bounded(lambda: ingest(engine, path, case.fmt))
    assert problem(case, outcome) is None, problem(case, outcome)
    names = {e.name for e in engine.store.scan_entities(None, 100)}
    assert names & {"Café Ltd", "Société Générale", "Café", "Zeta", "Gamma Ltd", "25"}


def test_an_error_after_written_batches_says_what_was_written(tmp_path: Path) -> None:
    """A broken last line found after two batches were written: the error says how many
    records of which kinds were written, never "nothing was written"; the fixed file then
    loads without creating anything twice."""
    lines = [
        f'{{"id": "c{i}", "schema": "Company", "properties": {{"name": ["C{i}"]}}}}'
        for i in range(5)
    ]
    file = tmp_path / "e.ftm.json"
    file.write_text("\n".join([*lines, "{broken"]) + "\n", encoding="utf-8")
    engine = QueryEngine(EmbeddedStore(tmp_path / "store.db"), Settings())
    with pytest.raises(InvalidData) as info:
        engine.ingest_stream(read_path(file, "ftm"), batch_size=2)
    text = str(info.value)
    assert "nothing was written" not in text
    assert "4 records were written before it (4 entities)" in text
    assert engine.stats().entities == 4
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    again = engine.ingest_stream(read_path(file, "ftm"), batch_size=2)
    assert again.created.get("entities") == 1 and again.unchanged.get("entities") == 4


def test_a_kind_change_that_breaks_stored_relationships_is_refused(
    seeded: tuple[QueryEngine, str],
) -> None:
    engine, before = seeded
    from graphkit.validate import RawRecord

    port = {"id": "port-of-rotterdam", "kind": "Person", "name": "Port of Rotterdam"}
    with pytest.raises(InvalidData) as info:
        engine.ingest([RawRecord("entities", port)])
    assert any("stored relationship" in i.message for i in info.value.issues)
    assert digest(engine) == before
