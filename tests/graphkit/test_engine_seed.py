"""The seed dataset answers the questions it was built for, with evidence on every hop."""

from __future__ import annotations

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import EntityNotFound, InvalidQuery
from graphkit.query import (
    ExposureRequest,
    NeighbourhoodRequest,
    PathsRequest,
    ReachRequest,
    SearchRequest,
)
from graphkit.schema import RelType
from tests.conftest import TODAY

ROTTERDAM = "rotterdam-port-logistics-data"


def _reach(eng: QueryEngine, as_of: str, **kw: object) -> dict[str, object]:
    result = eng.reach(ReachRequest(target=ROTTERDAM, as_of=as_of, **kw))  # type: ignore[arg-type]
    return {i.entity.id: i for i in result.items}


def test_rotterdam_2020_logink_reaches_the_data_directly(seeded: QueryEngine) -> None:
    items = _reach(seeded, "2020-01-01")
    assert list(items) == ["logink", "cn-government", "cn-hk-terminal-shareholders"]
    logink = items["logink"]
    assert logink.path.length == 1
    hop = logink.path.hops[0]
    assert (hop.type, hop.valid_from, hop.valid_to) == (RelType.HAS_ACCESS_TO, "2019", "2025-11")
    assert hop.disputed and {e.stance for e in hop.evidence} == {"supports", "disputes"}
    assert logink.strength == pytest.approx(0.64)


def test_rotterdam_today_only_the_disputed_2019_agreement_remains(seeded: QueryEngine) -> None:
    items = _reach(seeded, TODAY)
    assert list(items) == ["logink", "cn-government", "cn-hk-terminal-shareholders"]
    path = items["logink"].path
    assert [h.type for h in path.hops] == [RelType.AGREEMENT_WITH, RelType.HOSTS]
    assert path.hops[0].valid_from == "2019" and path.disputed
    assert items["logink"].strength == pytest.approx(0.4 * 0.64)
    # What did not change between the two dates is identical.
    before = _reach(seeded, "2020-01-01")["cn-hk-terminal-shareholders"]
    assert items["cn-hk-terminal-shareholders"] == before


def test_every_hop_of_every_answer_carries_sourced_evidence(seeded: QueryEngine) -> None:
    for as_of in ("2020-01-01", TODAY):
        for item in seeded.reach(ReachRequest(target=ROTTERDAM, as_of=as_of)).items:
            for hop in item.path.hops:
                assert hop.evidence, hop.relationship_id
                for ev in hop.evidence:
                    assert ev.title and ev.excerpt and ev.source_id
                assert hop.explanation.endswith(".") and "by “" in hop.explanation


def test_path_runs_from_actor_to_target_in_influence_order(seeded: QueryEngine) -> None:
    gov = _reach(seeded, TODAY)["cn-government"].path
    assert [e.id for e in gov.entities] == [
        "cn-government",
        "logink",
        "port-of-rotterdam",
        ROTTERDAM,
    ]
    assert [(h.influence_from, h.influence_to) for h in gov.hops] == [
        ("cn-government", "logink"),
        ("logink", "port-of-rotterdam"),
        ("port-of-rotterdam", ROTTERDAM),
    ]
    assert gov.undated  # the state's control of LOGINK carries no dates


def test_known_by_hides_what_no_dated_source_had_said_yet(seeded: QueryEngine) -> None:
    # All Rotterdam facts come from the 2025 note: in 2021 nothing about them was known.
    assert _reach(seeded, "2020-01-01", known_by="2021-01-01") == {}
    assert list(_reach(seeded, "2020-01-01", known_by="2025-12-01")) == [
        "logink",
        "cn-government",
        "cn-hk-terminal-shareholders",
    ]


def test_min_confidence_and_type_filters(seeded: QueryEngine) -> None:
    assert "cn-hk-terminal-shareholders" not in _reach(seeded, TODAY, min_confidence=0.7)
    only_access = _reach(seeded, "2020-01-01", types=["HAS_ACCESS_TO", "CONTROLS"])
    assert list(only_access) == ["logink", "cn-government"]


def test_reach_pages_in_a_stable_order(seeded: QueryEngine) -> None:
    full = seeded.reach(ReachRequest(target="hikvision-camera-data", as_of=TODAY, limit=50))
    assert full.total == len(full.items) >= 4
    page = seeded.reach(
        ReachRequest(target="hikvision-camera-data", as_of=TODAY, limit=2, offset=2)
    )
    assert [i.entity.id for i in page.items] == [i.entity.id for i in full.items[2:4]]
    assert [i.rank for i in page.items] == [3, 4]
    keys = [(-round(i.strength, 12), i.hops, i.entity.id) for i in full.items]
    assert keys == sorted(keys)


