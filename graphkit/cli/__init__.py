"""``graphkit`` command line: human tables by default, ``--json`` for scripts.

Exit codes scripts can rely on: 0 ok, 1 unexpected error, 2 usage, 3 not found,
4 invalid data, 5 bound exceeded, 6 backend unavailable. Commands live in one module per
topic; importing them registers them on :data:`app`.
"""

from __future__ import annotations

# Imported for their commands, in the order --help lists them.
# isort: off
from graphkit.cli import load, queries, research, exports, admin  # noqa: F401

# isort: on
from graphkit.cli.options import app

__all__ = ["app", "main"]


def main() -> None:
    """Console entry point."""
    app()
