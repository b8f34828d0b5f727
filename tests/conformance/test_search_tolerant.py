"""Search forgives what readers type: misspellings, a bare LEI, an id merged away since the
link was made — the same on both backends."""

from __future__ import annotations

import pytest

from graphkit.engine import QueryEngine
from graphkit.query import ReachRequest, SearchRequest
from graphkit.validate import RawRecord
from tests.backends import Pair, pair


@pytest.fixture
def seed(embedded_engines: dict[str, QueryEngine], request: pytest.FixtureRequest) -> Pair:
    if request.param == "embedded":
        return Pair(embedded_engines["seed"], None)  # type: ignore[arg-type]
    return pair("seed", embedded_engines, request.getfixturevalue("neo4j_engine"))


def _ids(engine: QueryEngine, text: str) -> list[str]:
    return [h.entity.id for h in engine.search(SearchRequest(text=text, limit=5)).items]


@pytest.mark.parametrize("seed", ["embedded", "neo4j"], indirect=True)
@pytest.mark.parametrize(
    "typed, meant",
    [
        ("hikvison", "hikvision"),
        ("Hikvission", "hikvision"),
        ("Alibba", "alibaba"),
        ("cainaio", "cainiao"),
        ("port of roterdam", "port-of-rotterdam"),
    ],
)
def test_a_typo_or_two_still_finds_the_entity(seed: Pair, typed: str, meant: str) -> None:
    engines = [seed.embedded] + ([seed.neo4j] if seed.neo4j is not None else [])
    for engine in engines:
        found = _ids(engine, typed)
        assert found[:1] == [meant], (engine.store.backend, found)
    hit = seed.embedded.search(SearchRequest(text=typed)).items[0]
    assert hit.score <= 0.5 < seed.embedded.search(SearchRequest(text=meant)).items[0].score
    stored = seed.embedded.store.entities([meant])[meant]
    assert hit.matched in (stored.name, *stored.aliases)  # shown as written, not normalised


def test_short_or_unrelated_text_is_not_stretched(
    embedded_engines: dict[str, QueryEngine],
) -> None:
    engine = embedded_engines["seed"]
    assert _ids(engine, "zzqx") == []
    assert _ids(engine, "hik")[:1] == ["hikvision"]  # a prefix is a substring match


def test_identifiers_and_merged_ids_find_the_entity(backend: QueryEngine) -> None:
    lei = "5493001KJTIIGC8Y1R12"
    backend.ingest(
        [
            RawRecord("sources", {"id": "reg", "title": "Register", "date": "2024"}),
            RawRecord(
                "entities",
                {
                    "id": "acme",
                    "kind": "Company",
                    "name": "Acme Port Holding",
                    "country": "NL",
                    "identifiers": {"lei": lei},
                },
            ),
            RawRecord("entities", {"id": "acme-dup", "kind": "Company", "name": "ACME Port"}),
            RawRecord("entities", {"id": "quay", "kind": "Terminal", "name": "Acme Quay"}),
            RawRecord(
                "relationships",
                {
                    "type": "OPERATES",
                    "source": "acme",
                    "target": "quay",
                    "evidence": [{"source": "reg", "excerpt": "Acme operates the quay"}],
                },
            ),
        ]
    )
    for text in (lei, lei.lower(), f"lei:{lei}"):
        hit = backend.search(SearchRequest(text=text)).items[0]
        assert hit.entity.id == "acme" and hit.matched == f"lei:{lei}" and hit.score == 1.0

    backend.merge("acme", ["acme-dup"])
    assert _ids(backend, "acme-dup")[0] == "acme"
    # A link made with the merged-away id still answers, for the surviving entity.
    assert backend.reach(ReachRequest(target="quay")).items[0].entity.id == "acme"
    assert backend.entity("acme-dup").entity.id == "acme"
