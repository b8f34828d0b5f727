"""Guarantees every backend keeps: idempotent upserts, all-or-nothing batches, no injection."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData, InvalidQuery
from graphkit.model import Batch, Entity, Evidence, Relationship
from graphkit.query import ReachRequest, SearchRequest
from graphkit.store.neo4j import Neo4jStore
from graphkit.validate import RawRecord
from tests.conformance.datasets import cycles, seed


def _snapshot(eng: QueryEngine) -> tuple:
    stats = eng.stats()
    raw = eng.store.counts() if isinstance(eng.store, Neo4jStore) else None
    return stats.entities, stats.relationships, stats.sources, raw


def test_reingest_changes_nothing(backend: QueryEngine) -> None:
    first = backend.ingest(seed())
    assert first.created == {"sources": 5, "entities": 87, "relationships": 119}
    before = _snapshot(backend)
    again = backend.ingest(seed())
    assert again.unchanged == first.created
    assert sum(again.created.values()) == sum(again.updated.values()) == 0
    assert _snapshot(backend) == before


def test_bad_batch_changes_nothing(backend: QueryEngine) -> None:
    backend.ingest(cycles())
    before = _snapshot(backend)
    with pytest.raises(InvalidData):
        backend.ingest(
            [
                RawRecord("entities", {"id": "fresh", "kind": "Company", "name": "F"}),
                RawRecord("entities", {"id": "a", "kind": "Company", "name": "Renamed"}),
                RawRecord(
                    "relationships",
                    {
                        "type": "OWNS",
                        "source": "fresh",
                        "target": "nowhere",
                        "evidence": [{"source": "doc", "excerpt": "x"}],
                    },
                ),
            ]
        )
    assert _snapshot(backend) == before
    assert backend.entity("a").entity.name == "A"


def test_refusal_inside_the_write_rolls_back(backend: QueryEngine) -> None:
    """A batch that slips past validation but that the store refuses leaves nothing."""
    backend.ingest(cycles())
    before = _snapshot(backend)
    batch = Batch(
        entities=(Entity(id="half", kind="Company", name="Half"),),
        relationships=(
            Relationship(
                id="r-bad",
                type="OWNS",
                source="half",
                target="missing",
                evidence=(Evidence(source="doc", excerpt="x"),),
            ),
        ),
    )
    with pytest.raises(InvalidData):
        backend.store.write(batch)
    assert _snapshot(backend) == before


def test_changed_endpoints_under_the_same_id_move_the_edge(backend: QueryEngine) -> None:
    backend.ingest(cycles())
    rel = {
        "id": "deal",
        "type": "AGREEMENT_WITH",
        "source": "a",
        "target": "t",
        "evidence": [{"source": "doc", "excerpt": "deal"}],
    }
    backend.ingest([RawRecord("relationships", rel)])
    before = _snapshot(backend)
    summary = backend.ingest([RawRecord("relationships", {**rel, "target": "d"})])
    assert summary.updated["relationships"] == 1
    assert _snapshot(backend) == before
    found = backend.reach(ReachRequest(target="d", as_of="2020-01-01", kinds=["Company"]))
    assert "deal" in {h.relationship_id for i in found.items for h in i.path.hops}


def test_a_repeated_id_in_one_batch_is_one_record_and_the_last_wins(
    backend: QueryEngine,
) -> None:
    """New records take a faster create path; a repeat inside the batch must not double them."""
    backend.ingest(cycles())
    before = _snapshot(backend)

    def deal(target: str) -> Relationship:
        twice = (Evidence(source="doc", excerpt="deal"), Evidence(source="doc", excerpt="again"))
        return Relationship(
            id="deal", type="AGREEMENT_WITH", source="a", target=target, evidence=twice
        )

    summary = backend.store.write(Batch(relationships=(deal("t"), deal("d"))))
    assert summary.created["relationships"] == 1
    entities, relationships, sources, raw = _snapshot(backend)
    assert (entities, relationships, sources) == (before[0], before[1] + 1, before[2])
    if raw is not None:
        assert raw == (before[3][0] + 1, before[3][1] + 2)  # claim node; edge, one citation
    (item,) = [
        i
        for i in backend.reach(ReachRequest(target="d", as_of="2020-01-01")).items
        for h in i.path.hops
        if h.relationship_id == "deal"
    ]
    assert item.entity.id == "a"


def test_injection_strings_are_data(backend: QueryEngine) -> None:
    backend.ingest(cycles())
    before = _snapshot(backend)
    evil = "x'}) MATCH (n) DETACH DELETE n //\" ]->() RETURN 1; DROP TABLE entities; --"
    backend.ingest(
        [RawRecord("entities", {"id": "evil", "kind": "Company", "name": evil, "aliases": [evil]})]
    )
    assert _snapshot(backend)[0] == before[0] + 1
    assert backend.entity("evil").entity.name == evil
    hits = backend.search(SearchRequest(text="detach delete"))
    assert [h.entity.id for h in hits.items] == ["evil"]
    with pytest.raises(InvalidQuery):
        backend.reach(ReachRequest(target="a", as_of="2020-01-01", max_depth=99 // 10))
    with pytest.raises(ValidationError):
        ReachRequest(target="a", types=["OWNS]->() DETACH DELETE (n"])  # type: ignore[list-item]


def test_scans_page_through_every_record_in_id_order(backend: QueryEngine) -> None:
    """What whole-store exports read: every record once, in id order, page by page."""
    backend.ingest(seed())
    for scan, total in (
        (backend.store.scan_sources, 5),
        (backend.store.scan_entities, 87),
        (backend.store.scan_relationships, 119),
    ):
        seen: list[str] = []
        after = None
        while page := scan(after, 7):
            assert len(page) <= 7
            seen += [r.id for r in page]
            after = page[-1].id
        assert seen == sorted(seen) and len(set(seen)) == total
    assert backend.store.merge_decisions() == []


def test_identifier_keys_follow_the_entity_they_belong_to(backend: QueryEngine) -> None:
    """A rewritten entity's old keys go; an unchanged one keeps its keys."""

    def acme(lei: str) -> list[RawRecord]:
        return [
            RawRecord(
                "entities",
                {"id": "acme", "kind": "Company", "name": "Acme", "identifiers": {"lei": lei}},
            ),
            RawRecord(
                "entities",
                {
                    "id": "other",
                    "kind": "Company",
                    "name": "Other",
                    "identifiers": {"lei": "OTHER1"},
                },
            ),
        ]

    backend.ingest(acme("OLD1"))
    backend.ingest(acme("NEW1"))
    keys = ["lei:OLD1", "lei:NEW1", "lei:OTHER1"]
    assert backend.store.entities_by_identifier(keys) == {
        "lei:NEW1": ["acme"],
        "lei:OTHER1": ["other"],
    }
