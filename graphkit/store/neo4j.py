"""The Neo4j backend: the same contract as the embedded store, over the official driver.

Transactions retry transient errors (briefly when the server is unreachable, so outages are
prompt 503s); sessions are always closed; every driver error is translated into a graphkit
error here, so none escapes.
Reach and exposure run in the database as one statement (``cypher/read/best_paths.cypher``):
the layered search of :mod:`graphkit.traversal` written in Cypher, with its order (strength
at 1e-12, hops, relationship ids) and each hop's strength computed as the embedded engine
does, so both backends give the same paths; only the answer travels. The setting
``neo4j_traversal=layers`` keeps the older plan (one statement per hop, best paths kept
here). Works with ``bolt://``, ``neo4j://`` and ``neo4j+s://`` (clusters, Aura) alike.
A server's Graph Data Science library is detected when first asked
(:mod:`graphkit.store.neo4j_gds` says what it is used for, and why not for the answers).
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import cached_property, partial
from typing import Any, TypeVar

from neo4j import READ_ACCESS, WRITE_ACCESS, GraphDatabase, Transaction
from neo4j import exceptions as neo4j_errors
from pydantic import BaseModel

from graphkit import cypher
from graphkit.errors import (
    BackendUnavailable,
    BoundExceeded,
    GraphkitError,
    InvalidData,
    InvalidQuery,
    Issue,
)
from graphkit.filters import ResolvedFilters, Traversal, cypher_parameters, cypher_predicate
from graphkit.identifiers import identifier_keys
from graphkit.model import Batch, Entity, Relationship, Source, canonical_json, edge_facts
from graphkit.pattern import Pattern
from graphkit.pattern_cypher import compile_pattern
from graphkit.profiles import Weights, cypher_weights
from graphkit.query import MAX_DEPTH_LIMIT, IngestSummary, StoreStats
from graphkit.readonly_cypher import check_plan, plain
from graphkit.schema import (
    Confidence,
    EntityKind,
    RelType,
    confidence_factor,
    fingerprint,
    influence_arcs,
)
from graphkit.settings import Settings
from graphkit.steps_cypher import arc_steps, flow_types, hop_strength
from graphkit.store.base import BestPaths, GraphStore, PathColumns, PathMap, first_generation
from graphkit.store.neo4j_gds import GdsProjection, detect_version
from graphkit.store.rows import cites
from graphkit.text import search_text
from graphkit.traversal import Arc, best_paths_layered, path_key

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

#: Rows per UNWIND statement: large enough to amortise round trips, small enough for memory.
BATCH_ROWS = 5_000
#: Seconds to wait for indexes to come online when a store connects (a bulk import of
#: millions of records builds them then; an ordinary start finds them online at once).
SCHEMA_WAIT = 900
#: Seconds after an outage during which requests fail at once (see Neo4jStore._guarded).
OUTAGE_COOLDOWN = 2.0
#: Most candidate paths a pattern search may return before it is refused as too broad.
MAX_PATH_ROWS = 200_000
#: Backoff between attempts of a retried transaction (seconds, doubling up to the cap).
RETRY_FIRST_DELAY = 0.1
RETRY_MAX_DELAY = 1.0


log = logging.getLogger(__name__)

#: The error a server raises when a transaction would use more memory than it may.
MEMORY_CODE = "Neo.TransientError.General.MemoryPoolOutOfMemoryError"


#: The limit a transaction has of its own; the others are pools all transactions share.
OWN_LIMIT = "db.memory.transaction.max"


def _memory_limit(exc: BaseException) -> str | None:
    """The memory limit a refused transaction passed, as the server names it, or ``None``
    when the error is not about memory. Either its own limit (:data:`OWN_LIMIT`) or a pool
    all transactions share (``db.memory.transaction.total.max``,
    ``dbms.memory.transaction.total.max``; Aura always has one, sized by the instance)."""
    if not isinstance(exc, neo4j_errors.Neo4jError) or exc.code != MEMORY_CODE:
        return None
    named = re.search(r"([\w.]+) threshold reached", exc.message or "")
    return named.group(1) if named else "transaction memory"


def _retry_memory(exc: BaseException, allowed: bool) -> bool:
    """Whether a memory refusal may be retried: only a shared pool frees up (the server
    calls both kinds transient, but a transaction past its own limit passes it again on
    every retry), and only when the caller has no plan that needs less (``allowed``)."""
    limit = _memory_limit(exc)
    return limit is None or (allowed and limit != OWN_LIMIT)


def _memory_bound(what: str, writing: bool, limit: str) -> BoundExceeded:
    """What to tell a user whose query or batch passed the server's memory ``limit``."""
    allows = f"the Neo4j server allows ({limit})"
    more = "give the server more transaction memory"
    if writing and what == "ingest":
        return BoundExceeded(
            f"the batch needs more memory than {allows}; nothing of it was written. Load in "
            f"smaller batches (graphkit load --batch-size) or {more}.",
            bound="memory",
        )
    if writing:  # a merge, a deletion: one transaction by design
        return BoundExceeded(
            f"{what} needs more memory than {allows}; nothing was changed. To do it, {more}.",
            bound="memory",
        )
    return BoundExceeded(
        f"{what} needs more memory than {allows}; narrow the query (smaller max_depth, fewer "
        f"types, a higher min_strength) or {more}.",
        bound="memory",
    )


