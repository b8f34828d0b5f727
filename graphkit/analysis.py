"""Research queries over the engine: ownership and control, change over time, centrality.

They read the store only through the engine and its store contract, so both backends give
the same numbers; the arithmetic lives in :mod:`graphkit.ownership` and networkx.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

import networkx as nx

from graphkit import centrality as centrality_bounded
from graphkit.errors import BoundExceeded, InvalidData, Issue
from graphkit.filters import ResolvedFilters, Traversal, rel_passes
from graphkit.model import Entity, Relationship, Source, Stance, date_floor, known_from
from graphkit.ownership import OwnershipMatrix, Stake
from graphkit.query import (
    MAX_PAGE,
    BrokerItem,
    BrokersRequest,
    BrokersResult,
    CentralityItem,
    CentralityRequest,
    CentralityResult,
    ContributingPath,
    ControlRequest,
    ControlResult,
    ControlStep,
    DiffItem,
    DiffQuery,
    DiffRequest,
    DiffResult,
    EntityRef,
    ExposureRequest,
    Filters,
    Hop,
    InfluencePath,
    OwnerShare,
    OwnersRequest,
    OwnersResult,
    PathChange,
    PathsRequest,
    ReachRequest,
    TimelineEvent,
    TimelineResult,
)
from graphkit.schema import (
    CONTROL_TYPES,
    STAKE_TYPES,
    STATE_KINDS,
    EntityKind,
    RelType,
    influence_arcs,
)
from graphkit.semantics import (
    entity_ref,
    evidence_known,
    hop_view,
    path_view,
)
from graphkit.traversal import Arc, k_best_paths, strength_key

if TYPE_CHECKING:
    from graphkit.engine import QueryEngine

#: Ownership chains can be long; this bounds the upward search, not the arithmetic within it.
OWNERSHIP_DEPTH = 50
PATH_DEPTH = 10
#: Graphs up to this many nodes get exact betweenness; larger ones a seeded estimate, so a
#: 100k-node store answers in seconds instead of hours (the method is stated in the answer).
EXACT_BETWEENNESS = 5_000
BETWEENNESS_PIVOTS = 256
_ALL = 10_000_000


class _Arcs:
    """Ownership stakes as arcs (strength = share), for the top contributing chains."""

    def __init__(self, stakes: Iterable[Stake]) -> None:
        self.out: dict[str, list[Arc]] = {}
        self.into: dict[str, list[Arc]] = {}
        for s in stakes:
            arc = Arc(s.owner, s.owned, s.rel_id, s.share)
            self.out.setdefault(s.owner, []).append(arc)
            self.into.setdefault(s.owned, []).append(arc)

    def arcs_from(self, node: str) -> list[Arc]:
        return self.out.get(node, [])

    def arcs_into(self, node: str) -> list[Arc]:
        return self.into.get(node, [])


def _upstream(
    eng: QueryEngine, target: str, types: frozenset[RelType], f: ResolvedFilters
) -> list[Relationship]:
    """Relationships of ``types`` in force among everything upstream of ``target``."""
    scoped = replace(f, types=types)
    found = eng.store.best_paths(
        target,
        inbound=True,
        spec=Traversal(scoped, OWNERSHIP_DEPTH, 0.0, eng.settings.time_budget),
    )
    nodes = set(found.ids()) | {target}
    rels = [
        r
        for r in eng.store.incident(nodes, _ALL)
        if r.type in types and r.source in nodes and r.target in nodes
    ]
    sources = eng.store.sources({ev.source for r in rels for ev in r.evidence})
    return [
        evidence_known(r, sources, scoped)
        for r in rels
        if rel_passes(r, scoped, known_from(r, sources))
    ]


def _views(
    eng: QueryEngine, rels: Iterable[Relationship]
) -> tuple[dict[str, Entity], dict[str, Source]]:
    rel_list = list(rels)
    ents = eng.store.entities({e for r in rel_list for e in (r.source, r.target)})
    srcs = eng.store.sources({ev.source for r in rel_list for ev in r.evidence})
    return ents, srcs


def owners(eng: QueryEngine, req: OwnersRequest) -> OwnersResult:
    """Direct and integrated owners of an entity, ultimate owners and the state's share.

    Raises:
        InvalidData: the recorded shares of some entity add up to more than 100%.
    """
    target = eng.require_entity(req.entity)
    f = ResolvedFilters.from_request(_filters(req.as_of, req.known_by, req.include_undated))
    rels = _upstream(eng, target.id, STAKE_TYPES, f)
    stakes = [Stake(r.source, r.target, r.share, r.id) for r in rels if r.share is not None]
    matrix = OwnershipMatrix.build(stakes, strict=False)
    try:
        integrated = matrix.integrated_in(target.id)
    except RuntimeError as exc:  # a singular system: cycles of over-allocated shares
        raise InvalidData(
            [
                Issue(None, s.rel_id, "share", str(p))
                for p in matrix.over_allocated
                for s in p.stakes
            ]
        ) from exc
    by_id = {r.id: r for r in rels}
    ents, srcs = _views(eng, rels)
    ents.setdefault(target.id, target)
    arcs = _Arcs(matrix.stakes.values())
    rows: list[OwnerShare] = []
    for owner_id, share in integrated.items():
        if owner_id == target.id or share <= 1e-12:
            continue
        direct = matrix.stakes.get((owner_id, target.id))
        chains = (
            k_best_paths(
                arcs,
                owner_id,
                target.id,
                k=req.max_paths,
                max_depth=PATH_DEPTH,
                time_budget=eng.settings.time_budget,
            )
            if req.max_paths
            else []
        )
        paths = tuple(
            ContributingPath(
                contribution=s,
                path=path_view(owner_id, [a.rel_id for a in chain], by_id, ents, srcs, f.as_of),
            )
            for s, chain in chains
        )
        owner = ents[owner_id]
        rows.append(
            OwnerShare(
                entity=entity_ref(owner),
                direct=direct.share if direct else 0.0,
                integrated=share,
                excluding_own_cycles=share / (1.0 + matrix.self_share(owner_id)),
                ultimate=not matrix.has_owners(owner_id) or owner.kind is EntityKind.PERSON,
                paths=paths,
            )
        )
    rows.sort(key=lambda o: (-strength_key(o.integrated), o.entity.id))
    state = sum(o.integrated for o in rows if o.entity.kind in STATE_KINDS and o.ultimate)
    unknown = tuple(
        hop_view(r, r.source, ents, srcs, f.as_of)
        for r in sorted(rels, key=lambda r: r.id)
        if r.share is None
    )
    return OwnersResult(
        entity=entity_ref(target),
        as_of=f.as_of,
        threshold=req.threshold,
        owners=tuple(rows),
        ultimate_owners=tuple(o for o in rows if o.ultimate and o.integrated >= req.threshold),
        state_share=state,
        circular_self_share=integrated.get(target.id, 0.0),
        unknown_share_stakes=unknown,
        warnings=tuple(
            f"recorded shares of {p.entity!r} add up to {p.total:.1%}; check "
            + ", ".join(s.rel_id for s in p.stakes)
            for p in matrix.over_allocated
        ),
    )


def control(eng: QueryEngine, req: ControlRequest) -> ControlResult:
    """Follow explicit control and majority ownership upwards to the ultimate controller."""
    start = eng.require_entity(req.entity)
    f = ResolvedFilters.from_request(_filters(req.as_of, req.known_by, req.include_undated))
    scoped = replace(f, types=STAKE_TYPES | CONTROL_TYPES)
    chain: list[ControlStep] = []
    seen = {start.id}
    current = start.id
    circular = False
    truncated = False
    while True:
        if len(chain) >= OWNERSHIP_DEPTH:
            truncated = True  # a chain this long is a data problem or a loop of shells
            break
        rels = eng.store.incident([current], _ALL)
        srcs = eng.store.sources({ev.source for r in rels for ev in r.evidence})
        options: list[tuple[tuple[int, float, str], Relationship, str, str]] = []
        for r in rels:
            if not rel_passes(r, scoped, known_from(r, srcs)):
                continue
            other = r.target if r.source == current else r.source
            acts = (other, current) in influence_arcs(r.type, r.source, r.target)
            if r.type in CONTROL_TYPES and acts:
                options.append(((0, -r.strength, r.id), r, other, "control"))
            elif r.type in STAKE_TYPES and r.target == current and (r.share or 0) > 0.5:
                options.append(((1, -(r.share or 0), r.id), r, r.source, "majority"))
        if not options:
            break
        _key, rel, controller, basis = min(options, key=lambda o: o[0])
        rel = evidence_known(rel, srcs, scoped)
        ents = eng.store.entities([rel.source, rel.target])
        hop = hop_view(rel, controller, ents, srcs, f.as_of)
        chain.append(
            ControlStep(
                controller=entity_ref(ents[controller]),
                basis=basis,
                share=rel.share if basis == "majority" else None,
                hop=hop,
            )
        )
        if controller in seen:
            circular = True
            break
        seen.add(controller)
        current = controller
    top = chain[-1].controller if chain else None
    state_share = owners(
        eng,
        OwnersRequest(
            entity=start.id,
            as_of=f.as_of,
            known_by=f.known_by,
            include_undated=f.include_undated,
            max_paths=0,
        ),
    ).state_share
    return ControlResult(
        entity=entity_ref(start),
        as_of=f.as_of,
        chain=tuple(chain),
        ultimate_controller=top,
        state_controlled=bool(top and top.kind in STATE_KINDS) or state_share > 0.5,
        state_share=state_share,
        circular=circular,
        truncated=truncated,
    )


def _filters(as_of: date | None, known_by: date | None, include_undated: bool = False) -> Filters:
    """Day filters for :class:`ResolvedFilters` (types are narrowed by the caller)."""
    return Filters(as_of=as_of, known_by=known_by, include_undated=include_undated)


@dataclass(frozen=True)
class _Best:
    """One entity's place in an answer on one day: its best path and that path's strength."""

    entity: EntityRef
    strength: float
    path: InfluencePath
    #: The k strongest paths, when the answer already holds them (a paths diff).
    paths: tuple[InfluencePath, ...] | None = None


def _answers(
    eng: QueryEngine, req: DiffRequest, day: date
) -> tuple[dict[str, _Best], EntityRef | None, EntityRef | None]:
    """Each entity's best path on ``day`` for the diff's query, and the query's anchors."""
    filt = {
        "max_depth": req.max_depth,
        "min_strength": req.min_strength,
        "types": req.types,
        "min_confidence": req.min_confidence,
        "profile": req.profile,
        "as_of": day,
    }
    if req.query is DiffQuery.REACH:
        reach = eng.reach(
            ReachRequest(target=str(req.target), kinds=req.kinds, limit=MAX_PAGE, **filt)
        )
        best = {i.entity.id: _Best(i.entity, i.strength, i.path) for i in reach.items}
        return best, None, reach.target
    if req.query is DiffQuery.EXPOSURE:
        expo = eng.exposure(
            ExposureRequest(source=str(req.source), kinds=req.kinds, limit=MAX_PAGE, **filt)
        )
        best = {i.entity.id: _Best(i.entity, i.strength, i.path) for i in expo.items}
        return best, expo.source, None
    found = eng.paths(PathsRequest(source=str(req.source), target=str(req.target), k=req.k, **filt))
    if not found.paths:
        return {}, found.source, found.target
    top = found.paths[0]
    held = _Best(found.target, top.strength, top, found.paths)
    return {found.target.id: held}, found.source, found.target


