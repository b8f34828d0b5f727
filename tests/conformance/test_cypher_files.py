"""Every Cypher file plans on a real Neo4j (EXPLAIN), so a typo fails here, not in use."""

from __future__ import annotations

import re
from datetime import date

import pytest

from graphkit import cypher
from graphkit.engine import QueryEngine
from graphkit.filters import ResolvedFilters, cypher_predicate
from graphkit.pattern import parse
from graphkit.pattern_cypher import compile_pattern
from graphkit.query import MAX_DEPTH_LIMIT
from graphkit.schema import TRAVERSABLE, EntityKind, RelType
from graphkit.steps_cypher import arc_steps, hop_strength
from graphkit.store.neo4j import Neo4jStore

SAMPLE = {
    "kind": EntityKind.COMPANY,
    "other_kinds": "all",
    "type": RelType.OWNS,
    "label": "Entity",
    "max_depth": 3,
    "filter": cypher_predicate(),
    "steps": arc_steps(TRAVERSABLE, inbound=True),
    "strength": hop_strength("hop"),
    "layers": cypher.Repeat(
        "read/best_paths_layer",
        3,
        {
            "filter": cypher_predicate(),
            "steps": arc_steps(TRAVERSABLE, inbound=False),
            "strength": hop_strength(),
        },
    ),
    # A pattern with every construct: kinds, alternatives, conditions, repetitions.
    "pattern": compile_pattern(
        parse(
            "(StateBody|PartyOrganisation) -[OWNS share>=0.25 | CONTROLS]->+ (Company) "
            "-[]->{0,2} () -[HAS_ACCESS_TO confidence>=reported]-> (DataAsset)"
        ),
        ResolvedFilters(
            as_of=date(2020, 1, 1), known_by=None, types=TRAVERSABLE, min_confidence=None
        ),
        max_depth=4,
        inbound=True,
        to_target=False,
    ),
}

#: Values a file takes on other variables than SAMPLE's.
OVERRIDES = {"gds/project": {"strength": hop_strength()}}

#: Files that are not statements but parts another file repeats, by their host.
FRAGMENTS = {"read/best_paths_layer": "read/best_paths"}


@pytest.mark.neo4j
@pytest.mark.parametrize("name", cypher.names())
def test_cypher_file_plans(name: str, neo4j_engine: QueryEngine) -> None:
    store = neo4j_engine.store
    assert isinstance(store, Neo4jStore)
    if name.startswith("gds/") and store.gds is None:
        pytest.skip("GDS queries plan only on a server with GDS (scripts/test starts one)")
    text = cypher.load(name)
    assert text.startswith("//"), "every file starts with a header comment"
    if name in FRAGMENTS:  # planned where it is written, unrolled in its host
        name = FRAGMENTS[name]
        text = cypher.load(name)
    wanted = set(re.findall(r"\{\{(\w+)\}\}", text))
    sample = {**SAMPLE, **OVERRIDES.get(name, {})}
    rendered = cypher.render(name, **{k: sample[k] for k in wanted})
    params = dict.fromkeys(re.findall(r"\$(\w+)", rendered))
    with store._driver.session(database=store.database) as session:  # noqa: SLF001
        for statement in cypher.split_statements(rendered):
            session.run("EXPLAIN " + statement, params).consume()


def test_render_refuses_names_outside_the_allow_lists() -> None:
    from graphkit.errors import InvalidQuery

    for bad in ({"type": "OWNS|KNOWS"}, {"type": "OWNS]->(x) DELETE x//"}):
        with pytest.raises(InvalidQuery):
            cypher.render("write/upsert_edges", **bad)
    with pytest.raises(InvalidQuery):
        cypher.render(
            "read/simple_paths",
            max_depth=MAX_DEPTH_LIMIT + 1,
            filter=cypher_predicate(),
            strength=hop_strength(),
        )
    with pytest.raises(InvalidQuery):  # a filter is only ever graphkit.filters' own text
        cypher.render("read/expand_from", filter="true) DETACH DELETE (n")
    with pytest.raises(InvalidQuery):
        cypher.render("read/existing", label="Entity) DETACH DELETE (n")
    layer = {
        "filter": cypher_predicate(),
        "steps": arc_steps(TRAVERSABLE, inbound=True),
        "strength": hop_strength(),
    }
    for times in (0, MAX_DEPTH_LIMIT + 1):  # the unrolled search is bounded like any depth
        with pytest.raises(InvalidQuery):
            repeat = cypher.Repeat("read/best_paths_layer", times, layer)
            cypher.render("read/best_paths", layers=repeat)
    with pytest.raises(InvalidQuery):  # steps are only ever typed expansions built here
        cypher.render(
            "read/best_paths",
            layers=cypher.Repeat(
                "read/best_paths_layer", 2, {**layer, "steps": "MATCH (n) DETACH DELETE n"}
            ),
        )
