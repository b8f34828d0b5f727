"""GDS detection never stands between a user and the answers: a server that refuses to say
whether it has GDS is taken as having none, while an outage is still an outage."""

from __future__ import annotations

from typing import Any

import pytest

from graphkit.errors import BackendUnavailable, GraphkitError
from graphkit.store.neo4j_gds import detect_version


def _answers(*results: list[dict[str, Any]] | Exception) -> Any:
    """A statement runner (the store's interface) that gives ``results`` in turn."""
    queue = list(results)
    asked: list[str] = []

    def rows(query: str, what: str, **_params: Any) -> list[dict[str, Any]]:
        asked.append(query)
        result = queue.pop(0)
        if isinstance(result, Exception):
            raise result
        return result

    rows.asked = asked  # type: ignore[attr-defined]
    return rows


def test_listed_then_asked_for_its_version() -> None:
    rows = _answers([{"present": True}], [{"version": "2.13.9"}])
    assert detect_version(rows) == "2.13.9"
    first, second = rows.asked
    assert "SHOW FUNCTIONS" in first and "gds.version()" in second


def test_not_listed_means_not_called() -> None:
    rows = _answers([{"present": False}])
    assert detect_version(rows) is None
    assert len(rows.asked) == 1  # calling a missing function would fail to compile


def test_a_refusal_means_no_gds_and_an_outage_is_raised() -> None:
    refused = GraphkitError("Neo4j refused GDS detection: Permission denied")
    assert detect_version(_answers(refused)) is None
    assert detect_version(_answers([{"present": True}], refused)) is None
    with pytest.raises(BackendUnavailable):
        detect_version(_answers(BackendUnavailable("Neo4j is unavailable")))
