"""The architecture as a test: imports point one way, and no module imports one that imports
it back — read from the source, type-only imports included."""

from __future__ import annotations

import ast

import networkx as nx

from tests.conftest import ROOT

#: Modules the stores (and the filter below them) must never need: presentation and service.
PRESENTATION = (
    "graphkit.semantics",
    "graphkit.engine",
    "graphkit.export",
    "graphkit.viz",
    "graphkit.picture",
    "graphkit.cite",
    "graphkit.cli",
    "api",
)


def _imports() -> dict[str, set[str]]:
    """Every module of the four packages and the project modules it imports."""
    found: dict[str, set[str]] = {}
    for package in ("graphkit", "ingest", "api", "bench"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            deps: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    deps.add(node.module)
                elif isinstance(node, ast.Import):
                    deps.update(alias.name for alias in node.names)
            found[name] = {d for d in deps if d.split(".")[0] in ("graphkit", "ingest", "api")}
    return found


def test_no_module_of_graphkit_imports_one_that_imports_it_back() -> None:
    imports = _imports()
    graph = nx.DiGraph(
        (a, b)
        for a, deps in imports.items()
        if a.startswith("graphkit")
        for b in deps
        if b in imports and b != a and not a.startswith(b + ".")  # a package's own parts
    )
    assert list(nx.simple_cycles(graph)) == []


def test_stores_and_filters_need_no_presentation() -> None:
    imports = _imports()
    low = [m for m in imports if m.startswith("graphkit.store") or m == "graphkit.filters"]
    assert "graphkit.store.base" in low and "graphkit.filters" in low
    for module in low:
        bad = {d for d in imports[module] if d.startswith(PRESENTATION)}
        assert not bad, f"{module} imports {bad}"


def test_only_the_command_line_reads_files_through_ingest() -> None:
    """Data flows ingest → graphkit: the library never reaches up into the loaders or the
    service (the CLI is the one front end that wires them together)."""
    imports = _imports()
    for module, deps in imports.items():
        if module.startswith("graphkit") and not module.startswith("graphkit.cli"):
            assert not {d for d in deps if d.startswith(("ingest", "api"))}, module
