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
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import IO, Any

from graphkit.schema import fingerprint
from graphkit.settings import CORES
from graphkit.store.base import GraphStore
from graphkit.store.rows import EntityRow, RelationshipRow

#: Header of each file, in the importer's notation (``:ID(space)``, ``:LABEL``, ``:TYPE``).
HEADERS: dict[str, tuple[str, ...]] = {
    "nodes-sources.csv": ("id:ID(Source)", "body", ":LABEL"),
    "nodes-entities.csv": ("id:ID(Entity)", "kind", "name", "search", "body", ":LABEL"),
    "nodes-claims.csv": ("id:ID(Claim)", "type", "source", "target", "body", ":LABEL"),
    "nodes-idkeys.csv": ("key:ID(IdKey)", ":LABEL"),
    "nodes-merges.csv": ("merged", "canonical", "reason", ":LABEL"),
    # The schema fingerprint the edges' strengths were derived under (see schema.fingerprint)
    # and the exported store's data version.
    "nodes-meta.csv": ("key", "value", ":LABEL"),
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
        "share:double",
        "conf",
        ":TYPE",
    ),
}
#: Written beside the files when a value holds a line break (the importer must then parse
#: quoted fields across lines, which it does more slowly).
MULTILINE_MARKER = "multiline"
PAGE = 5_000
#: Relationships a store must hold before its export is split between processes (below
#: this, starting them costs more than it saves).
PART_RELATIONSHIPS = 250_000
_RELATIONSHIP_FILES = ("nodes-claims.csv", "relationships-cites.csv", "relationships-edges.csv")
#: Workers fork where that is safe to do (Linux: no re-import of the caller's main module,
#: so a script need not guard its entry point; a worker touches no lock of the parent's).
_START = "fork" if sys.platform == "linux" else "spawn"
_CORES = CORES


@dataclass
class ImportFiles:
    """What was written, for the report and the importer's command line."""

    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    multiline: bool = False


def pages(
    scan: Callable[[str | None, int], list[Any]], after: str | None = None, upto: str | None = None
) -> Iterator[list[Any]]:
    """Records of one kind from a store's id-ordered scan, a page at a time: those with ids
    after ``after`` up to ``upto`` included (``None``: from the first, to the last)."""
    while chunk := scan(after, PAGE):
        if upto is not None and chunk[-1].id > upto:
            chunk = [r for r in chunk if r.id <= upto]
            if chunk:
                yield chunk
            return
        yield chunk
        after = chunk[-1].id


class _Writer:
    """One CSV writer per file (the C writer: a few million rows take seconds).

    Strings are quoted, and a missing value comes out as ``""``, which the importer is told
    to read as "no property" (``--ignore-empty-strings``, as a Cypher ``null`` sets none).
    No property a store writes is an empty string (ids, names, kinds, bodies and search
    text never are), so nothing is lost. A ``part`` writes ``<name>-<part>.csv`` files (the
    importer reads every file of a kind).
    """

    def __init__(self, folder: Path, names: Iterable[str] = HEADERS, part: int = 0) -> None:
        self.folder = folder
        self.names = tuple(names)
        self.part = part
        self.handles: list[IO[str]] = []
        self.writers: dict[str, Any] = {}
        self.result = ImportFiles(folder)

    def __enter__(self) -> _Writer:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in self.names:
            file = name.replace(".csv", f"-{self.part}.csv") if self.part else name
            handle = (self.folder / file).open("w", encoding="utf-8", newline="")
            handle.write(",".join(HEADERS[name]) + "\n")
            self.handles.append(handle)
            self.writers[name] = csv.writer(
                handle, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n"
            )
            self.result.counts[name] = 0
        return self

    def __exit__(self, *exc: object) -> None:
        for handle in self.handles:
            handle.close()

    def rows(self, name: str, rows: list[tuple[Any, ...]]) -> None:
        self.writers[name].writerows(rows)
        self.result.counts[name] += len(rows)

    def free_text(self, *values: str) -> None:
        """Note values that may hold line breaks (bodies are JSON, ids never do)."""
        if any("\n" in v or "\r" in v for v in values):
            self.result.multiline = True


def write_import_files(store: GraphStore, folder: Path) -> ImportFiles:
    """Write the whole store as importer files into ``folder``, replacing earlier ones.

    Relationships (most of a large store) are split between processes, one per core, when
    the store can be opened by another process and holds :data:`PART_RELATIONSHIPS` or
    more; each writes its own part files.
    """
    _clear(folder)
    version = store.data_version()
    parts = max(1, min(_CORES, store.stats().relationships // PART_RELATIONSHIPS))
    split = store.export_split(parts) if parts > 1 else None
    names = [n for n in HEADERS if split is None or n not in _RELATIONSHIP_FILES]
    with _Writer(folder, names) as out, ExitStack() as stack:
        workers: list[Future[dict[str, int]]] = []
        if split is not None:
            opener, bounds = split
            pool = stack.enter_context(
                ProcessPoolExecutor(len(bounds) + 1, mp_context=get_context(_START))
            )
            edges = [None, *bounds, None]
            workers = [
                pool.submit(_write_part, opener, edges[i], edges[i + 1], folder, i + 1)
                for i in range(len(bounds) + 1)
            ]
        for srcs in pages(store.source_rows):
            out.rows("nodes-sources.csv", [(s.id, s.body, "Source") for s in srcs])
        keys: set[str] = set()
        for ents in pages(store.entity_rows):
            _entities(out, ents, keys)
        if split is None:
            for rels in pages(store.relationship_rows):
                _relationships(out, rels)
        merges = store.merge_decisions()
        out.free_text(*(reason for _, _, reason in merges))
        out.rows("nodes-merges.csv", [(m, c, r, "Merge") for m, c, r in merges])
        meta = [("schema_fingerprint", fingerprint(), "GraphkitMeta")]
        if version is not None:  # the import is the same data: it carries the same version
            meta.append(("generation", version, "GraphkitMeta"))
        out.rows("nodes-meta.csv", meta)
        for worker in workers:
            for name, count in worker.result().items():
                out.result.counts[name] = out.result.counts.get(name, 0) + count
    result = out.result
    result.counts = {name: result.counts.get(name, 0) for name in HEADERS}
    if result.multiline:
        (folder / MULTILINE_MARKER).write_text("quoted values span lines\n", encoding="utf-8")
    return result


def _clear(folder: Path) -> None:
    """Remove importer files of an earlier export (a stale part would be imported too)."""
    if folder.is_dir():
        for old in (*folder.glob("nodes-*.csv"), *folder.glob("relationships-*.csv")):
            old.unlink()
        (folder / MULTILINE_MARKER).unlink(missing_ok=True)


def _write_part(
    opener: Callable[[], GraphStore], after: str | None, upto: str | None, folder: Path, part: int
) -> dict[str, int]:
    """Relationships with ids in ``(after, upto]`` into part files (in a worker process)."""
    store = opener()
    try:
        with _Writer(folder, _RELATIONSHIP_FILES, part) as out:
            for rels in pages(store.relationship_rows, after, upto):
                _relationships(out, rels)
        return out.result.counts
    finally:
        store.close()


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
            (
                r.source,
                r.target,
                r.id,
                r.strength,
                r.since,
                r.until,
                r.confidence,
                r.known,
                r.share,
                r.conf,
                r.type,
            )
            for r in rels
        ],
    )
