"""Why an answer is empty: the filters that cut it, the facts that carry no influence, the
ends the data says nothing about.

A journalist who gets "no path" needs to know whether the data rules the link out or is
merely silent: that the one relationship ended in 2021, that the agency only *warns* about
the company (a fact the search never walks), or that nothing is recorded about who acts on
the target at all. Each filter is set aside on its own and the search rerun; each end is
read for what touches it. Only empty answers pay for this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from graphkit.filters import ResolvedFilters, Traversal
from graphkit.model import Entity, Relationship
from graphkit.query import MAX_DEPTH_LIMIT, EmptyAnswer, Relaxation
from graphkit.schema import RELATIONSHIPS, TRAVERSABLE, Flow, influence_arcs
from graphkit.semantics import explain

if TYPE_CHECKING:
    from graphkit.engine import QueryEngine
    from graphkit.pattern import Pattern
    from graphkit.store.base import GraphStore

#: Relationships read at each end (an end with more is a hub, and its silence no question).
END_LIMIT = 500
#: Sentences quoted per kind of fact.
QUOTED = 3

#: A path as the entity it starts from, its relationship ids in walking order, and whether
#: that walk runs against influence (inbound searches walk from the target outwards).
Walk = tuple[str, Sequence[str], bool]
#: ``search(filters, max_depth, min_strength) -> (found, the strongest path or None)``
Search = Callable[[ResolvedFilters, int, float], tuple[int, Walk | None]]


def relaxations(
    eng: QueryEngine, search: Search, f: ResolvedFilters, max_depth: int, min_strength: float
) -> list[Relaxation]:
    """Each filter the request narrowed, set aside alone: those that let something through."""
    trials: list[tuple[str, str, ResolvedFilters, int, float]] = []
    if f.types != TRAVERSABLE:
        was = ", ".join(sorted(t.value for t in f.types))
        trials.append(("types", was, replace(f, types=TRAVERSABLE), max_depth, min_strength))
    if f.min_confidence is not None:
        loose = replace(f, min_confidence=None)
        trials.append(("min_confidence", f"{f.min_confidence:g}", loose, max_depth, min_strength))
    if f.known_by is not None:
        loose = replace(f, known_by=None, include_undated=False)
        trials.append(("known_by", f.known_by.isoformat(), loose, max_depth, min_strength))
    if min_strength > 0:
        trials.append(("min_strength", f"{min_strength:g}", f, max_depth, 0.0))
    if max_depth < MAX_DEPTH_LIMIT:
        trials.append(("max_depth", str(max_depth), f, MAX_DEPTH_LIMIT, min_strength))
    out = []
    for name, was, filters, depth, strength in trials:
        found, best = search(filters, depth, strength)
        if found:
            out.append(Relaxation(filter=name, was=was, found=found, example=_names(eng, best)))
    return out


def _names(eng: QueryEngine, path: Walk | None) -> str | None:
    """A path as the names it passes through in the direction influence travels."""
    if path is None or not path[1]:
        return None
    at, rel_ids, backwards = path
    rels = eng.store.relationships(rel_ids)
    chain = [rels[r] for r in rel_ids if r in rels]
    ents = eng.store.entities({x for r in chain for x in (r.source, r.target)} | {at})
    names = [ents[at].name if at in ents else at]
    for rel in chain:
        at = rel.target if rel.source == at else rel.source
        names.append(ents[at].name if at in ents else at)
    return " → ".join(reversed(names) if backwards else names)


def end_reasons(
    eng: QueryEngine, entity: Entity, into: bool, f: ResolvedFilters
) -> tuple[list[str], list[str]]:
    """What the data says at one end: sentences, and the ids of facts never traversed.

    ``into``: the end is a target (what acts on it matters), else a source (what it acts on).
    """
    rels = eng.store.incident([entity.id], END_LIMIT)
    ents = eng.store.entities({x for r in rels for x in (r.source, r.target)})
    srcs = eng.store.sources({ev.source for r in rels for ev in r.evidence})

    def carries(rel: Relationship) -> bool:
        arcs = influence_arcs(rel.type, rel.source, rel.target)
        return any((head if into else tail) == entity.id for tail, head in arcs)

    inert = [r for r in rels if RELATIONSHIPS[r.type].flow is Flow.NONE]
    live = [r for r in rels if r.type in TRAVERSABLE and carries(r)]
    reasons: list[str] = []
    if not live:
        reasons.append(
            f"The data records nothing through which influence reaches {entity.name} "
            "(no owner, controller, operator, agreement, access or deployment)."
            if into
            else f"The data records nothing through which {entity.name} acts on others."
        )
    else:
        idle = [r for r in live if not r.valid_on(f.as_of)]
        if idle:
            quoted = " ".join(explain(r, ents, srcs) for r in idle[:QUOTED])
            reasons.append(
                f"{len(idle)} of the {len(live)} relationships that carry influence "
                f"{'into' if into else 'out of'} {entity.name} are not in force on "
                f"{f.as_of}: {quoted}"
            )
    if inert:
        quoted = " ".join(explain(r, ents, srcs) for r in inert[:QUOTED])
        more = f" (and {len(inert) - QUOTED} more)" if len(inert) > QUOTED else ""
        reasons.append(
            f"Facts at {entity.name} that carry no influence are shown but never walked: "
            f"{quoted}{more}"
        )
    return reasons, [r.id for r in inert]


def explain_empty(
    eng: QueryEngine,
    search: Search,
    f: ResolvedFilters,
    max_depth: int,
    min_strength: float,
    ends: Sequence[tuple[Entity, bool]],
    filtered_out: str | None = None,
) -> EmptyAnswer:
    """The account of an empty answer: relaxations first (they say what to change), then
    what the data says at each end. ``filtered_out`` names a result filter (kinds) that
    emptied a non-empty search."""
    found = relaxations(eng, search, f, max_depth, min_strength)
    reasons = [
        f"Without {r.filter}={r.was} the search finds {r.found}"
        + (f", the strongest: {r.example}." if r.example else ".")
        for r in found
    ]
    if filtered_out:
        reasons.insert(0, filtered_out)
    inert: list[str] = []
    for entity, into in ends:
        said, ids = end_reasons(eng, entity, into, f)
        reasons += said
        inert += ids
    if not reasons:
        reasons.append(
            "No chain of influence-carrying relationships joins them in the data, under any "
            "single filter set aside."
        )
    return EmptyAnswer(reasons=tuple(reasons), relaxations=tuple(found), inert=tuple(inert))


def pattern_stop(
    store: GraphStore,
    anchor: Entity,
    inbound: bool,
    shape: Pattern,
    max_depth: int,
    f: ResolvedFilters,
    time_budget: float,
    target: Entity | None = None,
) -> list[str]:
    """Where a path pattern stops matching, read from the query's anchor: the longest part
    of it (from the anchor's end) that some path still matches, and the step after it."""
    n = len(shape.steps)
    anchored = shape.nodes[-1] if inbound else shape.nodes[0]
    side = "last" if inbound else "first"
    if not anchored.holds(anchor.kind):
        return [
            f"{anchor.name} is a {anchor.kind.value}; the pattern's {side} node "
            f"{anchored.text} (column {anchored.column}) does not admit it."
        ]
    if target is not None and not shape.nodes[-1].holds(target.kind):
        last = shape.nodes[-1]
        return [
            f"{target.name} is a {target.kind.value}; the pattern's last node {last.text} "
            f"(column {last.column}) does not admit it."
        ]
    for done in range(n, 0, -1):
        part = shape.suffix(done) if inbound else shape.prefix(done)
        found = store.pattern_paths(
            anchor.id,
            part,
            inbound=inbound,
            spec=Traversal(f, max_depth, 0.0, time_budget),
        )
        if not found:
            continue
        if done == n:
            end = f"at {target.name}" if target is not None else "at an entity asked for"
            return [
                f"Paths {'into' if inbound else 'from'} {anchor.name} match the whole pattern, "
                f"but none ends {end} (or all are weaker than min_strength)."
            ]
        nxt = shape.steps[n - done - 1] if inbound else shape.steps[done]
        return [
            f"Paths {'into' if inbound else 'from'} {anchor.name} match {done} of the "
            f"pattern's {n} steps; none continues with {nxt.text} (column {nxt.column}) "
            f"within {max_depth} hops under these filters."
        ]
    first = shape.steps[-1] if inbound else shape.steps[0]
    return [
        f"No hop {'into' if inbound else 'from'} {anchor.name} matches the pattern's {side} "
        f"step {first.text} (column {first.column}) under these filters."
    ]
