"""Empty answers explain themselves, the same on both backends: the filter that cut them,
facts at the ends that carry no influence, ends the data says nothing about, and
relationships not in force on the day asked."""

from __future__ import annotations

from typing import Any

import pytest

from graphkit.query import EmptyAnswer, ExposureRequest, PathsRequest, ReachRequest
from tests.backends import BACKENDS, Pair, pair

R = "rotterdam-port-logistics-data"


@pytest.fixture(params=BACKENDS)
def seed(request: pytest.FixtureRequest, embedded_engines: dict[str, Any]) -> Pair:
    if request.param == "embedded":
        return Pair(embedded_engines["seed"], None)  # type: ignore[arg-type]
    return pair("seed", embedded_engines, request.getfixturevalue("neo4j_engine"))


def _both(seed: Pair, ask: Any) -> EmptyAnswer:
    """The explanation on the embedded store, checked equal on Neo4j when it is present."""
    mine = ask(seed.embedded)
    if seed.neo4j is not None:
        assert ask(seed.neo4j) == mine
    assert mine is not None
    empty: EmptyAnswer = mine
    return empty


def test_facts_that_carry_no_influence_are_named(seed: Pair) -> None:
    req = PathsRequest(source="belgian-state-security", target="hikvision")
    empty = _both(seed, lambda e: e.paths(req).empty)
    assert "The data records nothing through which Belgian State Security acts on others." in (
        empty.reasons
    )
    warns = next(r for r in empty.reasons if r.startswith("Facts at Belgian State Security"))
    assert "Belgian State Security advises against" in warns
    assert "ADVISES_AGAINST:belgian-state-security->xiaomi" in empty.inert
    assert "BANS:us-government->hikvision" in empty.inert


def test_the_filter_that_cut_the_answer_is_named_with_what_it_hid(seed: Pair) -> None:
    req = ReachRequest(target=R, types=("OWNS",))  # type: ignore[arg-type]
    empty = _both(seed, lambda e: e.reach(req).empty)
    (types,) = [r for r in empty.relaxations if r.filter == "types"]
    assert types.was == "OWNS" and types.found == 3
    assert types.example == "LOGINK → Port of Rotterdam → Rotterdam port logistics data"
    assert empty.reasons[0].startswith("Without types=OWNS the search finds 3")

    known = PathsRequest(source="cn-government", target="fedasil", known_by="2019-01-01")  # type: ignore[arg-type]
    empty = _both(seed, lambda e: e.paths(known).empty)
    assert [r.filter for r in empty.relaxations] == ["known_by"]
    assert empty.relaxations[0].example == (
        "Government of the People's Republic of China → Hikvision → Fedasil"
    )


def test_an_end_the_data_is_silent_about_says_so(seed: Pair) -> None:
    req = ReachRequest(target="cn-government")
    empty = _both(seed, lambda e: e.reach(req).empty)
    assert empty.reasons == (
        "The data records nothing through which influence reaches Government of the "
        "People's Republic of China (no owner, controller, operator, agreement, access or "
        "deployment).",
    )
    kinds = ExposureRequest(source="cn-government", kinds=("Person",))  # type: ignore[arg-type]
    empty = _both(seed, lambda e: e.exposure(kinds).empty)
    assert "none of the kinds asked (Person)" in empty.reasons[0]


def test_relationships_out_of_force_on_the_day_are_quoted(seed: Pair) -> None:
    req = PathsRequest(source="logink", target=R, as_of="1990-01-01")  # type: ignore[arg-type]
    empty = _both(seed, lambda e: e.paths(req).empty)
    into = next(r for r in empty.reasons if "into Rotterdam port logistics data" in r)
    assert "not in force on 1990-01-01" in into
    assert "LOGINK has access to Rotterdam port logistics data" in into


def test_answers_that_found_something_carry_no_explanation(seed: Pair) -> None:
    assert seed.embedded.reach(ReachRequest(target=R)).empty is None
    assert seed.embedded.paths(PathsRequest(source="cn-government", target="fedasil")).empty is None