def _top_paths(
    eng: QueryEngine, req: DiffRequest, entity: str, day: date
) -> tuple[InfluencePath, ...]:
    """The k strongest paths behind one entity of the answer on ``day``."""
    source, target = (entity, req.target) if req.query is DiffQuery.REACH else (req.source, entity)
    return eng.paths(
        PathsRequest(
            source=str(source),
            target=str(target),
            k=req.k,
            max_depth=req.max_depth,
            min_strength=req.min_strength,
            types=req.types,
            min_confidence=req.min_confidence,
            profile=req.profile,
            as_of=day,
        )
    ).paths


def diff(eng: QueryEngine, req: DiffRequest) -> DiffResult:
    """How an answer changed between two days: entities that appeared, disappeared or
    changed strength, and for the strongest of them every path (of the k best on either
    day) that appeared or ended, with the dated relationships and their sources.

    A path "ended" when one of its relationships is no longer in force on the later day,
    and "appeared" when one was not yet (or no longer) in force on the earlier day; a path
    that only moved in the ranking is not a change.
    """
    d0, d1 = req.from_date, req.to_date or date.today()
    before, src_ref, tgt_ref = _answers(eng, req, d0)
    after, _s, _t = _answers(eng, req, d1)
    everyone = set(before) | set(after)

    def peak(eid: str) -> float:
        return max(x.strength for x in (before.get(eid), after.get(eid)) if x is not None)

    compared = sorted(everyone, key=lambda e: (-strength_key(peak(e)), e))[: req.limit]

    def paths_on(side: dict[str, _Best], eid: str, day: date) -> tuple[InfluencePath, ...]:
        held = side.get(eid)
        if held is not None and held.paths is not None:
            return held.paths  # a paths diff: the answer is the k paths
        if req.query is DiffQuery.PATHS:
            return ()  # no path at all that day
        return _top_paths(eng, req, eid, day)

    top = {eid: (paths_on(before, eid, d0), paths_on(after, eid, d1)) for eid in compared}
    all_paths = [x.path for side in (before, after) for x in side.values()]
    all_paths += [p for pair in top.values() for side in pair for p in side]
    rels = eng.store.relationships({h.relationship_id for p in all_paths for h in p.hops})
    ents, srcs = _views(eng, rels.values())

    def moved(rid: str) -> bool:
        return rels[rid].valid_on(d0) != rels[rid].valid_on(d1)

    weights = eng.profile(req.profile)[0]

    def later_view(hop: Hop) -> Hop:
        return hop_view(rels[hop.relationship_id], hop.influence_from, ents, srcs, d1, weights)

    items: list[DiffItem] = []
    unchanged = 0
    for eid in sorted(everyone):
        b, a = before.get(eid), after.get(eid)
        p0, p1 = top.get(eid, ((), ()))
        changes = [
            PathChange(
                change=change,
                path=p,
                hops=tuple(later_view(h) for h in p.hops if moved(h.relationship_id)),
            )
            for change, side, other in (("ended", p0, d1), ("appeared", p1, d0))
            for p in side
            if not all(rels[h.relationship_id].valid_on(other) for h in p.hops)
        ]
        if b and a and _same(b, a) and not changes:
            unchanged += 1
            continue
        hop_ids = {h.relationship_id for x in (b, a) if x for h in x.path.hops}
        hop_ids |= {h.relationship_id for c in changes for h in c.hops}
        changed = tuple(
            later_view(_hop_of(rid, b, a, changes)) for rid in sorted(hop_ids) if moved(rid)
        )
        change = "appeared" if b is None else "disappeared" if a is None else "changed"
        entity = (a or b).entity  # type: ignore[union-attr]
        items.append(
            DiffItem(
                entity=entity,
                change=change,
                strength_before=b.strength if b else None,
                strength_after=a.strength if a else None,
                before=b.path if b else None,
                after=a.path if a else None,
                changed_hops=changed,
                paths=tuple(changes),
                explanation=_explain_change(entity.name, change, b, a, changed, changes, d0, d1),
            )
        )
    items.sort(
        key=lambda d: (
            -abs((d.strength_after or 0) - (d.strength_before or 0)),
            -max(d.strength_after or 0, d.strength_before or 0),
            d.entity.id,
        )
    )
    return DiffResult(
        query=req.query,
        source=src_ref,
        target=tgt_ref,
        from_date=d0,
        to_date=d1,
        items=tuple(items),
        unchanged=unchanged,
        compared_paths_for=len(compared),
        profile=eng.profile(req.profile)[1],
    )


