"""The default backend: one SQLite file (WAL, ACID) plus an in-memory traversal index.

SQLite holds every record as canonical JSON beside the few columns traversal needs; the
index (influence arcs and filter facts, no evidence) is rebuilt from those columns after
each write, so a new user gets answers with no database server installed.
"""

from __future__ import annotations

import inspect
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial, wraps
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import orjson
from pydantic import BaseModel

from graphkit.csr import (
    CONF_LEVELS,
    KINDS,
    ArcIndex,
    Columns,
    columns_from_blobs,
    columns_to_blobs,
    day_numbers,
)
from graphkit.errors import BackendUnavailable, InvalidData, Issue
from graphkit.filters import NO_LOWER, NO_UPPER, REL_TYPES, ResolvedFilters, Traversal
from graphkit.identifiers import identifier_keys
from graphkit.idtable import IdTable
from graphkit.model import (
    Batch,
    Entity,
    Relationship,
    Source,
    Stance,
    canonical_json,
    edge_facts,
)
from graphkit.pattern import HopFacts, Pattern
from graphkit.pattern import search as search_pattern
from graphkit.query import IngestSummary, StoreStats
from graphkit.schema import Confidence, EntityKind, confidence_factor, fingerprint
from graphkit.store.base import BestPaths, GraphStore, first_generation
from graphkit.store.rows import EntityRow, RelationshipRow, SourceRow
from graphkit.text import search_text
from graphkit.traversal import Arc, k_best_paths

#: Storage layout of the file (tables and columns); a store of another layout is refused.
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
CREATE TABLE IF NOT EXISTS citations (
    relationship_id TEXT NOT NULL REFERENCES relationships(id),
    source_id TEXT NOT NULL REFERENCES sources(id),
    PRIMARY KEY (relationship_id, source_id));
CREATE TABLE IF NOT EXISTS identifiers (
    key TEXT NOT NULL, entity_id TEXT NOT NULL REFERENCES entities(id),
    PRIMARY KEY (key, entity_id));