@contextmanager
def _translated(what: str, writing: bool = False) -> Iterator[None]:
    """Turn driver errors into graphkit errors, keeping the cause."""
    try:
        yield
    except GraphkitError:
        raise
    except (
        neo4j_errors.ServiceUnavailable,
        neo4j_errors.SessionExpired,
        neo4j_errors.AuthError,
    ) as exc:
        raise BackendUnavailable(f"Neo4j is unavailable during {what}: {exc}") from exc
    except neo4j_errors.ClientError as exc:
        code = exc.code or ""
        if "TransactionTimedOut" in code or "Terminated" in code:
            raise BoundExceeded(
                f"{what} ran past its time budget in Neo4j; narrow the query "
                "(smaller max_depth, fewer types, a higher min_strength).",
                bound="time",
            ) from exc
        if "ConstraintValidationFailed" in code:
            raise InvalidData([Issue(None, None, None, f"Neo4j refused the batch: {exc}")]) from exc
        raise GraphkitError(f"Neo4j refused {what}: {exc.message or exc}") from exc
    except neo4j_errors.Neo4jError as exc:
        limit = _memory_limit(exc)
        if limit is not None:  # the server is up: the work is too big for its memory
            raise _memory_bound(what, writing, limit) from exc
        raise BackendUnavailable(f"Neo4j failed during {what}: {exc}") from exc
    except neo4j_errors.DriverError as exc:
        raise BackendUnavailable(f"Neo4j failed during {what}: {exc}") from exc


#: Flow parameters a compiled pattern does not use (its steps name their types).
_FLOWS = ("forward", "reverse", "both")


def _weigh(
    weights: Weights, rel_type: str, share: float | None, conf: str | None, number: float
) -> float:
    """An edge's strength under a profile, from the facts the edge carries (the level's
    name, or the confidence number when there is none)."""
    level: Confidence | float = Confidence(conf) if conf is not None else float(number)
    return weights.weigh(RelType(rel_type), share, level)


def _path_strength(row: Mapping[str, Any], weights: Weights | None) -> float:
    """A returned path's strength: the product of its stored hop strengths, or of the
    profile's weights of its hops' facts."""
    strength = 1.0
    if weights is None:
        for s in row["strengths"]:
            strength *= float(s)
    else:
        for rel_type, share, conf, number in row["facts"]:
            strength *= _weigh(weights, rel_type, share, conf, number)
    return strength


def _bump(tx: Transaction) -> None:
    """Count one more change to the data, inside the writing transaction; the first change
    of a database starts from the clock (see :func:`graphkit.store.base.first_generation`)."""
    tx.run(cypher.load("write/bump_generation"), first=first_generation()).consume()


