"""What a search walks on Neo4j and what each hop weighs, as Cypher text.

A typed expansion (``-[r:OWNS|CONTROLS]->``) reads only those relationship chains of a
node, where an untyped one reads every relationship and then tests its type; the schema's
flow table decides from which end of each type the walk leaves. A hop's strength is the
stored one or, under a profile, the schema's rule with the profile's numbers
(:func:`graphkit.profiles.cypher_weights` gives the values). Only allow-listed type names
and fixed text enter a query.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from graphkit.schema import RELATIONSHIPS, Flow, RelType


@dataclass(frozen=True)
class ArcSteps:
    """A ``CALL`` body binding ``r`` and ``m`` for each arc leaving ``n`` in the walk's
    direction; only this type may fill a query's ``{{steps}}`` placeholder."""

    text: str


def arc_steps(types: Iterable[RelType], *, inbound: bool) -> ArcSteps | None:
    """The expansions from ``n`` along which influence flows (``inbound``: against it),
    or ``None`` when no type of ``types`` carries influence at all.

    >>> print(arc_steps([RelType.OWNS, RelType.SUBSIDIARY_OF], inbound=False).text)
    MATCH (n)-[r:OWNS]->(m:Entity) RETURN r, m
    UNION ALL
    MATCH (n)<-[r:SUBSIDIARY_OF]-(m:Entity) RETURN r, m
    >>> arc_steps([RelType.LOCATED_IN], inbound=True) is None
    True
    """
    # Which end the walk may leave from, by flow: influence runs start → end on a forward
    # type, end → start on a reverse one, either way on a two-way one.
    leaves_start = {Flow.FORWARD: not inbound, Flow.REVERSE: inbound, Flow.BOTH: True}
    leaves_end = {Flow.FORWARD: inbound, Flow.REVERSE: not inbound, Flow.BOTH: True}
    ordered = sorted(set(types), key=lambda t: t.value)
    from_start = [t.value for t in ordered if leaves_start.get(RELATIONSHIPS[t].flow, False)]
    from_end = [t.value for t in ordered if leaves_end.get(RELATIONSHIPS[t].flow, False)]
    branches = []
    if from_start:
        branches.append(f"MATCH (n)-[r:{'|'.join(from_start)}]->(m:Entity) RETURN r, m")
    if from_end:
        branches.append(f"MATCH (n)<-[r:{'|'.join(from_end)}]-(m:Entity) RETURN r, m")
    return ArcSteps("\nUNION ALL\n".join(branches)) if branches else None


@dataclass(frozen=True)
class HopStrength:
    """A hop's strength as a Cypher expression on one relationship variable; only this type
    may fill a query's ``{{strength}}`` placeholder."""

    text: str


#: Graphkit.profiles.Weights.weigh in Cypher: the share for a share-weighted type when one is
#: recorded, else the type's value, times the confidence factor (by level, else the number)
#: for a confidence-weighted type; without a profile, the strength stored at write time.
_HOP_STRENGTH = """CASE WHEN $weighted
  THEN CASE WHEN type({r}) IN $share_types AND {r}.share IS NOT NULL THEN {r}.share
            ELSE $type_values[type({r})] END
       * CASE WHEN type({r}) IN $conf_types THEN coalesce($conf_factors[{r}.conf], {r}.confidence)
              ELSE 1.0 END
  ELSE {r}.strength END"""


def hop_strength(var: str = "r") -> HopStrength:
    """The strength of the hop bound to relationship variable ``var``.

    >>> "$type_values[type(rel)]" in hop_strength("rel").text
    True
    """
    if not var.isidentifier():
        raise ValueError(f"not a Cypher variable: {var!r}")
    return HopStrength(_HOP_STRENGTH.format(r=var))


def flow_types(types: Iterable[RelType]) -> dict[str, list[str]]:
    """``types`` by the way influence flows along them (the schema's table), as the
    ``$forward``, ``$reverse`` and ``$both`` lists the Cypher searches read.

    >>> flow_types([RelType.SUBSIDIARY_OF, RelType.OWNS])
    {'forward': ['OWNS'], 'reverse': ['SUBSIDIARY_OF'], 'both': []}
    """
    by_flow: dict[Flow, list[str]] = {Flow.FORWARD: [], Flow.REVERSE: [], Flow.BOTH: []}
    for rel_type in sorted(set(types), key=lambda t: t.value):
        flow = RELATIONSHIPS[rel_type].flow
        if flow in by_flow:
            by_flow[flow].append(rel_type.value)
    return {
        "forward": by_flow[Flow.FORWARD],
        "reverse": by_flow[Flow.REVERSE],
        "both": by_flow[Flow.BOTH],
    }
