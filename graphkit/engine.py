"""The query layer the CLI, API and notebooks call: requests in, evidence-carrying answers out.

It checks bounds, asks the store for paths as relationship ids, and builds results with
:mod:`graphkit.semantics`, so every backend answers in the same words and order.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from graphkit import coverage, resolve
from graphkit.asset import asset_view
from graphkit.batching import BATCH_RECORDS
from graphkit.cite import Citation, cite
from graphkit.errors import EntityNotFound, InvalidQuery, SourceNotFound
from graphkit.filters import ResolvedFilters, Traversal
from graphkit.fuzzy import NameIndex
from graphkit.identifiers import GLOBAL_SCHEMES
from graphkit.model import Batch, Entity, Relationship, Source
from graphkit.named import NamedQuery, Result, permalink
from graphkit.neo4j_export import ImportFiles, write_import_files
from graphkit.pattern import Pattern
from graphkit.pattern import parse as parse_pattern
from graphkit.profiles import DEFAULT_NAME, ProfileSet, Weights
from graphkit.query import (
    AssetRequest,
    AssetResult,
    BrokersRequest,
    BrokersResult,
    CentralityRequest,
    CentralityResult,
    ControlRequest,
    ControlResult,
    CypherRequest,
    CypherResult,
    DiffRequest,
    DiffResult,
    EmptyAnswer,
    EntityDetail,
    ExposureRequest,
    ExposureResult,
    IngestSummary,
    NeighbourhoodRequest,
    NeighbourhoodResult,
    OwnersRequest,
    OwnersResult,
    PathsRequest,
    PathsResult,
    ProfileRef,
    RankedEntity,
    ReachRequest,
    ReachResult,
    SearchHit,
    SearchRequest,
    SearchResult,
    StoreStats,
    TimelineResult,
)
from graphkit.schema import REACH_ACTOR_KINDS, EntityKind
from graphkit.semantics import (
    SharedViews,
    entity_ids_of,
    entity_ref,
    hop_view,
    ids_on,
    known_views,
    path_view,
    rank,
)
from graphkit.settings import Settings
from graphkit.store.base import BestPaths, GraphStore, PathMap
from graphkit.text import match_score, normalise
from graphkit.validate import RawRecord
from graphkit.writes import Writer

#: Seconds a name index lives for a store that cannot tell when its data changed (Neo4j).
NAMES_TTL = 60.0
#: Characters of a mistyped id searched for suggestions (a search text's own limit).
SUGGEST_TEXT = 200
#: Most typo-tolerant hits one search adds.
FUZZY_HITS = 50


def _identifier_queries(text: str) -> list[str]:
    """Identifier keys a search text could be: itself as ``scheme:value``, or a bare value
    of a worldwide scheme (an LEI, a Wikidata id).

    >>> _identifier_queries("5493001kjtiigc8y1r12")[:2]
    ['bic:5493001KJTIIGC8Y1R12', 'isin:5493001KJTIIGC8Y1R12']
    """
    value = text.strip()
    if not value or " " in value or len(value) > 200:
        return []
    keys = [f"{scheme}:{value.upper()}" for scheme in sorted(set(GLOBAL_SCHEMES.values()))]
    scheme, sep, rest = value.partition(":")
    if sep and rest:
        keys.append(f"{scheme.lower()}:{rest.upper()}")
    return keys


#: What a rerun search in an empty answer's account gives: how many, and the best path.
Searched = tuple[int, tuple[str, Sequence[str], bool] | None]


_Scanned = TypeVar("_Scanned", Entity, Relationship)


class QueryEngine:
    """Answers every query of :mod:`graphkit.query` over one :class:`GraphStore`."""

    def __init__(self, store: GraphStore, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self._names: tuple[str | None, float, NameIndex] | None = None
        #: Influence profiles known by name (shipped, GRAPHKIT_PROFILES_DIR, added).
        self.profiles = ProfileSet(self.settings.profiles_dir)
        #: Every write goes through this service; an unknown id gets the same suggestions.
        self.writer = Writer(store, suggest=self._suggest)

    def profile(self, name: str | None) -> tuple[Weights | None, ProfileRef]:
        """The weights traversal uses for a named profile (``None`` for the default: the
        strengths stored with the data are the schema table's) and the answer's label."""
        weights = self.profiles.weights(name)
        ref = ProfileRef(name=weights.name, fingerprint=weights.fingerprint)
        return (None if weights.name == DEFAULT_NAME else weights), ref

    # ------------------------------------------------------------------ helpers
    def require_entity(self, entity_id: str) -> Entity:
        """The stored entity — or the one it was merged into, so links made before a merge
        keep working — else :class:`EntityNotFound` with close matches as suggestions."""
        found = self.store.entities([entity_id]).get(entity_id)
        if found is None:
            survivor = self.store.merged_into(entity_id)
            if survivor is not None:
                found = self.store.entities([survivor]).get(survivor)
        if found is None:
            raise EntityNotFound(entity_id, self._suggest(entity_id))
        return found

    def _name_index(self) -> NameIndex:
        """The typo-tolerant name index, rebuilt when the data changes (or, for a store that
        cannot tell, after :data:`NAMES_TTL` seconds)."""
        version, now = self.store.data_version(), time.monotonic()
        cached = self._names
        if cached is not None and cached[0] == version:
            if version is not None or now - cached[1] < NAMES_TTL:
                return cached[2]
        index = NameIndex(self.store.name_table())
        self._names = (version, now, index)
        return index

    def _suggest(self, text: str, limit: int = 3) -> list[str]:
        """Ids close to a mistyped one: whole-text matches first, then per-word matches."""
        words = [w for w in normalise(text).split() if len(w) >= 3]
        out: list[str] = []
        for query in [text, *words]:
            query = query.strip()[:SUGGEST_TEXT]  # an id may be longer than a search text
            if not normalise(query):
                continue
            for hit in self.search(SearchRequest(text=query, limit=limit)).items:
                if hit.entity.id not in out:
                    out.append(hit.entity.id)
            if len(out) >= limit:
                break
        return out[:limit]

    def _check_depth(self, depth: int) -> None:
        if depth > self.settings.max_depth:
            raise InvalidQuery(
                f"max_depth {depth} is above this server's limit of {self.settings.max_depth}",
                parameter="max_depth",
            )

    def _answer(
        self,
        anchor: Entity,
        found: BestPaths,
        inbound: bool,
        kinds: Iterable[EntityKind] | None,
        f: ResolvedFilters,
        offset: int,
        limit: int,
    ) -> tuple[int, list[RankedEntity]]:
        """Rank and page on the store's side, then build views for the page only (evidence
        lookups cost more than ranking)."""
        total, page = found.ranked(kinds, offset, limit)
        rels = self.store.relationships(ids_on(ids for _n, _s, ids in page))
        ents = self.store.entities(entity_ids_of(rels.values()) | {anchor.id})
        srcs = self.store.sources({ev.source for r in rels.values() for ev in r.evidence})
        rels = known_views(rels, srcs, f)
        items = []
        shared = SharedViews()  # the page's paths share most of their hops
        for node, _s, ids in page:
            if inbound:
                path = path_view(
                    node, list(reversed(ids)), rels, ents, srcs, f.as_of, f.weights, shared
                )
            else:
                path = path_view(anchor.id, ids, rels, ents, srcs, f.as_of, f.weights, shared)
            items.append((ents[node], path))
        return total, rank(items, start=offset + 1, ref=shared.ref)

    # ------------------------------------------------------------------ queries
    def reach(self, req: ReachRequest, today: date | None = None) -> ReachResult:
        """Who can reach ``req.target``: actors ranked by their strongest path.

        Raises:
            EntityNotFound: the target id is unknown (with suggestions).
            InvalidQuery: depth above the configured cap.
            BoundExceeded: the traversal ran past its time budget.
        """
        self._check_depth(req.max_depth)
        target = self.require_entity(req.target)
        weights, profile = self.profile(req.profile)
        f = ResolvedFilters.from_request(req, today, weights)
        shape = parse_pattern(req.pattern) if req.pattern else None
        found = self._best(target.id, True, req.max_depth, req.min_strength, f, shape)
        kinds = req.kinds if req.kinds is not None else REACH_ACTOR_KINDS
        total, items = self._answer(target, found, True, kinds, f, req.offset, req.limit)
        empty = None
        if total == 0 and shape is not None:
            empty = self._explain_pattern(target, True, shape, req.max_depth, f, kinds)
        elif total == 0:
            empty = self._explain_reached(target, True, kinds, found, f, req)
        return ReachResult(
            target=entity_ref(target),
            as_of=f.as_of,
            known_by=f.known_by,
            total=total,
            offset=req.offset,
            limit=req.limit,
            items=tuple(items),
            undated_left_out=0
            if shape
            else self._count_left_out(
                target.id, True, kinds, req.max_depth, req.min_strength, f, total
            ),
            empty=empty,
            profile=profile,
        )

    def exposure(self, req: ExposureRequest, today: date | None = None) -> ExposureResult:
        """What ``req.source`` can reach, ranked by the strongest path to each entity."""
        self._check_depth(req.max_depth)
        source = self.require_entity(req.source)
        weights, profile = self.profile(req.profile)
        f = ResolvedFilters.from_request(req, today, weights)
        shape = parse_pattern(req.pattern) if req.pattern else None
        found = self._best(source.id, False, req.max_depth, req.min_strength, f, shape)
        total, items = self._answer(source, found, False, req.kinds, f, req.offset, req.limit)
        empty = None
        if total == 0 and shape is not None:
            empty = self._explain_pattern(source, False, shape, req.max_depth, f, req.kinds)
        elif total == 0:
            empty = self._explain_reached(source, False, req.kinds, found, f, req)
        return ExposureResult(
            source=entity_ref(source),
            as_of=f.as_of,
            known_by=f.known_by,
            total=total,
            offset=req.offset,
            limit=req.limit,
            items=tuple(items),
            undated_left_out=0
            if shape
            else self._count_left_out(
                source.id, False, req.kinds, req.max_depth, req.min_strength, f, total
            ),
            empty=empty,
            profile=profile,
        )

    def paths(self, req: PathsRequest, today: date | None = None) -> PathsResult:
        """The ``k`` strongest distinct simple paths from source to target (may be empty)."""
        self._check_depth(req.max_depth)
        source, target = self.require_entity(req.source), self.require_entity(req.target)
        weights, profile = self.profile(req.profile)
        f = ResolvedFilters.from_request(req, today, weights)
        shape = parse_pattern(req.pattern) if req.pattern else None

        def search(filters: ResolvedFilters) -> list[tuple[float, tuple[str, ...]]]:
            if shape is not None:
                matched = self.store.pattern_paths(
                    source.id,
                    shape,
                    inbound=False,
                    spec=Traversal(
                        filters, req.max_depth, req.min_strength, self.settings.time_budget
                    ),
                    target=target.id,
                )
                return matched.get(target.id, [])[: req.k]
            return self.store.k_paths(
                source.id,
                target.id,
                k=req.k,
                spec=Traversal(filters, req.max_depth, req.min_strength, self.settings.time_budget),
            )

        found = search(f)
        rels = self.store.relationships(ids_on(ids for _s, ids in found))
        ents = self.store.entities(entity_ids_of(rels.values()) | {source.id, target.id})
        srcs = self.store.sources({ev.source for r in rels.values() for ev in r.evidence})
        rels = known_views(rels, srcs, f)
        shared = SharedViews()  # k paths between two ends share hops too
        paths = tuple(
            path_view(source.id, ids, rels, ents, srcs, f.as_of, f.weights, shared)
            for _s, ids in found
        )
        left_out = 0
        if self._undated_left_out(f) and shape is None:
            wider = search(replace(f, include_undated=True))
            ours = {tuple(ids) for _s, ids in found}
            left_out = sum(1 for _s, ids in wider if tuple(ids) not in ours)
        empty = None
        if not paths and shape is not None:
            empty = self._explain_pattern(source, False, shape, req.max_depth, f, None, target)
        elif not paths:

            def again(filters: ResolvedFilters, depth: int, strength: float) -> Searched:
                got = self.store.k_paths(
                    source.id,
                    target.id,
                    k=req.k,
                    spec=Traversal(filters, depth, strength, self.settings.time_budget),
                )
                return len(got), ((source.id, got[0][1], False) if got else None)

            ends = [(source, False), (target, True)]
            empty = coverage.explain_empty(self, again, f, req.max_depth, req.min_strength, ends)
        return PathsResult(
            source=entity_ref(source),
            target=entity_ref(target),
            as_of=f.as_of,
            known_by=f.known_by,
            paths=paths,
            undated_left_out=left_out,
            empty=empty,
            profile=profile,
        )

    def _best(
        self,
        anchor: str,
        inbound: bool,
        max_depth: int,
        min_strength: float,
        f: ResolvedFilters,
        shape: Pattern | None,
    ) -> BestPaths:
        """Each reached entity's strongest path: any path, or only paths of ``shape``."""
        if shape is None:
            return self.store.best_paths(
                anchor,
                inbound=inbound,
                spec=Traversal(f, max_depth, min_strength, self.settings.time_budget),
            )
        matched = self.store.pattern_paths(
            anchor,
            shape,
            inbound=inbound,
            spec=Traversal(f, max_depth, min_strength, self.settings.time_budget),
        )
        return PathMap({end: paths[0] for end, paths in matched.items()}, self.store.entity_kinds)

    def _explain_pattern(
        self,
        anchor: Entity,
        inbound: bool,
        shape: Pattern,
        max_depth: int,
        f: ResolvedFilters,
        kinds: Iterable[EntityKind] | None,
        target: Entity | None = None,
    ) -> EmptyAnswer:
        """Which step of the pattern found nothing: the longest part of it, read from the
        anchor, that some path still matches, and the step after it."""
        reasons = coverage.pattern_stop(
            self.store,
            anchor,
            inbound,
            shape,
            max_depth,
            f,
            self.settings.time_budget,
            target,
        )
        if kinds is not None and "the whole pattern" in reasons[0]:
            wanted = ", ".join(sorted(k.value for k in kinds))
            reasons.append(f"Only entities of these kinds were asked for: {wanted}.")
        return EmptyAnswer(reasons=tuple(reasons))

    def _explain_reached(
        self,
        anchor: Entity,
        inbound: bool,
        kinds: Iterable[EntityKind] | None,
        found: BestPaths,
        f: ResolvedFilters,
        req: ReachRequest | ExposureRequest,
    ) -> EmptyAnswer:
        """Why reach or exposure found nothing of the kinds asked (see graphkit.coverage)."""

        def again(filters: ResolvedFilters, depth: int, strength: float) -> Searched:
            got = self.store.best_paths(
                anchor.id,
                inbound=inbound,
                spec=Traversal(filters, depth, strength, self.settings.time_budget),
            )
            total, top = got.ranked(kinds, 0, 1)
            if not top:
                return total, None
            # Both searches give a path's relationships from the anchor outwards.
            return total, (anchor.id, top[0][2], inbound)

        reached = len(found.ids())
        narrowed = None
        if reached and kinds is not None:
            asked = ", ".join(sorted(k.value for k in kinds))
            narrowed = (
                f"{reached} entities {'reach' if inbound else 'are reached from'} "
                f"{anchor.name}, none of the kinds asked ({asked})."
            )
        return coverage.explain_empty(
            self, again, f, req.max_depth, req.min_strength, [(anchor, inbound)], narrowed
        )

    @staticmethod
    def _undated_left_out(f: ResolvedFilters) -> bool:
        """Whether an answer must count what undated sources would add (see known_by)."""
        return f.known_by is not None and not f.include_undated

    def _count_left_out(
        self,
        anchor: str,
        inbound: bool,
        kinds: Iterable[EntityKind] | None,
        max_depth: int,
        min_strength: float,
        f: ResolvedFilters,
        total: int,
    ) -> int:
        """How many more results the same search finds when undated sources count too
        (more usable relationships never lose a result, so the difference is what they add)."""
        if not self._undated_left_out(f):
            return 0
        wider = self.store.best_paths(
            anchor,
            inbound=inbound,
            spec=Traversal(
                replace(f, include_undated=True), max_depth, min_strength, self.settings.time_budget
            ),
        )
        return max(0, wider.ranked(kinds, 0, 1)[0] - total)

    def neighbourhood(
        self, req: NeighbourhoodRequest, today: date | None = None
    ) -> NeighbourhoodResult:
        """Relationships of every type within ``depth`` hops, flagged when not in force."""
        center = self.require_entity(req.entity)
        f = ResolvedFilters.from_request(req, today, self.profile(req.profile)[0])
        seen = {center.id}
        frontier = {center.id}
        rels: dict[str, Relationship] = {}
        truncated = False
        for _ in range(req.depth):
            nxt: set[str] = set()
            for rel in self.store.incident(frontier, req.limit + 1):
                if req.types and rel.type not in req.types:
                    continue
                if rel.id not in rels and len(rels) >= req.limit:
                    truncated = True
                    break
                rels[rel.id] = rel
                nxt |= {rel.source, rel.target} - seen
            seen |= nxt
            frontier = nxt
            if truncated or not frontier:
                break
        chosen = [rels[rid] for rid in sorted(rels)]
        ents = self.store.entities(seen)
        srcs = self.store.sources({ev.source for r in chosen for ev in r.evidence})
        hops = tuple(hop_view(r, r.source, ents, srcs, f.as_of, f.weights) for r in chosen)
        ordered = sorted(ents.values(), key=lambda e: (e.id != center.id, e.name.lower(), e.id))
        return NeighbourhoodResult(
            center=entity_ref(center),
            as_of=f.as_of,
            entities=tuple(entity_ref(e) for e in ordered),
            relationships=hops,
            truncated=truncated,
        )

    def asset(self, req: AssetRequest, today: date | None = None) -> AssetResult:
        """Everything around one asset within ``req.depth`` hops, grouped by role (see
        :func:`graphkit.asset.asset_view`)."""
        center = self.require_entity(req.entity)
        return asset_view(self.store, center, req, today, self.profile(req.profile)[0])

    def search(self, req: SearchRequest) -> SearchResult:
        """Entities matching ``req.text``, best first: by id (a merged-away id finds the
        entity it was merged into), by identifier (``lei:…`` or a bare LEI), by name or alias
        (substring, case, accents and script ignored), then within a typo or two."""
        query, raw = normalise(req.text), req.text.strip()
        if not query and not raw:
            return SearchResult(
                text=req.text, total=0, offset=req.offset, limit=req.limit, items=()
            )
        # (score, text matched) per entity id; the best reason wins.
        why: dict[str, tuple[float, str]] = {}

        def note(entity_id: str, score: float, matched: str) -> None:
            if score > why.get(entity_id, (0.0, ""))[0]:
                why[entity_id] = (score, matched)

        survivor = self.store.merged_into(raw) if raw else None
        if survivor is not None:
            note(survivor, 1.0, f"{raw} (merged into {survivor})")
        for key, owners in self.store.entities_by_identifier(_identifier_queries(raw)).items():
            for owner in owners:
                note(owner, 1.0, key)
        candidates = self.store.search_candidates(query.split(), limit=10_000) if query else []
        for candidate in candidates:
            for name in (candidate.name, *candidate.aliases):
                note(candidate.id, match_score(query, normalise(name)), name)
        for owner, text, score in self._name_index().lookup(query, FUZZY_HITS):
            note(owner, score, text)
        ents = self.store.entities([*why, raw])
        if raw in ents:
            note(raw, 1.0, raw)
        hits: list[SearchHit] = []
        for entity_id, (score, matched) in why.items():
            hit = ents.get(entity_id)
            if hit is None or score <= 0 or (req.kinds and hit.kind not in req.kinds):
                continue
            # A fuzzy match names the normalised text; show the name as written.
            names = (hit.name, *hit.aliases)
            shown = next((n for n in names if normalise(n) == matched), matched)
            hits.append(SearchHit(entity=entity_ref(hit), score=score, matched=shown))
        hits.sort(key=lambda h: (-h.score, h.entity.name.lower(), h.entity.id))
        page = hits[req.offset : req.offset + req.limit]
        return SearchResult(
            text=req.text, total=len(hits), offset=req.offset, limit=req.limit, items=tuple(page)
        )

    def entity(self, entity_id: str) -> EntityDetail:
        """Everything stored about one entity."""
        ent = self.require_entity(entity_id)
        return EntityDetail(
            entity=entity_ref(ent),
            aliases=ent.aliases,
            identifiers=dict(ent.identifiers),
            description=ent.description,
            properties=dict(ent.properties),
            relationship_count=self.store.relationship_count(ent.id),
        )

    def source(self, source_id: str) -> Source:
        """The document behind a hop."""
        found = self.store.sources([source_id]).get(source_id)
        if found is None:
            raise SourceNotFound(source_id)
        return found

    # ------------------------------------------------------------------ research
    # graphkit.analysis is imported where it is used: it brings networkx and scipy (~30 MB
    # and ~0.4 s at every start), which loads, reach and exposure never need.
    def owners(self, req: OwnersRequest) -> OwnersResult:
        """Direct, integrated and ultimate owners (see :func:`graphkit.analysis.owners`)."""
        from graphkit import analysis

        return analysis.owners(self, req)

    def control(self, req: ControlRequest) -> ControlResult:
        """The control chain above an entity (see :func:`graphkit.analysis.control`)."""
        from graphkit import analysis

        return analysis.control(self, req)

    def diff(self, req: DiffRequest) -> DiffResult:
        """How a reach, exposure or paths answer changed between two days, path by path,
        with the evidence for each change (see :func:`graphkit.analysis.diff`)."""
        from graphkit import analysis

        return analysis.diff(self, req)

    def timeline(self, entity_id: str) -> TimelineResult:
        """An entity's relationships as dated events."""
        from graphkit import analysis

        return analysis.timeline(self, entity_id)

    def centrality(self, req: CentralityRequest) -> CentralityResult:
        """PageRank and betweenness of the influence graph on a day."""
        from graphkit import analysis

        return analysis.centrality(self, req)

    def brokers(self, req: BrokersRequest) -> BrokersResult:
        """Brokers between an actor and a sector."""
        from graphkit import analysis

        return analysis.brokers(self, req)

    def isolated(self, method: Literal["centrality", "brokers"], req: BaseModel) -> Any:
        """A whole-graph analysis run in a child process that is killed at its deadline
        (see :mod:`graphkit.isolated`); in this process when the store cannot be shared."""
        opener = self.store.opener()
        if opener is None:
            return getattr(self, method)(req)
        from graphkit import isolated

        return isolated.run(opener, self.settings, method, req)

    # ------------------------------------------------------------------ writes
    # Writes are their own service (graphkit.writes); these keep the one front door.
    def ingest(self, records: Iterable[RawRecord]) -> IngestSummary:
        """Validate, resolve and write records at once (see :meth:`Writer.ingest`)."""
        return self.writer.ingest(records)

    def ingest_stream(
        self,
        records: Iterable[RawRecord],
        batch_size: int = BATCH_RECORDS,
        on_batch: Callable[[IngestSummary], None] | None = None,
    ) -> IngestSummary:
        """A stream of any length in all-or-nothing batches (see :meth:`Writer.ingest_stream`)."""
        return self.writer.ingest_stream(records, batch_size, on_batch)

    def check_stream(
        self, records: Iterable[RawRecord], batch_size: int = BATCH_RECORDS
    ) -> dict[str, int]:
        """Validate a stream, writing nothing (see :meth:`Writer.check_stream`)."""
        return self.writer.check_stream(records, batch_size)

    def merge(self, canonical: str, merged: Iterable[str], reason: str = "accepted") -> Entity:
        """Make ``merged`` entities one with ``canonical`` (see :meth:`Writer.merge`)."""
        return self.writer.merge(canonical, merged, reason)

    def resolution_candidates(self) -> list[tuple[str, list[Entity]]]:
        """Entities whose names agree once legal forms and scripts are folded (for review)."""
        return resolve.candidates(self.store, self.store.merges())

    def records(self, page: int = 5000) -> Iterator[Source | Entity | Relationship]:
        """Everything the store holds, streamed a page at a time so an export of millions
        never sits in memory: the sources relationships cite, then entities, then
        relationships, each in id order. Only the cited sources' ids are held meanwhile."""
        cited: set[str] = set()
        for rels in self._pages(self.store.scan_relationships, page):
            cited.update(ev.source for r in rels for ev in r.evidence)
        ids = sorted(cited)
        for start in range(0, len(ids), page):
            found = self.store.sources(ids[start : start + page])
            yield from (found[k] for k in ids[start : start + page] if k in found)
        for entities in self._pages(self.store.scan_entities, page):
            yield from entities
        for rels in self._pages(self.store.scan_relationships, page):
            yield from rels

    @staticmethod
    def _pages(
        scan: Callable[[str | None, int], list[_Scanned]], page: int
    ) -> Iterator[list[_Scanned]]:
        """A store's scan, one page after another in id order."""
        after: str | None = None
        while chunk := scan(after, page):
            yield chunk
            after = chunk[-1].id

    def dump(self, page: int = 5000) -> Batch:
        """Everything the store holds as one batch (tests and small stores; exports stream
        :meth:`records`)."""
        items = list(self.records(page))
        return Batch(
            sources=tuple(i for i in items if isinstance(i, Source)),
            entities=tuple(i for i in items if isinstance(i, Entity)),
            relationships=tuple(i for i in items if isinstance(i, Relationship)),
        )

    def kind_of(self, entity_id: str) -> EntityKind | None:
        """One entity's kind (None: not in the store)."""
        return self.store.entity_kinds([entity_id]).get(entity_id)

    def export_neo4j(self, folder: Path) -> ImportFiles:
        """The whole store as files for Neo4j's offline bulk importer (see
        :mod:`graphkit.neo4j_export`)."""
        return write_import_files(self.store, folder)

    def stats(self) -> StoreStats:
        """What the store holds."""
        return self.store.stats()

    def data_version(self) -> str | None:
        """A token that changes whenever the stored data changes (``None``: not tracked)."""
        return self.store.data_version()

    def run(self, query: NamedQuery, today: date | None = None) -> Result:
        """Run a query named by kind and anchors (what exports, pictures and citations run)."""
        req = query.request()
        if isinstance(req, ReachRequest):
            return self.reach(req, today)
        if isinstance(req, ExposureRequest):
            return self.exposure(req, today)
        if isinstance(req, PathsRequest):
            return self.paths(req, today)
        if isinstance(req, NeighbourhoodRequest):
            return self.neighbourhood(req, today)
        return self.asset(req, today)

    def cite(
        self,
        query: NamedQuery,
        *,
        base_url: str,
        pinned_version: str | None = None,
        today: date | None = None,
    ) -> tuple[Citation, Result]:
        """A query's answer as citable text, with its days pinned (see
        :meth:`NamedQuery.pinned`) and a permalink; ``pinned_version`` is the data version a
        permalink named, so a changed store is said out loud."""
        pinned = query.pinned(today or date.today())
        version = self.data_version()
        result = self.run(pinned, today)
        citation = cite(
            result,
            pinned,
            permalink=permalink(base_url, pinned, version),
            data_version=version,
            data_changed=pinned_version is not None and pinned_version != version,
        )
        return citation, result

    def cypher(self, req: CypherRequest) -> CypherResult:
        """A researcher's read-only Cypher (Neo4j backend): plan checked, read transaction,
        time budget, row cap."""
        columns, rows, truncated = self.store.read_cypher(
            req.query, dict(req.params), req.limit, self.settings.time_budget
        )
        return CypherResult(
            query=req.query,
            columns=tuple(columns),
            rows=tuple(tuple(r) for r in rows),
            truncated=truncated,
        )

    def reindex(self) -> int:
        """Recompute every stored value derived from the schema table; how many
        relationships were re-derived (stores also do this by themselves on opening)."""
        return self.store.reindex()