-- Rewriting an entity replaces its keys: without this, each write scanned every key.
CREATE INDEX IF NOT EXISTS identifiers_entity ON identifiers(entity_id);
CREATE TABLE IF NOT EXISTS index_snapshot (name TEXT PRIMARY KEY, data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS merges (
    merged_id TEXT PRIMARY KEY, canonical_id TEXT NOT NULL, reason TEXT NOT NULL);
"""

#: Indexes only lookups use (writes find rows by primary key), so a first load may build
#: them at the end (:meth:`EmbeddedStore.bulk`); opening a store always makes sure they exist.
_LOOKUP_INDEXES = {
    "relationships_source": "ON relationships(source_id)",
    "relationships_target": "ON relationships(target_id)",
    "citations_source": "ON citations(source_id)",
}
_DDL += "".join(f"CREATE INDEX IF NOT EXISTS {n} {on};\n" for n, on in _LOOKUP_INDEXES.items())

#: SQLite's page cache (KiB, as the negative PRAGMA value): lookups and writes; a scan that
#: reads a table once runs with :data:`_SCAN_CACHE_KIB` (see :meth:`EmbeddedStore._scan_cache`).
_CACHE_KIB = -262144
_SCAN_CACHE_KIB = -4096
_FETCH = 100_000
M = TypeVar("M", bound=BaseModel)
R = TypeVar("R", Source, Entity, Relationship)
_S = TypeVar("_S")
#: How long a write waits for another process's write lock before the store reports busy.
BUSY_SECONDS = 5.0


def _utf8(value: object) -> bool:
    """Whether ``value`` is not text, or text that UTF-8 can encode."""
    if not isinstance(value, str):
        return True
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


_BUSY = ("locked", "busy")


def _busy_is_unavailable(cls: type[_S]) -> type[_S]:
    """Translate SQLite's "database is locked/busy" (another process holds the write lock
    past the busy timeout) into :class:`BackendUnavailable` on every public method, so
    callers see a retryable outage instead of a driver error."""

    def wrap(fn: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(fn)
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return fn(*args, **kwargs)
            except sqlite3.OperationalError as exc:
                if any(word in str(exc).lower() for word in _BUSY):
                    raise BackendUnavailable(
                        "the embedded store is busy: another process is writing to it; "
                        "retry in a moment"
                    ) from exc
                raise

        return call

    for name, member in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(member):
            setattr(cls, name, wrap(member))
    return cls


#: A confidence level's code in the traversal columns; a number is -1 (its value is kept).
_CONF_CODES = {c.value: i for i, c in enumerate(CONF_LEVELS)}


def _conf_code(value: object) -> int:
    """``json_extract`` of a record's confidence: a level's name, a number, or nothing (the
    default level, left out of the canonical record)."""
    if value is None:
        return _CONF_CODES[Confidence.REPORTED.value]
    if isinstance(value, str):
        return _CONF_CODES[value]
    return -1


@_busy_is_unavailable
class EmbeddedStore(GraphStore):
    """SQLite-backed store; safe to share between threads (one lock around the connection).

    Example:
        >>> store = EmbeddedStore(":memory:")
        >>> store.stats().entities
        0
    """

    backend = "embedded"
    inserts_rows = True

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS
            )
            self._db.execute("PRAGMA foreign_keys=ON")
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA cache_size={_CACHE_KIB}")
            self._db.executescript(_DDL)
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
            self._db.execute(
                "INSERT OR IGNORE INTO meta VALUES ('generation', ?)", (str(first_generation()),)
            )
            layout = self._meta("schema_version")
        except sqlite3.Error as exc:
            raise BackendUnavailable(f"cannot open embedded store {self.path!r}: {exc}") from exc
        if layout != SCHEMA_VERSION:
            self._db.close()
            raise BackendUnavailable(
                f"embedded store {self.path!r} has storage layout {layout!r}; this graphkit "
                f"reads layout {SCHEMA_VERSION!r} (upgrade graphkit, or reload the data)"
            )
        self._lock = threading.RLock()
        self._index: ArcIndex | None = None
        self._index_generation = ""
        self._checked = 0.0
        self._closed = False
        self._check_fingerprint()

    def _meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _check_fingerprint(self) -> None:
        """Re-derive stored values when the schema table changed since they were written
        (a new relationship type anywhere in the enum, a changed strength)."""
        stored = self._meta("schema_fingerprint")
        try:
            self._follow_schema(stored, f"embedded store {self.path}")
        except sqlite3.Error as exc:
            self._db.close()
            raise BackendUnavailable(
                f"embedded store {self.path!r} was written under another schema table "
                f"(fingerprint {stored}, this graphkit {fingerprint()}) and cannot be "
                f"re-derived here ({exc}); run `graphkit reindex` where the file is writable"
            ) from exc

    def reindex(self) -> int:
        # Strength and confidence columns come from the schema table; the saved index numbers
        # kinds and types by their position in it. Both are rebuilt from the stored records.
        count, after = 0, ""
        with self._transaction() as db:
            while rows := db.execute(
                "SELECT id, body FROM relationships WHERE id > ? ORDER BY id LIMIT ?",
                (after, _FETCH),
            ).fetchall():
                rels = [Relationship.model_validate_json(body) for _, body in rows]
                db.executemany(
                    "UPDATE relationships SET strength = ?, confidence = ? WHERE id = ?",
                    [(r.strength, confidence_factor(r.confidence), r.id) for r in rels],
                )
                count += len(rows)
                after = rows[-1][0]
            db.execute("DELETE FROM index_snapshot")
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('schema_fingerprint', ?)", (fingerprint(),)
            )
            self._bump(db)
        return count

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

    @staticmethod
    def _bump(db: sqlite3.Connection) -> None:
        """Move the generation on: a saved index snapshot no longer matches the data."""
        db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def _for_ids(
        self, sql: str, ids: Iterable[str], *, times: int = 1, tail: Sequence[object] = ()
    ) -> Iterator[Any]:
        """The rows of ``sql`` for every id. ``{marks}`` in ``sql`` stands for the ids (used
        ``times`` times); ``tail`` follows them. The caller holds the lock.

        The ids travel as one JSON array that ``json_each`` reads, in one statement: asked
        500 placeholders at a time (SQLite caps their number), preparing each statement cost
        more than the lookups (100k ids: 0.13 s against 0.3–0.5 s). Text that is not UTF-8 (a
        lone surrogate) cannot be sent to SQLite at all, and no stored id is such text: it
        is left out of the question.
        """
        unique = list(dict.fromkeys(ids))
        try:
            array = orjson.dumps(unique)
        except orjson.JSONEncodeError:
            unique = [i for i in unique if _utf8(i)]
            array = orjson.dumps(unique)
        if not unique:
            return
        marks = "SELECT value FROM json_each(?)"
        yield from self._db.execute(sql.format(marks=marks), [*[array.decode()] * times, *tail])

    def _delete_in(self, table: str, column: str, ids: list[str]) -> None:
        """Delete the rows whose ``column`` is one of ``ids`` (inside the caller's
        transaction; table and column are this module's own names)."""
        sql = f"DELETE FROM {table} WHERE {column} IN ({{marks}})"
        for _row in self._for_ids(sql, ids):
            pass  # a DELETE returns no rows; iterating runs it

    def _existing(self, table: str, ids: list[str]) -> dict[str, str]:
        return dict(self._for_ids(f"SELECT id, body FROM {table} WHERE id IN ({{marks}})", ids))

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Into an empty store, build the lookup indexes once at the end (a sort) instead of
        row by row: a first load of millions of relationships then spends its time writing
        rows, not in B-tree inserts at random places. A store that already holds
        relationships keeps its indexes up to date as usual."""
        with self._lock:
            empty = self._db.execute("SELECT NOT EXISTS (SELECT 1 FROM relationships)")
            deferred = bool(empty.fetchone()[0])
            if deferred:
                for name in _LOOKUP_INDEXES:
                    self._db.execute(f"DROP INDEX IF EXISTS {name}")
        try:
            yield
        finally:
            if deferred and not self._closed:  # a closed store rebuilds them on reopen
                with self._lock:
                    for name, ddl in _LOOKUP_INDEXES.items():
                        self._db.execute(f"CREATE INDEX IF NOT EXISTS {name} {ddl}")

    def write(self, batch: Batch) -> IngestSummary:
        counts: dict[str, dict[str, int]] = {"created": {}, "updated": {}, "unchanged": {}}
        try:
            with self._transaction() as db:
                sources = {s.id: s for s in batch.sources}
                self._upsert(
                    db,
                    "sources",
                    batch.sources,
                    counts,
                    "INSERT INTO sources (id, body) VALUES (?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET body=excluded.body",
                    lambda s, body: (s.id, body),
                )
                ents, rewritten_ents = self._upsert(
                    db,
                    "entities",
                    batch.entities,
                    counts,
                    "INSERT INTO entities (id, kind, name, search, body) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                    "kind=excluded.kind, name=excluded.name, search=excluded.search, "
                    "body=excluded.body",
                    lambda e, body: (e.id, e.kind.value, e.name, search_text(e), body),
                )
                # Identifier keys of written entities only (unchanged ones keep theirs).
                self._delete_in("identifiers", "entity_id", [e.id for e in rewritten_ents])
                db.executemany(
                    "INSERT OR IGNORE INTO identifiers VALUES (?, ?)",
                    [(k, e.id) for e in ents for k in identifier_keys(e)],
                )
                cited = {ev.source for r in batch.relationships for ev in r.evidence}
                missing = sorted(set(cited) - set(sources))
                all_sources = sources | self._load("sources", Source, missing)
                rels = batch.relationships
                written, rewritten = self._upsert(
                    db,
                    "relationships",
                    rels,
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
                # Citations of every written relationship, rewritten in full for updated ones.
                self._delete_in("citations", "relationship_id", [r.id for r in rewritten])
                db.executemany(
                    "INSERT OR IGNORE INTO citations VALUES (?, ?)",
                    [(r.id, ev.source) for r in written for ev in r.evidence],
                )
                if any(counts["created"].values()) or any(counts["updated"].values()):
                    self._bump(db)
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

    def insert_new(
        self,
        sources: Sequence[SourceRow],
        entities: Sequence[EntityRow],
        relationships: Sequence[RelationshipRow],
    ) -> IngestSummary | None:
        # The rows and their order are :meth:`write`'s for the same records into a store
        # without them (sorted by id, keys and citations in record order), so the file holds
        # the same rows either way; a primary key already taken rolls everything back.
        srcs = sorted(sources, key=itemgetter(0))
        ents = sorted(entities, key=itemgetter(0))
        rels = sorted(relationships, key=itemgetter(0))
        try:
            with self._transaction() as db:
                db.executemany("INSERT INTO sources (id, body) VALUES (?, ?)", srcs)
                db.executemany(
                    "INSERT INTO entities (id, kind, name, search, body) VALUES (?, ?, ?, ?, ?)",
                    [(e.id, e.kind, e.name, e.search, e.body) for e in ents],
                )
                db.executemany(
                    "INSERT OR IGNORE INTO identifiers VALUES (?, ?)",
                    [(k, e.id) for e in ents for k in e.keys],
                )
                db.executemany(
                    "INSERT INTO relationships (id, type, source_id, target_id, strength, "
                    "valid_from, valid_to, confidence, known_from, body) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (r.id, r.type, r.source, r.target, r.strength, r.since, r.until)
                        + (r.confidence, r.known, r.body)
                        for r in rels
                    ],
                )
                db.executemany(
                    "INSERT OR IGNORE INTO citations VALUES (?, ?)",
                    [(r.id, src) for r in rels for src, _stance in r.cites],
                )
                if srcs or ents or rels:
                    self._bump(db)
        except sqlite3.IntegrityError:
            return None
        zero = {"sources": 0, "entities": 0, "relationships": 0}
        created = {"sources": len(srcs), "entities": len(ents), "relationships": len(rels)}
        return IngestSummary(created=created, updated=zero, unchanged=dict(zero))

    def _upsert(
        self,
        db: sqlite3.Connection,
        table: str,
        objs: Sequence[R],
        counts: dict[str, dict[str, int]],
        sql: str,
        row: Callable[[R, str], tuple[Any, ...]],
    ) -> tuple[list[R], list[R]]:
        """Write the records that differ from what is stored, in id order (B-tree inserts
        then land near each other); returns the written records and, of those, the ones
        that were already stored."""
        for key in ("created", "updated", "unchanged"):
            counts[key].setdefault(table, 0)
        stored = self._existing(table, [o.id for o in objs])
        rows = []
        written: list[R] = []
        rewritten: list[R] = []
        for obj in sorted(objs, key=attrgetter("id")):
            body = canonical_json(obj)
            before = stored.get(obj.id)
            if before == body:
                counts["unchanged"][table] += 1
                continue
            counts["created" if before is None else "updated"][table] += 1
            rows.append(row(obj, body))
            written.append(obj)
            if before is not None:
                rewritten.append(obj)
        db.executemany(sql, rows)
        return written, rewritten

    # ------------------------------------------------------------------ lookups
    def _load(self, table: str, model: type[M], ids: Iterable[str]) -> dict[str, M]:
        with self._lock:
            rows = list(self._for_ids(f"SELECT id, body FROM {table} WHERE id IN ({{marks}})", ids))
        return {i: model.model_validate_json(body) for i, body in rows}

    def entity_kinds(self, ids: Iterable[str]) -> dict[str, EntityKind]:
        with self._lock:
            rows = list(self._for_ids("SELECT id, kind FROM entities WHERE id IN ({marks})", ids))
        return {i: EntityKind(k) for i, k in rows}

    def source_ids(self, ids: Iterable[str]) -> set[str]:
        with self._lock:
            return {
                i for (i,) in self._for_ids("SELECT id FROM sources WHERE id IN ({marks})", ids)
            }

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        return self._load("entities", Entity, ids)

    def relationships(self, ids: Iterable[str]) -> dict[str, Relationship]:
        return self._load("relationships", Relationship, ids)

    def sources(self, ids: Iterable[str]) -> dict[str, Source]:
        return self._load("sources", Source, ids)

    def incident(self, ids: Iterable[str], limit: int) -> list[Relationship]:
        with self._lock:
            found = dict(
                self._for_ids(
                    "SELECT id, body FROM relationships WHERE source_id IN ({marks}) "
                    "UNION SELECT id, body FROM relationships WHERE target_id IN ({marks}) "
                    "ORDER BY id LIMIT ?",
                    ids,
                    times=2,
                    tail=[limit],
                )
            )
        return [Relationship.model_validate_json(found[i]) for i in sorted(found)[:limit]]

    def name_table(self) -> list[tuple[str, str]]:
        with self._lock:
            return [(i, t) for i, t in self._db.execute("SELECT id, search FROM entities")]

    def data_version(self) -> str | None:
        with self._lock:
            return self._generation()

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
    #: How often (seconds) a reader looks whether another process wrote the file.
    FRESHNESS_CHECK = 0.1

    def _ensure_index(self) -> ArcIndex:
        with self._lock:
            now = time.monotonic()
            if self._index is not None and now - self._checked >= self.FRESHNESS_CHECK:
                # Another process (a load beside a running service) may have written: its
                # commit moves the generation on, and the index is rebuilt from the file.
                self._checked = now
                if self._generation() != self._index_generation:
                    self._index = None
            if self._index is None:
                self._index_generation = self._generation()
                cols = self._snapshot()
                if cols is None:
                    with self._scan_cache():
                        cols = self._columns()
                    self._save_snapshot(cols)
                self._index = ArcIndex.build(cols)
                self._checked = time.monotonic()
            return self._index

    def _index_for(self, *ids: str) -> ArcIndex:
        """The index, rebuilt at once when it lacks an entity the file holds (written by
        another process since the last freshness check)."""
        index = self._ensure_index()
        if all(i in index.node_ids for i in ids):
            return index
        with self._lock:
            self._index = None
        return self._ensure_index()

    def _generation(self) -> str:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return str(row[0])

    def _snapshot(self) -> Columns | None:
        """The traversal columns saved after the last write, if still current (opening a
        large store then reads a few blobs instead of every row)."""
        marks = dict(
            self._db.execute(
                "SELECT name, data FROM index_snapshot WHERE name IN ('generation', 'fingerprint')"
            )
        )
        if marks.get("generation") != self._generation().encode():
            return None
        if marks.get("fingerprint") != fingerprint().encode():
            return None  # kinds and types are numbered by their place in the schema table
        try:  # one blob at a time: a large store's columns never sit in memory twice
            with self._scan_cache():
                return columns_from_blobs(self._db.execute("SELECT name, data FROM index_snapshot"))
        except (KeyError, ValueError, OSError):
            return None  # an unreadable snapshot is rebuilt, never trusted

    @contextmanager
    def _scan_cache(self) -> Iterator[None]:
        """A small page cache while a table is read once from end to end (the index's
        columns). Read through the full cache, a million-node store's snapshot left ~200 MB
        of pages in the heap after the columns were made from them; the caller holds the
        lock."""
        self._db.execute(f"PRAGMA cache_size={_SCAN_CACHE_KIB}")
        try:
            yield
        finally:
            self._db.execute("PRAGMA shrink_memory")
            self._db.execute(f"PRAGMA cache_size={_CACHE_KIB}")

    def _save_snapshot(self, cols: Columns) -> None:
        if self.path == ":memory:":
            return
        blobs = columns_to_blobs(cols)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute("DELETE FROM index_snapshot")
            self._db.executemany(
                "INSERT INTO index_snapshot VALUES (?, ?)",
                [
                    *blobs.items(),
                    ("generation", self._generation().encode()),
                    ("fingerprint", fingerprint().encode()),
                ],
            )
            self._db.execute("COMMIT")
        except sqlite3.Error:  # read-only file or busy writer: answer anyway, save later
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")

    def _columns(self) -> Columns:
        """Traversal columns straight from SQLite, numbered in id order.

        Rows arrive in chunks turned into arrays at once (never the whole table as Python
        tuples), so a million-node store opens in seconds and peaks low.
        """
        db = self._db
        kind_code = {k.value: c for c, k in enumerate(KINDS)}
        type_code = {t.value: c for c, t in enumerate(REL_TYPES)}
        node_ids: list[str] = []
        kinds: list[npt.NDArray[np.int8]] = []
        cur = db.execute("SELECT id, kind FROM entities ORDER BY id")
        while chunk := cur.fetchmany(_FETCH):
            ids, kind = zip(*chunk, strict=True)
            node_ids.extend(ids)
            kinds.append(np.array([kind_code[k] for k in kind], dtype=np.int8))
        number = {node: i for i, node in enumerate(node_ids)}  # for this build only
        parts: list[list[Any]] = [[] for _ in range(11)]
        # Share and confidence level come from the record (a profile weighs them again).
        cur = db.execute(
            "SELECT id, type, source_id, target_id, strength, valid_from, valid_to, "
            "confidence, known_from, json_extract(body, '$.share'), "
            "json_extract(body, '$.confidence') FROM relationships ORDER BY id"
        )
        while chunk := cur.fetchmany(_FETCH):
            col = list(zip(*chunk, strict=True))
            parts[0].extend(col[0])
            parts[1].append(np.array([type_code[t] for t in col[1]], dtype=np.int8))
            parts[2].append(np.array([number[x] for x in col[2]], dtype=np.int32))
            parts[3].append(np.array([number[x] for x in col[3]], dtype=np.int32))
            parts[4].append(np.array(col[4], dtype=np.float64))
            parts[5].append(day_numbers(col[5], NO_LOWER))
            parts[6].append(day_numbers(col[6], NO_UPPER))
            parts[7].append(np.array(col[7], dtype=np.float64))
            parts[8].append(day_numbers(col[8], NO_LOWER))
            parts[9].append(np.array([np.nan if x is None else x for x in col[9]], np.float64))
            parts[10].append(np.array([_conf_code(x) for x in col[10]], dtype=np.int8))
        empty = {1: np.int8, 2: np.int32, 3: np.int32, 4: np.float64, 5: np.int32}
        empty |= {6: np.int32, 7: np.float64, 8: np.int32, 9: np.float64, 10: np.int8}

        def joined(i: int) -> Any:
            return np.concatenate(parts[i]) if parts[i] else np.zeros(0, dtype=empty[i])

        del number
        return Columns(
            node_ids=IdTable.from_sorted(node_ids),
            node_kind=np.concatenate(kinds) if kinds else np.zeros(0, dtype=np.int8),
            rel_ids=IdTable.from_sorted(parts[0]),
            rel_type=joined(1),
            rel_source=joined(2),
            rel_target=joined(3),
            strength=joined(4),
            since=joined(5),
            until=joined(6),
            confidence=joined(7),
            known=joined(8),
            share=joined(9),
            conf_kind=joined(10),
        )

    def best_paths(
        self,
        anchor: str,
        *,
        inbound: bool,
        spec: Traversal,
    ) -> BestPaths:
        return self._index_for(anchor).best_paths(
            anchor,
            inbound=inbound,
            max_depth=spec.max_depth,
            min_strength=spec.min_strength,
            filters=spec.filters,
            time_budget=spec.time_budget,
        )

    def k_paths(
        self,
        source: str,
        target: str,
        *,
        k: int,
        spec: Traversal,
    ) -> list[tuple[float, tuple[str, ...]]]:
        found = k_best_paths(
            self._index_for(source, target).view(spec.filters),
            source,
            target,
            k=k,
            max_depth=spec.max_depth,
            min_strength=spec.min_strength,
            time_budget=spec.time_budget,
        )
        return [(s, tuple(a.rel_id for a in arcs)) for s, arcs in found]

    def pattern_paths(
        self,
        anchor: str,
        pattern: Pattern,
        *,
        inbound: bool,
        spec: Traversal,
        target: str | None = None,
    ) -> dict[str, list[tuple[float, tuple[str, ...]]]]:
        index = self._index_for(anchor, *([target] if target else []))
        view, cols = index.view(spec.filters), index.cols

        def kind(node: str) -> EntityKind:
            i = view.number(node)
            if i is None:
                raise KeyError(node)
            return KINDS[int(cols.node_kind[i])]

        def facts(rel_id: str) -> HopFacts:
            i = view.rel_number(rel_id)
            share = float(cols.share[i])
            return HopFacts(
                REL_TYPES[int(cols.rel_type[i])],
                None if share != share else share,  # NaN: not recorded
                float(cols.confidence[i]),
            )

        return search_pattern(
            pattern.reversed() if inbound else pattern,
            anchor,
            inbound=inbound,
            arcs=view.arcs_into if inbound else view.arcs_from,
            facts=facts,
            kind=kind,
            max_depth=spec.max_depth,
            min_strength=spec.min_strength,
            time_budget=spec.time_budget,
            target=target,
        )

    def influence_arcs(self, filters: ResolvedFilters, time_budget: float) -> list[Arc]:
        return self._ensure_index().arcs(filters)

    # ------------------------------------------------------------------ resolution
    def entities_by_identifier(self, keys: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        with self._lock:
            rows = list(
                self._for_ids(
                    "SELECT key, entity_id FROM identifiers WHERE key IN ({marks}) "
                    "ORDER BY key, entity_id",
                    keys,
                )
            )
        for key, eid in rows:
            out.setdefault(key, []).append(eid)
        return out

    def merges(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT merged_id, canonical_id FROM merges"))

    def merged_into(self, entity_id: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT canonical_id FROM merges WHERE merged_id = ?", (entity_id,)
            ).fetchone()
        return None if row is None else str(row[0])

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
            self._bump(db)

    def delete_entity(self, entity_id: str) -> None:
        try:
            with self._transaction() as db:
                db.execute("DELETE FROM identifiers WHERE entity_id = ?", (entity_id,))
                db.execute("DELETE FROM entities WHERE id = ?", (entity_id,))
                self._bump(db)
        except sqlite3.IntegrityError as exc:
            raise InvalidData(
                [Issue(None, entity_id, None, f"relationships still touch this entity: {exc}")]
            ) from exc

    def scan_entities(self, after: str | None, limit: int) -> list[Entity]:
        return self._scan("entities", Entity, after, limit)

    def scan_relationships(self, after: str | None, limit: int) -> list[Relationship]:
        return self._scan("relationships", Relationship, after, limit)

    def scan_sources(self, after: str | None, limit: int) -> list[Source]:
        return self._scan("sources", Source, after, limit)

    def _scan(self, table: str, model: type[M], after: str | None, limit: int) -> list[M]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT body FROM {table} WHERE id > ? ORDER BY id LIMIT ?", (after or "", limit)
            ).fetchall()
        return [model.model_validate_json(body) for (body,) in rows]

    def opener(self) -> Callable[[], GraphStore] | None:
        return None if self.path == ":memory:" else partial(EmbeddedStore, self.path)

    def export_split(self, parts: int) -> tuple[Callable[[], GraphStore], list[str]] | None:
        opener = self.opener()
        if opener is None:
            return None
        with self._lock:
            (total,) = self._db.execute("SELECT COUNT(*) FROM relationships").fetchone()
            cuts = [
                self._db.execute(
                    "SELECT id FROM relationships ORDER BY id LIMIT 1 OFFSET ?",
                    (total * k // parts,),
                ).fetchone()
                for k in range(1, parts)
            ]
        return opener, [c[0] for c in cuts if c]

    # Exports read what a write stored in columns (made by the same search-text, identifier
    # key and edge-fact functions as the default rows), so no record is parsed again.
    def source_rows(self, after: str | None, limit: int) -> list[SourceRow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, body FROM sources WHERE id > ? ORDER BY id LIMIT ?",
                (after or "", limit),
            ).fetchall()
        return [SourceRow(*r) for r in rows]

    def entity_rows(self, after: str | None, limit: int) -> list[EntityRow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, kind, name, search, body FROM entities WHERE id > ? "
                "ORDER BY id LIMIT ?",
                (after or "", limit),
            ).fetchall()
            keys: dict[str, list[str]] = {}
            if rows:
                for key, eid in self._db.execute(
                    "SELECT key, entity_id FROM identifiers WHERE entity_id BETWEEN ? AND ? "
                    "ORDER BY entity_id, key",
                    (rows[0][0], rows[-1][0]),
                ):
                    keys.setdefault(eid, []).append(key)
        return [
            EntityRow(eid, kind, name, search, body, tuple(keys.get(eid, ())))
            for eid, kind, name, search, body in rows
        ]

    def relationship_rows(self, after: str | None, limit: int) -> list[RelationshipRow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, type, source_id, target_id, body, strength, valid_from, valid_to, "
                "confidence, known_from FROM relationships WHERE id > ? ORDER BY id LIMIT ?",
                (after or "", limit),
            ).fetchall()
        supports = Stance.SUPPORTS.value  # the default, left out of canonical bodies
        out = []
        reported = Confidence.REPORTED.value  # likewise
        for rid, rtype, src, tgt, body, *facts in rows:
            record = orjson.loads(body)
            evidence = record["evidence"]
            pairs = [(ev["source"], ev.get("stance", supports)) for ev in evidence]
            if len(pairs) > 1:  # most claims cite one document once
                pairs = list(dict.fromkeys(pairs))
            level = record.get("confidence", reported)
            conf = level if isinstance(level, str) else None
            strength, since, until, confidence, known = facts
            out.append(
                RelationshipRow(
                    rid,
                    rtype,
                    src,
                    tgt,
                    body,
                    tuple(pairs),
                    strength,
                    since,
                    until,
                    confidence,
                    known,
                    record.get("share"),
                    conf,
                )
            )
        return out

    def merge_decisions(self) -> list[tuple[str, str, str]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT merged_id, canonical_id, reason FROM merges ORDER BY merged_id"
            ).fetchall()
        return [(m, c, r) for m, c, r in rows]

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
            self._closed = True


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