def _same(b: _Best, a: _Best) -> bool:
    return strength_key(b.strength) == strength_key(a.strength) and [
        h.relationship_id for h in b.path.hops
    ] == [h.relationship_id for h in a.path.hops]


def _hop_of(rid: str, b: _Best | None, a: _Best | None, changes: list[PathChange]) -> Hop:
    """The hop of relationship ``rid`` on one of the compared paths (its orientation)."""
    paths = [x.path for x in (b, a) if x] + [c.path for c in changes]
    for path in paths:
        for hop in path.hops:
            if hop.relationship_id == rid:
                return hop
    raise KeyError(rid)


def _chain(path: InfluencePath) -> str:
    return " → ".join(e.name for e in path.entities)


def _explain_change(
    name: str,
    change: str,
    b: _Best | None,
    a: _Best | None,
    hops: tuple[Hop, ...],
    paths: list[PathChange],
    d0: date,
    d1: date,
) -> str:
    if change == "appeared":
        head = f"{name} is in the answer on {d1} but not on {d0}"
    elif change == "disappeared":
        head = f"{name} was in the answer on {d0} but not on {d1}"
    elif a is not None and b is not None and not _same(b, a):
        head = (
            f"{name}: strength {b.strength:.3f} → {a.strength:.3f} "
            f"({b.path.length} → {a.path.length} hops)"
        )
    else:
        head = f"{name}: same strongest path, other paths changed"
    reasons = []
    for pc in paths:
        when = f"on {d1}" if pc.change == "ended" else f"since {d0}"
        verb = "path ended" if pc.change == "ended" else "path appeared"
        reasons.append(f"{verb} {when}: {_chain(pc.path)}")
    for hop in hops:
        state = "now in force" if hop.active else "no longer in force"
        reasons.append(f"{state}: {hop.explanation}")
    return head + (
        ". " + " ".join(r if r.endswith(".") else r + "." for r in reasons) if reasons else "."
    )


