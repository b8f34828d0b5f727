"""Bulk import into a real Neo4j: the importer's files give the graph transactional writes
give. A second throwaway server (its own port and data folder) takes the import, because
the importer replaces a stopped server's database."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.neo4j_export import MULTILINE_MARKER
from graphkit.query import ReachRequest, SearchRequest
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.neo4j import Neo4jStore
from graphkit.validate import RawRecord
from tests.backends import NEO4J_LOCAL, local_neo4j
from tests.conformance.datasets import gleif, icij, seed

pytestmark = pytest.mark.neo4j

DOC = RawRecord("sources", {"id": "reg", "title": "Register extract", "date": "2024-01-01"})
#: Quotes and a line break in a value: the importer must be told about multi-line fields.
AWKWARD = RawRecord(
    "entities",
    {"id": "awkward", "kind": "Company", "name": 'The "Quoted"\nHoldings', "country": "NL"},
)


def _records() -> list[list[RawRecord]]:
    """Seed, GLEIF (identifier keys), ICIJ with an accepted name merge, an awkward name."""
    return [seed(), gleif(), icij(), [DOC, AWKWARD]]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[QueryEngine, QueryEngine]]:
    """(embedded staging store, Neo4j server holding its import)."""
    tmp = tmp_path_factory.mktemp("import")
    with local_neo4j(tmp) as server:
        staging = QueryEngine(EmbeddedStore(tmp / "staging.db"), Settings(store=tmp / "staging.db"))
        for records in _records():
            staging.ingest(records)
        staging.merge("icij:12000001", ["icij:12000004"])
        with pytest.MonkeyPatch.context() as patch:  # the path large stores take
            patch.setattr("graphkit.neo4j_export.PART_RELATIONSHIPS", 1)
            patch.setattr("graphkit.neo4j_export._CORES", 2)
            files = staging.export_neo4j(tmp / "files")
        assert files.multiline and (tmp / "files" / MULTILINE_MARKER).exists()
        assert (tmp / "files" / "nodes-claims-2.csv").exists()
        assert files.counts["nodes-claims.csv"] == staging.stats().relationships
        assert "imported in" in server.run("import", str(tmp / "files")).stderr
        neo = QueryEngine(Neo4jStore(Settings(backend="neo4j", neo4j_uri=server.uri)), Settings())
        yield staging, neo
        neo.store.close()
        staging.store.close()


def test_imported_database_holds_what_the_store_held(
    imported: tuple[QueryEngine, QueryEngine],
) -> None:
    staging, neo = imported
    # The same data, so the same data version: a permalink to the staging store holds here.
    assert neo.store.data_version() == staging.store.data_version() != "0"
    assert neo.stats().model_dump(exclude={"backend"}) == staging.stats().model_dump(
        exclude={"backend"}
    )
    assert neo.store.merge_decisions() == staging.store.merge_decisions()
    assert neo.entity("awkward").entity.name == 'The "Quoted"\nHoldings'
    keys = ["lei:001GPB6A9XPE8XJICC14", "lei:NOT-A-KEY"]
    assert neo.store.entities_by_identifier(keys) == staging.store.entities_by_identifier(keys)
    assert neo.store.entities_by_identifier(keys)["lei:001GPB6A9XPE8XJICC14"]


def test_imported_database_answers_as_the_store_does(
    imported: tuple[QueryEngine, QueryEngine],
) -> None:
    staging, neo = imported
    for as_of in ("2020-01-01", "2026-11-22"):
        req = ReachRequest(target="rotterdam-port-logistics-data", as_of=as_of)
        want, got = staging.reach(req), neo.reach(req)
        assert got.model_dump() == want.model_dump()
        assert got.items and all(h.evidence for i in got.items for h in i.path.hops)
    for text in ("alibaba", "阿里巴巴", "quoted holdings"):
        found = neo.search(SearchRequest(text=text))
        assert (
            found.items
            and found.model_dump() == staging.search(SearchRequest(text=text)).model_dump()
        )


def test_loading_the_same_records_into_the_import_changes_nothing(
    imported: tuple[QueryEngine, QueryEngine],
) -> None:
    """Bodies, kinds, search text and edge facts are byte-for-byte what a load writes."""
    _, neo = imported
    before = neo.stats()
    for records in _records():
        summary = neo.ingest(records)
        assert sum(summary.created.values()) == 0, summary
        assert sum(summary.updated.values()) == 0, summary
    assert neo.stats() == before


def _content(folder: Path, name: str) -> bytes:
    """One kind's file, or its part files joined in part order under one header."""
    if (folder / name).exists():
        return (folder / name).read_bytes()
    parts = sorted(folder.glob(name.replace(".csv", "-*.csv")), key=lambda p: p.stem)
    texts = [p.read_bytes().split(b"\n", 1) for p in parts]
    return texts[0][0] + b"\n" + b"".join(body for _, body in texts)


def test_exporting_the_imported_database_gives_the_same_files(
    imported: tuple[QueryEngine, QueryEngine], tmp_path: Path
) -> None:
    """Any store exports: Neo4j derives its rows from the records (in one process), the
    embedded store reads its columns (here in two processes, as a large one does), and
    both write the same rows in the same order (so one database copies into another)."""
    staging, neo = imported
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("graphkit.neo4j_export.PART_RELATIONSHIPS", 1)
        patch.setattr("graphkit.neo4j_export._CORES", 2)
        a = staging.export_neo4j(tmp_path / "from-embedded")
        b = neo.export_neo4j(tmp_path / "from-neo4j")
    assert (tmp_path / "from-embedded" / "nodes-claims-2.csv").exists()
    assert not list((tmp_path / "from-neo4j").glob("*-2.csv"))
    assert a.counts == b.counts and a.multiline == b.multiline
    for name in a.counts:
        assert _content(tmp_path / "from-neo4j", name) == _content(
            tmp_path / "from-embedded", name
        ), name
    staging.export_neo4j(tmp_path / "from-embedded")  # small: one file a kind, parts gone
    assert not list((tmp_path / "from-embedded").glob("*-[12].csv"))
    assert _content(tmp_path / "from-embedded", "nodes-claims.csv") == _content(
        tmp_path / "from-neo4j", "nodes-claims.csv"
    )


def test_a_failed_import_names_the_file_line_and_reason(
    imported: tuple[QueryEngine, QueryEngine], tmp_path: Path
) -> None:
    """Bad files (here an edge to an entity nobody wrote) stop the importer; the script says
    what was wrong (and, outside multi-line mode, the file, line and field), and leaves its
    server stopped rather than serving a broken database."""
    staging, _ = imported
    staging.export_neo4j(tmp_path / "files")
    with (tmp_path / "files" / "relationships-edges.csv").open("a", encoding="utf-8") as f:
        f.write('"nobody","logink","X:1",1.0,"","",0.8,"","","","OWNS"\n')
    with local_neo4j(tmp_path) as server:
        done = subprocess.run(
            [str(NEO4J_LOCAL), "import", str(tmp_path / "files")],
            env=server.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 1
        assert "nobody (Entity)-[OWNS]->logink (Entity) referring to missing node" in done.stderr
        assert "stays stopped" in done.stderr
        status = subprocess.run(
            [str(NEO4J_LOCAL), "status"], env=server.env, capture_output=True, text=True
        )
        assert status.returncode == 3  # not running
