"""Exports of query results for other tools: JSON, CSV, GEXF and GraphML (Gephi, Cytoscape),
and the offline HTML page. Pure functions over result models, shared by the CLI and the API.
"""

from __future__ import annotations

import csv
import io
import re
from enum import StrEnum

import networkx as nx

from graphkit.elements import Result, elements
from graphkit.picture import render as picture
from graphkit.query import (
    Hop,
)
from graphkit.viz import network_html


class ExportFormat(StrEnum):
    """Formats a result can be exported to."""

    JSON = "json"
    CSV = "csv"
    CSV_NODES = "csv-nodes"
    GEXF = "gexf"
    GRAPHML = "graphml"
    HTML = "html"
    PNG = "png"
    SVG = "svg"


#: Media type and file extension of each format.
MEDIA: dict[ExportFormat, tuple[str, str]] = {
    ExportFormat.JSON: ("application/json", "json"),
    ExportFormat.CSV: ("text/csv; charset=utf-8", "csv"),
    ExportFormat.CSV_NODES: ("text/csv; charset=utf-8", "nodes.csv"),
    ExportFormat.GEXF: ("application/gexf+xml", "gexf"),
    ExportFormat.GRAPHML: ("application/graphml+xml", "graphml"),
    ExportFormat.HTML: ("text/html; charset=utf-8", "html"),
    ExportFormat.PNG: ("image/png", "png"),
    ExportFormat.SVG: ("image/svg+xml", "svg"),
}


def _evidence_text(hop: Hop) -> str:
    return " | ".join(
        f"[{ev.stance}] {ev.title} ({ev.date or 'undated'}){' ' + ev.url if ev.url else ''}: "
        f"“{ev.excerpt}”"
        for ev in hop.evidence
    )


def _edge_attrs(hop: Hop) -> dict[str, str | float | bool]:
    """Flat, typed attributes (GEXF and GraphML take no nulls or lists)."""
    return {
        "relationship_id": hop.relationship_id,
        "rel_type": hop.type.value,  # GEXF reserves "type" for edge directedness
        "label": hop.type.value,
        "weight": hop.strength,
        "strength": hop.strength,
        "confidence": str(hop.confidence),
        # GEXF and GraphML attributes are typed and take no nulls: an unknown share is NaN
        # (not a number a tool could add up), with has_share saying whether it is known.
        "share": hop.share if hop.share is not None else float("nan"),
        "has_share": hop.share is not None,
        "role": hop.role or "",
        "valid_from": hop.valid_from or "",
        "valid_to": hop.valid_to or "",
        "known_from": hop.known_from or "",
        "undated": hop.undated,
        "disputed": hop.disputed,
        "active": hop.active,
        "explanation": hop.explanation,
        "sources": "; ".join(dict.fromkeys(ev.title for ev in hop.evidence)),
        "evidence": _evidence_text(hop),
    }


def to_networkx(result: Result) -> nx.MultiDiGraph[str]:
    """The result as a directed multigraph (edges point the way influence travels)."""
    parts = elements(result)
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph(caption=parts.caption)
    for e in parts.entities:
        graph.add_node(
            e.id,
            label=e.name,
            kind=e.kind.value,
            country=e.country or "",
            unnamed=e.unnamed,
            highlight=e.id in parts.highlight,
        )
    for h in parts.hops:
        graph.add_edge(h.influence_from, h.influence_to, key=h.relationship_id, **_edge_attrs(h))
    return graph


def export_filename(query: str, entity: str, extension: str) -> str:
    """A file name for an exported answer that stays in the folder it is written to: ids
    may hold ``/`` and ``..``, which must never become a path.

    >>> export_filename("neighbourhood", "a/../../../../tmp/x", "csv")
    'graphkit-neighbourhood-a-..-..-..-..-tmp-x.csv'
    """
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", entity).strip("-.") or "entity"
    return f"graphkit-{query}-{safe[:120]}.{extension}"


#: First characters that make a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will show as text: text that starts like a formula gets a
    leading apostrophe (names such as ``=HYPERLINK(…)`` come from sources we do not control).

    >>> spreadsheet_safe("=SUM(A1)"), spreadsheet_safe("@cmd"), spreadsheet_safe(3)
    ("'=SUM(A1)", "'@cmd", 3)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(rows: list[dict[str, object]], columns: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


def render(result: Result, fmt: ExportFormat, *, aside: str | None = None) -> bytes:
    """A result in any format, as the bytes of a file (pictures are binary).

    ``aside``: an HTML fragment the offline page shows beside the network (the citation).
    """
    if fmt in (ExportFormat.PNG, ExportFormat.SVG):
        return picture(result, "png" if fmt is ExportFormat.PNG else "svg")
    if fmt is ExportFormat.HTML:
        return network_html(result, aside=aside).encode("utf-8")
    return export(result, fmt).encode("utf-8")


def export(result: Result, fmt: ExportFormat) -> str:
    """A result in a text format (pictures: :func:`render`).

    Example:
        >>> from graphkit.query import EntityRef, ReachResult
        >>> r = ReachResult(target=EntityRef(id="t", kind="DataAsset", name="T"),
        ...                 as_of="2020-01-01", total=0, offset=0, limit=5, items=())
        >>> export(r, ExportFormat.CSV_NODES).splitlines()[1]
        't,T,DataAsset,,False,True'
    """
    if fmt is ExportFormat.JSON:
        return result.model_dump_json(indent=2)
    if fmt is ExportFormat.HTML:
        return network_html(result)
    if fmt is ExportFormat.CSV_NODES:
        parts = elements(result)
        rows: list[dict[str, object]] = [
            {
                "id": e.id,
                "name": e.name,
                "kind": e.kind.value,
                "country": e.country or "",
                "unnamed": e.unnamed,
                "highlight": e.id in parts.highlight,
            }
            for e in parts.entities
        ]
        return _csv(rows, ["id", "name", "kind", "country", "unnamed", "highlight"])
    if fmt is ExportFormat.CSV:
        parts = elements(result)
        names = {e.id: e.name for e in parts.entities}
        rows = [
            {
                "from_id": h.influence_from,
                "from_name": names.get(h.influence_from, ""),
                "to_id": h.influence_to,
                "to_name": names.get(h.influence_to, ""),
                **_edge_attrs(h),
                "type": h.type.value,
                "share": "" if h.share is None else h.share,
            }
            for h in parts.hops
        ]
        columns = [
            "from_id",
            "from_name",
            "to_id",
            "to_name",
            "relationship_id",
            "type",
            "strength",
            "confidence",
            "share",
            "role",
            "valid_from",
            "valid_to",
            "known_from",
            "undated",
            "disputed",
            "active",
            "explanation",
            "evidence",
        ]
        return _csv(rows, columns)
    if fmt in (ExportFormat.PNG, ExportFormat.SVG):
        raise ValueError(f"{fmt.value} is a picture: use render()")
    graph = to_networkx(result)
    buf = io.BytesIO()
    if fmt is ExportFormat.GEXF:
        nx.write_gexf(graph, buf)
    else:
        nx.write_graphml(graph, buf)
    return buf.getvalue().decode("utf-8")
