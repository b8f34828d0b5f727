"""Records as a store keeps them: canonical body plus the derived values queries filter on.

Why: whole-store exports (e.g. Neo4j's bulk importer files) need exactly what a load
writes — body text, search text, identifier keys, edge facts. Building these rows in one
place from the model keeps every backend and export byte-for-byte alike; a store that
already holds them in columns (the embedded one) can hand them out without re-deriving.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from graphkit.identifiers import identifier_keys
from graphkit.model import Entity, Relationship, Source, canonical_json, edge_facts
from graphkit.text import search_text


class SourceRow(NamedTuple):
    id: str
    body: str


class EntityRow(NamedTuple):
    id: str
    kind: str
    name: str
    search: str
    body: str
    keys: tuple[str, ...]  # sorted, each once


class RelationshipRow(NamedTuple):
    id: str
    type: str
    source: str
    target: str
    body: str
    cites: tuple[tuple[str, str], ...]  # (source id, stance), each pair once, in order
    strength: float
    since: str | None
    until: str | None
    confidence: float
    known: str | None
    share: float | None
    conf: str | None  # the confidence level's name; None when it is a number


def source_row(src: Source) -> SourceRow:
    return SourceRow(src.id, canonical_json(src))


def entity_row(ent: Entity) -> EntityRow:
    return EntityRow(
        ent.id,
        ent.kind.value,
        ent.name,
        search_text(ent),
        canonical_json(ent),
        tuple(sorted(set(identifier_keys(ent)))),
    )


def relationship_row(rel: Relationship, sources: Mapping[str, Source]) -> RelationshipRow:
    """``sources`` must hold the relationship's cited sources (their dates make ``known``)."""
    f = edge_facts(rel, sources)
    return RelationshipRow(
        rel.id,
        rel.type.value,
        rel.source,
        rel.target,
        canonical_json(rel),
        cites(rel),
        f["strength"],
        f["since"],
        f["until"],
        f["confidence"],
        f["known"],
        f["share"],
        f["conf"],
    )


def cites(rel: Relationship) -> tuple[tuple[str, str], ...]:
    """The (source, stance) pairs a relationship's evidence cites, each once."""
    return tuple(dict.fromkeys((ev.source, ev.stance.value) for ev in rel.evidence))
