"""Loaders: each turns one file format into :class:`graphkit.validate.RawRecord` items.

Loaders only read and locate; validation against the schema happens in graphkit, and writing
in the store, so every format gets the same checks and the same all-or-nothing write. The
formats themselves are declared in :mod:`ingest.registry`.
"""

from __future__ import annotations

from ingest.registry import FORMATS, NAMES, Format, UnknownFormat, detect, read_path

__all__ = ["FORMATS", "NAMES", "Format", "UnknownFormat", "detect", "read_path"]
