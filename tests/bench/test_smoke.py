"""A seconds-long benchmark run, so the scripts never rot (figures come from bench/run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.generate import Shape, generate, write_jsonl
from bench.run import _gds_projections, run
from graphkit.engine import QueryEngine
from graphkit.settings import Settings
from graphkit.store.neo4j import Neo4jStore
from ingest import detect
from tests.backends import local_neo4j, neo4j_settings


def test_generator_is_deterministic_and_shaped_like_ownership() -> None:
    first = list(generate(Shape(entities=400, seed=3)))
    again = list(generate(Shape(entities=400, seed=3)))
    assert first == again
    rels = [r for b in first for r in b.relationships]
    owns = [r for r in rels if r.type.value == "OWNS"]
    assert len(first[0].entities) == 400 and len(rels) > 600
    totals: dict[str, float] = {}
    for r in owns:
        totals[r.target] = totals.get(r.target, 0.0) + (r.share or 0.0)
    assert max(totals.values()) <= 1.0 + 1e-9  # shares of a firm never exceed 100%


def test_generated_graph_passes_the_validation_users_get(tmp_path: Path) -> None:
    """Benchmark figures are measured on data the product accepts: the generator writes a
    file ``graphkit load`` recognises and reads, and no record is refused or skipped."""
    shape = Shape(entities=3000, seed=7)
    batches = list(generate(shape))
    write_jsonl(shape, tmp_path / "graph.jsonl")
    assert detect(tmp_path / "graph.jsonl") == "curated"
    loaded = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "load", str(tmp_path / "graph.jsonl"), "--json"]
        + ["--store", str(tmp_path / "g.db")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    summary = json.loads(loaded.stdout)
    assert summary["created"]["entities"] == sum(len(b.entities) for b in batches)
    assert summary["created"]["relationships"] == sum(len(b.relationships) for b in batches)
    assert not summary["skipped"]


def test_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    report = run(400, None, tmp_path, repeat=1, per=2)
    assert (tmp_path / "bench.md").read_text(encoding="utf-8").startswith("Graph: 400 entities")
    data = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    assert data["ingest"]["embedded"]["relationships"] == report["graph"]["relationships"] > 0
    assert set(data["reach"]) == {"small", "medium", "giant"}
    assert set(data["exposure"]) == {"small", "medium", "giant"}
    assert data["ownership"]["firms"] > 100 and data["ownership"]["holders"] == 5
    assert data["cold_start"]["seconds"] > 0
    if data["exposure"]["giant"]["targets"]:  # the thread curve starts at one thread
        assert data["scaling"]["1"]["speedup"] == 1.0


@pytest.mark.neo4j
def test_benchmark_runs_side_by_side_with_neo4j(tmp_path: Path) -> None:
    """The three-way run (ours, networkx, Neo4j) on the test server (wiped, like every
    conformance test)."""
    uri = neo4j_settings().neo4j_uri
    report = run(300, uri, tmp_path, repeat=1, per=1)
    ingest = report["ingest"]["neo4j"]
    assert ingest["relationships"] == report["ingest"]["embedded"]["relationships"] > 0
    timed = [row for q in ("reach", "exposure") for row in report[q].values() if row["targets"]]
    assert timed and all(row["neo4j"]["n"] >= 1 for row in timed)
    assert all(row["neo4j_per_hop"]["n"] >= 1 for row in timed)  # the previous plan beside it
    table = (tmp_path / "bench.md").read_text(encoding="utf-8")
    assert "| Neo4j per hop |" in table and "per hop ÷ Neo4j" in table
    if os.environ.get("GRAPHKIT_TEST_NEO4J_GDS") == "1":  # the server's floor beside it
        assert report["gds"]["arcs"] > 0 and report["gds"]["nodes"] == report["graph"]["entities"]
        assert all(row["gds_bfs"]["n"] >= 1 for row in timed)
        assert "GDS 2." in table and "Neo4j ÷ GDS" in table


def _projections(store: Neo4jStore) -> list[str]:
    listed = store._rows(  # noqa: SLF001 - the server's catalog, as a user would list it
        "CALL gds.graph.list() YIELD graphName RETURN collect(graphName) AS names", "test"
    )
    return [name for name in listed[0]["names"] if name.startswith("graphkit-")]


@pytest.mark.neo4j
def test_a_benchmark_that_fails_midway_leaves_no_projection_on_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a server the user runs, a run that fails (here: after the projections, or
    between the two) must not leave GDS graphs holding its memory until a restart."""
    if os.environ.get("GRAPHKIT_TEST_NEO4J_GDS") != "1":
        pytest.skip("the test server was not started with GDS (scripts/test starts one that is)")
    store = Neo4jStore(neo4j_settings())
    try:
        before = _projections(store)

        def broken(*_args: object, **_kwargs: object) -> object:
            raise RuntimeError("a failure midway")

        monkeypatch.setattr("bench.run._strata", broken)
        with pytest.raises(RuntimeError, match="midway"):
            run(300, neo4j_settings().neo4j_uri, tmp_path, repeat=1, per=1)
        assert _projections(store) == before
        made = Neo4jStore.gds_projection

        def second_fails(self: Neo4jStore, *args: Any, inbound: bool, **kwargs: Any) -> Any:
            if inbound:
                raise RuntimeError("the second projection failed")
            return made(self, *args, inbound=inbound, **kwargs)

        monkeypatch.setattr(Neo4jStore, "gds_projection", second_fails)
        engine = QueryEngine(store, Settings(backend="neo4j"))
        with pytest.raises(RuntimeError, match="second"), ExitStack() as held:
            _gds_projections(engine, date.today(), {}, held)
        assert _projections(store) == before
    finally:
        store.close()


@pytest.mark.neo4j
def test_benchmark_times_a_bulk_import_into_neo4j(tmp_path: Path) -> None:
    """The offline path (importer files, neo4j-admin import, constraints) on a throwaway
    server of its own; the Neo4j queries then run on the imported graph."""
    with local_neo4j(tmp_path) as server:
        server.run("start")
        report = run(
            300,
            server.uri,
            tmp_path / "out",
            repeat=1,
            per=1,
            neo4j_local=server.run,
        )
    bulk = report["ingest"]["neo4j_import"]
    assert bulk["relationships"] == report["ingest"]["embedded"]["relationships"] > 0
    assert bulk["files_seconds"] > 0 and bulk["import_seconds"] > 0
    timed = [row for q in ("reach", "exposure") for row in report[q].values() if row["targets"]]
    assert timed and all(row["neo4j"]["n"] >= 1 for row in timed)
    assert "offline import" in (tmp_path / "out" / "bench.md").read_text(encoding="utf-8")