def timeline(eng: QueryEngine, entity_id: str) -> TimelineResult:
    """An entity's relationships as dated events: starts, ends and reports by sources."""
    ent = eng.require_entity(entity_id)
    rels = eng.store.incident([ent.id], _ALL)
    ents, srcs = _views(eng, rels)
    today = date.today()
    events: list[TimelineEvent] = []
    for r in rels:
        hop = hop_view(r, r.source, ents, srcs, today)
        if r.valid_from:
            events.append(TimelineEvent(date=r.valid_from, event="starts", hop=hop))
        if r.valid_to:
            events.append(TimelineEvent(date=r.valid_to, event="ends", hop=hop))
        elif r.ended:
            events.append(TimelineEvent(date=None, event="ended (date unknown)", hop=hop))
        for ev in r.evidence:
            src = srcs.get(ev.source)
            verb = "reported" if ev.stance is Stance.SUPPORTS else "disputed"
            events.append(
                TimelineEvent(
                    date=getattr(src, "date", None),
                    event=verb,
                    source_title=getattr(src, "title", ev.source),
                    hop=hop,
                )
            )
    order = {"starts": 0, "reported": 1, "disputed": 2, "ends": 3, "ended (date unknown)": 4}
    events.sort(
        key=lambda e: (
            e.date is None,
            date_floor(e.date) if e.date else date.max,
            order.get(e.event, 9),
            e.hop.relationship_id,
        )
    )
    return TimelineResult(entity=entity_ref(ent), events=tuple(events))


