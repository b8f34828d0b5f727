"""Storage backends behind one contract (:class:`graphkit.store.base.GraphStore`)."""

from __future__ import annotations

from graphkit.settings import Settings
from graphkit.store.base import GraphStore


def open_store(settings: Settings) -> GraphStore:
    """Open the backend the settings name (embedded by default)."""
    if settings.backend == "neo4j":
        from graphkit.store.neo4j import Neo4jStore

        return Neo4jStore(settings)
    from graphkit.store.embedded import EmbeddedStore

    return EmbeddedStore(settings.store)


__all__ = ["GraphStore", "open_store"]
