"""The asset view: everything around one port, terminal, platform or data asset, grouped by
the role each relationship plays (owners, operators, agreements, data, suppliers, laws,
counter-measures), each fact with its evidence and dates.

Written against the store contract only, so both backends give the same view.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from graphkit.filters import ResolvedFilters, known_passes
from graphkit.model import Entity, Relationship, Source, known_from
from graphkit.profiles import Weights
from graphkit.query import AssetFact, AssetGroup, AssetRequest, AssetResult
from graphkit.schema import (
    ORGS,
    PEOPLE,
    RELATIONSHIPS,
    ROLE_OF,
    ROLE_TITLES,
    Flow,
    RelType,
    Role,
    confidence_factor,
    influence_arcs,
)
from graphkit.semantics import (
    entity_ref,
    evidence_known,
    hop_view,
)
from graphkit.store.base import GraphStore

#: Kinds whose two-way ties (agreements, associations) still count as acting on an entity
#: beyond the first hop: an owner's pact with a ministry matters, a platform's deal with
#: another port does not.
_ACTORS = ORGS | PEOPLE
#: Relationships read per hop, as a multiple of the view's limit.
FETCH_FACTOR = 4


def _acts_on(rel: Relationship, near: str, kinds: Mapping[str, Entity]) -> bool:
    """Whether ``rel`` acts on ``near`` from its other end: influence flows into ``near``,
    or it is a counter-measure aimed at it."""
    if ROLE_OF[rel.type] is Role.COUNTER:
        return rel.target == near
    far = rel.target if rel.source == near else rel.source
    if (far, near) not in influence_arcs(rel.type, rel.source, rel.target):
        return False
    if RELATIONSHIPS[rel.type].flow is Flow.BOTH:
        other = kinds.get(far)
        return other is not None and other.kind in _ACTORS
    return True


def _oriented_from(rel: Relationship, near: str) -> str:
    """Where the hop is drawn from: the far end when influence flows toward ``near``, else
    the declared direction."""
    far = rel.target if rel.source == near else rel.source
    if (far, near) in influence_arcs(rel.type, rel.source, rel.target):
        return far
    arcs = influence_arcs(rel.type, rel.source, rel.target)
    return arcs[0][0] if arcs else rel.source


def asset_view(
    store: GraphStore,
    center: Entity,
    req: AssetRequest,
    today: date | None = None,
    weights: Weights | None = None,
) -> AssetResult:
    """The facts around ``center`` within ``req.depth`` hops, grouped by role.

    Hop 1 takes every relationship of the asset (bans and warnings included); later hops
    take what acts on the entities found. Only facts in force on ``as_of`` (or undated) lead
    further out; the others are shown, flagged, at the edge. Under ``known_by`` a fact no
    source had reported by then is left out and counted.
    """
    f = ResolvedFilters.from_request(req, today, weights)
    wanted = frozenset(req.types) if req.types else frozenset(RelType)
    distance: dict[str, int] = {center.id: 0}
    placed: dict[str, tuple[int, str, Relationship]] = {}
    ents: dict[str, Entity] = {center.id: center}
    srcs: dict[str, Source] = {}
    frontier = [center.id]
    truncated = False
    unknown: set[str] = set()
    for step in range(1, req.depth + 1):
        # Relationships that do not act on the entities found are read and dropped, so read
        # a generous multiple; if even that fills up, say the view is cut.
        cap = FETCH_FACTOR * req.limit + len(placed)
        found = store.incident(frontier, cap)
        truncated = len(found) >= cap
        new = sorted((r for r in found if r.id not in placed), key=lambda r: r.id)
        ends = {e for r in new for e in (r.source, r.target)} - set(ents)
        ents.update(store.entities(ends))
        srcs.update(store.sources({ev.source for r in new for ev in r.evidence} - set(srcs)))
        here = set(frontier)
        nxt: set[str] = set()
        for rel in new:
            # Both ends may have been found at the same distance: attach to one it acts on.
            nears = [e for e in (rel.target, rel.source) if e in here]
            if step > 1:
                nears = [e for e in nears if _acts_on(rel, e, ents)]
            if rel.type not in wanted or not nears:
                continue
            near = nears[0]
            if (
                f.min_confidence is not None
                and confidence_factor(rel.confidence) < f.min_confidence
            ):
                continue
            if not known_passes(known_from(rel, srcs), f):
                unknown.add(rel.id)
                continue
            if len(placed) >= req.limit:
                truncated = True
                break
            placed[rel.id] = (step, near, evidence_known(rel, srcs, f))
            far = rel.target if near == rel.source else rel.source
            leads_on = ROLE_OF[rel.type] is not Role.COUNTER and rel.valid_on(f.as_of)
            if far not in distance and leads_on:
                nxt.add(far)
        for e in nxt:
            distance[e] = step
        frontier = sorted(nxt)
        if truncated or not frontier:
            break
    return _result(center, req, f, placed, ents, srcs, truncated, len(unknown))


def _result(
    center: Entity,
    req: AssetRequest,
    f: ResolvedFilters,
    placed: Mapping[str, tuple[int, str, Relationship]],
    ents: Mapping[str, Entity],
    srcs: Mapping[str, Source],
    truncated: bool,
    not_yet_known: int,
) -> AssetResult:
    by_role: dict[Role, list[AssetFact]] = {}
    shown = {center.id}
    for dist, near, rel in placed.values():
        hop = hop_view(rel, _oriented_from(rel, near), ents, srcs, f.as_of, f.weights)
        fact = AssetFact(distance=dist, via=entity_ref(ents[near]), hop=hop)
        by_role.setdefault(ROLE_OF[rel.type], []).append(fact)
        shown |= {rel.source, rel.target}
    groups = tuple(
        AssetGroup(
            role=role,
            title=ROLE_TITLES[role],
            facts=tuple(
                sorted(
                    by_role[role],
                    key=lambda a: (
                        a.distance,
                        not a.hop.active,
                        -a.hop.strength,
                        a.hop.relationship_id,
                    ),
                )
            ),
        )
        for role in Role
        if role in by_role
    )
    ordered = sorted(
        (ents[e] for e in shown), key=lambda e: (e.id != center.id, e.name.lower(), e.id)
    )
    return AssetResult(
        asset=entity_ref(center),
        as_of=f.as_of,
        known_by=f.known_by,
        depth=req.depth,
        groups=groups,
        entities=tuple(entity_ref(e) for e in ordered),
        truncated=truncated,
        not_yet_known=not_yet_known,
    )
