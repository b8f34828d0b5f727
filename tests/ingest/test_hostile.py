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
    assert {c.fmt for c in CASES} == {
        "csv",
        "curated",
        "ftm",
        "ftm-restore",
        "bods",
        "gleif",
        "icij",
    }
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
    assert names & {"Café Ltd", "Société Générale", "Café", "Zeta", "Gamma Ltd", "25", "Eta B.V."}


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


def test_a_graphkit_note_in_someone_elses_ftm_file_is_data(tmp_path: Path) -> None:
    """Without --restore a forged note naming a stored record changes nothing stored."""
    from tests.ingest.hostile import FTM_OK, _ftm

    engine = QueryEngine(EmbeddedStore(tmp_path / "store.db"), Settings())
    engine.ingest(seed())
    note = 'graphkit:{"id": "logink", "kind": "Law", "name": "LOGINK"}'
    forged = dict(FTM_OK, properties={"name": ["LOGINK"], "notes": [note]})
    path = write_case(Case("forged", "ftm", _ftm(forged)), tmp_path / "in")
    ingest(engine, path, "ftm")
    assert engine.store.entities(["logink"])["logink"].kind.value == "Platform"
    assert engine.store.entities(["c1"])["c1"].name == "LOGINK"


def test_a_load_never_silently_overwrites_its_own_facts(tmp_path: Path) -> None:
    """The same relationship twice in one file, batches apart, with another share: refused
    with the later line; the same record twice with the same values is fine."""
    rows = [
        "id,title,date\ns1,A register,2020-01-01\n",
        "id,kind,name\na,Company,Alpha\nb,Company,Beta\n",
    ]
    rel = "type,source,target,share,evidence_source,excerpt\n"
    rel += "OWNS,a,b,0.5,s1,half\n"
    sheet_dir = tmp_path / "sheet"
    sheet_dir.mkdir()
    for sheet, name in zip(rows, ("sources.csv", "entities.csv"), strict=True):
        (sheet_dir / name).write_text(sheet, encoding="utf-8")
    (sheet_dir / "relationships.csv").write_text(rel, encoding="utf-8")
    engine = QueryEngine(EmbeddedStore(tmp_path / "store.db"), Settings())
    engine.ingest_stream(read_path(sheet_dir, "csv"), batch_size=1)
    more = tmp_path / "more"
    more.mkdir()
    twice = [
        '{"id": "x1", "schema": "Company", "properties": {"name": ["X"]}}',
        '{"id": "x2", "schema": "Company", "properties": {"name": ["Y"]}}',
        '{"id": "x1", "schema": "Company", "properties": {"name": ["X"]}}',
        '{"id": "x1", "schema": "Company", "properties": {"name": ["Other name"]}}',
    ]
    file = more / "e.ftm.json"
    file.write_text("\n".join(twice[:3]) + "\n", encoding="utf-8")
    engine.ingest_stream(read_path(file, "ftm"), batch_size=1)  # same values: fine
    file.write_text("\n".join(twice) + "\n", encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        engine.ingest_stream(read_path(file, "ftm"), batch_size=1)
    (issue,) = info.value.issues
    assert issue.line == 4 and "given earlier in this load" in issue.message
    assert engine.store.entities(["x1"])["x1"].name == "X"


def test_a_bods_04_range_with_minimum_above_maximum_is_refused(tmp_path: Path) -> None:
    import json

    from ingest.bods import read_bods
    from tests.conformance.datasets import shared

    statements = json.loads(
        (shared("bods-0.4", "examples") / "joint-ownership.json").read_text(encoding="utf-8")
    )
    rel = next(s for s in statements if s["recordType"] == "relationship")
    rel["recordDetails"]["interests"][0]["share"] = {"minimum": 60, "maximum": 40}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(statements), encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        list(read_bods(path))
    (issue,) = info.value.issues
    assert issue.field == "recordDetails.interests.0.share" and "above maximum" in issue.message


def test_icij_country_codes_beyond_the_built_in_table_are_kept(tmp_path: Path) -> None:
    from ingest.icij import read_icij

    (tmp_path / "nodes-entities.csv").write_text(
        "node_id,name,country_codes,countries,sourceID\n"
        "1,Kappa Ltd,MNG,Mongolia,Paradise Papers\n"
        "2,Lambda Ltd,XYZ,Nowhere,Paradise Papers\n",
        encoding="utf-8",
    )
    (tmp_path / "relationships.csv").write_text(
        "node_id_start,node_id_end,rel_type,link,status,start_date,end_date,sourceID\n",
        encoding="utf-8",
    )
    ents = {r.data["id"]: r.data for r in read_icij(tmp_path) if r.section == "entities"}
    assert ents["icij:1"]["country"] == "MN"
    assert ents["icij:2"]["country"] is None
    assert ents["icij:2"]["properties"]["icij_country_codes"] == "XYZ"


@pytest.mark.parametrize("how", ["load", "dry-run"])
def test_a_kind_change_that_breaks_stored_relationships_is_refused(
    seeded: tuple[QueryEngine, str], how: str
) -> None:
    """A load refuses it with the stored relationships named, and a dry run says so too."""
    engine, before = seeded
    from graphkit.validate import RawRecord

    port = {"id": "port-of-rotterdam", "kind": "Person", "name": "Port of Rotterdam"}
    run = engine.ingest if how == "load" else engine.check_stream
    with pytest.raises(InvalidData) as info:
        run([RawRecord("entities", port)])
    assert any("stored relationship" in i.message for i in info.value.issues)
    assert digest(engine) == before
