"""One limit for names and aliases on every backend: what one store accepts the other
stores and finds, and what is too large is refused at validation on both."""

from __future__ import annotations

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.model import ALIASES_MAX, NAME_MAX, NAMES_TOTAL_MAX
from graphkit.query import SearchRequest
from graphkit.validate import RawRecord


def _ent(**fields: object) -> RawRecord:
    return RawRecord("entities", {"id": "big", "kind": "Company", "name": "Big", **fields})


def test_the_largest_names_allowed_load_and_are_found(backend: QueryEngine) -> None:
    name = "Ω" * (NAME_MAX - 10) + " Holdings"
    aliases = [f"alias {i} " + "é" * 40 for i in range((NAMES_TOTAL_MAX - len(name)) // 60)]
    backend.ingest([_ent(name=name, aliases=aliases)])
    hits = backend.search(SearchRequest(text="holdings"))
    assert [h.entity.id for h in hits.items] == ["big"]


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "x" * (NAME_MAX + 1)},
        {"aliases": ["a"] * (ALIASES_MAX + 1)},
        {"aliases": ["y" * NAME_MAX] * (NAMES_TOTAL_MAX // NAME_MAX + 1)},
    ],
    ids=["long-name", "many-aliases", "names-too-large-together"],
)
def test_too_large_is_refused_on_every_backend(backend: QueryEngine, fields: dict) -> None:
    with pytest.raises(InvalidData) as info:
        backend.ingest([_ent(**fields)])
    assert info.value.issues[0].record == "entity 'big'"
    assert backend.stats().entities == 0
