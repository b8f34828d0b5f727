"""Writes: validated, resolved, all-or-nothing loads and accepted merges.

Why a service of its own: reads (:class:`graphkit.engine.QueryEngine`) and writes share a
store but nothing else; the engine hands its write calls here, so a loader, the API's
``POST /ingest`` and the CLI all go through the same checks in the same order —
validation against the schema and the store, repeats within a load, kind changes that
would break stored relationships, identifier resolution, then the store's atomic write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from pydantic import BaseModel

from graphkit import gcpause, plain, resolve
from graphkit.batching import BATCH_RECORDS, Batcher, StreamIds
from graphkit.errors import BoundExceeded, EntityNotFound, InvalidData, InvalidQuery, Issue
from graphkit.model import Batch, Entity, Relationship, Source, canonical_json, with_derived_id
from graphkit.query import IngestSummary
from graphkit.schema import RELATIONSHIPS, EntityKind
from graphkit.store.base import GraphStore
from graphkit.store.rows import source_row
from graphkit.validate import SINGULAR, RawRecord, validate_records


class Writer:
    """Every write to one store."""

    def __init__(
        self, store: GraphStore, suggest: Callable[[str], list[str]] = lambda _id: []
    ) -> None:
        self.store = store
        #: Close ids for an unknown one (the engine's typo-tolerant name index).
        self.suggest = suggest

    def ingest(self, records: Iterable[RawRecord]) -> IngestSummary:
        """Validate raw records, fold them onto known entities, then write them at once.

        Recorded merges are applied to incoming records, and records sharing an identifier
        (LEI, Wikidata id, a register number in one country) with each other or with stored
        entities become one entity (see :mod:`graphkit.resolve`).

        Raises:
            InvalidData: every problem found; nothing is written.
        """
        with gcpause.paused():  # one batch may be a whole request of records (POST /ingest)
            return self._ingest(records)

    def _ingest(self, records: Iterable[RawRecord]) -> IngestSummary:
        merges = self.store.merges()
        if not merges and self.store.inserts_rows:
            records = list(records)
            summary = self._insert_plain(records)
            if summary is not None:
                return summary
        if merges:
            records = [
                RawRecord(
                    r.section,
                    resolve.rewrite(r.data, r.section, merges)
                    if r.section == "relationships"
                    else r.data,
                    r.file,
                    r.line,
                    r.index,
                )
                for r in records
            ]
        batch = validate_records(records, self.store.entity_kinds, self.store.source_ids)
        batch, new_merges, store_merges = resolve.resolve_batch(batch, self.store, merges)
        self._check_kind_changes(batch)
        summary = self.store.write(batch)
        for merged, canonical, reason in new_merges:
            self.store.record_merge(merged, canonical, reason)
        for canonical, merged_ids, reason in store_merges:
            self.merge(canonical, merged_ids, reason)
        notes = tuple(f"{m} → {c} ({why})" for m, c, why in new_merges) + tuple(
            f"{m} → {c} ({why})" for c, ms, why in store_merges for m in ms
        )
        return summary.model_copy(update={"merged": notes})

    def _insert_plain(self, records: list[RawRecord]) -> IngestSummary | None:
        """Write a batch of new, plain records as rows, without building models (see
        :mod:`graphkit.plain`); None, having written nothing, when anything needs more
        than that — a record to convert or refuse, an id already stored, an identifier
        another entity holds, an unknown or unfitting end, an unknown source — and the
        model path then takes the batch as before.
        """
        if self._any_stored(records):
            return None
        batch = plain.plain_batch(records)
        if batch is None:
            return None
        try:
            sources = validate_records(batch.sources).sources
        except InvalidData:
            return None
        # A source every file of a register declares again is stored once, unchanged.
        known = self.store.sources([s.id for s in sources]) if sources else {}
        if any(canonical_json(known[s.id]) != canonical_json(s) for s in sources if s.id in known):
            return None  # an updated source: the model path rewrites it
        kinds = {e.id: e.kind for e in batch.entities}
        ends = {end for r in batch.relationships for end in (r.source, r.target)}
        if ends - kinds.keys():
            stored = self.store.entity_kinds(ends - kinds.keys())
            kinds.update((i, k.value) for i, k in stored.items())
        if not all(plain.fits(r, kinds) for r in batch.relationships):
            return None
        keys = [k for e in batch.entities for k in e.keys]
        if len(set(keys)) < len(keys) or (keys and self.store.entities_by_identifier(keys)):
            return None  # the same identifier twice: resolution merges them
        dates: dict[str, str | None] = {s.id: s.date for s in sources}
        cited = {s for r in batch.relationships for s, _stance in r.cites} - dates.keys()
        if cited:
            stored_sources = self.store.sources(cited)
            if len(stored_sources) < len(cited):
                return None
            dates.update((i, s.date) for i, s in stored_sources.items())
        summary = self.store.insert_new(
            [source_row(s) for s in sources if s.id not in known],
            batch.entities,
            plain.relationship_rows(batch.relationships, dates),
        )
        if summary is None or not known:
            return summary
        return summary.model_copy(
            update={"unchanged": {**summary.unchanged, "sources": len(known)}}
        )

    def _any_stored(self, records: list[RawRecord], probes: int = 16) -> bool:
        """Whether some of a sample of the records (spread over the batch) are stored: a
        re-run or an update, which the model path then takes at once, rather than after
        rows were prepared for an insert that would fail (a re-run of a load went 40%
        slower so)."""
        sample = records[:: max(1, len(records) // probes)]
        entities: list[str] = []
        relationships: list[str] = []
        for rec in sample:
            if not isinstance(rec.data, Mapping):
                continue
            if rec.section == "entities" and isinstance(rec.data.get("id"), str):
                entities.append(rec.data["id"])
            elif rec.section == "relationships":
                rid = with_derived_id(rec.data).get("id")
                if isinstance(rid, str):
                    relationships.append(rid)
        return bool(entities and self.store.entity_kinds(entities)) or bool(
            relationships and self.store.relationships(relationships)
        )

    def _check_repeats(self, batch: list[RawRecord], seen: StreamIds) -> None:
        """Refuse records that repeat, with other values, a record an earlier batch of the
        same load wrote (within one batch validation catches it): a file never silently
        overwrites its own facts.

        Raises:
            InvalidData: each such record, with its file and line.
        """
        again = seen.repeated(batch)
        if not again:
            return
        models: dict[str, type[Source] | type[Entity] | type[Relationship]] = {
            "sources": Source,
            "entities": Entity,
            "relationships": Relationship,
        }
        readers: dict[str, Callable[[list[str]], Mapping[str, BaseModel]]] = {
            "sources": self.store.sources,
            "entities": self.store.entities,
            "relationships": self.store.relationships,
        }
        issues: list[Issue] = []
        for rec in again:
            data = dict(rec.data)
            data = with_derived_id(data) if rec.section == "relationships" else data
            try:
                incoming = models[rec.section].model_validate(data)
            except ValueError:
                continue  # validation of the batch reports it with its line
            stored = readers[rec.section]([incoming.id]).get(incoming.id)
            if stored is not None and canonical_json(stored) != canonical_json(incoming):
                issues.append(
                    rec.issue(
                        f"repeats {SINGULAR[rec.section]} {incoming.id!r}, given earlier in "
                        "this load, with other values; "
                        "keep one version (or give them different ids)"
                    )
                )
        if issues:
            raise InvalidData(issues)

    def _check_kind_changes(self, batch: Batch) -> None:
        """Refuse a batch that re-declares a stored entity with another kind while stored
        relationships the batch does not rewrite would then break the schema table (a Port
        turned Person would silently drop out of every answer it was part of).

        Raises:
            InvalidData: each stored relationship that would no longer fit, named.
        """
        incoming = {e.id: e.kind for e in batch.entities}
        stored = self.store.entity_kinds(incoming)
        changed = {i: k for i, k in incoming.items() if i in stored and stored[i] != k}
        if not changed:
            return
        rewritten = {r.id for r in batch.relationships}
        issues: list[Issue] = []
        for rel in self.store.incident(changed, 10_000):
            if rel.id in rewritten:
                continue
            spec = RELATIONSHIPS[rel.type]
            for end, allowed in ((rel.source, spec.sources), (rel.target, spec.targets)):
                if end in changed and changed[end] not in allowed:
                    issues.append(
                        Issue(
                            None,
                            f"entity {end!r}",
                            "kind",
                            f"stored as {stored[end].value}, re-declared as "
                            f"{changed[end].value}: stored relationship {rel.id!r} "
                            f"({rel.type.value}) needs one of "
                            f"{', '.join(sorted(k.value for k in allowed))}",
                        )
                    )
        if issues:
            raise InvalidData(issues[:50])

    def ingest_stream(
        self,
        records: Iterable[RawRecord],
        batch_size: int = BATCH_RECORDS,
        on_batch: Callable[[IngestSummary], None] | None = None,
    ) -> IngestSummary:
        """Ingest a stream of any length in bounded all-or-nothing batches (see
        :mod:`graphkit.batching`); ``on_batch`` hears each written batch's summary.

        Raises:
            InvalidData: the problems of the first refused batch; it and everything after it
                is not written, earlier batches are (re-running the fixed input is safe:
                unchanged records are recognised and skipped).
        """
        merges = self.store.merges()
        batcher = Batcher(
            batch_size,
            lambda ids: set(self.store.entity_kinds(ids)) | (ids & merges.keys()),
            self.store.source_ids,
        )
        total = IngestSummary(created={}, updated={}, unchanged={})
        written = 0
        batches = enumerate(batcher.batches(records), 1)
        seen = StreamIds()
        # A large load: index upkeep may wait for its end, and so may the cycle collector.
        with self.store.bulk(), gcpause.paused():
            while True:
                # A loader may find a problem only after earlier batches were written (a
                # broken last line): the error then says exactly what was written.
                try:
                    number, batch = next(batches)
                except StopIteration:
                    break
                except InvalidData as exc:
                    if not written:
                        raise
                    raise InvalidData(exc.issues, outcome=_partial(total, written)) from exc
                try:
                    self._check_repeats(batch, seen)
                    summary = self.ingest(batch)
                except InvalidData as exc:
                    if not written:
                        raise
                    raise InvalidData(
                        exc.issues,
                        outcome=f"batch {number} and later were not written; "
                        + _partial(total, written),
                    ) from exc
                except BoundExceeded as exc:  # a batch too big for the server's memory
                    if not written:
                        raise
                    raise BoundExceeded(
                        f"{exc} Batch {number} and later were not written; "
                        + _partial(total, written, "run the same load again in smaller batches"),
                        bound=exc.bound,
                    ) from exc
                merges = self.store.merges()
                seen.add(batch)
                written += len(batch)
                gcpause.after_batch()
                total = total.plus(summary)
                if on_batch is not None:
                    on_batch(summary)
        return total

    def check_stream(
        self, records: Iterable[RawRecord], batch_size: int = BATCH_RECORDS
    ) -> dict[str, int]:
        """Validate a stream as :meth:`ingest_stream` would write it, writing nothing; returns
        how many valid records of each section it holds.

        Raises:
            InvalidData: every problem found in every batch.
        """
        batcher = Batcher(
            batch_size, lambda ids: set(self.store.entity_kinds(ids)), self.store.source_ids
        )

        def kinds(ids: Iterable[str]) -> dict[str, EntityKind]:
            wanted = set(ids)
            out = dict(self.store.entity_kinds(wanted - batcher.entity_kinds.keys()))
            for eid in wanted & batcher.entity_kinds.keys():
                if batcher.entity_kinds[eid] in EntityKind._value2member_map_:
                    out[eid] = EntityKind(batcher.entity_kinds[eid])
            return out

        def sources(ids: Iterable[str]) -> set[str]:
            wanted = set(ids)
            return (wanted & batcher.source_ids) | self.store.source_ids(
                wanted - batcher.source_ids
            )

        counts = {"sources": 0, "entities": 0, "relationships": 0}
        issues: list[Issue] = []
        with gcpause.paused():
            for batch in batcher.batches(records):
                try:
                    valid = validate_records(batch, kinds, sources)
                    self._check_kind_changes(valid)  # a dry run refuses what a load would
                except InvalidData as exc:
                    issues += exc.issues
                    continue
                finally:
                    gcpause.after_batch()
                for section in counts:
                    counts[section] += len(getattr(valid, section))
        if issues:
            raise InvalidData(issues)
        return counts

    def merge(self, canonical: str, merged: Iterable[str], reason: str = "accepted") -> Entity:
        """Make ``merged`` entities one with ``canonical``: their names and identifiers join
        it, every relationship moves to it with all its evidence, and the decision is kept.

        Raises:
            EntityNotFound: an id is unknown.
            InvalidQuery: a relationship joins two of the entities (it would become a loop).
        """
        others = [m for m in dict.fromkeys(merged) if m != canonical]
        found = self.store.entities([canonical, *others])
        for eid in [canonical, *others]:
            if eid not in found:
                raise EntityNotFound(eid, self.suggest(eid))
        mapping = dict.fromkeys(others, canonical)
        moved = []
        for rel in self.store.incident(others, 10_000_000):
            src, tgt = mapping.get(rel.source, rel.source), mapping.get(rel.target, rel.target)
            if src == tgt:
                raise InvalidQuery(
                    f"relationship {rel.id!r} joins entities being merged; remove it first",
                    parameter="merged",
                )
            moved.append(rel.model_copy(update={"source": src, "target": tgt}))
        entity = resolve.merged_entity(found[canonical], [found[m] for m in others])
        self.store.write(Batch(entities=(entity,), relationships=tuple(moved)))
        for m in others:
            self.store.delete_entity(m)
            self.store.record_merge(m, canonical, reason)
        return entity


def _partial(
    total: IngestSummary, written: int, advice: str = "fix the input and run the same load again"
) -> str:
    """What a load that stopped part-way had already written, in words, and what to do."""
    by_kind = {
        k: total.created.get(k, 0) + total.updated.get(k, 0) + total.unchanged.get(k, 0)
        for k in ("entities", "relationships", "sources")
    }
    kinds = ", ".join(f"{n} {k}" for k, n in by_kind.items() if n)
    return (
        f"{written} records were written before it ({kinds}); {advice}: what is already "
        "stored is recognised and left unchanged"
    )
