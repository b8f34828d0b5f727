"""Offline pictures: no external loads, evidence on every edge, one node per entity."""

from __future__ import annotations

import json
import re

from graphkit.engine import QueryEngine
from graphkit.query import NeighbourhoodRequest, PathsRequest, ReachRequest
from graphkit.viz import network_html
from tests.conftest import TODAY

EXTERNAL_LOAD = re.compile(
    r'(?:src|href)\s*=\s*["\']?(?:https?:)?//|url\(\s*["\']?(?:https?:)?//'
    r"|@import",
    re.I,
)


def _vis_data(page: str, name: str) -> list[dict]:
    match = re.search(name + r" = new vis\.DataSet\((\[.*?\])\);", page, re.S)
    assert match, name
    return json.loads(match.group(1))


def test_reach_page_is_self_contained_and_carries_evidence(seeded: QueryEngine) -> None:
    result = seeded.reach(ReachRequest(target="rotterdam-port-logistics-data", as_of=TODAY))
    page = network_html(result)
    assert not EXTERNAL_LOAD.search(page)
    nodes, edges = _vis_data(page, "nodes"), _vis_data(page, "edges")
    on_paths = {e.id for i in result.items for e in i.path.entities} | {result.target.id}
    assert {n["id"] for n in nodes} == on_paths
    hops = {h.relationship_id: h for i in result.items for h in i.path.hops}
    assert {e["relationship_id"] for e in edges} == set(hops)
    for edge in edges:
        hop = hops[edge["relationship_id"]]
        for ev in hop.evidence:
            assert ev.title in edge["title"] and ev.excerpt in edge["title"]
    assert "Who can reach Rotterdam port logistics data" in page


def test_inactive_edges_are_greyed_and_paths_are_layered(seeded: QueryEngine) -> None:
    hood = seeded.neighbourhood(NeighbourhoodRequest(entity="goldman-sachs", as_of=TODAY))
    (edge,) = _vis_data(network_html(hood), "edges")
    assert edge["color"] == "#bbbbbb"
    paths = seeded.paths(
        PathsRequest(source="cn-government", target="rotterdam-port-logistics-data")
    )
    assert '"hierarchical": {"enabled": true' in network_html(paths)


def test_names_cannot_inject_markup() -> None:
    from graphkit.query import EntityRef, ReachResult
    from graphkit.schema import EntityKind

    target = EntityRef(id="x", kind=EntityKind.COMPANY, name="</script><script>alert(1)</script>")
    page = network_html(
        ReachResult(target=target, as_of=TODAY, total=0, offset=0, limit=10, items=())
    )
    assert "</script><script>alert(1)" not in page
