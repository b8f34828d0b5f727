"""A parsed path pattern as a Cypher MATCH with quantified path patterns (Neo4j 5).

Each step becomes a repeated group ``((x)-[r]-(y) WHERE …){low,high}`` whose condition
checks the hop's type, the direction influence travels (from the schema table) and the
step's share and confidence tests; each node test becomes a label expression between
groups. Only allow-listed names and integers enter the text; every value is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphkit.filters import ResolvedFilters, cypher_predicate
from graphkit.pattern import Pattern, Step
from graphkit.schema import RELATIONSHIPS, Flow, RelType

#: Which end of a relationship is the influence tail ``x``, by flow.
_TAIL = {
    Flow.FORWARD: "startNode({r}) = {x}",
    Flow.REVERSE: "endNode({r}) = {x}",
    Flow.BOTH: "true",
}


@dataclass(frozen=True)
class CompiledPattern:
    """MATCH text built only from allow-listed parts, and the values it needs."""

    text: str
    params: dict[str, Any] = field(default_factory=dict)


def _labels(node: Any) -> str:
    if node.kinds is None:
        return ":Entity"
    return ":" + "|".join(sorted(k.value for k in node.kinds))


def _hop(step: Step, i: int, allowed: frozenset[RelType], params: dict[str, Any]) -> str:
    r, x = f"r{i}", f"x{i}"
    options: list[str] = []
    alternatives = (
        [(t, ()) for t in sorted(allowed)]
        if step.alternatives is None
        else [(a.type, a.conditions) for a in step.alternatives if a.type in allowed]
    )
    for n, (rel_type, conditions) in enumerate(alternatives):
        parts = [
            f"type({r}) = '{RelType(rel_type).value}'",
            _TAIL[RELATIONSHIPS[rel_type].flow].format(r=r, x=x),
        ]
        for m, cond in enumerate(conditions):
            name = f"c{i}_{n}_{m}"
            params[name] = cond.value
            prop = "share" if cond.field == "share" else "confidence"
            parts.append(f"{r}.{prop} {cond.op} ${name}")
        options.append("(" + " AND ".join(parts) + ")")
    test = " OR ".join(options) if options else "false"
    return f"(({x})-[{r}]-(y{i}) WHERE ({test}) AND {cypher_predicate(r).text})"


def compile_pattern(
    pattern: Pattern, filters: ResolvedFilters, *, max_depth: int, inbound: bool, to_target: bool
) -> CompiledPattern:
    """The MATCH clauses for ``pattern`` (in influence order) with ``$anchor`` at its first
    entity (its last for a reach) and, when ``to_target``, ``$target`` at its last. The ends
    bound by id carry no label test here: the caller checks their node tests first."""
    params: dict[str, Any] = {}
    binds = [
        "MATCH (last:Entity {id: $anchor})" if inbound else "MATCH (first:Entity {id: $anchor})"
    ]
    if to_target:
        binds.append("MATCH (last:Entity {id: $target})")
    first = f"(first{_labels(pattern.nodes[0])})" if inbound else "(first)"
    last = "(last)" if (inbound or to_target) else f"(last{_labels(pattern.nodes[-1])})"
    parts = [first]
    for i, step in enumerate(pattern.steps):
        high = max_depth if step.high is None else min(step.high, max_depth)
        low = min(step.low, high)
        parts.append(f"{_hop(step, i, filters.types, params)}{{{low},{high}}}")
        final = i == len(pattern.steps) - 1
        parts.append(last if final else f"(n{i + 1}{_labels(pattern.nodes[i + 1])})")
    return CompiledPattern("\n".join(binds) + "\nMATCH p = " + "".join(parts), params)
