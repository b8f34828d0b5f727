"""What a researcher's Cypher may do: read the graph, nothing else.

The query runs in a read transaction (the server refuses writes) under the time budget, and
before it runs its plan is checked (``EXPLAIN``): ``LOAD CSV`` would let the server fetch
files or URLs for the caller, procedures reach past the graph (``dbms.*``, user admin,
plugins) and ``CALL {…} IN TRANSACTIONS`` commits on its own, so the plan may hold none of
them except the few schema procedures listed here. Checking the plan, not the text, sees
through comments, case and whitespace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from graphkit.errors import InvalidQuery

#: Procedures a read-only query may call: the graph's own vocabulary, nothing else.
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
    }
)
#: Plan operators that write, read outside the graph or commit on their own.
REFUSED_OPERATORS = {
    "LoadCSV": "LOAD CSV (it reads files and URLs)",
    "TransactionApply": "CALL { … } IN TRANSACTIONS",
    "TransactionForeach": "CALL { … } IN TRANSACTIONS",
    "Create": "writes",
    "Merge": "writes",
    "Delete": "writes",
    "DetachDelete": "writes",
    "Foreach": "writes",
    "SetLabels": "writes",
    "RemoveLabels": "writes",
    "SetProperty": "writes",
    "SetProperties": "writes",
    "SetNodeProperty": "writes",
    "SetNodeProperties": "writes",
    "SetNodePropertiesFromMap": "writes",
    "SetRelationshipProperty": "writes",
    "SetRelationshipProperties": "writes",
    "SetRelationshipPropertiesFromMap": "writes",
    "SetPropertiesFromMap": "writes",
}


def _operators(plan: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    name = str(plan.get("operatorType", "")).split("@", 1)[0]
    details = str((plan.get("args") or {}).get("Details", ""))
    yield name, details
    for child in plan.get("children") or ():
        yield from _operators(child)


def check_plan(plan: Mapping[str, Any]) -> None:
    """Refuse a plan that does more than read the graph.

    >>> check_plan({"operatorType": "ProduceResults@neo4j", "children": [
    ...     {"operatorType": "LoadCSV@neo4j", "args": {"Details": "row"}}]})
    Traceback (most recent call last):
    ...
    graphkit.errors.InvalidQuery: read-only Cypher may not use LOAD CSV (it reads files and URLs)
    """
    for name, details in _operators(plan):
        base = name.split("(", 1)[0]
        if base in REFUSED_OPERATORS:
            raise InvalidQuery(
                f"read-only Cypher may not use {REFUSED_OPERATORS[base]}", parameter="query"
            )
        if base == "ProcedureCall":
            procedure = details.split("(", 1)[0].strip()
            if procedure not in ALLOWED_PROCEDURES:
                allowed = ", ".join(sorted(ALLOWED_PROCEDURES))
                raise InvalidQuery(
                    f"read-only Cypher may not call {procedure or 'procedures'}; allowed: "
                    f"{allowed}",
                    parameter="query",
                )


def plain(value: Any) -> Any:
    """A query result value as JSON: nodes and relationships as their labels or type and
    properties (the search column left out), temporal values in ISO form. A relationship
    names its end entities when their nodes are part of the result (else ``None``)."""
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        props = {k: plain(v) for k, v in value.items() if k != "search"}
        return {"labels": sorted(value.labels), "properties": props}
    if isinstance(value, Relationship):
        ends = [n.get("id") if n is not None else None for n in (value.start_node, value.end_node)]
        props = {k: plain(v) for k, v in value.items()}
        return {"type": value.type, "start": ends[0], "end": ends[1], "properties": props}
    if isinstance(value, Path):
        return {
            "nodes": [plain(n) for n in value.nodes],
            "relationships": [plain(r) for r in value.relationships],
        }
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    iso = getattr(value, "iso_format", None)
    return iso() if callable(iso) else str(value)
