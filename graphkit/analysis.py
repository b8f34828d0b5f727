"""Research queries over the engine: ownership and control, change over time, centrality.

They read the store only through the engine and its store contract, so both backends give
the same numbers; the arithmetic lives in :mod:`graphkit.ownership` and networkx.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

import networkx as nx

from graphkit.errors import InvalidData, Issue
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
    DiffRequest,
    DiffResult,
    Filters,
    Hop,
    OwnerShare,
    OwnersRequest,
    OwnersResult,
    RankedEntity,
    ReachRequest,
    TimelineEvent,
    TimelineResult,
)
from graphkit.schema import EntityKind, RelType
from graphkit.semantics import ResolvedFilters, entity_ref, hop_view, path_view, rel_passes
from graphkit.traversal import Arc, k_best_paths, strength_key

if TYPE_CHECKING:
    from graphkit.engine import QueryEngine

STAKE_TYPES = frozenset({RelType.OWNS, RelType.HOLDS_STAKE_IN})
#: Explicit control: the source controls the target, or the target is the parent.
CONTROL_TYPES = frozenset({RelType.CONTROLS, RelType.SUBSIDIARY_OF})
STATE_KINDS = frozenset({EntityKind.STATE_BODY, EntityKind.PARTY_ORGANISATION})
#: Ownership chains can be long; this bounds the upward search, not the arithmetic within it.
OWNERSHIP_DEPTH = 50
PATH_DEPTH = 10
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
        max_depth=OWNERSHIP_DEPTH,
        min_strength=0.0,
        filters=scoped,
        time_budget=eng.settings.time_budget,
    )
    nodes = set(found.ids()) | {target}
    rels = [
        r
        for r in eng.store.incident(nodes, _ALL)
        if r.type in types and r.source in nodes and r.target in nodes
    ]
    sources = eng.store.sources({ev.source for r in rels for ev in r.evidence})
    return [r for r in rels if rel_passes(r, scoped, known_from(r, sources))]


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
    f = ResolvedFilters.from_request(_filters(req.as_of, req.known_by))
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
    f = ResolvedFilters.from_request(_filters(req.as_of, req.known_by))
    scoped = replace(f, types=STAKE_TYPES | CONTROL_TYPES)
    chain: list[ControlStep] = []
    seen = {start.id}
    current = start.id
    circular = False
    while True:
        rels = eng.store.incident([current], _ALL)
        srcs = eng.store.sources({ev.source for r in rels for ev in r.evidence})
        options: list[tuple[tuple[int, float, str], Relationship, str, str]] = []
        for r in rels:
            if not rel_passes(r, scoped, known_from(r, srcs)):
                continue
            if r.type is RelType.CONTROLS and r.target == current:
                options.append(((0, -r.strength, r.id), r, r.source, "control"))
            elif r.type is RelType.SUBSIDIARY_OF and r.source == current:
                options.append(((0, -r.strength, r.id), r, r.target, "control"))
            elif r.type in STAKE_TYPES and r.target == current and (r.share or 0) > 0.5:
                options.append(((1, -(r.share or 0), r.id), r, r.source, "majority"))
        if not options:
            break
        _key, rel, controller, basis = min(options, key=lambda o: o[0])
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
        eng, OwnersRequest(entity=start.id, as_of=f.as_of, known_by=f.known_by, max_paths=0)
    ).state_share
    return ControlResult(
        entity=entity_ref(start),
        as_of=f.as_of,
        chain=tuple(chain),
        ultimate_controller=top,
        state_controlled=bool(top and top.kind in STATE_KINDS) or state_share > 0.5,
        state_share=state_share,
        circular=circular,
    )


def _filters(as_of: date | None, known_by: date | None) -> Filters:
    """Day filters for :class:`ResolvedFilters` (types are narrowed by the caller)."""
    return Filters(as_of=as_of, known_by=known_by)


def diff_reach(eng: QueryEngine, req: DiffRequest) -> DiffResult:
    """Who gained, lost or changed reach between two days, with the relationships that
    explain each change."""
    to_date = req.to_date or date.today()
    common = {
        "target": req.target,
        "max_depth": req.max_depth,
        "min_strength": req.min_strength,
        "types": req.types,
        "min_confidence": req.min_confidence,
        "limit": MAX_PAGE,
    }
    before_result = eng.reach(ReachRequest.model_validate({**common, "as_of": req.from_date}))
    before = {i.entity.id: i for i in before_result.items}
    after_result = eng.reach(ReachRequest.model_validate({**common, "as_of": to_date}))
    after = {i.entity.id: i for i in after_result.items}
    rel_ids = {
        h.relationship_id for side in (before, after) for i in side.values() for h in i.path.hops
    }
    rels = eng.store.relationships(rel_ids)
    ents, srcs = _views(eng, rels.values())
    items: list[DiffItem] = []
    unchanged = 0
    for eid in sorted(set(before) | set(after)):
        b, a = before.get(eid), after.get(eid)
        if b and a and _same(b, a):
            unchanged += 1
            continue
        ids = {h.relationship_id for item in (b, a) if item for h in item.path.hops}
        changed = tuple(
            hop_view(rels[rid], _from(rid, b, a), ents, srcs, to_date)
            for rid in sorted(ids)
            if rels[rid].valid_on(req.from_date) != rels[rid].valid_on(to_date)
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
                explanation=_explain_change(
                    entity.name, change, b, a, changed, req.from_date, to_date
                ),
            )
        )
    items.sort(
        key=lambda d: (-abs((d.strength_after or 0) - (d.strength_before or 0)), d.entity.id)
    )
    return DiffResult(
        target=after_result.target,
        from_date=req.from_date,
        to_date=to_date,
        items=tuple(items),
        unchanged=unchanged,
    )


def _same(b: RankedEntity, a: RankedEntity) -> bool:
    return strength_key(b.strength) == strength_key(a.strength) and [
        h.relationship_id for h in b.path.hops
    ] == [h.relationship_id for h in a.path.hops]


def _from(rid: str, *items: RankedEntity | None) -> str:
    for item in items:
        for hop in item.path.hops if item else ():
            if hop.relationship_id == rid:
                return hop.influence_from
    raise KeyError(rid)


def _explain_change(
    name: str,
    change: str,
    b: RankedEntity | None,
    a: RankedEntity | None,
    hops: tuple[Hop, ...],
    d0: date,
    d1: date,
) -> str:
    if change == "appeared":
        head = f"{name} can reach the target on {d1} but not on {d0}"
    elif change == "disappeared":
        head = f"{name} could reach the target on {d0} but not on {d1}"
    else:
        assert a is not None and b is not None
        head = f"{name}: strength {b.strength:.3f} → {a.strength:.3f} ({b.hops} → {a.hops} hops)"
    reasons = []
    for hop in hops:
        state = "now in force" if hop.active else "no longer in force"
        reasons.append(f"{state}: {hop.explanation}")
    return head + (". " + " ".join(reasons) if reasons else ".")


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


def centrality(eng: QueryEngine, req: CentralityRequest) -> CentralityResult:
    """PageRank (strength-weighted) and betweenness of every entity in force on a day."""
    f = ResolvedFilters.from_request(
        _filters(req.as_of, None).model_copy(update={"types": req.types})
    )
    arcs = eng.store.influence_arcs(f, eng.settings.time_budget)
    graph = _graph(arcs)
    if graph.number_of_nodes() == 0:
        return CentralityResult(as_of=f.as_of, nodes=0, arcs=0, items=())
    rank = nx.pagerank(graph, weight="strength")
    between = nx.betweenness_centrality(graph, weight="distance", normalized=True)
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
