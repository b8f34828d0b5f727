"""Path patterns: the same answers on both backends, and the answers a brute-force
enumeration of every simple path, filtered by an independent matcher, gives."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidQuery
from graphkit.filters import ResolvedFilters
from graphkit.pattern import Pattern, parse
from graphkit.query import ExposureRequest, PathsRequest, ReachRequest
from graphkit.schema import confidence_factor
from graphkit.traversal import path_key
from tests.backends import pair

DAY = date(2026, 11, 22)
Request = ReachRequest | ExposureRequest | PathsRequest

SEED_CASES: list[Request] = [
    ReachRequest(
        target="rotterdam-port-logistics-data",
        pattern="(StateBody) -[CONTROLS]-> (Platform) -[AGREEMENT_WITH]-> (Port) -[HOSTS]-> "
        "(DataAsset)",
    ),
    ReachRequest(
        target="hikvision-camera-data",
        pattern="(StateBody|PartyOrganisation) -[CONTROLS|MEMBER_OF|HOLDS_POSITION]->+ () "
        "-[HAS_ACCESS_TO]-> (DataAsset)",
    ),
    ExposureRequest(
        source="cn-government",
        pattern="(StateBody) -[CONTROLS]-> (Company) -[DEPLOYED_AT]-> (PublicBody)",
        limit=500,
    ),
    ExposureRequest(
        source="cn-government",
        pattern="() -[]->{1,2} (Law|Policy) -[OBLIGES confidence>=reported]-> ()",
        limit=500,
    ),
    PathsRequest(
        source="cn-government",
        target="fedasil",
        k=10,
        pattern="(StateBody) -[]->* (Law) -[OBLIGES]-> (Company) -[DEPLOYED_AT]-> (PublicBody)",
    ),
]
RANDOM_PATTERNS = [
    "(Company) -[OWNS share>=0.3 | CONTROLS]->+ () -[SUPPLIES]-> ()",
    "() -[SUBSIDIARY_OF]->{1,2} () -[AGREEMENT_WITH|SUPPLIES]-> ()",
    "() -[]->* () -[OWNS confidence>=reported]-> ()",
    "() -[HOLDS_STAKE_IN share<0.5]->? () -[MEMBER_OF|CONTROLS]->+ ()",
    "() -[AGREEMENT_WITH]-> () -[]->{2,3} ()",
]
#: (source for exposure and paths, target for reach, target for paths) per pattern: ends
#: the seeded graph has answers for, so agreement is tested on something.
RANDOM_ENDS = [(5, 15, 15), (13, 3, 5), (0, 7, 32), (8, 20, 20), (6, 7, 15)]
RANDOM_CASES: list[Request] = []
for _p, (_a, _b, _c) in zip(RANDOM_PATTERNS, RANDOM_ENDS, strict=True):
    RANDOM_CASES += [
        ReachRequest(target=f"e{_b:02d}", pattern=_p, kinds=["Company"], max_depth=5, limit=500),
        ExposureRequest(source=f"e{_a:02d}", pattern=_p, max_depth=5, limit=500),
        PathsRequest(source=f"e{_a:02d}", target=f"e{_c:02d}", pattern=_p, k=20, max_depth=5),
    ]
CASES = [("seed", r) for r in SEED_CASES] + [("random", r) for r in RANDOM_CASES]


def _run(eng: QueryEngine, req: Request) -> object:
    if isinstance(req, ReachRequest):
        return eng.reach(req, DAY)
    if isinstance(req, ExposureRequest):
        return eng.exposure(req, DAY)
    return eng.paths(req, DAY)


def _matches(p: Pattern, kinds: list[str], hops: list[tuple[str, float | None, float]]) -> bool:
    """An independent reading of the pattern: try every way of splitting the hops among the
    steps (backtracking), checking node tests where each step's run ends."""

    def holds(node: int, at: int) -> bool:
        test = p.nodes[node]
        return test.kinds is None or kinds[at] in {k.value for k in test.kinds}

    def fits(step: int, hop: int) -> bool:
        s = p.steps[step]
        rtype, share, conf = hops[hop]
        if s.alternatives is None:
            return True
        for alt in s.alternatives:
            if alt.type.value != rtype:
                continue
            ok = True
            for c in alt.conditions:
                got = share if c.field == "share" else conf
                ok = (
                    ok
                    and got is not None
                    and {
                        ">=": got >= c.value,
                        ">": got > c.value,
                        "<=": got <= c.value,
                        "<": got < c.value,
                        "=": got == c.value,
                    }[c.op]
                )
            if ok:
                return True
        return False

    def go(step: int, hop: int) -> bool:
        if step == len(p.steps):
            return hop == len(hops)
        s = p.steps[step]
        upper = len(hops) - hop if s.high is None else min(s.high, len(hops) - hop)
        for count in range(s.low, upper + 1):
            if all(fits(step, hop + j) for j in range(count)) and holds(step + 1, hop + count):
                if go(step + 1, hop + count):
                    return True
        return False

    return holds(0, 0) and go(0, 0)


