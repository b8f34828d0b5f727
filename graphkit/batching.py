"""Cut a stream of raw records into bounded batches that each validate on their own.

A file of millions of records must not sit in memory at once, yet each write is one
all-or-nothing batch that may only refer to entities and sources already stored or in the
batch itself. Files do not always define things before they use them, so a relationship whose
references are not yet known is held back and retried with the next batch; whatever is still
unresolved at the end goes into the last batch, where validation reports it with its file and
line. Only ids (and entity kinds) are remembered across batches, never whole records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from graphkit.model import with_derived_id
from graphkit.validate import RawRecord

#: Records per batch by default: a few seconds of work per write, a bounded transaction.
BATCH_RECORDS = 50_000

IdLookup = Callable[[set[str]], set[str]]


def _references(data: Any) -> tuple[set[str], set[str]]:
    """(entity ids, source ids) a raw relationship refers to; malformed values are left to
    validation, which reports them properly."""
    entities = {data.get(end) for end in ("source", "target")}
    evidence = data.get("evidence")
    sources = (
        {ev.get("source") for ev in evidence if isinstance(ev, dict)}
        if isinstance(evidence, list)
        else set()
    )
    return (
        {e for e in entities if isinstance(e, str)},
        {s for s in sources if isinstance(s, str)},
    )


class Batcher:
    """Splits records into batches of about ``size`` records, deferring forward references.

    ``stored_entities`` / ``stored_sources`` say which of some ids the store already knows;
    they are asked only about ids the stream has not defined, once per batch. Between two
    batches the caller is expected to have written the first, so later lookups see it.

    Example:
        >>> rel = RawRecord("relationships", {"type": "OWNS", "source": "a", "target": "b",
        ...                                   "evidence": [{"source": "doc"}]})
        >>> later = [RawRecord("sources", {"id": "doc"}),
        ...          RawRecord("entities", {"id": "a"}), RawRecord("entities", {"id": "b"})]
        >>> batcher = Batcher(2, lambda ids: set(), lambda ids: set())
        >>> [[r.section for r in b] for b in batcher.batches([rel, *later])]
        [['sources'], ['entities', 'entities', 'relationships']]
    """

    def __init__(self, size: int, stored_entities: IdLookup, stored_sources: IdLookup) -> None:
        self.size = max(1, size)
        self.stored_entities = stored_entities
        self.stored_sources = stored_sources
        #: Entity id -> kind as written in the stream (validation checks the kind).
        self.entity_kinds: dict[str, Any] = {}
        self.source_ids: set[str] = set()

    def batches(self, records: Iterable[RawRecord]) -> Iterator[list[RawRecord]]:
        """The batches, in order; the last one carries every reference still unresolved."""
        chunk: list[RawRecord] = []
        pending: list[RawRecord] = []
        for rec in records:
            if rec.section == "entities" and isinstance(rec.data.get("id"), str):
                self.entity_kinds[rec.data["id"]] = rec.data.get("kind")
            elif rec.section == "sources" and isinstance(rec.data.get("id"), str):
                self.source_ids.add(rec.data["id"])
            chunk.append(rec)
            if len(chunk) >= self.size:
                ready, pending = self._split(chunk + pending)
                if ready:
                    yield ready
                chunk = []
        if chunk or pending:
            yield chunk + pending

    def _split(self, records: list[RawRecord]) -> tuple[list[RawRecord], list[RawRecord]]:
        """(records ready to write, relationships whose references are not known yet)."""
        unknown_e: set[str] = set()
        unknown_s: set[str] = set()
        for rec in records:  # one pass over the ends and sources, no set per record
            if rec.section != "relationships" or not isinstance(rec.data, Mapping):
                continue  # not a mapping: validation reports it
            data = rec.data
            for end in (data.get("source"), data.get("target")):
                if isinstance(end, str) and end not in self.entity_kinds:
                    unknown_e.add(end)
            evidence = data.get("evidence")
            if isinstance(evidence, list):
                for ev in evidence:
                    src = ev.get("source") if isinstance(ev, dict) else None
                    if isinstance(src, str) and src not in self.source_ids:
                        unknown_s.add(src)
        missing_e = unknown_e - self.stored_entities(unknown_e) if unknown_e else set()
        missing_s = unknown_s - self.stored_sources(unknown_s) if unknown_s else set()
        if not missing_e and not missing_s:
            return records, []
        ready: list[RawRecord] = []
        later: list[RawRecord] = []
        for rec in records:
            relationship = rec.section == "relationships" and isinstance(rec.data, Mapping)
            es, ss = _references(rec.data) if relationship else (set(), set())
            (later if es & missing_e or ss & missing_s else ready).append(rec)
        return ready, later


def record_key(rec: RawRecord) -> int | None:
    """A 64-bit key for a record's section and id (None when it has no usable id)."""
    data = rec.data
    if not isinstance(data, dict):
        return None
    ident = data.get("id")
    if not ident and rec.section == "relationships":
        ident = with_derived_id(data).get("id")
    return hash(rec.section[0] + ident) if isinstance(ident, str) else None


