"""Load the Neo4j backend's Cypher from ``cypher/*.cypher`` by name.

Cypher cannot take labels, relationship types or a path-length bound as parameters, so a
file may hold ``{{placeholders}}``; :func:`render` fills them only with values from the
schema's allow-lists or with a bounded integer, and refuses anything else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from graphkit.errors import InvalidQuery
from graphkit.filters import CypherPredicate
from graphkit.pattern_cypher import CompiledPattern
from graphkit.query import MAX_DEPTH_LIMIT
from graphkit.schema import EntityKind, RelType
from graphkit.steps_cypher import ArcSteps, HopStrength

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_LABELS = frozenset({"Entity", "Claim", "Source"})


def cypher_dir() -> Path:
    """The folder of ``.cypher`` files: the repository's, or the copy packed in the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "cypher", here / "_cypher"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("cannot find the cypher/ folder next to the graphkit package")


@cache
def load(name: str) -> str:
    """The text of ``cypher/<name>.cypher`` (e.g. ``"read/stats"``)."""
    if not re.fullmatch(r"[a-z_]+/[a-z_]+", name):
        raise ValueError(f"bad query name {name!r}")
    return (cypher_dir() / f"{name}.cypher").read_text(encoding="utf-8")


def names() -> list[str]:
    """Every query name, for the EXPLAIN check in the tests."""
    root = cypher_dir()
    return sorted(str(p.relative_to(root).with_suffix("")) for p in root.rglob("*.cypher"))


@dataclass(frozen=True)
class Repeat:
    """Another query file, rendered with ``values`` and written ``times`` times in a row:
    how a ``{{layers}}`` placeholder unrolls a search one hop per copy (Cypher has no loop
    that carries state from one round to the next)."""

    name: str
    times: int
    values: Mapping[str, object]


def _comment(line: str) -> bool:
    return line.lstrip().startswith("//")


def _check(key: str, value: object) -> str:
    if key == "kind" and isinstance(value, EntityKind):
        return value.value
    if key == "other_kinds" and value == "all":
        return "".join(f":{k.value}" for k in EntityKind)
    if key == "type" and isinstance(value, RelType):
        return value.value
    if key == "label" and value in _LABELS:
        return str(value)
    if key == "max_depth" and isinstance(value, int) and 1 <= value <= MAX_DEPTH_LIMIT:
        return str(value)
    if key == "pattern" and isinstance(value, CompiledPattern):
        return value.text  # built from allow-listed names and integers only
    if key == "filter" and isinstance(value, CypherPredicate):
        return value.text  # graphkit.filters' clauses: fixed text and $parameters
    if key == "steps" and isinstance(value, ArcSteps):
        return value.text  # typed expansions built from allow-listed type names
    if key == "strength" and isinstance(value, HopStrength):
        return value.text  # fixed text on a checked variable name
    if (
        key == "layers"
        and isinstance(value, Repeat)
        and isinstance(value.times, int)
        and 1 <= value.times <= MAX_DEPTH_LIMIT
    ):
        once = render(value.name, **value.values)  # each of its values checked there
        code = "".join(line for line in once.splitlines(keepends=True) if not _comment(line))
        return code * value.times  # the fragment's header once in the file, not per copy
    raise InvalidQuery(f"{key}={value!r} is not allowed in a query", parameter=key)


def render(name: str, **values: object) -> str:
    """A query with its placeholders filled from allow-lists.

    Example:
        >>> "MERGE (a)-[r:OWNS" in render("write/upsert_edges", type=RelType.OWNS)
        True
        >>> render("write/upsert_edges", type="OWNS]->() DETACH DELETE (a")
        Traceback (most recent call last):
        graphkit.errors.InvalidQuery: type='OWNS]->() DETACH DELETE (a' is not allowed in a query
    """
    lines = load(name).splitlines(keepends=True)
    # Comment lines keep their placeholders: a filled value may span lines.
    code = [not _comment(line) for line in lines]
    wanted = {
        key for line, c in zip(lines, code, strict=True) if c for key in _PLACEHOLDER.findall(line)
    }
    if wanted != set(values):
        raise ValueError(f"{name} needs {sorted(wanted)}, got {sorted(values)}")
    filled = {key: _check(key, value) for key, value in values.items()}
    return "".join(
        _PLACEHOLDER.sub(lambda m: filled[m.group(1)], line) if c else line
        for line, c in zip(lines, code, strict=True)
    )


def split_statements(text: str) -> list[str]:
    r"""The ``;``-separated statements of a query text, ``//`` comment lines removed.

    >>> split_statements("// a; b\nRETURN 1;\nRETURN 2")
    ['RETURN 1', 'RETURN 2']
    """
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in body.split(";") if s.strip()]


def statements(name: str) -> list[str]:
    """The statements of a file without placeholders (schema set-up)."""
    return split_statements(load(name))
