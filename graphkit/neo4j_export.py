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

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graphkit.store.base import GraphStore
from graphkit.store.rows import EntityRow, RelationshipRow

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


@dataclass
class ImportFiles:
    """What was written, for the report and the importer's command line."""

    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    multiline: bool = False


def pages(scan: Callable[[str | None, int], list[Any]]) -> Iterator[list[Any]]:
    """Every record of one kind from a store's id-ordered scan, a page at a time."""
    after: str | None = None
    while chunk := scan(after, PAGE):
        yield chunk
        after = chunk[-1].id


class _Writer:
    """One CSV writer per file (the C writer: a few million rows take seconds).

    Strings are quoted, and a missing value comes out as ``""``, which the importer is told
    to read as "no property" (``--ignore-empty-strings``, as a Cypher ``null`` sets none).
    No property a store writes is an empty string (ids, names, kinds, bodies and search
    text never are), so nothing is lost.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.handles: list[IO[str]] = []
        self.writers: dict[str, Any] = {}
        self.result = ImportFiles(folder)

    def __enter__(self) -> _Writer:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, header in HEADERS.items():
            handle = (self.folder / name).open("w", encoding="utf-8", newline="")
            handle.write(",".join(header) + "\n")
            self.handles.append(handle)
            self.writers[name] = csv.writer(
                handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n"
            )
            self.result.counts[name] = 0
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self.handles:
            handle.close()
        marker = self.folder / MULTILINE_MARKER
        if self.result.multiline:
            marker.write_text("quoted values span lines\n", encoding="utf-8")
        else:
            marker.unlink(missing_ok=True)

    def rows(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        self.writers[name].writerows(rows)
        self.result.counts[name] += len(rows)

    def free_text(self, *values: str) -> None:
        """Note values that may hold line breaks (bodies are JSON, ids never do)."""
        if any("\n" in v or "\r" in v for v in values):
            self.result.multiline = True


def write_import_files(store: GraphStore, folder: Path) -> ImportFiles:
    """Write the whole store as importer files into ``folder`` (existing files replaced)."""
    with _Writer(folder) as out:
        for srcs in pages(store.source_rows):
            out.rows("nodes-sources.csv", [(s.id, s.body, "Source") for s in srcs])
        keys: set[str] = set()
        for ents in pages(store.entity_rows):
            _entities(out, ents, keys)
        for rels in pages(store.relationship_rows):
            _relationships(out, rels)
        merges = store.merge_decisions()
        out.free_text(*(reason for _, _, reason in merges))
        out.rows("nodes-merges.csv", [(m, c, r, "Merge") for m, c, r in merges])
    return out.result


def _entities(out: _Writer, ents: list[EntityRow], keys: set[str]) -> None:
    out.rows(
        "nodes-entities.csv",
        [(e.id, e.kind, e.name, e.search, e.body, f"Entity;{e.kind}") for e in ents],
    )
    held = [(e.id, key) for e in ents for key in e.keys]
    new = [key for _, key in held if key not in keys]
    keys.update(new)
    out.free_text(*(e.name for e in ents), *(e.search for e in ents), *new)
    out.rows("nodes-idkeys.csv", [(key, "IdKey") for key in dict.fromkeys(new)])
    out.rows("relationships-identified.csv", [(i, key, "IDENTIFIED_BY") for i, key in held])


def _relationships(out: _Writer, rels: list[RelationshipRow]) -> None:
    out.rows(
        "nodes-claims.csv", [(r.id, r.type, r.source, r.target, r.body, "Claim") for r in rels]
    )
    out.rows(
        "relationships-cites.csv",
        [(r.id, source, stance, "CITES") for r in rels for source, stance in r.cites],
    )
    out.rows(
        "relationships-edges.csv",
        [
            (r.source, r.target, r.id, r.strength, r.since, r.until, r.confidence, r.known, r.type)
            for r in rels
        ],
    )
