"""Files for Neo4j's offline bulk importer (``neo4j-admin database import full``).

Why: a first load of millions of relationships through transactions costs the server a
claim, a citation and a typed edge per relationship, one transaction at a time; the
importer writes the store files directly, many times faster. The files describe exactly
the graph :class:`graphkit.store.neo4j.Neo4jStore` writes (same labels, properties and
bodies, built by the same functions), so an imported database answers every query as a
loaded one does, and loading the same records into it afterwards changes nothing.

They are written from any store (the embedded one is the usual staging area: it validates,
resolves and keeps provenance as records arrive); ``scripts/neo4j-local import DIR`` runs
the importer. Uniqueness constraints are created when the store first connects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graphkit.model import Entity, Relationship, Source, canonical_json, edge_facts
from graphkit.resolve import identifier_keys
from graphkit.store.base import GraphStore
from graphkit.text import search_text

#: Header of each file, in the importer's notation (``:ID(space)``, ``:LABEL``, ``:TYPE``).
HEADERS: dict[str, tuple[str, ...]] = {
    "nodes-sources.csv": ("id:ID(Source)", "body", ":LABEL"),
    "nodes-entities.csv": ("id:ID(Entity)", "kind", "name", "search", "body", ":LABEL"),
    "nodes-claims.csv": ("id:ID(Claim)", "type", "source", "target", "body", ":LABEL"),
    "nodes-idkeys.csv": ("key:ID(IdKey)", ":LABEL"),
    "nodes-merges.csv": ("merged", "canonical", "reason", ":LABEL"),
    "relationships-cites.csv": (":START_ID(Claim)", ":END_ID(Source)", "stance", ":TYPE"),
    "relationships-identified.csv": (":START_ID(Entity)", ":END_ID(IdKey)", ":TYPE"),
    "relationships-edges.csv": (
        ":START_ID(Entity)",
        ":END_ID(Entity)",
        "id",
        "strength:double",
        "since",
        "until",
        "confidence:double",
        "known",
        ":TYPE",
    ),
}
#: Written beside the files when a value holds a line break (the importer must then parse
#: quoted fields across lines, which it does more slowly).
MULTILINE_MARKER = "multiline"
PAGE = 5_000


def field_text(value: Any) -> str:
    """One CSV field: strings always quoted (so ``""`` stays an empty string), numbers bare,
    ``None`` empty (the importer then sets no property, as a ``null`` in Cypher does).

    >>> [field_text(v) for v in ("a\\"b", "", None, 0.5, 3)]
    ['"a""b"', '""', '', '0.5', '3']
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)


@dataclass
class ImportFiles:
    """What was written, for the report and the importer's command line."""

    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    multiline: bool = False


def pages(scan: Callable[[str | None, int], list[Any]]) -> Iterator[Any]:
    """Every record of one kind from a store's id-ordered scan, a page at a time."""
    after: str | None = None
    while chunk := scan(after, PAGE):
        yield from chunk
        after = chunk[-1].id


class _Writer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[str, IO[str]] = {}
        self.result = ImportFiles(folder)

    def __enter__(self) -> _Writer:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, header in HEADERS.items():
            handle = (self.folder / name).open("w", encoding="utf-8", newline="")
            handle.write(",".join(header) + "\n")
            self.files[name] = handle
            self.result.counts[name] = 0
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self.files.values():
            handle.close()
        marker = self.folder / MULTILINE_MARKER
        if self.result.multiline:
            marker.write_text("quoted values span lines\n", encoding="utf-8")
        else:
            marker.unlink(missing_ok=True)

    def row(self, name: str, *values: Any) -> None:
        line = ",".join(field_text(v) for v in values)
        if "\n" in line or "\r" in line:
            self.result.multiline = True
        self.files[name].write(line + "\n")
        self.result.counts[name] += 1


def write_import_files(store: GraphStore, folder: Path) -> ImportFiles:
    """Write the whole store as importer files into ``folder`` (existing files replaced)."""
    sources: dict[str, Source] = {}
    with _Writer(folder) as out:
        for src in pages(store.scan_sources):
            sources[src.id] = src  # edge facts need each claim's source dates
            out.row("nodes-sources.csv", src.id, canonical_json(src), "Source")
        keys: set[str] = set()
        for ent in pages(store.scan_entities):
            _entity(out, ent, keys)
        for rel in pages(store.scan_relationships):
            _relationship(out, rel, sources)
        for merged, canonical, reason in store.merge_decisions():
            out.row("nodes-merges.csv", merged, canonical, reason, "Merge")
    return out.result


def _entity(out: _Writer, ent: Entity, keys: set[str]) -> None:
    kind = ent.kind.value
    out.row(
        "nodes-entities.csv",
        ent.id,
        kind,
        ent.name,
        search_text(ent),
        canonical_json(ent),
        f"Entity;{kind}",
    )
    for key in dict.fromkeys(identifier_keys(ent)):
        if key not in keys:
            keys.add(key)
            out.row("nodes-idkeys.csv", key, "IdKey")
        out.row("relationships-identified.csv", ent.id, key, "IDENTIFIED_BY")


def _relationship(out: _Writer, rel: Relationship, sources: dict[str, Source]) -> None:
    kind = rel.type.value
    out.row("nodes-claims.csv", rel.id, kind, rel.source, rel.target, canonical_json(rel), "Claim")
    for source, stance in dict.fromkeys((ev.source, ev.stance.value) for ev in rel.evidence):
        out.row("relationships-cites.csv", rel.id, source, stance, "CITES")
    f = edge_facts(rel, sources)
    out.row(
        "relationships-edges.csv",
        rel.source,
        rel.target,
        rel.id,
        f["strength"],
        f["since"],
        f["until"],
        f["confidence"],
        f["known"],
        kind,
    )
