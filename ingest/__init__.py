"""Loaders: each turns one file format into :class:`graphkit.validate.RawRecord` items.

Loaders only read and locate; validation against the schema happens in graphkit, and writing
in the store, so every format gets the same checks and the same all-or-nothing write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from graphkit.validate import RawRecord
from ingest.report import LoadReport


class Loader(Protocol):
    """Reads a file or folder of one format into raw records, in file order."""

    def __call__(self, path: Path) -> Iterator[RawRecord]: ...


FORMATS = ("auto", "curated", "csv", "ftm", "bods", "gleif", "icij")


def detect(path: Path) -> str:
    """The format of a file or folder, from its extension or its first record.

    >>> detect(Path("data/seed"))
    'curated'
    """
    if path.is_dir():
        if (path / "entities.csv").exists() or (path / "sources.csv").exists():
            return "csv"
        if (path / "relationships.csv").exists():
            return "icij"
        files = sorted(
            p
            for p in path.rglob("*")
            if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".jsonl")
        )
        yaml_files = [p for p in files if p.suffix in (".yaml", ".yml")]
        return "curated" if yaml_files or not files else detect(files[0])
    if path.suffix in (".yaml", ".yml"):
        return "curated"
    with path.open(encoding="utf-8") as handle:
        head = handle.read(4096)
    if '"statementId"' in head or '"recordType"' in head or '"statementType"' in head:
        return "bods"
    if '"LEI"' in head or '"Relationship"' in head and '"StartNode"' in head:
        return "gleif"
    if '"schema"' in head and '"properties"' in head:
        return "ftm"
    raise ValueError(
        f"cannot tell the format of {path}; pass --format ftm|bods|gleif|icij|csv|curated"
    )


def read_path(
    path: Path, fmt: str = "auto", report: LoadReport | None = None, restore: bool = False
) -> Iterator[RawRecord]:
    """Read a file or folder in the named format (``auto`` detects it); loaders that skip
    records on purpose count them, by reason, in ``report``. ``restore`` declares an FtM file
    to be graphkit's own export (see :func:`ingest.ftm.read_ftm`)."""
    from ingest.bods import read_bods
    from ingest.csvformat import read_csv_folder
    from ingest.curated import read_curated
    from ingest.ftm import read_ftm
    from ingest.gleif import read_gleif
    from ingest.icij import read_icij

    loaders: dict[str, Loader] = {
        "curated": read_curated,
        "yaml": read_curated,
        "ftm": read_ftm,
        "bods": read_bods,
        "gleif": read_gleif,
        "icij": read_icij,
        "csv": read_csv_folder,
    }
    if fmt == "auto":
        fmt = detect(path)
    if fmt not in loaders:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(sorted(loaders))}")
    if fmt == "ftm":
        return read_ftm(path, report, restore)
    if fmt == "icij":
        return read_icij(path, report)
    if fmt in ("curated", "yaml"):
        return read_curated(path, report)
    if fmt == "csv":
        return read_csv_folder(path, report)
    return loaders[fmt](path)
