"""JSON records one at a time, from a JSON array or JSON lines, whatever the file's size.

Registers publish JSON arrays of millions of records; ``json.load`` would hold the whole tree
in memory, so arrays are read with ijson's incremental parser (C backend) instead.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson
import numpy as np

from ingest import textfile


class NotAnArray(ValueError):
    """A ``.json`` file whose top level is not an array of records."""


class BadJson(ValueError):
    """A file that is not valid JSON; ``line`` is where the parser stopped, when known."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


#: Deepest nesting a JSON array file may have (registers nest a handful of levels); the
#: incremental parser slows to a crawl on pathological depth, so it is checked first.
MAX_DEPTH = 64
_CHUNK = 1 << 16


def nesting_depth(file: Path) -> int:
    """The deepest bracket nesting in a JSON file, brackets inside strings not counted.

    A vectorised scan in 64 KB pieces (small next to the records being streamed), so a
    gigabyte costs seconds.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
    ...     _ = f.write(b'[{"a": [1, "]]]"]}]')
    >>> nesting_depth(Path(f.name)); os.unlink(f.name)
    3
    """
    depth, inside, deepest = 0, 0, 0
    with file.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            # Escapes keep their length but lose their quote, so string state stays exact.
            raw = chunk.replace(b"\\\\", b"__").replace(b'\\"', b"__")
            arr = np.frombuffer(raw, dtype=np.uint8)
            quotes = arr == 34
            in_string = (np.cumsum(quotes, dtype=np.int32) + inside) % 2 == 1
            opens = ((arr == 91) | (arr == 123)) & ~in_string
            closes = ((arr == 93) | (arr == 125)) & ~in_string
            step = opens.astype(np.int32) - closes.astype(np.int32)
            level = depth + np.cumsum(step, dtype=np.int32)
            if len(level):
                deepest = max(deepest, int(level.max()))
                depth = int(level[-1])
            inside = (inside + int(quotes.sum())) % 2
    return deepest


def json_records(file: Path, jsonl: bool | None = None) -> Iterator[tuple[int, Any]]:
    """(position, record): the line number for JSON lines, the 1-based index in an array.

    Numbers come back as ``int``/``float`` (not ``Decimal``), as ``json`` gives them.

    Raises:
        NotAnArray: a JSON file whose top level is something else.
        BadJson: malformed JSON, with the line (JSON lines) or record index (arrays).
    """
    if jsonl if jsonl is not None else file.suffix == ".jsonl":
        try:
            for number, line in enumerate(textfile.lines(file), 1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise BadJson(f"not valid JSON: {exc.msg}", number) from exc
                    except RecursionError:
                        raise BadJson("not valid JSON: nested too deep", number) from None
        except textfile.Undecodable as exc:
            raise BadJson(str(exc), exc.line) from None
        return
    with file.open("rb") as handle:
        head = handle.read(4096)
        bom = 3 if head.startswith(b"\xef\xbb\xbf") else 0
        if not head[bom:].lstrip().startswith(b"["):
            raise NotAnArray("expected a JSON array of records")
        deepest = nesting_depth(file)
        if deepest > MAX_DEPTH:
            raise BadJson(f"nested {deepest} levels deep (at most {MAX_DEPTH})", None)
        count = 0
        # The C parser is fast but refuses what Python's own accepts (integers past 64 bits);
        # the pure-Python one then takes over where the C one stopped.
        for backend in (ijson, ijson.get_backend("python")):
            handle.seek(bom)
            try:
                for i, item in enumerate(backend.items(handle, "item", use_float=True), 1):
                    if i > count:
                        count = i
                        yield count, item
                return
            except ijson.JSONError as exc:
                error = exc
        raise BadJson(f"not valid JSON after record {count}: {error}", count + 1)
