"""The arcs one layer of a best-path search walks on Neo4j, as typed Cypher expansions.

A typed expansion (``-[r:OWNS|CONTROLS]->``) reads only those relationship chains of a
node, where an untyped one reads every relationship and then tests its type; the schema's
flow table decides from which end of each type the walk leaves. Only allow-listed type
names enter the text.
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
