"""One truth, two engines: every case must give identical results on both backends."""

from __future__ import annotations

import random

import pytest

from graphkit.engine import QueryEngine
from graphkit.query import (
    AssetRequest,
    ExposureRequest,
    NeighbourhoodRequest,
    PathsRequest,
    ReachRequest,
    SearchRequest,
)
from tests.backends import pair

Request = (
    ReachRequest
    | ExposureRequest
    | PathsRequest
    | NeighbourhoodRequest
    | SearchRequest
    | AssetRequest
)
R = "rotterdam-port-logistics-data"

CASES: list[tuple[str, Request]] = [
    ("seed", ReachRequest(target=R, as_of="2020-01-01")),
    ("seed", ReachRequest(target=R, as_of="2026-11-22")),
    (
        "seed",
        ReachRequest(
            target=R, as_of="2020-01-01", known_by="2025-12-01", min_confidence="reported"
        ),
    ),
    ("seed", ReachRequest(target="hikvision-camera-data", as_of="2026-11-22", limit=3, offset=1)),
    ("seed", ExposureRequest(source="cn-intelligence-services", as_of="2026-11-22", limit=500)),
    (
        "seed",
        ExposureRequest(
            source="cn-government",
            as_of="2020-06-01",
            max_depth=3,
            types=["CONTROLS", "EMPOWERS", "OBLIGES", "HAS_ACCESS_TO"],
        ),
    ),
    ("seed", PathsRequest(source="cn-government", target="fedasil", as_of="2026-11-22", k=5)),
    ("seed", PathsRequest(source="cn-government", target=R, as_of="2020-01-01", k=3)),
    ("seed", NeighbourhoodRequest(entity="hikvision", depth=2, as_of="2026-11-22")),
    ("seed", NeighbourhoodRequest(entity="zoom-platform", as_of="2020-04-30", limit=5)),
    # Influence profiles re-weigh at query time on both backends.
    ("seed", ReachRequest(target=R, as_of="2026-11-22", profile="sceptic")),
    ("seed", ReachRequest(target="hikvision-camera-data", profile="party-weighs-more")),
    ("seed", ExposureRequest(source="ccp", as_of="2026-11-22", profile="party-weighs-more")),
    ("seed", PathsRequest(source="cn-government", target="fedasil", k=5, profile="sceptic")),
    ("seed", AssetRequest(entity="port-of-rotterdam", depth=3, as_of="2026-11-22")),
    (
        "seed",
        AssetRequest(
            entity="hikvision-camera-data",
            as_of="2020-01-01",
            known_by="2021",
            include_undated=True,
        ),
    ),
    ("seed", AssetRequest(entity="hikvision", depth=3, limit=7, as_of="2026-11-22")),
    ("seed", SearchRequest(text="haven")),
    ("seed", SearchRequest(text="海康威视")),
    ("cycles", ReachRequest(target="t", as_of="2020-01-01", kinds=["Company"])),
    ("cycles", ExposureRequest(source="a", as_of="2020-01-01")),
    ("cycles", PathsRequest(source="a", target="t", as_of="2020-01-01", k=10)),
    ("time", ReachRequest(target="t", as_of="2008-01-01", kinds=["Company"])),
    ("time", ReachRequest(target="t", as_of="2026-01-01", kinds=["Company"])),
    ("time", ReachRequest(target="t", as_of="2035-01-01", kinds=["Company"])),
    (
        "time",
        ReachRequest(target="t", as_of="2026-01-01", known_by="2010-01-01", kinds=["Company"]),
    ),
    ("ties", ReachRequest(target="t", as_of="2020-01-01", kinds=["Company"])),
    ("ties", PathsRequest(source="s", target="t", as_of="2020-01-01", k=10)),
]

Z = "NK-abdzbEBkqyT29GyREbiURZ"
CASES += [
    ("zala", ReachRequest(target=Z, as_of="2020-06-01")),
    ("zala", ReachRequest(target=Z, as_of="2024-06-01")),
    ("zala", ExposureRequest(source="NK-aU5ybkbRFJucf8YMwsJvDw", as_of="2016-01-01")),
    ("zala", SearchRequest(text="Захаров")),
    ("bods", ReachRequest(target="bods:31c55e425764", as_of="2020-06-01", kinds=None)),
    ("bods", SearchRequest(text="chrinon")),
    ("gleif", ExposureRequest(source="lei:5493001Z012YSB2A0K51", as_of="2024-01-01")),
    ("gleif", NeighbourhoodRequest(entity="lei:010CMKZ3VON21WF2ZD45", as_of="2024-01-01")),
    ("gleif", AssetRequest(entity="lei:010CMKZ3VON21WF2ZD45", depth=3, as_of="2024-01-01")),
    ("icij", ReachRequest(target="icij:10000001", as_of="2010-01-01")),
    ("icij", ReachRequest(target="icij:10000001", as_of="2014-01-01")),
    ("icij", SearchRequest(text="nunez")),
]

_rng = random.Random(5)
for _i in range(12):
    _a, _b = _rng.sample(range(40), 2)
    _day = _rng.choice(["1998-06-01", "2010-01-01", "2026-11-22"])
    _profile = _rng.choice([None, "sceptic", "party-weighs-more"])
    CASES += [
        (
            "random",
            ReachRequest(
                target=f"e{_a:02d}", as_of=_day, kinds=["Company"], limit=500, profile=_profile
            ),
        ),
        ("random", ExposureRequest(source=f"e{_b:02d}", as_of=_day, max_depth=4, limit=500)),
        (
            "random",
            PathsRequest(
                source=f"e{_a:02d}",
                target=f"e{_b:02d}",
                as_of=_day,
                k=4,
                max_depth=4,
                profile=_profile,
            ),
        ),
    ]


def _run(eng: QueryEngine, req: Request) -> object:
    if isinstance(req, ReachRequest):
        return eng.reach(req)
    if isinstance(req, ExposureRequest):
        return eng.exposure(req)
    if isinstance(req, PathsRequest):
        return eng.paths(req)
    if isinstance(req, NeighbourhoodRequest):
        return eng.neighbourhood(req)
    if isinstance(req, AssetRequest):
        return eng.asset(req)
    return eng.search(req)


def _size(result: object) -> int:
    for attr in ("items", "paths", "relationships", "groups"):
        if hasattr(result, attr):
            return len(getattr(result, attr))
    raise AssertionError(result)


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("dataset", "req"), CASES, ids=[f"{d}-{type(r).__name__}-{i}" for i, (d, r) in enumerate(CASES)]
)
def test_identical_answers(
    dataset: str, req: Request, embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine
) -> None:
    engines = pair(dataset, embedded_engines, neo4j_engine)
    want = _run(engines.embedded, req)
    got = _run(engines.neo4j, req)
    assert got == want


def test_the_cases_are_not_vacuous(embedded_engines: dict[str, QueryEngine]) -> None:
    """Most cases must have answers, or agreement would prove little."""
    sizes = [_size(_run(embedded_engines[d], r)) for d, r in CASES]
    assert sum(1 for s in sizes if s > 0) >= 0.8 * len(CASES)
    fixed = sizes[: CASES.index(next(c for c in CASES if c[0] == "random"))]
    assert all(s > 0 for s in fixed)
