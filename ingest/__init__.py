"""Loaders: each turns one file format into :class:`graphkit.validate.RawRecord` items.

Loaders only read and locate; validation against the schema happens in graphkit, and writing
in the store, so every format gets the same checks and the same all-or-nothing write.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from graphkit.validate import RawRecord


class Loader(Protocol):
    """Reads a file or folder of one format into raw records, in file order."""

    def __call__(self, path: Path) -> Iterator[RawRecord]: ...


def read_path(path: Path, fmt: str = "auto") -> Iterator[RawRecord]:
    """Read a file or folder in the named format (``auto`` picks by extension)."""
    from ingest.curated import read_curated

    loaders: dict[str, Loader] = {"curated": read_curated, "yaml": read_curated}
    if fmt == "auto":
        fmt = "curated"
    if fmt not in loaders:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(sorted(loaders))}")
    return loaders[fmt](path)