def _chunks(rows: Sequence[T], size: int = BATCH_ROWS) -> Iterator[Sequence[T]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` on a Neo4j 5 server, configured from ``NEO4J_*`` settings."""

    backend = "neo4j"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.database = settings.neo4j_database
        self._down_until = 0.0
        auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
        try:
            self._driver = GraphDatabase.driver(
                settings.neo4j_uri,
                auth=auth,
                # Retries are ours (see _transact); connecting and taking a pooled
                # connection give up quickly so an outage is a prompt 503.
                max_transaction_retry_time=0.0,
                connection_timeout=settings.neo4j_connect_seconds,
                connection_acquisition_timeout=settings.neo4j_connect_seconds,
                # "property key does not exist" is normal on a new or partial graph; other
                # notices (deprecations, performance) still reach the log.
                notifications_disabled_classifications=["UNRECOGNIZED"],
            )
            self._driver.verify_connectivity()
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, ValueError) as exc:
            raise BackendUnavailable(
                f"cannot reach Neo4j at {settings.neo4j_uri}: {exc}. Start a local server with "
                "`scripts/neo4j-local start` or set NEO4J_URI."
            ) from exc
        self.ensure_schema()
        self._check_fingerprint()

    @cached_property
    def gds(self) -> str | None:
        """The server's Graph Data Science version, or ``None`` where it has none: asked
        once, when first wanted (a store opened for one analysis never pays for it)."""
        version = detect_version(self._rows)
        if version:
            log.info("Neo4j at %s has Graph Data Science %s", self.settings.neo4j_uri, version)
        return version

    def opener(self) -> Callable[[], GraphStore] | None:
        return partial(Neo4jStore, self.settings)

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def _guarded(self, what: str, writing: bool = False) -> Iterator[None]:
        """Driver errors translated, with a short circuit breaker: after the server was
        found unreachable, requests for the next few seconds are answered at once instead of
        each waiting out the driver's retries (a service under load stays responsive)."""
        if time.monotonic() < self._down_until:
            raise BackendUnavailable(
                f"Neo4j was unreachable moments ago during {what}; retry in a few seconds"
            )
        try:
            with _translated(what, writing):
                yield
        except BackendUnavailable:
            self._down_until = time.monotonic() + OUTAGE_COOLDOWN
            raise

    def _transact(
        self,
        mode: str,
        work: Callable[[Transaction], T],
        timeout: float | None,
        retry_memory: bool = True,
    ) -> T:
        """Run ``work`` in one explicit transaction, retried here rather than by the driver.

        Why not ``execute_read``: the driver retries an unreachable server as long as a
        deadlock, so each request would wait out ``neo4j_retry_seconds`` before its 503.
        Here transient errors (deadlocks, leader switches) retry for that long, while an
        unreachable server retries only for ``neo4j_unavailable_seconds``. Sessions share the
        driver's bookmark manager, so a read after a write sees it on a cluster too.
        """
        started = time.monotonic()
        delay = RETRY_FIRST_DELAY
        while True:
            try:
                with (
                    self._driver.session(
                        database=self.database,
                        default_access_mode=mode,
                        bookmark_manager=self._driver.execute_query_bookmark_manager,
                    ) as session,
                    session.begin_transaction(timeout=timeout) as tx,
                ):
                    result = work(tx)
                    tx.commit()
                    return result
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
                if not exc.is_retryable() or not _retry_memory(exc, retry_memory):
                    raise
                unreachable = isinstance(
                    exc, neo4j_errors.ServiceUnavailable | neo4j_errors.SessionExpired
                )
                budget = (
                    self.settings.neo4j_unavailable_seconds
                    if unreachable
                    else self.settings.neo4j_retry_seconds
                )
                if time.monotonic() - started + delay > budget:
                    raise
                time.sleep(delay)
                delay = min(delay * 2, RETRY_MAX_DELAY)

    def _read(
        self,
        work: Callable[[Transaction], T],
        what: str,
        timeout: float | None = None,
        retry_memory: bool = True,
    ) -> T:
        with self._guarded(what):
            return self._transact(READ_ACCESS, work, timeout, retry_memory)

    def _write(self, work: Callable[[Transaction], T], what: str) -> T:
        with self._guarded(what, writing=True):
            return self._transact(WRITE_ACCESS, work, None)

    def _rows(
        self, query: str, what: str, timeout: float | None = None, **params: Any
    ) -> list[dict[str, Any]]:
        def work(tx: Transaction) -> list[dict[str, Any]]:
            return tx.run(query, params).data()

        return self._read(work, what, timeout)

    def ensure_schema(self) -> None:
        """Create constraints and indexes if missing (idempotent), and wait until they are
        online: on a bulk-imported graph they are built now, and a search run before the
        text index is ready would scan every entity."""
        with _translated("schema set-up"), self._driver.session(database=self.database) as s:
            for statement in cypher.statements("schema/constraints"):
                s.run(statement).consume()
            s.run(cypher.load("admin/await_indexes"), seconds=SCHEMA_WAIT).consume()

    def wipe(self) -> None:
        """Delete everything in the database (tests and explicit resets only). The data
        version moves on rather than starting again (to the clock, see
        :func:`graphkit.store.base.first_generation`): a cache or a permalink that named an
        earlier version must not take the next graph for the one it saw."""
        before = int(self.data_version() or 0)
        with _translated("wipe"), self._driver.session(database=self.database) as s:
            for statement in cypher.statements("admin/wipe"):
                s.run(statement).consume()
        self._set_meta("schema_fingerprint", fingerprint())
        self._set_meta("generation", str(max(before + 1, first_generation())))

    def data_version(self) -> str | None:
        # An import carries its store's version; a database never written to (or imported
        # by an earlier graphkit) has none yet: version 0 until its first write.
        return self._meta("generation") or "0"

    def _meta(self, key: str) -> str | None:
        rows = self._rows(cypher.load("read/meta"), "bookkeeping", key=key)
        return str(rows[0]["value"]) if rows else None

    def _set_meta(self, key: str, value: str) -> None:
        query = cypher.load("write/set_meta")
        self._write(lambda tx: tx.run(query, key=key, value=value).consume(), "bookkeeping")

    def read_cypher(
        self, query: str, params: dict[str, Any], limit: int, time_budget: float
    ) -> tuple[list[str], list[list[Any]], bool]:
        def work(tx: Transaction) -> tuple[list[str], list[list[Any]], bool]:
            check_plan(tx.run("EXPLAIN " + query, params).consume().plan or {})
            result = tx.run(query, params)
            rows: list[list[Any]] = []
            for record in result:
                if len(rows) == limit:
                    return list(result.keys()), rows, True
                rows.append([plain(v) for v in record.values()])
            return list(result.keys()), rows, False

        try:
            return self._read(work, "read-only Cypher", timeout=time_budget)
        except GraphkitError as exc:
            cause = exc.__cause__
            if isinstance(cause, neo4j_errors.ClientError) and not isinstance(exc, BoundExceeded):
                # The server's own account of a bad query (syntax, missing parameter, a
                # write in a read transaction) is the caller's to read.
                raise InvalidQuery(
                    f"Neo4j refused the query: {cause.message or cause}", parameter="query"
                ) from cause
            raise

    def _check_fingerprint(self) -> None:
        """Re-derive edge values when the schema table changed since they were written."""
        self._follow_schema(self._meta("schema_fingerprint"), f"Neo4j database {self.database}")

    def reindex(self) -> int:
        # Edges carry strength and confidence from the schema table; the claims hold the
        # records they come from. Read them in id order, write back per type in batches.
        count, after = 0, ""
        scan = cypher.render("read/scan", label="Claim")
        while rows := self._rows(scan, "reindex", after=after, limit=BATCH_ROWS):
            rels = [Relationship.model_validate_json(r["body"]) for r in rows]
            by_type: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
            for rel in rels:
                by_type[rel.type].append(
                    {
                        "id": rel.id,
                        "source": rel.source,
                        "strength": rel.strength,
                        "confidence": confidence_factor(rel.confidence),
                        "share": rel.share,
                        "conf": rel.confidence.value
                        if isinstance(rel.confidence, Confidence)
                        else None,
                    }
                )

            def work(
                tx: Transaction, groups: dict[RelType, list[dict[str, Any]]] = by_type
            ) -> None:
                for rel_type, batch in groups.items():
                    query = cypher.render("write/rederive_edges", type=rel_type)
                    tx.run(query, rows=batch).consume()

            self._write(work, "reindex")
            count += len(rels)
            after = rels[-1].id
        self._set_meta("schema_fingerprint", fingerprint())
        return count

    def counts(self) -> tuple[int, int]:
        """Total nodes and relationships in the database."""
        (row,) = self._rows(cypher.load("read/counts"), "counts")
        return int(row["nodes"]), int(row["relationships"])

    # ------------------------------------------------------------------ writes
    def write(self, batch: Batch) -> IngestSummary:
        counts: dict[str, dict[str, int]] = {
            k: {"sources": 0, "entities": 0, "relationships": 0}
            for k in ("created", "updated", "unchanged")
        }

        def classify(
            tx: Transaction, label: str, table: str, objs: Sequence[Any]
        ) -> list[tuple[Any, str, bool]]:
            """(record, body, is_new) for each record that changes (a Batch holds ids once)."""
            stored: dict[str, str] = {}
            query = cypher.render("read/existing", label=label)
            for chunk in _chunks([o.id for o in objs]):
                stored.update((r["id"], r["body"]) for r in tx.run(query, ids=list(chunk)))
            changed = []
            for obj in objs:
                body = canonical_json(obj)
                before = stored.get(obj.id)
                if before == body:
                    counts["unchanged"][table] += 1
                else:
                    counts["created" if before is None else "updated"][table] += 1
                    changed.append((obj, body, before is None))
            return changed

        def work(tx: Transaction) -> None:
            sources = classify(tx, "Source", "sources", batch.sources)
            for chunk in _chunks([{"id": s.id, "body": b} for s, b, _ in sources]):
                tx.run(cypher.load("write/upsert_sources"), rows=list(chunk)).consume()

            by_kind: dict[EntityKind, list[dict[str, Any]]] = defaultdict(list)
            changed = classify(tx, "Entity", "entities", batch.entities)
            for ent, body, _ in changed:
                by_kind[ent.kind].append(
                    {"id": ent.id, "name": ent.name, "search": search_text(ent), "body": body}
                )
            for kind, rows in by_kind.items():
                query = cypher.render("write/upsert_entities", kind=kind, other_kinds="all")
                for chunk in _chunks(rows):
                    tx.run(query, rows=list(chunk)).consume()

            keyed = [{"id": e.id, "keys": identifier_keys(e)} for e, _, _ in changed]
            for chunk in _chunks(keyed):
                tx.run(cypher.load("write/upsert_idkeys"), rows=list(chunk)).consume()

            rels = classify(tx, "Claim", "relationships", batch.relationships)
            self._write_relationships(tx, rels, batch)
            if sources or changed or rels:
                _bump(tx)

        self._write(work, "ingest")
        return IngestSummary(**counts)

    def _write_relationships(
        self, tx: Transaction, changed: list[tuple[Relationship, str, bool]], batch: Batch
    ) -> None:
        """Claims, citations and typed edges: CREATE for new ids, MERGE for rewrites."""
        if not changed:
            return
        rels = [r for r, _, _ in changed]
        bodies = {r.id: body for r, body, _ in changed}
        new = {r.id for r, _, is_new in changed if is_new}
        cited = {ev.source for r in rels for ev in r.evidence}
        known = {s.id: s for s in batch.sources}
        missing = sorted(cited - set(known))
        query = cypher.render("read/existing", label="Source")
        for chunk in _chunks(missing):
            for row in tx.run(query, ids=list(chunk)):
                known[row["id"]] = Source.model_validate_json(row["body"])
        # Edges whose type or endpoints change are deleted before they are written again.
        meta = cypher.load("read/claims_meta")
        moved: list[str] = []
        wanted = {r.id: r for r in rels if r.id not in new}
        for chunk in _chunks(list(wanted)):
            for row in tx.run(meta, ids=list(chunk)):
                rel = wanted[row["id"]]
                if (row["type"], row["source"], row["target"]) != (
                    rel.type.value,
                    rel.source,
                    rel.target,
                ):
                    moved.append(rel.id)
        if moved:
            tx.run(cypher.load("write/delete_edges"), ids=moved).consume()
        claim_rows = [
            {
                "id": r.id,
                "type": r.type.value,
                "source": r.source,
                "target": r.target,
                "body": bodies[r.id],
                "cites": [{"source": source, "stance": stance} for source, stance in cites(r)],
            }
            for r in rels
        ]
        for is_new, name in ((True, "write/create_claims"), (False, "write/upsert_claims")):
            rows = [c for c in claim_rows if (c["id"] in new) is is_new]
            for claims in _chunks(rows):
                tx.run(cypher.load(name), rows=list(claims)).consume()
        by_type: dict[tuple[RelType, bool], list[dict[str, Any]]] = defaultdict(list)
        for r in rels:
            by_type[r.type, r.id in new].append(
                {"id": r.id, "source": r.source, "target": r.target, **edge_facts(r, known)}
            )
        for (rel_type, is_new), edge_rows in by_type.items():
            name = "write/create_edges" if is_new else "write/upsert_edges"
            query = cypher.render(name, type=rel_type)
            for edges in _chunks(edge_rows):
                written = tx.run(query, rows=list(edges)).single(strict=True)["written"]
                if written != len(edges):
                    raise InvalidData(
                        [
                            Issue(
                                None,
                                None,
                                None,
                                f"{len(edges) - written} {rel_type.value} "
                                "relationship(s) refer to entities not in Neo4j",
                            )
                        ]
                    )

    # ------------------------------------------------------------------ lookups
    def _bodies(self, label: str, model: type[M], ids: Iterable[str]) -> dict[str, M]:
        wanted = list(dict.fromkeys(ids))
        out: dict[str, M] = {}
        query = cypher.render("read/existing", label=label)
        for chunk in _chunks(wanted):
            for row in self._rows(query, f"{label} lookup", ids=list(chunk)):
                out[row["id"]] = model.model_validate_json(row["body"])
        return out

    def entity_kinds(self, ids: Iterable[str]) -> dict[str, EntityKind]:
        rows = self._rows(
            cypher.load("read/entity_kinds"), "entity lookup", ids=list(dict.fromkeys(ids))
        )
        return {r["id"]: EntityKind(r["kind"]) for r in rows}

    def source_ids(self, ids: Iterable[str]) -> set[str]:
        rows = self._rows(
            cypher.load("read/source_ids"), "source lookup", ids=list(dict.fromkeys(ids))
        )
        return {r["id"] for r in rows}

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        return self._bodies("Entity", Entity, ids)

    def relationships(self, ids: Iterable[str]) -> dict[str, Relationship]:
        return self._bodies("Claim", Relationship, ids)

    def sources(self, ids: Iterable[str]) -> dict[str, Source]:
        return self._bodies("Source", Source, ids)

    def incident(self, ids: Iterable[str], limit: int) -> list[Relationship]:
        rows = self._rows(
            cypher.load("read/incident"), "neighbourhood", ids=list(dict.fromkeys(ids)), limit=limit
        )
        return [Relationship.model_validate_json(r["body"]) for r in rows]

    def relationship_count(self, entity_id: str) -> int:
        rows = self._rows(cypher.load("read/relationship_count"), "count", id=entity_id)
        return int(rows[0]["n"]) if rows else 0

    def name_table(self) -> list[tuple[str, str]]:
        rows = self._rows(cypher.load("read/name_table"), "search")
        return [(str(r["id"]), str(r["search"])) for r in rows]

    def search_candidates(self, tokens: list[str], limit: int) -> list[Entity]:
        if not tokens:
            return []
        first = max(tokens, key=len)
        rows = self._rows(
            cypher.load("read/search"), "search", first=first, tokens=tokens, limit=limit
        )
        return [Entity.model_validate_json(r["body"]) for r in rows]

    def _columns(
        self, query: str, what: str, timeout: float | None = None, **params: Any
    ) -> dict[str, Any] | None:
        """The one row of a statement that answers in columns (lists of plain values), or
        ``None``: taken as the driver decoded it, since ``data()`` would walk every element
        of a giant answer once more in Python. Past a memory limit it is not retried: its
        caller has a plan that needs less."""

        def work(tx: Transaction) -> dict[str, Any] | None:
            record = tx.run(query, params).single(strict=False)
            return None if record is None else {key: record[key] for key in record.keys()}

        return self._read(work, what, timeout, retry_memory=False)

    # ------------------------------------------------------------------ traversal
    @staticmethod
    def _flow_params(f: ResolvedFilters) -> dict[str, Any]:
        return {**flow_types(f.types), **cypher_parameters(f)}

    def gds_projection(
        self, filters: ResolvedFilters, *, inbound: bool, time_budget: float
    ) -> GdsProjection:
        """The arcs a search with ``filters`` walks, projected into the server's GDS
        catalog (close it to drop it). Refused where the server has no GDS."""
        if not self.gds:
            raise BackendUnavailable(
                "this Neo4j server has no Graph Data Science library (scripts/neo4j-local "
                "start --with-gds runs one that has it)"
            )
        return GdsProjection(self._rows, filters, inbound=inbound, time_budget=time_budget)

    def best_paths(
        self,
        anchor: str,
        *,
        inbound: bool,
        spec: Traversal,
    ) -> BestPaths:
        # The statement is unrolled one copy per hop, so it serves the depths requests may
        # ask; the deep upward sweeps of ownership analysis (which end when nothing changes)
        # go hop by hop.
        if self.settings.neo4j_traversal == "layers" or spec.max_depth > MAX_DEPTH_LIMIT:
            return self._best_paths_by_layer(anchor, inbound=inbound, spec=spec)
        steps = arc_steps(spec.filters.types, inbound=inbound)
        if steps is None:  # no requested type carries influence
            return PathColumns([], [], [], [])
        query = cypher.render(
            "read/best_paths",
            layers=cypher.Repeat(
                "read/best_paths_layer",
                spec.max_depth,
                {"filter": cypher_predicate(), "steps": steps, "strength": hop_strength()},
            ),
        )
        started = time.monotonic()
        try:
            row = self._columns(
                query,
                "traversal",
                timeout=spec.time_budget,
                anchor=anchor,
                min_strength=spec.min_strength,
                **cypher_parameters(spec.filters),
                **cypher_weights(spec.filters.weights),
            )
        except BoundExceeded as exc:
            if exc.bound != "memory":
                raise
            # The one statement holds the whole answer; hop by hop, a transaction holds one
            # frontier. Same answer, in the time that is left (and a shared memory pool that
            # was full is asked for far less).
            log.warning("best paths from %r: %s Searching hop by hop instead.", anchor, exc)
            left = max(spec.time_budget - (time.monotonic() - started), 0.001)
            return self._best_paths_by_layer(
                anchor, inbound=inbound, spec=replace(spec, time_budget=left)
            )
        if row is None:
            return PathColumns([], [], [], [])
        return PathColumns(
            row["ids"], row["kinds"], row["strengths"], [tuple(r) for r in row["rels"]]
        )

    def _best_paths_by_layer(self, anchor: str, *, inbound: bool, spec: Traversal) -> BestPaths:
        """The same search with one statement per hop and the best paths kept here: each
        transaction holds one frontier, not the whole answer."""
        params = self._flow_params(spec.filters)
        query = cypher.render(
            "read/expand_into" if inbound else "read/expand_from", filter=cypher_predicate()
        )
        deadline = time.monotonic() + spec.time_budget

        def expand(frontier: list[str]) -> dict[str, list[Arc]]:
            remaining = max(deadline - time.monotonic(), 0.001)
            rows = self._rows(query, "traversal", timeout=remaining, frontier=frontier, **params)
            arcs: dict[str, list[Arc]] = defaultdict(list)
            weights = spec.filters.weights
            for r in rows:
                node, other = r["node"], r["other"]
                tail, head = (other, node) if inbound else (node, other)
                strength = (
                    float(r["strength"])
                    if weights is None
                    else _weigh(weights, r["type"], r["share"], r["conf"], r["confidence"])
                )
                arcs[node].append(Arc(tail, head, r["rel"], strength))
            return arcs

        labels = best_paths_layered(
            expand,
            anchor,
            inbound=inbound,
            max_depth=spec.max_depth,
            min_strength=spec.min_strength,
            time_budget=spec.time_budget,
        )
        return PathMap(
            {node: (lab.strength, lab.rel_ids()) for node, lab in labels.items()},
            self.entity_kinds,
        )

    def _path_rows(
        self, query: str, what: str, too_many: str, time_budget: float, **params: Any
    ) -> list[dict[str, Any]]:
        """Rows of a statement that returns whole paths, refused past ``MAX_PATH_ROWS`` (the
        ranking needs them all, so a cut list would rank wrongly)."""
        rows = self._rows(query, what, timeout=time_budget, max_paths=MAX_PATH_ROWS, **params)
        if len(rows) >= MAX_PATH_ROWS:
            raise BoundExceeded(f"more than {MAX_PATH_ROWS} {too_many}.", bound="paths")
        return rows

    def k_paths(
        self,
        source: str,
        target: str,
        *,
        k: int,
        spec: Traversal,
    ) -> list[tuple[float, tuple[str, ...]]]:
        if source == target:
            return []
        query = cypher.render(
            "read/simple_paths",
            max_depth=spec.max_depth,
            filter=cypher_predicate(),
            strength=hop_strength("hop"),
        )
        rows = self._rows(
            query,
            "path search",
            timeout=spec.time_budget,
            source=source,
            target=target,
            k=k,
            min_strength=spec.min_strength,
            **self._flow_params(spec.filters),
            **cypher_weights(spec.filters.weights),
        )
        return [(float(r["strength"]), tuple(r["rels"])) for r in rows]

    def pattern_paths(
        self,
        anchor: str,
        pattern: Pattern,
        *,
        inbound: bool,
        spec: Traversal,
        target: str | None = None,
    ) -> dict[str, list[tuple[float, tuple[str, ...]]]]:
        ends = [anchor] if target is None else [anchor, target]
        kinds = self.entity_kinds(ends)
        anchored = pattern.nodes[-1] if inbound else pattern.nodes[0]
        if anchor not in kinds or not anchored.holds(kinds[anchor]):
            return {}
        if target is not None and (
            target not in kinds or not pattern.nodes[-1].holds(kinds[target]) or target == anchor
        ):
            return {}
        compiled = compile_pattern(
            pattern,
            spec.filters,
            max_depth=spec.max_depth,
            inbound=inbound,
            to_target=target is not None,
        )
        params = {k: v for k, v in self._flow_params(spec.filters).items() if k not in _FLOWS}
        rows = self._path_rows(
            cypher.render("read/pattern_paths", pattern=compiled),
            "pattern search",
            "paths match the pattern; narrow it (fewer repetitions, node tests, a smaller "
            "max_depth)",
            spec.time_budget,
            anchor=anchor,
            target=target,
            max_depth=spec.max_depth,
            **params,
            **compiled.params,
        )
        found: dict[str, dict[tuple[str, ...], float]] = defaultdict(dict)
        for r in rows:
            ids = tuple(r["rels"])
            if inbound:
                ids = ids[::-1]  # from the anchor outward
            strength = _path_strength(r, spec.filters.weights)
            if strength <= 0.0 or strength < spec.min_strength:
                continue
            # One path can match in several ways (where a repeated step ends): keep it once.
            found[r["first"] if inbound else r["last"]][ids] = strength
        return {
            end: sorted(((s, ids) for ids, s in paths.items()), key=lambda x: path_key(*x))
            for end, paths in found.items()
        }

    def influence_arcs(self, filters: ResolvedFilters, time_budget: float) -> list[Arc]:
        params = self._flow_params(filters)
        types = params.pop("forward") + params.pop("reverse") + params.pop("both")
        rows = self._rows(
            cypher.load("read/all_arcs"), "analytics", timeout=time_budget, types=types, **params
        )
        arcs = [
            Arc(tail, head, r["rel"], float(r["strength"]))
            for r in rows
            for tail, head in influence_arcs(RelType(r["type"]), r["source"], r["target"])
        ]
        return sorted(arcs, key=lambda a: (a.rel_id, a.tail, a.head))

    # ------------------------------------------------------------------ resolution
    def entities_by_identifier(self, keys: Iterable[str]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for row in self._rows(
            cypher.load("read/by_identifier"), "identifier lookup", keys=list(dict.fromkeys(keys))
        ):
            out.setdefault(row["key"], []).append(row["id"])
        return out

    def merges(self) -> dict[str, str]:
        rows = self._rows(cypher.load("read/merges"), "merges")
        return {r["merged"]: r["canonical"] for r in rows}

    def record_merge(self, merged: str, canonical: str, reason: str) -> None:
        def work(tx: Transaction) -> None:
            tx.run(
                cypher.load("write/record_merge"), merged=merged, canonical=canonical, reason=reason
            ).consume()
            _bump(tx)

        self._write(work, "merge")

    def delete_entity(self, entity_id: str) -> None:
        def work(tx: Transaction) -> int:
            row = tx.run(cypher.load("write/delete_entity"), id=entity_id).single(strict=True)
            _bump(tx)
            return int(row["deleted"])

        if not self._write(work, "delete") and self.entity_kinds([entity_id]):
            raise InvalidData(
                [Issue(None, entity_id, None, "relationships still touch this entity")]
            )

    def scan_entities(self, after: str | None, limit: int) -> list[Entity]:
        return self._scan("Entity", Entity, after, limit)

    def scan_relationships(self, after: str | None, limit: int) -> list[Relationship]:
        return self._scan("Claim", Relationship, after, limit)

    def scan_sources(self, after: str | None, limit: int) -> list[Source]:
        return self._scan("Source", Source, after, limit)

    def _scan(self, label: str, model: type[M], after: str | None, limit: int) -> list[M]:
        query = cypher.render("read/scan", label=label)
        rows = self._rows(query, "scan", after=after or "", limit=limit)
        return [model.model_validate_json(r["body"]) for r in rows]

    def merge_decisions(self) -> list[tuple[str, str, str]]:
        rows = self._rows(cypher.load("read/merge_decisions"), "merges")
        return [(r["merged"], r["canonical"], r["reason"] or "") for r in rows]

    # ------------------------------------------------------------------ admin
    def stats(self) -> StoreStats:
        (row,) = self._rows(cypher.load("read/stats"), "stats")
        return StoreStats(
            backend=self.backend,
            entities=row["entities"],
            relationships=row["relationships"],
            sources=row["sources"],
            gds=self.gds,
        )

    def close(self) -> None:
        self._driver.close()
