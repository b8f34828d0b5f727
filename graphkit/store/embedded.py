"""The default backend: one SQLite file (WAL, ACID) plus an in-memory traversal index.

SQLite holds every record as canonical JSON beside the few columns traversal needs; the
index (influence arcs and filter facts, no evidence) is rebuilt from those columns after
each write, so a new user gets answers with no database server installed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel

from graphkit.csr import KINDS, NO_LOWER, NO_UPPER, REL_TYPES, ArcIndex, Columns, day_numbers
from graphkit.errors import BackendUnavailable, InvalidData, Issue
from graphkit.model import Batch, Entity, Relationship, Source, canonical_json, edge_facts
from graphkit.query import IngestSummary, StoreStats
from graphkit.resolve import identifier_keys
from graphkit.schema import EntityKind
from graphkit.semantics import ResolvedFilters
from graphkit.store.base import BestPaths, GraphStore
from graphkit.text import search_text
from graphkit.traversal import Arc, k_best_paths

SCHEMA_VERSION = "1"

_DDL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (id TEXT PRIMARY KEY, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, search TEXT NOT NULL,
    body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS relationships (
    id TEXT PRIMARY KEY, type TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES entities(id),
    target_id TEXT NOT NULL REFERENCES entities(id),
    strength REAL NOT NULL, valid_from TEXT, valid_to TEXT, confidence REAL NOT NULL,
    known_from TEXT, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS relationships_source ON relationships(source_id);
CREATE INDEX IF NOT EXISTS relationships_target ON relationships(target_id);
CREATE TABLE IF NOT EXISTS citations (
    relationship_id TEXT NOT NULL REFERENCES relationships(id),
    source_id TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (relationship_id, source_id));
CREATE INDEX IF NOT EXISTS citations_source ON citations(source_id);
CREATE TABLE IF NOT EXISTS identifiers (
    key TEXT NOT NULL, entity_id TEXT NOT NULL REFERENCES entities(id),
    PRIMARY KEY (key, entity_id));
CREATE TABLE IF NOT EXISTS merges (
    merged_id TEXT PRIMARY KEY, canonical_id TEXT NOT NULL, reason TEXT NOT NULL);
"""

_CHUNK = 500
M = TypeVar("M", bound=BaseModel)


