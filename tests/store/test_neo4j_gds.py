"""Graph Data Science on the server: detected when first asked, and its breadth-first search over a
projection of the search's arcs finds exactly who the search reaches.

``scripts/test`` starts its throwaway server with OpenGDS (``scripts/neo4j-local start
--with-gds``) and says so in ``GRAPHKIT_TEST_NEO4J_GDS=1``; against a server without GDS
these tests are skipped, except the one that checks such a server is told apart.
"""

from __future__ import annotations

import os
import time
from datetime import date

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import BackendUnavailable, InvalidQuery
from graphkit.filters import ResolvedFilters, Traversal
from graphkit.query import MAX_DEPTH_LIMIT, Filters
from graphkit.schema import RelType
from graphkit.store.neo4j import Neo4jStore
from tests.backends import pair
from tests.conformance.datasets import DATASETS

pytestmark = pytest.mark.neo4j

R = "rotterdam-port-logistics-data"


def _store(neo4j_engine: QueryEngine) -> Neo4jStore:
    store = neo4j_engine.store
    assert isinstance(store, Neo4jStore)
    return store


@pytest.fixture
def gds_store(neo4j_engine: QueryEngine) -> Neo4jStore:
    store = _store(neo4j_engine)
    if os.environ.get("GRAPHKIT_TEST_NEO4J_GDS") != "1":
        pytest.skip("the test server was not started with GDS (scripts/test starts one that is)")
    return store


def test_detected_at_connect_and_reported(gds_store: Neo4jStore) -> None:
    (row,) = gds_store._rows("RETURN gds.version() AS v", "test")  # noqa: SLF001
    assert gds_store.gds == row["v"] and gds_store.gds.startswith("2.")
    assert gds_store.stats().gds == gds_store.gds


def test_a_server_without_gds_is_told_apart(neo4j_engine: QueryEngine) -> None:
    store = _store(neo4j_engine)
    listed = store._rows(  # noqa: SLF001
        "SHOW FUNCTIONS YIELD name WHERE name = 'gds.version' RETURN name", "test"
    )
    assert (store.gds is not None) == bool(listed)
    if store.gds is None:
        with pytest.raises(BackendUnavailable, match="no Graph Data Science"):
            store.gds_projection(
                ResolvedFilters.from_request(Filters()), inbound=False, time_budget=10
            )


CASES = [
    ("random", Filters(as_of=date(2020, 1, 1))),
    ("random", Filters(as_of=date(2003, 6, 1), min_confidence="reported")),
    ("random", Filters(as_of=date(2020, 1, 1), types=[RelType.OWNS, RelType.SUPPLIES])),
    ("time", Filters(as_of=date(2008, 1, 1))),
    ("time", Filters(as_of=date(2024, 1, 1), known_by=date(2023, 1, 1))),
    ("seed", Filters()),
    ("cycles", Filters()),
]


@pytest.mark.parametrize(("dataset", "filters"), CASES)
def test_reach_sets_equal_the_search(
    dataset: str,
    filters: Filters,
    gds_store: Neo4jStore,
    embedded_engines: dict[str, QueryEngine],
    neo4j_engine: QueryEngine,
) -> None:
    """For every entity, both directions and depths 1 to 6, GDS reaches exactly the entities
    the embedded engine's search answers for (the projection mirrors flows and filters)."""
    engines = pair(dataset, embedded_engines, neo4j_engine)
    reference = engines.embedded.store
    f = ResolvedFilters.from_request(filters)
    anchors = sorted(e.id for e in reference.scan_entities(None, 10_000))
    assert anchors
    compared = 0
    for inbound in (False, True):
        with gds_store.gds_projection(f, inbound=inbound, time_budget=60) as projection:
            assert projection.nodes == len(anchors)
            for anchor in anchors:
                for depth in (1, 2, 3, 6):
                    count, ids = projection.reached(anchor, depth, ids=True)
                    want = reference.best_paths(anchor, inbound=inbound, spec=Traversal(f, depth))
                    assert sorted(ids) == sorted(want.ids()), (anchor, inbound, depth)
                    assert count == len(ids)
                    compared += bool(ids)
    assert compared > 0  # some anchors reach something: the comparison is not empty


def test_projections_are_dropped_and_hostile_anchors_find_nothing(
    gds_store: Neo4jStore, embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine
) -> None:
    pair("seed", embedded_engines, neo4j_engine)
    before = gds_store.stats()
    f = ResolvedFilters.from_request(Filters())
    with pytest.raises(RuntimeError, match="inside"):
        with gds_store.gds_projection(f, inbound=True, time_budget=60) as projection:
            name = projection.name
            for anchor in ("no-such-entity", "x'}) DETACH DELETE n //", "", "é" * 5000):
                assert projection.reached(anchor, 6, ids=True) == (0, [])
            for depth in (0, -1, MAX_DEPTH_LIMIT + 1):  # bounded like every traversal
                with pytest.raises(InvalidQuery, match="max_depth"):
                    projection.reached(R, depth)
            raise RuntimeError("a failure inside the block")
    listed = gds_store._rows(  # noqa: SLF001
        "CALL gds.graph.list() YIELD graphName RETURN collect(graphName) AS names", "test"
    )
    assert name not in listed[0]["names"]
    assert gds_store.stats() == before


def test_a_wipe_moves_the_data_version_on(
    neo4j_engine: QueryEngine, embedded_engines: dict[str, QueryEngine]
) -> None:
    """A wipe and a reload reach the same write count as before; the data version must not
    repeat then, or a cache (or the test pair) takes the new graph for the old one."""
    store = _store(neo4j_engine)
    pair("cycles", embedded_engines, neo4j_engine)
    loaded = store.data_version()
    store.wipe()
    assert int(store.data_version() or 0) > int(loaded or 0)
    neo4j_engine.ingest(DATASETS["cycles"]())
    assert store.data_version() != loaded
    assert pair("cycles", embedded_engines, neo4j_engine).neo4j.stats().entities == 5


def test_a_database_made_again_counts_from_the_clock(neo4j_engine: QueryEngine) -> None:
    """A database without a version (new, or made again under the same address) starts
    from the clock at its first change, not from 1, which an earlier graph there showed."""
    store = _store(neo4j_engine)
    store.wipe()
    store._write(  # noqa: SLF001 - as a database never written to holds no version
        lambda tx: tx.run("MATCH (m:GraphkitMeta {key: 'generation'}) DELETE m").consume(),
        "test",
    )
    assert store.data_version() == "0"
    before = time.time_ns() // 1000
    neo4j_engine.ingest(DATASETS["cycles"]())
    assert before <= int(store.data_version() or 0) <= time.time_ns() // 1000