def test_exposure_of_the_intelligence_services_reaches_belgian_sites(seeded: QueryEngine) -> None:
    result = seeded.exposure(
        ExposureRequest(source="cn-intelligence-services", as_of=TODAY, limit=500)
    )
    reached = {i.entity.id: i for i in result.items}
    assert {"hikvision", "fedasil", "alibaba", "liege-airport-secure-zones"} <= set(reached)
    fedasil = reached["fedasil"].path
    assert [e.id for e in fedasil.entities] == [
        "cn-intelligence-services",
        "cn-security-law",
        "hikvision",
        "fedasil",
    ]
    assert fedasil.hops[-1].properties == {"count": 51, "of_total": 177}


def test_counter_measures_never_carry_influence(seeded: QueryEngine) -> None:
    result = seeded.exposure(ExposureRequest(source="us-government", as_of=TODAY))
    assert "hikvision" not in {i.entity.id for i in result.items}


def test_ended_relationship_without_date_is_not_used(seeded: QueryEngine) -> None:
    result = seeded.exposure(ExposureRequest(source="goldman-sachs", as_of="2019-01-01"))
    assert result.total == 0
    hood = seeded.neighbourhood(NeighbourhoodRequest(entity="goldman-sachs", as_of=TODAY))
    (hop,) = hood.relationships
    assert not hop.active and "ended, date unknown" in hop.explanation


def test_paths_returns_distinct_ranked_paths(seeded: QueryEngine) -> None:
    result = seeded.paths(
        PathsRequest(source="cn-government", target=ROTTERDAM, as_of="2020-01-01", k=5)
    )
    ids = [tuple(h.relationship_id for h in p.hops) for p in result.paths]
    assert len(ids) == len(set(ids)) == 2
    assert [p.strength for p in result.paths] == sorted(
        (p.strength for p in result.paths), reverse=True
    )
    assert result.paths[0].length == 2


def test_neighbourhood_shows_bans_and_warnings(seeded: QueryEngine) -> None:
    hood = seeded.neighbourhood(NeighbourhoodRequest(entity="zoom-platform", as_of=TODAY))
    types = {h.type for h in hood.relationships}
    assert RelType.BANS in types and RelType.RESTRICTS in types
    banners = {h.source.id for h in hood.relationships if h.type is RelType.BANS}
    assert banners == {"taiwan-cabinet", "spacex", "google", "apple", "nasa", "nyc-schools"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fedasil", "fedasil"),
        ("FÉDASIL", "fedasil"),
        ("海康威视", "hikvision"),
        ("staatsveiligheid", "belgian-state-security"),
        ("rotterdam port data", ROTTERDAM),
        ("Peking", "cn-government"),
    ],
)
def test_search_ignores_case_accents_and_script(
    seeded: QueryEngine, text: str, expected: str
) -> None:
    hits = seeded.search(SearchRequest(text=text)).items
    assert hits and hits[0].entity.id == expected


def test_unknown_entity_suggests_close_matches(seeded: QueryEngine) -> None:
    with pytest.raises(EntityNotFound) as info:
        seeded.reach(ReachRequest(target="logink-platform"))
    assert "logink" in info.value.suggestions


def test_depth_over_the_configured_cap_is_refused(seeded: QueryEngine) -> None:
    capped = QueryEngine(seeded.store, seeded.settings.model_copy(update={"max_depth": 3}))
    with pytest.raises(InvalidQuery) as info:
        capped.reach(ReachRequest(target=ROTTERDAM, max_depth=4))
    assert info.value.parameter == "max_depth"


@pytest.mark.parametrize("inbound", [True, False])
def test_a_page_of_paths_builds_each_distinct_hop_once(
    seeded: QueryEngine, inbound: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Best paths form a tree, so a page repeats hops; each distinct (relationship, from)
    hop is built once per answer, and the answer is the one building every hop gives."""
    import graphkit.engine as engine_module
    from graphkit import semantics

    def ask() -> object:
        if inbound:
            return seeded.reach(ReachRequest(target="hikvision-camera-data", limit=50))
        return seeded.exposure(ExposureRequest(source="cn-government", limit=50))

    built: list[tuple[str, str]] = []
    real_hop = semantics.hop_view

    def counted(rel: object, influence_from: str, *args: object) -> object:
        built.append((rel.id, influence_from))  # type: ignore[attr-defined]
        return real_hop(rel, influence_from, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(semantics, "hop_view", counted)
    shared = ask()
    hops = [
        (h.relationship_id, h.influence_from)
        for item in shared.items  # type: ignore[attr-defined]
        for h in item.path.hops
    ]
    assert len(hops) > len(set(hops))  # the page does repeat hops
    assert sorted(built) == sorted(set(hops))
    real_path = semantics.path_view
    monkeypatch.setattr(  # every hop built anew, as before the page shared them
        engine_module, "path_view", lambda *a: real_path(*a[:7])
    )
    assert ask() == shared
