"""The filter's three forms agree: the test on one relationship, the mask over the embedded
columns, and the Cypher predicate on Neo4j's stored edges — on random relationships (dates
of every precision, open ends, confidence levels and numbers, dated and undated sources)
under random filters."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.filters import (
    CLAUSES,
    ResolvedFilters,
    column_mask,
    cypher_parameters,
    cypher_predicate,
    rel_passes,
)
from graphkit.model import Batch, Entity, Evidence, Relationship, Source, known_from
from graphkit.schema import Confidence, EntityKind, RelType
from graphkit.store.embedded import EmbeddedStore
from graphkit.store.neo4j import Neo4jStore

TYPES = (RelType.OWNS, RelType.CONTROLS, RelType.SUPPLIES, RelType.AGREEMENT_WITH)
LEVELS = (*Confidence, 0.15, 0.55, 0.9)


def _day(rng: random.Random) -> str:
    """A date at a random precision: year, month or day."""
    d = date(2012, 1, 1) + timedelta(days=rng.randrange(12 * 365))
    return rng.choice((d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]))


def _graph(seed: int, n: int = 240) -> tuple[Batch, dict[str, Source]]:
    rng = random.Random(seed)
    sources = [
        Source(id=f"s{i}", title=f"Source {i}", date=None if i % 4 == 0 else _day(rng))
        for i in range(12)
    ]
    entities = [Entity(id=f"e{i}", kind=EntityKind.COMPANY, name=f"E{i}") for i in range(30)]
    rels = []
    for i in range(n):
        since = _day(rng) if rng.random() < 0.6 else None
        until = _day(rng) if rng.random() < 0.4 else None
        if since and until and until < since:
            since, until = until, since
        evidence = tuple(
            Evidence(
                source=src.id,
                excerpt="said so",
                stance="disputes" if j and rng.random() < 0.3 else "supports",
            )
            for j, src in enumerate(rng.sample(sources, rng.randint(1, 3)))
        )
        a, b = rng.sample(range(30), 2)
        rel_type = rng.choice(TYPES)
        rels.append(
            Relationship(
                id=f"r{i:03d}",
                type=rel_type,
                source=f"e{a}",
                target=f"e{b}",
                share=round(rng.uniform(0.01, 1), 2) if rel_type is RelType.OWNS else None,
                valid_from=since,
                valid_to=until,
                confidence=rng.choice(LEVELS),
                evidence=evidence,
            )
        )
    batch = Batch(sources=tuple(sources), entities=tuple(entities), relationships=tuple(rels))
    return batch, {s.id: s for s in sources}


def _filters(rng: random.Random) -> ResolvedFilters:
    known = rng.random() < 0.6
    return ResolvedFilters(
        as_of=date(2011, 6, 1) + timedelta(days=rng.randrange(14 * 365)),
        known_by=date(2012, 1, 1) + timedelta(days=rng.randrange(12 * 365)) if known else None,
        types=frozenset(rng.sample(TYPES, rng.randint(1, len(TYPES)))),
        min_confidence=rng.choice((None, None, 0.1, 0.5, 0.6, 0.9, 1.0)),
        include_undated=rng.random() < 0.5,
    )


def test_every_clause_has_its_three_forms() -> None:
    assert [c.name for c in CLAUSES] == ["types", "as_of", "min_confidence", "known_by"]
    text = cypher_predicate("rel").text
    for clause in CLAUSES:
        if clause.cypher is not None:
            assert clause.cypher.format(r="rel") in text
    assert set(cypher_parameters(_filters(random.Random(1)))) == {
        "as_of",
        "known_by",
        "include_undated",
        "min_confidence",
    }
    with pytest.raises(ValueError, match="not a Cypher variable"):
        cypher_predicate("r) DETACH DELETE (x")


@pytest.mark.parametrize("seed", [3, 11])
def test_the_record_test_and_the_embedded_mask_agree(tmp_path: Path, seed: int) -> None:
    batch, sources = _graph(seed)
    store = EmbeddedStore(tmp_path / "f.db")
    store.write(batch)
    index = store._ensure_index()  # noqa: SLF001 - the columns the search reads
    by_id = {r.id: r for r in batch.relationships}
    rng = random.Random(seed)
    passed = 0
    for _ in range(150):
        f = _filters(rng)
        mask = column_mask(index.cols, f)
        via_columns = {index.cols.rel_ids[i] for i in mask.nonzero()[0]}
        via_records = {r.id for r in by_id.values() if rel_passes(r, f, known_from(r, sources))}
        assert via_columns == via_records, f
        passed += len(via_records)
    assert 0 < passed < 150 * len(by_id)  # the filters cut, and let through


@pytest.mark.neo4j
def test_the_cypher_predicate_agrees_with_the_record_test(neo4j_engine: QueryEngine) -> None:
    store = neo4j_engine.store
    assert isinstance(store, Neo4jStore)
    store.wipe()
    batch, sources = _graph(5)
    store.write(batch)
    query = (
        "// filter agreement probe\nMATCH ()-[r]->() WHERE type(r) IN $types AND {{filter}} "
        "RETURN r.id AS id"
    )
    text = query.replace("{{filter}}", cypher_predicate().text)
    rng = random.Random(5)
    with store._driver.session(database=store.database) as session:  # noqa: SLF001
        for _ in range(60):
            f = _filters(rng)
            params = {"types": sorted(t.value for t in f.types), **cypher_parameters(f)}
            via_cypher = {row["id"] for row in session.run(text, params)}
            via_records = {
                r.id for r in batch.relationships if rel_passes(r, f, known_from(r, sources))
            }
            assert via_cypher == via_records, f
    store.wipe()