class StreamIds:
    """Which records one stream has already written, as 64-bit keys (8 bytes a record, so a
    load of millions keeps tens of megabytes): a later batch that repeats one is found
    without holding any record in memory.

    Keys sit in a few sorted runs, each at least twice the next (merged like an LSM tree),
    so remembering a batch costs O(batch · log) and a whole load O(n log n).

    Example:
        >>> ids = StreamIds()
        >>> first = [RawRecord("entities", {"id": "a"})]
        >>> ids.add(first)
        >>> [r.data["id"] for r in ids.repeated(first + [RawRecord("entities", {"id": "b"})])]
        ['a']
    """

    def __init__(self) -> None:
        self.runs: list[np.ndarray[Any, np.dtype[np.int64]]] = []
        #: The keys of the batch last checked, kept for :meth:`add` (computed once).
        self._last: tuple[int, np.ndarray[Any, np.dtype[np.int64]], list[int]] | None = None

    @staticmethod
    def _keys(batch: list[RawRecord]) -> tuple[np.ndarray[Any, np.dtype[np.int64]], list[int]]:
        found = [(i, k) for i, r in enumerate(batch) if (k := record_key(r)) is not None]
        return np.array([k for _i, k in found], dtype=np.int64), [i for i, _k in found]

    def _keys_of(
        self, batch: list[RawRecord]
    ) -> tuple[np.ndarray[Any, np.dtype[np.int64]], list[int]]:
        if self._last is not None and self._last[0] == id(batch):
            return self._last[1], self._last[2]
        keys, where = self._keys(batch)
        self._last = (id(batch), keys, where)
        return keys, where

    def repeated(self, batch: list[RawRecord]) -> list[RawRecord]:
        """The records of ``batch`` whose section and id an earlier batch already had."""
        keys, where = self._keys_of(batch)
        if not self.runs or not len(keys):
            return []
        order = np.argsort(keys, kind="stable")
        needles = keys[order]  # sorted needles read each run in order (few cache misses)
        hit = np.zeros(len(keys), dtype=bool)
        for run in self.runs:
            at = np.minimum(np.searchsorted(run, needles), len(run) - 1)
            hit |= run[at] == needles
        return sorted((batch[where[i]] for i in order[hit].tolist()), key=lambda r: r.line or 0)

    def add(self, batch: list[RawRecord]) -> None:
        """Remember a written batch."""
        keys, _where = self._keys_of(batch)
        self._last = None
        self.runs.append(np.sort(keys))
        while len(self.runs) > 1 and len(self.runs[-1]) * 2 >= len(self.runs[-2]):
            last = self.runs.pop()
            self.runs[-1] = np.sort(np.concatenate((self.runs[-1], last)), kind="stable")
