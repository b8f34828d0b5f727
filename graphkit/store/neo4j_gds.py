"""Graph Data Science (GDS) on a Neo4j server that has it: detected once, when first asked,
and used as the server's own floor for a reach set.

Why not for the answers themselves: no GDS algorithm gives a layered strongest-path search
with graphkit's tie-breaks (strength at 1e-12, then fewer hops, then relationship ids) within
a depth bound, and a breadth-first search that only prunes the candidates prunes nothing on
the giant answers where the time goes. What GDS can give exactly is *who is within n arcs*
over the same arcs the search walks; the benchmark times that beside the Cypher search, so
the table shows how far a statement is from what the server's own engine does.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

from graphkit import cypher
from graphkit.errors import BackendUnavailable, GraphkitError, InvalidQuery
from graphkit.filters import ResolvedFilters, cypher_parameters, cypher_predicate
from graphkit.profiles import cypher_weights
from graphkit.query import MAX_DEPTH_LIMIT
from graphkit.steps_cypher import flow_types, hop_strength

#: Runs a read statement on the store: (query, what, timeout, **params) -> rows.
Rows = Callable[..., list[dict[str, Any]]]

log = logging.getLogger(__name__)


def detect_version(rows: Rows) -> str | None:
    """The GDS version the server has, or ``None`` (listed functions first: calling a
    function the server lacks fails to compile). A user the server does not let list or
    call functions is taken as having no GDS: nothing graphkit answers depends on it."""
    try:
        (found,) = rows(cypher.load("gds/version"), "GDS detection")
        if not found["present"]:
            return None
        (row,) = rows(cypher.load("gds/version_number"), "GDS detection")
    except BackendUnavailable:
        raise
    except GraphkitError as exc:
        log.info("cannot tell whether the server has GDS (%s): going without it", exc)
        return None
    return str(row["version"])


class GdsProjection:
    """The arcs a search with ``filters`` may walk (against the flow when ``inbound``),
    projected into GDS's in-memory catalog under a name of its own; dropped on close.

    Example (on a server with GDS)::

        with store.gds_projection(filters, inbound=True, time_budget=60) as g:
            count, ids = g.reached("rotterdam-port-data", max_depth=6, ids=True)
    """

    def __init__(
        self, rows: Rows, filters: ResolvedFilters, *, inbound: bool, time_budget: float
    ) -> None:
        self._rows = rows
        self.name = f"graphkit-{uuid.uuid4().hex}"
        query = cypher.render("gds/project", filter=cypher_predicate(), strength=hop_strength())
        (row,) = rows(
            query,
            "GDS projection",
            timeout=time_budget,
            graph=self.name,
            inbound=inbound,
            **flow_types(filters.types),
            **cypher_parameters(filters),
            **cypher_weights(filters.weights),
        )
        #: Entities and arcs in the projection.
        self.nodes = int(row["nodes"])
        self.arcs = int(row["arcs"])

    def reached(
        self, anchor: str, max_depth: int, *, ids: bool = False, time_budget: float = 60.0
    ) -> tuple[int, list[str]]:
        """How many entities are within ``max_depth`` arcs of ``anchor`` (not counting it),
        and with ``ids`` which, in GDS's visiting order."""
        if not 1 <= max_depth <= MAX_DEPTH_LIMIT:  # bounded like every traversal
            raise InvalidQuery(
                f"max_depth must be 1 to {MAX_DEPTH_LIMIT}, got {max_depth}", parameter="max_depth"
            )
        found = self._rows(
            cypher.load("gds/reach"),
            "GDS search",
            timeout=time_budget,
            graph=self.name,
            anchor=anchor,
            max_depth=max_depth,
            ids=ids,
        )
        if not found:  # no such entity
            return 0, []
        return int(found[0]["reached"]), list(found[0]["ids"] or [])

    def close(self) -> None:
        self._rows(cypher.load("gds/drop"), "GDS clean-up", graph=self.name)

    def __enter__(self) -> GdsProjection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