def _graph(arcs: list[Arc]) -> nx.DiGraph[str]:
    """Strongest arc per pair; distance = -log(strength) so strong routes are short."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    for arc in arcs:
        if arc.strength <= 0:
            continue
        old = graph.get_edge_data(arc.tail, arc.head)
        if old is None or arc.strength > old["strength"]:
            graph.add_edge(
                arc.tail, arc.head, strength=arc.strength, distance=-math.log(arc.strength)
            )
    return graph


def _within(deadline: float, step: str) -> None:
    if time.monotonic() > deadline:
        raise BoundExceeded(
            f"centrality ran past its time budget during {step}; narrow it (types, as_of) or "
            "raise GRAPHKIT_TIME_BUDGET (the CLI's --time-budget) for this analysis.",
            bound="time",
        )


def centrality(eng: QueryEngine, req: CentralityRequest) -> CentralityResult:
    """PageRank (strength-weighted) and betweenness of every entity in force on a day, all
    within the time budget (refused early, with an estimate, when it cannot fit)."""
    deadline = time.monotonic() + eng.settings.time_budget
    f = ResolvedFilters.from_request(
        _filters(req.as_of, None).model_copy(update={"types": req.types})
    )
    arcs = eng.store.influence_arcs(f, eng.settings.time_budget)
    graph = _graph(arcs)
    if graph.number_of_nodes() == 0:
        return CentralityResult(as_of=f.as_of, nodes=0, arcs=0, items=())
    _within(deadline, f"building the graph of {graph.number_of_nodes():,} nodes")
    rank = nx.pagerank(graph, weight="strength")
    _within(deadline, "PageRank")
    exact = graph.number_of_nodes() <= EXACT_BETWEENNESS
    between = centrality_bounded.betweenness(
        graph, None if exact else BETWEENNESS_PIVOTS, deadline, weight="distance"
    )
    method = (
        "exact (Brandes)"
        if exact
        else f"estimated from {BETWEENNESS_PIVOTS} seeded random pivots (Brandes & Pich 2007)"
    )
    ents = eng.store.entities(graph.nodes)
    kinds = set(req.kinds) if req.kinds else None
    items = [
        CentralityItem(
            entity=entity_ref(ents[n]),
            pagerank=round(rank[n], 12),
            betweenness=round(between[n], 12),
        )
        for n in graph.nodes
        if kinds is None or ents[n].kind in kinds
    ]
    items.sort(key=lambda i: (-i.pagerank, -i.betweenness, i.entity.id))
    return CentralityResult(
        as_of=f.as_of,
        nodes=graph.number_of_nodes(),
        arcs=graph.number_of_edges(),
        items=tuple(items[: req.top]),
        betweenness_method=method,
    )


def brokers(eng: QueryEngine, req: BrokersRequest) -> BrokersResult:
    """Entities on the strongest routes from ``source`` to every entity of the target kinds."""
    source = eng.require_entity(req.source)
    f = ResolvedFilters.from_request(_filters(req.as_of, None))
    graph = _graph(eng.store.influence_arcs(f, eng.settings.time_budget))
    ents = eng.store.entities(graph.nodes)
    targets = sorted(n for n in graph.nodes if ents[n].kind in req.target_kinds and n != source.id)
    items: list[BrokerItem] = []
    if source.id in graph and targets:
        scores = nx.betweenness_centrality_subset(
            graph, sources=[source.id], targets=targets, weight="distance", normalized=False
        )
        items = [
            BrokerItem(entity=entity_ref(ents[n]), betweenness=round(v, 12))
            for n, v in scores.items()
            if v > 0 and n != source.id
        ]
        items.sort(key=lambda i: (-i.betweenness, i.entity.id))
    return BrokersResult(
        source=entity_ref(source),
        target_kinds=req.target_kinds,
        as_of=f.as_of,
        targets=len(targets),
        items=tuple(items[: req.top]),
    )