def _chunks(ids: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    for i in ids:
        batch.append(i)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


class EmbeddedStore(GraphStore):
    """SQLite-backed store; safe to share between threads (one lock around the connection).

    Example:
        >>> store = EmbeddedStore(":memory:")
        >>> store.stats().entities
        0
    """

    backend = "embedded"

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys=ON")
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA cache_size=-262144")
            self._db.executescript(_DDL)
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        except sqlite3.Error as exc:
            raise BackendUnavailable(f"cannot open embedded store {self.path!r}: {exc}") from exc
        self._lock = threading.RLock()
        self._index: ArcIndex | None = None

    # ------------------------------------------------------------------ writes
    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")
            finally:
                self._index = None

    def _existing(self, table: str, ids: list[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(f"SELECT id, body FROM {table} WHERE id IN ({marks})", chunk)
            found.update(rows.fetchall())
        return found

    def write(self, batch: Batch) -> IngestSummary:
        counts: dict[str, dict[str, int]] = {"created": {}, "updated": {}, "unchanged": {}}
        try:
            with self._transaction() as db:
                sources = {s.id: s for s in batch.sources}
                stored = self._existing("sources", list(sources))
                self._upsert(
                    db,
                    "sources",
                    batch.sources,
                    stored,
                    counts,
                    "INSERT INTO sources (id, body) VALUES (?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET body=excluded.body",
                    lambda s, body: (s.id, body),
                )
                self._upsert(
                    db,
                    "entities",
                    batch.entities,
                    self._existing("entities", [e.id for e in batch.entities]),
                    counts,
                    "INSERT INTO entities (id, kind, name, search, body) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                    "kind=excluded.kind, name=excluded.name, search=excluded.search, "
                    "body=excluded.body",
                    lambda e, body: (e.id, e.kind.value, e.name, search_text(e), body),
                )
                ent_ids = [e.id for e in batch.entities]
                for chunk in _chunks(ent_ids):
                    marks = ",".join("?" * len(chunk))
                    db.execute(f"DELETE FROM identifiers WHERE entity_id IN ({marks})", chunk)
                db.executemany(
                    "INSERT OR IGNORE INTO identifiers VALUES (?, ?)",
                    [(k, e.id) for e in batch.entities for k in identifier_keys(e)],
                )
                cited = {ev.source for r in batch.relationships for ev in r.evidence}
                all_sources = sources | self._load("sources", Source, set(cited) - set(sources))
                rels = batch.relationships
                self._upsert(
                    db,
                    "relationships",
                    rels,
                    self._existing("relationships", [r.id for r in rels]),
                    counts,
                    "INSERT INTO relationships (id, type, source_id, target_id, "
                    "strength, valid_from, valid_to, confidence, known_from, body) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE "
                    "SET type=excluded.type, source_id=excluded.source_id, "
                    "target_id=excluded.target_id, strength=excluded.strength, "
                    "valid_from=excluded.valid_from, valid_to=excluded.valid_to, "
                    "confidence=excluded.confidence, known_from=excluded.known_from, "
                    "body=excluded.body",
                    lambda r, body: _rel_row(r, body, all_sources),
                )
                for chunk in _chunks([r.id for r in rels]):
                    marks = ",".join("?" * len(chunk))
                    db.execute(f"DELETE FROM citations WHERE relationship_id IN ({marks})", chunk)
                db.executemany(
                    "INSERT OR IGNORE INTO citations VALUES (?, ?)",
                    [(r.id, ev.source) for r in rels for ev in r.evidence],
                )
        except sqlite3.IntegrityError as exc:
            raise InvalidData(
                [
                    Issue(
                        file=None,
                        record=None,
                        field=None,
                        message=f"store refused the batch: {exc}",
                    )
                ]
            ) from exc
        return IngestSummary(**counts)

    @staticmethod
    def _upsert(
        db: sqlite3.Connection,
        table: str,
        objs: Sequence[Any],
        stored: dict[str, str],
        counts: dict[str, dict[str, int]],
        sql: str,
        row: Any,
    ) -> None:
        rows = []
        for key in ("created", "updated", "unchanged"):
            counts[key].setdefault(table, 0)
        for obj in objs:
            body = canonical_json(obj)
            before = stored.get(obj.id)
            if before == body:
                counts["unchanged"][table] += 1
                continue
            counts["created" if before is None else "updated"][table] += 1
            rows.append(row(obj, body))
        db.executemany(sql, rows)

    # ------------------------------------------------------------------ lookups
    def _load(self, table: str, model: type[M], ids: Iterable[str]) -> dict[str, M]:
        out: dict[str, M] = {}
        with self._lock:
            for chunk in _chunks(dict.fromkeys(ids)):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT id, body FROM {table} WHERE id IN ({marks})", chunk
                ).fetchall()
                out.update((i, model.model_validate_json(body)) for i, body in rows)
        return out

    def entity_kinds(self, ids: Iterable[str]) -> dict[str, EntityKind]:
        out: dict[str, EntityKind] = {}
        with self._lock:
            for chunk in _chunks(dict.fromkeys(ids)):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT id, kind FROM entities WHERE id IN ({marks})", chunk
                )
                out.update((i, EntityKind(k)) for i, k in rows)
        return out

    def source_ids(self, ids: Iterable[str]) -> set[str]:
        out: set[str] = set()
        with self._lock:
            for chunk in _chunks(dict.fromkeys(ids)):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(f"SELECT id FROM sources WHERE id IN ({marks})", chunk)
                out.update(i for (i,) in rows)
        return out

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        return self._load("entities", Entity, ids)

    def relationships(self, ids: Iterable[str]) -> dict[str, Relationship]:
        return self._load("relationships", Relationship, ids)

    def sources(self, ids: Iterable[str]) -> dict[str, Source]:
        return self._load("sources", Source, ids)

    def incident(self, ids: Iterable[str], limit: int) -> list[Relationship]:
        found: dict[str, str] = {}
        with self._lock:
            for chunk in _chunks(dict.fromkeys(ids)):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT id, body FROM relationships WHERE source_id IN ({marks}) "
                    f"UNION SELECT id, body FROM relationships WHERE target_id IN ({marks}) "
                    "ORDER BY id LIMIT ?",
                    [*chunk, *chunk, limit],
                )
                found.update(rows.fetchall())
        return [Relationship.model_validate_json(found[i]) for i in sorted(found)[:limit]]

    def relationship_count(self, entity_id: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM relationships WHERE source_id = ? OR target_id = ?",
                (entity_id, entity_id),
            ).fetchone()
        return int(row[0])

    def search_candidates(self, tokens: list[str], limit: int) -> list[Entity]:
        # instr() is an exact substring test (LIKE would read % and _ in names as wildcards).
        where = " AND ".join("instr(search, ?) > 0" for _ in tokens) or "1"
        with self._lock:
            rows = self._db.execute(
                f"SELECT body FROM entities WHERE {where} ORDER BY id LIMIT ?", [*tokens, limit]
            ).fetchall()
        return [Entity.model_validate_json(body) for (body,) in rows]

    # ------------------------------------------------------------------ traversal
    def _ensure_index(self) -> ArcIndex:
        with self._lock:
            if self._index is None:
                self._index = ArcIndex.build(self._columns())
            return self._index

    def _columns(self) -> Columns:
        """Traversal columns straight from SQLite, numbered in id order."""
        db = self._db
        node_rows = db.execute("SELECT id, kind FROM entities ORDER BY id").fetchall()
        node_ids = [i for i, _k in node_rows]
        kind_code = {k.value: c for c, k in enumerate(KINDS)}
        type_code = {t.value: c for c, t in enumerate(REL_TYPES)}
        number = {node: i for i, node in enumerate(node_ids)}
        rows = db.execute(
            "SELECT id, type, source_id, target_id, strength, valid_from, valid_to, "
            "confidence, known_from FROM relationships ORDER BY id"
        ).fetchall()
        cols = list(zip(*rows, strict=True)) if rows else [()] * 9
        return Columns(
            node_ids=node_ids,
            node_kind=np.array([kind_code[k] for _i, k in node_rows], dtype=np.int8),
            rel_ids=list(cols[0]),
            rel_type=np.array([type_code[t] for t in cols[1]], dtype=np.int8),
            rel_source=np.array([number[x] for x in cols[2]], dtype=np.int32),
            rel_target=np.array([number[x] for x in cols[3]], dtype=np.int32),
            strength=np.array(cols[4], dtype=np.float64),
            since=day_numbers(cols[5], NO_LOWER),
            until=day_numbers(cols[6], NO_UPPER),
            confidence=np.array(cols[7], dtype=np.float64),
            known=day_numbers(cols[8], NO_LOWER),
        )

    def best_paths(
        self,
        anchor: str,
        *,
        inbound: bool,
        max_depth: int,
        min_strength: float,
        filters: ResolvedFilters,
        time_budget: float,
    ) -> BestPaths:
        return self._ensure_index().best_paths(
            anchor,
            inbound=inbound,
            max_depth=max_depth,
            min_strength=min_strength,
            filters=filters,
            time_budget=time_budget,
        )

    def k_paths(
        self,
        source: str,
        target: str,
        *,
        k: int,
        max_depth: int,
        min_strength: float,
        filters: ResolvedFilters,
        time_budget: float,
    ) -> list[tuple[float, tuple[str, ...]]]:
        found = k_best_paths(
            self._ensure_index().view(filters),
            source,
            target,
            k=k,
            max_depth=max_depth,
            min_strength=min_strength,
            time_budget=time_budget,
        )
        return [(s, tuple(a.rel_id for a in arcs)) for s, arcs in found]

    def influence_arcs(self, filters: ResolvedFilters, time_budget: float) -> list[Arc]:
        return self._ensure_index().arcs(filters)

    # ------------------------------------------------------------------ resolution
    def entities_by_identifier(self, keys: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        with self._lock:
            for chunk in _chunks(dict.fromkeys(keys)):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT key, entity_id FROM identifiers WHERE key IN ({marks}) "
                    "ORDER BY key, entity_id",
                    chunk,
                )
                for key, eid in rows:
                    out.setdefault(key, []).append(eid)
        return out

    def merges(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT merged_id, canonical_id FROM merges"))

    def record_merge(self, merged: str, canonical: str, reason: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO merges VALUES (?, ?, ?) ON CONFLICT(merged_id) DO UPDATE "
                "SET canonical_id=excluded.canonical_id, reason=excluded.reason",
                (merged, canonical, reason),
            )
            # Earlier merges into the merged entity now point at the new canonical one.
            db.execute(
                "UPDATE merges SET canonical_id = ? WHERE canonical_id = ?", (canonical, merged)
            )

    def delete_entity(self, entity_id: str) -> None:
        try:
            with self._transaction() as db:
                db.execute("DELETE FROM identifiers WHERE entity_id = ?", (entity_id,))
                db.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
        except sqlite3.IntegrityError as exc:
            raise InvalidData(
                [Issue(None, entity_id, None, f"relationships still touch this entity: {exc}")]
            ) from exc

    def scan_entities(self, after: str | None, limit: int) -> list[Entity]:
        with self._lock:
            rows = self._db.execute(
                "SELECT body FROM entities WHERE id > ? ORDER BY id LIMIT ?", (after or "", limit)
            ).fetchall()
        return [Entity.model_validate_json(body) for (body,) in rows]

    # ------------------------------------------------------------------ admin
    def stats(self) -> StoreStats:
        with self._lock:
            counts = [
                self._db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("entities", "relationships", "sources")
            ]
        return StoreStats(
            backend=self.backend, entities=counts[0], relationships=counts[1], sources=counts[2]
        )

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _rel_row(rel: Relationship, body: str, sources: dict[str, Source]) -> tuple[Any, ...]:
    f = edge_facts(rel, sources)
    return (
        rel.id,
        rel.type.value,
        rel.source,
        rel.target,
        f["strength"],
        f["since"],
        f["until"],
        f["confidence"],
        f["known"],
        body,
    )