def _brute(eng: QueryEngine, req: Request) -> dict[str, list[tuple[float, tuple[str, ...]]]]:
    """Every simple influence path within the depth, matched by :func:`_matches`, grouped by
    the end that is not the anchor; ids from the anchor outward."""
    f = ResolvedFilters.from_request(req, DAY)
    arcs = eng.store.influence_arcs(f, 60.0)
    out_arcs, in_arcs = defaultdict(list), defaultdict(list)
    for a in arcs:
        out_arcs[a.tail].append(a)
        in_arcs[a.head].append(a)
    rels = eng.store.relationships({a.rel_id for a in arcs})
    nodes = {x for a in arcs for x in (a.tail, a.head)}
    kinds = {k: v.value for k, v in eng.store.entity_kinds(nodes | {_anchor(req)}).items()}
    p = parse(str(req.pattern))
    inbound = isinstance(req, ReachRequest)
    found: dict[str, list[tuple[float, tuple[str, ...]]]] = defaultdict(list)

    def walk(path: list[str], arc_path: list) -> None:  # type: ignore[type-arg]
        if arc_path:
            chain = list(reversed(arc_path)) if inbound else arc_path
            order = list(reversed(path)) if inbound else path
            hops = [
                (
                    rels[a.rel_id].type.value,
                    rels[a.rel_id].share,
                    confidence_factor(rels[a.rel_id].confidence),
                )
                for a in chain
            ]
            strength = 1.0
            for a in arc_path:
                strength *= a.strength
            if (
                strength > 0
                and strength >= req.min_strength
                and _matches(p, [kinds[x] for x in order], hops)
            ):
                found[path[-1]].append((strength, tuple(a.rel_id for a in arc_path)))
        if len(arc_path) >= req.max_depth:
            return
        for a in (in_arcs if inbound else out_arcs)[path[-1]]:
            nxt = a.tail if inbound else a.head
            if nxt not in path:
                walk([*path, nxt], [*arc_path, a])

    walk([_anchor(req)], [])
    for paths in found.values():
        paths.sort(key=lambda x: path_key(*x))
    return found


def _anchor(req: Request) -> str:
    return req.target if isinstance(req, ReachRequest) else req.source


@pytest.mark.parametrize(
    ("dataset", "req"), CASES, ids=[f"{d}-{i}" for i, (d, _r) in enumerate(CASES)]
)
def test_patterns_equal_brute_force(
    dataset: str, req: Request, embedded_engines: dict[str, QueryEngine]
) -> None:
    eng = embedded_engines[dataset]
    got = _run(eng, req)
    brute = _brute(eng, req)
    if isinstance(req, PathsRequest):
        want = brute.get(req.target, [])[: req.k]
        assert [(round(s, 12), ids) for s, ids in want] == [
            (round(p.strength, 12), tuple(h.relationship_id for h in p.hops))
            for p in got.paths  # type: ignore[attr-defined]
        ]
        return
    inbound = isinstance(req, ReachRequest)
    allowed = None if req.kinds is None else {k.value for k in req.kinds}
    kinds = eng.store.entity_kinds(brute)
    want_best = {}
    for end, paths in brute.items():
        if allowed is not None and kinds[end].value not in allowed:
            continue
        s, ids = paths[0]
        want_best[end] = (round(s, 12), tuple(reversed(ids)) if inbound else ids)
    got_best = {
        item.entity.id: (
            round(item.strength, 12),
            tuple(h.relationship_id for h in item.path.hops),
        )
        for item in got.items  # type: ignore[attr-defined]
    }
    assert got_best == want_best


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("dataset", "req"), CASES, ids=[f"{d}-{i}" for i, (d, _r) in enumerate(CASES)]
)
def test_patterns_are_answered_alike_on_both_backends(
    dataset: str, req: Request, embedded_engines: dict[str, QueryEngine], neo4j_engine: QueryEngine
) -> None:
    engines = pair(dataset, embedded_engines, neo4j_engine)
    assert _run(engines.neo4j, req) == _run(engines.embedded, req)


def test_the_cases_are_not_vacuous(embedded_engines: dict[str, QueryEngine]) -> None:
    sizes = []
    for dataset, req in CASES:
        got = _run(embedded_engines[dataset], req)
        sizes.append(len(getattr(got, "items", None) or getattr(got, "paths", ())))
    assert all(s > 0 for s in sizes[: len(SEED_CASES)])
    assert all(s > 0 for s in sizes)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("(StateBody) -[OWNZ]-> ()", 15),
        ("(Spaceship) -[OWNS]-> ()", 2),
        ("(StateBody) -[BANS]-> ()", 15),
        ("(StateBody) -[OWNS share>=2]-> ()", 27),
        ("(StateBody) -[OWNS]->{3,1} ()", 22),
        ("(StateBody) -[OWNS]->", 22),
        ("(StateBody)", 12),
        ("(StateBody) $ -[OWNS]-> ()", 13),
    ],
)
def test_bad_patterns_name_the_column(
    text: str, column: int, embedded_engines: dict[str, QueryEngine]
) -> None:
    with pytest.raises(InvalidQuery) as err:
        embedded_engines["seed"].reach(ReachRequest(target="fedasil", pattern=text), DAY)
    assert err.value.parameter == "pattern"
    assert f"column {column}:" in str(err.value)


def test_an_empty_pattern_answer_says_which_step_found_nothing(
    embedded_engines: dict[str, QueryEngine],
) -> None:
    eng = embedded_engines["seed"]
    got = eng.paths(
        PathsRequest(
            source="cn-government",
            target="fedasil",
            pattern="(StateBody) -[CONTROLS]-> (Company) -[SUPPLIES]-> (PublicBody)",
        ),
        DAY,
    )
    assert got.paths == () and got.empty is not None
    assert "match 1 of the pattern's 2 steps" in got.empty.reasons[0]
    assert "-[SUPPLIES]-> (column 37)" in got.empty.reasons[0]
    wrong_end = eng.reach(
        ReachRequest(target="fedasil", pattern="(StateBody) -[CONTROLS]-> (DataAsset)"), DAY
    )
    assert "is a PublicBody" in wrong_end.empty.reasons[0]  # type: ignore[union-attr]
