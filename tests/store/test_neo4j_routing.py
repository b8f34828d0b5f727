"""Clusters and Aura are reached through ``neo4j://`` routing URIs: the driver asks the
server for its routing table and sends writes to a leader and reads to followers, with
bookmarks so a read sees the write before it. A single server answers routing too, so the
same code path runs here against the real local server."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import BackendUnavailable
from graphkit.query import ExposureRequest, ReachRequest
from graphkit.settings import Settings
from graphkit.store.neo4j import Neo4jStore
from tests.backends import neo4j_settings, pair
from tests.conformance.datasets import DATASETS

pytestmark = pytest.mark.neo4j

R = "rotterdam-port-logistics-data"


def _routing(settings: Settings) -> Settings:
    """The same server through the routing scheme."""
    parts = urlsplit(settings.neo4j_uri)
    return settings.model_copy(update={"neo4j_uri": f"neo4j://{parts.netloc}"})


@pytest.fixture
def routed(
    embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine
) -> Iterator[tuple[QueryEngine, QueryEngine]]:
    """(embedded engine, an engine on the seed through a ``neo4j://`` URI)."""
    engines = pair("seed", embedded_engines, neo4j_engine)
    settings = _routing(neo4j_settings())
    eng = QueryEngine(Neo4jStore(settings), settings)
    yield engines.embedded, eng
    eng.store.close()


def test_routing_uri_answers_as_the_embedded_engine(
    routed: tuple[QueryEngine, QueryEngine],
) -> None:
    embedded, eng = routed
    assert eng.store.settings.neo4j_uri.startswith("neo4j://")  # type: ignore[attr-defined]
    for req in (
        ReachRequest(target=R, as_of="2020-01-01"),
        ReachRequest(target=R, as_of="2026-11-22", profile="sceptic"),
    ):
        assert eng.reach(req) == embedded.reach(req)
    req_x = ExposureRequest(source="cn-intelligence-services", as_of="2026-11-22", limit=500)
    assert eng.exposure(req_x) == embedded.exposure(req_x)


def test_writes_through_routing_are_idempotent_and_read_back(
    routed: tuple[QueryEngine, QueryEngine],
) -> None:
    _embedded, eng = routed
    before = eng.store.stats()
    summary = eng.ingest(DATASETS["seed"]())  # a write transaction routed to the leader
    assert not any(summary.created.values()) and not any(summary.updated.values())
    assert sum(summary.unchanged.values()) > 0
    after = eng.store.stats()  # a read routed with the write's bookmark
    assert after == before
    # The server holds exactly the seed: every record of it was read back as unchanged.
    assert (after.entities, after.relationships, after.sources) == (
        summary.unchanged["entities"],
        summary.unchanged["relationships"],
        summary.unchanged["sources"],
    )
    assert after.entities > 50


def test_an_unreachable_routing_uri_is_a_clear_error() -> None:
    settings = Settings(backend="neo4j", neo4j_uri="neo4j://127.0.0.1:9", neo4j_password="x")
    with pytest.raises(BackendUnavailable, match=r"cannot reach Neo4j at neo4j://127\.0\.0\.1:9"):
        Neo4jStore(settings)
