"""The contract every storage backend fulfils.

Backends provide durable writes, lookups by id and the traversal primitives (which return
paths as relationship ids); :mod:`graphkit.engine` turns those into ranked, explained answers,
so scoring and wording are written once.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from graphkit.errors import InvalidQuery
from graphkit.filters import ResolvedFilters, Traversal
from graphkit.model import Batch, Entity, Relationship, Source
from graphkit.pattern import Pattern
from graphkit.query import IngestSummary, StoreStats
from graphkit.schema import EntityKind, fingerprint
from graphkit.store.rows import (
    EntityRow,
    RelationshipRow,
    SourceRow,
    entity_row,
    relationship_row,
    source_row,
)
from graphkit.traversal import STRENGTH_SCALE, Arc, strength_key

#: One ranked answer row: node id, path strength, relationship ids from the anchor outward.
Ranked = tuple[str, float, tuple[str, ...]]

log = logging.getLogger("graphkit.store")


def first_generation() -> int:
    """The data version a new graph starts counting from: the clock, in microseconds.

    Why: a permalink names a data version to say whether an answer may have changed since.
    A store made again from scratch (a deleted file, a new import, a wiped database) that
    counted from zero again would reach versions an earlier graph showed, and a citation of
    that graph would take the new data for the old. Starting from the clock, a new graph's
    versions lie above every version of a graph made before it (unless that graph saw more
    writes than microseconds passed between the two).
    """
    return time.time_ns() // 1000


class BestPaths(Protocol):
    """The best path to every node one search reached, ranked on demand.

    A giant answer may hold most of the graph; callers ask for a page, so a backend can rank
    and rebuild paths for that page only.
    """

    def ids(self) -> list[str]:
        """Every reached node (the anchor excluded)."""
        ...

    def ranked(
        self, kinds: Iterable[EntityKind] | None, offset: int, limit: int
    ) -> tuple[int, list[Ranked]]:
        """How many reached nodes have one of ``kinds`` (all when ``None``), and the rows
        ``offset`` to ``offset + limit`` ordered strongest first, then fewest hops, then id."""
        ...


@dataclass
class PathMap:
    """:class:`BestPaths` over a plain dict, for backends that hold every path anyway."""

    paths: Mapping[str, tuple[float, tuple[str, ...]]]
    kinds_of: Callable[[Iterable[str]], Mapping[str, EntityKind]]

    def ids(self) -> list[str]:
        return list(self.paths)

    def ranked(
        self, kinds: Iterable[EntityKind] | None, offset: int, limit: int
    ) -> tuple[int, list[Ranked]]:
        chosen = list(self.paths)
        if kinds is not None:
            allowed = set(kinds)
            kind_of = self.kinds_of(chosen)
            chosen = [n for n in chosen if kind_of[n] in allowed]

        def order(n: str) -> tuple[int, int, str]:
            s, ids = self.paths[n]
            return (-strength_key(s), len(ids), n)

        chosen.sort(key=order)
        page = chosen[offset : offset + limit]
        return len(chosen), [(n, *self.paths[n]) for n in page]


@dataclass
class PathColumns:
    """:class:`BestPaths` over parallel columns (id, kind, strength, path) a server returned
    in no particular order: ranked once, on first use, by one vectorised sort on the same key
    as :class:`PathMap` (strength at 1e-12, hops, id), so the kinds need no second query."""

    node_ids: list[str]
    kinds: list[str]
    strengths: list[float]
    rels: list[tuple[str, ...]]
    _order: list[int] | None = None

    def ids(self) -> list[str]:
        return list(self.node_ids)

    def _ranked_rows(self) -> list[int]:
        if self._order is None:
            n = len(self.node_ids)
            # np.rint rounds half to even, like strength_key's round(); exact below 2**53.
            keys = -np.rint(np.asarray(self.strengths, dtype=np.float64) * STRENGTH_SCALE)
            hops = np.fromiter(map(len, self.rels), dtype=np.int64, count=n)
            names = np.asarray(self.node_ids, dtype=np.str_)  # code-point order, as str
            self._order = np.lexsort((names, hops, keys)).tolist() if n else []
        return self._order

    def ranked(
        self, kinds: Iterable[EntityKind] | None, offset: int, limit: int
    ) -> tuple[int, list[Ranked]]:
        chosen = self._ranked_rows()
        if kinds is not None:
            allowed = {k.value for k in kinds}
            chosen = [i for i in chosen if self.kinds[i] in allowed]
        page = chosen[offset : offset + limit]
        return len(chosen), [(self.node_ids[i], self.strengths[i], self.rels[i]) for i in page]


class GraphStore(ABC):
    """A durable graph of entities, relationships and sources."""

    backend: str = "abstract"
    #: Whether :meth:`insert_new` writes rows (the plain-record path of a load); a writer
    #: does not prepare rows for a store that would refuse them.
    inserts_rows: bool = False

    # ------------------------------------------------------------------ writes
    @abstractmethod
    def write(self, batch: Batch) -> IngestSummary:
        """Upsert a validated batch in one transaction: all of it or none of it.

        Upserts are keyed on stable ids, so writing the same batch twice changes nothing.
        Endpoints and cited sources must exist in the batch or the store.

        Raises:
            InvalidData: a relationship refers to something that does not exist.
        """

    def insert_new(
        self,
        sources: Sequence[SourceRow],
        entities: Sequence[EntityRow],
        relationships: Sequence[RelationshipRow],
    ) -> IngestSummary | None:
        """Insert rows of records the store does not hold yet, in one transaction, as
        :meth:`write` would store them (the columnar path of a first load: no model is built
        and no stored row is read). Endpoints and cited sources are known to exist.

        Returns None, having written nothing, when a record is already stored (the caller
        then writes the batch through :meth:`write`, which tells new, updated and unchanged
        apart) or when the backend has no such path.
        """
        return None

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """A run of many :meth:`write` calls (a large load); each write keeps its own
        all-or-nothing transaction. Backends may defer index upkeep to the end of the run.
        """
        yield

    # ------------------------------------------------------------------ lookups
    @abstractmethod
    def entity_kinds(self, ids: Iterable[str]) -> dict[str, EntityKind]:
        """Kinds of the given entity ids that exist (validation needs only this)."""

    @abstractmethod
    def source_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of the given source ids that exist."""

    @abstractmethod
    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        """Entities by id; missing ids are absent from the result."""

    @abstractmethod
    def relationships(self, ids: Iterable[str]) -> dict[str, Relationship]:
        """Relationships by id; missing ids are absent from the result."""

    @abstractmethod
    def sources(self, ids: Iterable[str]) -> dict[str, Source]:
        """Sources by id; missing ids are absent from the result."""

    @abstractmethod
    def incident(self, ids: Iterable[str], limit: int) -> list[Relationship]:
        """Relationships of any type touching the given entities, ordered by id, at most
        ``limit`` (neighbourhood views show bans and warnings too)."""

    @abstractmethod
    def relationship_count(self, entity_id: str) -> int:
        """How many relationships touch an entity."""

    @abstractmethod
    def search_candidates(self, tokens: list[str], limit: int) -> list[Entity]:
        """Entities whose normalised name or alias contains every token (a superset of
        the final hits; scoring happens above the store)."""

    @abstractmethod
    def name_table(self) -> list[tuple[str, str]]:
        """Every entity's id and normalised search text (``id | name | aliases``), for
        typo-tolerant search (the engine keeps it per :meth:`data_version`)."""

    def data_version(self) -> str | None:
        """A token that changes whenever the stored data changes, or ``None`` when the store
        cannot tell (caches then expire by time)."""
        return None

    # ------------------------------------------------------------------ traversal
    @abstractmethod
    def best_paths(
        self,
        anchor: str,
        *,
        inbound: bool,
        spec: Traversal,
    ) -> BestPaths:
        """The best influence path between ``anchor`` and every node within ``max_depth``.

        ``inbound=True`` finds who reaches the anchor; ``False`` what the anchor reaches.
        Ties follow :func:`graphkit.traversal.path_key`.

        Raises:
            BoundExceeded: the traversal ran past ``time_budget``.
        """

    @abstractmethod
    def k_paths(
        self,
        source: str,
        target: str,
        *,
        k: int,
        spec: Traversal,
    ) -> list[tuple[float, tuple[str, ...]]]:
        """The ``k`` best simple paths from source to target, in canonical order."""

    @abstractmethod
    def pattern_paths(
        self,
        anchor: str,
        pattern: Pattern,
        *,
        inbound: bool,
        spec: Traversal,
        target: str | None = None,
    ) -> dict[str, list[tuple[float, tuple[str, ...]]]]:
        """Every simple path of at most ``max_depth`` hops that ``pattern`` (in influence
        order) admits, starting at ``anchor`` (ending there when ``inbound``), grouped by the
        entity at the other end (only ``target``, when given), strongest first in canonical
        order, relationship ids from the anchor outward."""

    @abstractmethod
    def influence_arcs(self, filters: ResolvedFilters, time_budget: float) -> list[Arc]:
        """Every influence arc that passes the filters, ordered by relationship id then
        direction (whole-graph analytics: centrality, brokers)."""

    # ------------------------------------------------------------------ resolution
    @abstractmethod
    def entities_by_identifier(self, keys: Iterable[str]) -> dict[str, list[str]]:
        """Entity ids holding each identifier key (``scheme:value``, see graphkit.resolve)."""

    @abstractmethod
    def merges(self) -> dict[str, str]:
        """Every recorded merge: merged entity id → canonical id."""

    def merged_into(self, entity_id: str) -> str | None:
        """The entity ``entity_id`` was merged into, if it was (stores override this with a
        single lookup; :meth:`merges` reads every decision)."""
        return self.merges().get(entity_id)

    @abstractmethod
    def record_merge(self, merged: str, canonical: str, reason: str) -> None:
        """Remember that ``merged`` is ``canonical``, so re-ingest keeps the decision."""

    @abstractmethod
    def delete_entity(self, entity_id: str) -> None:
        """Remove an entity that no relationship touches any more (after a merge)."""

    @abstractmethod
    def scan_entities(self, after: str | None, limit: int) -> list[Entity]:
        """Entities in id order after ``after`` (for whole-store reports)."""

    @abstractmethod
    def scan_relationships(self, after: str | None, limit: int) -> list[Relationship]:
        """Relationships in id order after ``after`` (for whole-store exports)."""

    @abstractmethod
    def scan_sources(self, after: str | None, limit: int) -> list[Source]:
        """Sources in id order after ``after`` (for whole-store exports)."""

    @abstractmethod
    def merge_decisions(self) -> list[tuple[str, str, str]]:
        """Every recorded merge as (merged id, canonical id, reason), by merged id."""

    def read_cypher(
        self, query: str, params: dict[str, Any], limit: int, time_budget: float
    ) -> tuple[list[str], list[list[Any]], bool]:
        """Run a researcher's read-only Cypher: columns, at most ``limit`` rows as JSON values,
        and whether more matched (see :mod:`graphkit.readonly_cypher`)."""
        raise InvalidQuery(
            "read-only Cypher needs the Neo4j backend (GRAPHKIT_BACKEND=neo4j and NEO4J_URI); "
            "the embedded store answers the graph's questions through reach, exposure, "
            "paths and the research commands",
            parameter="query",
        )

    def _follow_schema(self, stored: str | None, name: str) -> None:
        """On opening: re-derive what was stored under another schema table (``stored`` is
        the fingerprint the store recorded), and say so in the log."""
        if stored == fingerprint():
            return
        count = self.reindex()
        if count:
            log.warning(
                "%s was written under schema %s; re-derived %d relationships for schema %s",
                name,
                stored or "(unrecorded)",
                count,
                fingerprint(),
            )

    @abstractmethod
    def reindex(self) -> int:
        """Recompute every stored value derived from the schema table (strengths, confidence
        ranks, saved indexes) from the stored records, and record the table's fingerprint.
        Stores do this by themselves when they open under a changed table; returns how many
        relationships were re-derived."""

    def opener(self) -> Callable[[], GraphStore] | None:
        """A picklable function that opens this same store in another process (whole-graph
        analyses and parallel exports run there); ``None`` when it cannot be shared."""
        return None

    def export_split(self, parts: int) -> tuple[Callable[[], GraphStore], list[str]] | None:
        """How other processes may open this store, and the ``parts - 1`` relationship ids
        that cut its relationships into ``parts`` ranges of about equal size (each range
        ends at its cut id), so an export can write the ranges in parallel. ``None`` (the
        default) when the store cannot be shared that way."""
        return None

    def source_rows(self, after: str | None, limit: int) -> list[SourceRow]:
        """Sources as stored, in id order after ``after`` (whole-store exports)."""
        return [source_row(s) for s in self.scan_sources(after, limit)]

    def entity_rows(self, after: str | None, limit: int) -> list[EntityRow]:
        """Entities as stored — body, search text, identifier keys — in id order."""
        return [entity_row(e) for e in self.scan_entities(after, limit)]

    def relationship_rows(self, after: str | None, limit: int) -> list[RelationshipRow]:
        """Relationships as stored — body, citations, edge facts — in id order."""
        rels = self.scan_relationships(after, limit)
        sources = self.sources({ev.source for r in rels for ev in r.evidence})
        return [relationship_row(r, sources) for r in rels]

    # ------------------------------------------------------------------ admin
    @abstractmethod
    def stats(self) -> StoreStats:
        """Counts of entities, relationships and sources."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and files."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
