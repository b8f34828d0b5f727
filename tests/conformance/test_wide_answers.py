"""Giant answers agree to the last row: Neo4j's one-statement search against the embedded
engine on a generated graph whose hubs reach over a thousand actors, with every filter, a
profile and both Neo4j plans; and the statement is one round trip whatever the answer."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from neo4j import Transaction

from graphkit.engine import QueryEngine
from graphkit.filters import ResolvedFilters, Traversal
from graphkit.profiles import Profile
from graphkit.query import Filters
from graphkit.schema import RelType
from graphkit.settings import Settings
from graphkit.store.base import GraphStore
from graphkit.store.neo4j import Neo4jStore
from graphkit.traversal import strength_key
from tests.backends import pair

pytestmark = pytest.mark.neo4j

TODAY = date(2026, 11, 22)
WEIGHTS = Profile(
    name="wide-test",
    strengths={"AGREEMENT_WITH": 0.33, "CONTROLS": 0.61, "OWNS": 0.45},
    confidence_factors={"reported": 0.7},
).weights()


def _spec(depth: int = 6, strength: float = 0.0, **filters: Any) -> Traversal:
    weights = filters.pop("weights", None)
    resolved = ResolvedFilters.from_request(Filters(**filters), weights=weights)
    return Traversal(resolved, depth, strength, 120)


#: (anchor, walk inbound, search) — hubs first (the early firms hold the most).
CASES: list[tuple[str, bool, Traversal]] = [
    ("e0", False, _spec(as_of=TODAY)),
    ("e1", False, _spec(as_of=TODAY, weights=WEIGHTS)),
    ("e2", False, _spec(as_of=date(2012, 1, 1))),
    ("e0", False, _spec(3, as_of=TODAY)),
    ("e0", False, _spec(strength=0.01, as_of=TODAY)),
    ("e3", False, _spec(as_of=TODAY, types=[RelType.OWNS, RelType.SUBSIDIARY_OF])),
    ("e0", False, _spec(as_of=TODAY, known_by=date(2020, 6, 1), min_confidence="reported")),
    ("e2999", True, _spec(as_of=TODAY)),
    ("e1500", True, _spec(as_of=TODAY, weights=WEIGHTS)),
    ("e2024", True, _spec(10, as_of=TODAY, types=[RelType.AGREEMENT_WITH, RelType.SUPPLIES])),
]


def _answer(store: GraphStore, anchor: str, inbound: bool, spec: Traversal) -> list[Any]:
    """Every reached actor in rank order, strengths compared as the engines compare them."""
    found = store.best_paths(anchor, inbound=inbound, spec=spec)
    _total, rows = found.ranked(None, 0, 10**9)
    return [(node, strength_key(s), rels) for node, s, rels in rows]


@pytest.fixture(scope="module")
def wide(
    embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine
) -> tuple[GraphStore, Neo4jStore]:
    engines = pair("wide", embedded_engines, neo4j_engine)
    assert isinstance(engines.neo4j.store, Neo4jStore)
    return engines.embedded.store, engines.neo4j.store


@pytest.mark.parametrize(("anchor", "inbound", "spec"), CASES)
def test_giant_answers_are_identical(
    anchor: str, inbound: bool, spec: Traversal, wide: tuple[GraphStore, Neo4jStore]
) -> None:
    embedded, neo4j = wide
    assert _answer(neo4j, anchor, inbound, spec) == _answer(embedded, anchor, inbound, spec)


#: (source, target, k, search) for the k best simple paths, ranked in the server.
PATHS: list[tuple[str, str, int, Traversal]] = [
    ("e0", "e2500", 10, _spec(5, as_of=TODAY)),
    ("e1", "e1800", 5, _spec(5, as_of=TODAY, weights=WEIGHTS)),
    ("e0", "e2999", 20, _spec(6, 0.001, as_of=TODAY)),
    ("e2", "e1200", 3, _spec(4, as_of=date(2012, 1, 1))),
]


@pytest.mark.parametrize(("source", "target", "k", "spec"), PATHS)
def test_k_best_paths_are_identical(
    source: str, target: str, k: int, spec: Traversal, wide: tuple[GraphStore, Neo4jStore]
) -> None:
    embedded, neo4j = wide

    def keyed(store: GraphStore) -> list[tuple[int, tuple[str, ...]]]:
        found = store.k_paths(source, target, k=k, spec=spec)
        return [(strength_key(s), ids) for s, ids in found]

    want = keyed(embedded)
    assert keyed(neo4j) == want


def test_the_path_cases_find_paths(wide: tuple[GraphStore, Neo4jStore]) -> None:
    embedded, _neo4j = wide
    sizes = [len(embedded.k_paths(s, t, k=k, spec=spec)) for s, t, k, spec in PATHS]
    assert sum(1 for n in sizes if n) >= 3, sizes
    assert max(sizes) >= 5, sizes


def test_the_cases_include_giant_answers(wide: tuple[GraphStore, Neo4jStore]) -> None:
    embedded, _neo4j = wide
    sizes = [len(_answer(embedded, a, i, s)) for a, i, s in CASES]
    assert max(sizes) >= 1_000, sizes
    assert sum(1 for n in sizes if n >= 100) >= 6, sizes


def test_the_per_hop_plan_gives_the_same_answers(wide: tuple[GraphStore, Neo4jStore]) -> None:
    embedded, neo4j = wide
    layers = Neo4jStore(neo4j.settings.model_copy(update={"neo4j_traversal": "layers"}))
    try:
        for anchor, inbound, spec in CASES[:3] + CASES[-3:]:
            want = _answer(embedded, anchor, inbound, spec)
            assert _answer(layers, anchor, inbound, spec) == want, anchor
    finally:
        layers.close()


def test_a_giant_search_is_one_statement(
    wide: tuple[GraphStore, Neo4jStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    _embedded, neo4j = wide
    statements: list[str] = []
    run = Transaction.run

    def counted(tx: Transaction, query: str, *args: Any, **kwargs: Any) -> Any:
        statements.append(query)
        return run(tx, query, *args, **kwargs)

    monkeypatch.setattr(Transaction, "run", counted)
    found = neo4j.best_paths("e0", inbound=False, spec=_spec(as_of=TODAY))
    assert len(found.ids()) >= 1_000
    assert len(statements) == 1 and "best path" in statements[0]


def test_a_search_on_no_traversable_type_asks_nothing(
    wide: tuple[GraphStore, Neo4jStore],
) -> None:
    _embedded, neo4j = wide
    spec = _spec(as_of=TODAY, types=[RelType.LOCATED_IN])
    assert neo4j.best_paths("e0", inbound=False, spec=spec).ids() == []


def test_settings_name_the_plan() -> None:
    assert Settings().neo4j_traversal == "statement"
    with pytest.raises(ValueError, match="neo4j_traversal"):
        Settings(neo4j_traversal="fastest")  # type: ignore[arg-type]
