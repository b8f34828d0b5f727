"""Time you can trust, on every backend: register history kept version by version, known-by
that cites nothing from after its day, diffs that tell every path that changed, and days
typed the way people type them. Expected answers are written by hand from the files."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pytest

from graphkit.dates import parse_day
from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.model import date_floor
from graphkit.query import (
    ControlRequest,
    DiffRequest,
    ExposureRequest,
    OwnersRequest,
    PathsRequest,
    ReachRequest,
)
from ingest.bods import read_bods
from tests.conformance.datasets import seed, shared

EXAMPLES = "bods-0.4", "examples"

# (file, subject record, day, {owner record: direct share}) — read off each example's
# statements: shares, start dates, end dates, replacements and closures.
OWNERS_BY_DAY = [
    # Maria Esteves holds 100 %, then 40 % beside Shear Trust's 60 %, then 30 % / 70 %; her
    # record is closed on 2023-03-03 and the trust holds 80 % from 2023-03-01.
    ("tecido.json", "01B68D7633", "2001-06-01", {}),
    ("tecido.json", "01B68D7633", "2020-01-01", {"018AF6B3EB": 1.0}),
    ("tecido.json", "01B68D7633", "2021-09-23", {"018AF6B3EB": 1.0}),
    ("tecido.json", "01B68D7633", "2022-01-01", {"018AF6B3EB": 0.4, "033E84672B": 0.6}),
    ("tecido.json", "01B68D7633", "2023-01-01", {"018AF6B3EB": 0.3, "033E84672B": 0.7}),
    ("tecido.json", "01B68D7633", "2024-01-01", {"033E84672B": 0.8}),
    # Riyadh and Patrick 50/50 from 2019-09-11; Riyadh's interest ends 2021-04-03 and Declan
    # holds 50 % from then; Declan's ends 2022-01-21 and Patrick holds 100 % from that day.
    ("fermcat.json", "ent-93c75c87ab28f889", "2019-01-01", {}),
    (
        "fermcat.json",
        "ent-93c75c87ab28f889",
        "2020-01-01",
        {"per-5faa4103dee78621": 0.5, "per-41c0bb0cef246f7c": 0.5},
    ),
    (
        "fermcat.json",
        "ent-93c75c87ab28f889",
        "2021-06-01",
        {"per-41c0bb0cef246f7c": 0.5, "per-e334cc6258e56467": 0.5},
    ),
    ("fermcat.json", "ent-93c75c87ab28f889", "2022-06-01", {"per-41c0bb0cef246f7c": 1.0}),
    # A range 75 – <100 % counts at its lower bound; no start date: always.
    (
        "bods-package-entity-owning-entity.json",
        "12b7dd0770ce",
        "2010-01-01",
        {"e83cce729ada": 0.75},
    ),
    # The state's indirect 100 % is already integrated: not a direct stake.
    ("bods-package-fi-soe.json", "19f1c5afe9d7", "2019-12-31", {}),
    (
        "bods-package-fi-soe.json",
        "19f1c5afe9d7",
        "2021-01-01",
        {"0199c515a699": 0.765, "7ff95ba3682c": 0.235},
    ),
    ("bods-package-linking-annotations.json", "a01c1a0863e2", "2018-01-01", {}),
    (
        "bods-package-linking-annotations.json",
        "a01c1a0863e2",
        "2019-01-01",
        {"0fc263ba4126": 0.25},
    ),
    ("bods-package.json", "c359f58d2977", "2016-01-01", {}),
    ("bods-package.json", "c359f58d2977", "2020-01-01", {"10478c6cf6de": 1.0}),
    ("full-pep-declaration.json", "a7b3bd81d8ba", "2017-01-01", {"9bcdcc85e803": 0.25}),
    ("simple-pep-declaration.json", "841083ba86e3", "2016-07-06", {}),
    ("simple-pep-declaration.json", "841083ba86e3", "2017-01-01", {"c9ceb68d7241": 0.25}),
    ("indirect-ownership.json", "ad3f6c2fcc9e", "2017-10-31", {}),
    ("indirect-ownership.json", "ad3f6c2fcc9e", "2018-01-01", {"d4ab89ea169a": 0.6}),
    ("joint-ownership.json", "31c55e425764", "2019-01-01", {"91b4236a7d89": 1.0}),
    (
        "joint-ownership.json",
        "91b4236a7d89",
        "2019-01-01",
        {"1accb8b18b99": 0.5, "f040df24d9ec": 0.5},
    ),
    # Person 1's direct 50 % starts 2019-05-01; before that only Company B holds directly.
    (
        "mixed-direct-and-indirect-ownership.json",
        "9bfe59b6a869",
        "2018-06-01",
        {"ec61aeda7141": 0.5},
    ),
    (
        "mixed-direct-and-indirect-ownership.json",
        "9bfe59b6a869",
        "2020-01-01",
        {"ec61aeda7141": 0.5, "53508b65253f": 0.5},
    ),
    (
        "multiple-indirect-ownership.json",
        "63e3a8a8946f",
        "2018-01-01",
        {"d177864a8b39": 0.5, "05fbbfb94b79": 0.5},
    ),
    ("multiple-tax-residencies.json", "fd5c8dbc9a91", "2020-01-01", {"8f2f34b57a8f": 1.0}),
    (
        "mutilple-indirect-ownership-2.json",
        "1e049760d6c7",
        "2018-01-01",
        {"41454e3ba398": 0.4, "6c9fd5c92201": 0.2},
    ),
]
# Examples without shareholdings (trusts, nominations, exemptions, a lone entity): no owners.
NO_STAKES = [
    "bods-package-annotations.json",
    "levent.json",
    "listed-company-exempt-from-disclosure.json",
    "nomination.json",
    "plc-entity-statement.json",
]


def _load(engine: QueryEngine, name: str) -> None:
    engine.ingest(read_bods(shared(*EXAMPLES) / name))


@pytest.mark.parametrize(
    ("name", "subject", "day", "expected"),
    OWNERS_BY_DAY,
    ids=[f"{n.removesuffix('.json')}-{d}" for n, _s, d, _e in OWNERS_BY_DAY],
)
def test_bods_examples_owners_on_every_day_as_the_statements_say(
    backend: QueryEngine, name: str, subject: str, day: str, expected: dict[str, float]
) -> None:
    _load(backend, name)
    res = backend.owners(OwnersRequest(entity=f"bods:{subject}", as_of=day, max_paths=0))
    direct = {o.entity.id.removeprefix("bods:"): o.direct for o in res.owners if o.direct}
    assert direct == pytest.approx(expected)
    assert not res.warnings


@pytest.mark.parametrize("name", NO_STAKES)
def test_bods_examples_without_shareholdings_have_no_owners(
    backend: QueryEngine, name: str
) -> None:
    _load(backend, name)
    for subject in {
        s["recordDetails"].get("subject")
        for s in json.loads((shared(*EXAMPLES) / name).read_text(encoding="utf-8"))
        if s["recordType"] == "relationship"
    }:
        res = backend.owners(OwnersRequest(entity=f"bods:{subject}", as_of="2024-01-01"))
        assert [o for o in res.owners if o.direct] == []


def test_tecido_keeps_every_version_with_its_statement(backend: QueryEngine) -> None:
    _load(backend, "tecido.json")
    res = backend.timeline("bods:01B68D7633")
    owns = {
        e.hop.relationship_id: e.hop
        for e in res.events
        if e.hop.type.value == "OWNS" and e.hop.source.id == "bods:018AF6B3EB"
    }
    periods = sorted((h.valid_from, h.valid_to, h.share) for h in owns.values())
    assert periods == [
        ("2002-03-09", "2021-09-23", 1.0),
        ("2021-09-24", "2022-09-20", 0.4),
        ("2022-09-21", "2023-03-03", 0.3),  # closed by the statement of 2023-03-03
    ]
    last = next(h for h in owns.values() if h.share == 0.3)
    assert {ev.date for ev in last.evidence} == {"2022-09-25", "2023-03-03"}
    assert any("record closed" in (ev.locator or "") for ev in last.evidence)
    ends = [e for e in res.events if e.event == "ends" and e.hop.relationship_id in owns]
    assert sorted(e.date or "" for e in ends) == ["2021-09-23", "2022-09-20", "2023-03-03"]
    # Control follows the history too: the trust's 60 % is no majority in 2022, 70 % is.
    ctl = backend.control(ControlRequest(entity="bods:01B68D7633", as_of="2023-01-01"))
    assert [s.controller.id for s in ctl.chain][:1] in (["bods:033E84672B"], ["bods:018AF6B3EB"])


def test_reloading_history_changes_nothing(backend: QueryEngine) -> None:
    _load(backend, "fermcat.json")
    again = backend.ingest(read_bods(shared(*EXAMPLES) / "fermcat.json"))
    assert sum(again.created.values()) == 0 and sum(again.updated.values()) == 0


def _v03(tmp_path: Path, replaces: dict[str, list[str]]) -> Path:
    statements = [
        {
            "statementID": sid,
            "statementType": "entityStatement",
            "statementDate": "2020-01-01",
            "entityType": "registeredEntity",
            "name": f"Company {sid}",
            "replacesStatements": old,
        }
        for sid, old in replaces.items()
    ]
    path = tmp_path / "loop.json"
    path.write_text(json.dumps(statements), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "replaces",
    [{"a": ["a"]}, {"a": ["b"], "b": ["a"]}, {"a": ["c"], "b": ["a"], "c": ["b"], "d": ["e"]}],
    ids=["itself", "each-other", "ring-of-three"],
)
def test_bods_03_replacements_in_a_circle_are_refused_not_a_hang(
    tmp_path: Path, replaces: dict[str, list[str]]
) -> None:
    path = _v03(tmp_path, replaces)
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            list(read_bods(path))
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "replacement chain did not terminate"
    (exc,) = outcome
    assert isinstance(exc, InvalidData)
    (issue,) = exc.issues
    assert issue.field == "replacesStatements" and "circle" in issue.message


# ----------------------------------------------------------------------------- known-by


def test_known_by_uses_only_evidence_dated_by_then(backend: QueryEngine) -> None:
    backend.ingest(seed())
    early = backend.exposure(ExposureRequest(source="cn-government", known_by="2010-01-01"))
    assert early.items == () and early.undated_left_out > 0
    day = date(2021, 1, 1)
    res = backend.exposure(ExposureRequest(source="cn-government", known_by=day, limit=500))
    assert res.items
    for item in res.items:
        for hop in item.path.hops:
            assert hop.evidence and all(ev.date for ev in hop.evidence)
            assert all(date_floor(ev.date) <= day for ev in hop.evidence if ev.date)
    wider = backend.exposure(
        ExposureRequest(source="cn-government", known_by=day, include_undated=True, limit=500)
    )
    assert wider.total == res.total + res.undated_left_out
    assert wider.undated_left_out == 0


def test_known_by_hides_a_later_denial(backend: QueryEngine) -> None:
    """The port's 2025 denial of the LOGINK coupling is not cited as of what was known in
    2020 (no seed source before 2025 reports the coupling, so nothing is known then)."""
    backend.ingest(seed())
    now = backend.reach(ReachRequest(target="rotterdam-port-logistics-data", as_of="2020-01-01"))
    assert any(i.path.disputed for i in now.items)
    then = backend.reach(
        ReachRequest(
            target="rotterdam-port-logistics-data", as_of="2020-01-01", known_by="2020-06-01"
        )
    )
    for item in then.items:
        for hop in item.path.hops:
            assert all(ev.date and ev.date <= "2020-06-01" for ev in hop.evidence)


# ----------------------------------------------------------------------------- diffs


def test_zoom_diff_reports_the_end_of_key_routing(backend: QueryEngine) -> None:
    backend.ingest(seed())
    res = backend.diff(
        DiffRequest(target="zoom-meeting-encryption-keys", from_date="2020-03", to_date="2020-06")
    )
    items = {i.entity.id: i for i in res.items}
    gov = items["cn-government"]
    assert gov.change == "changed"
    ended = [p for p in gov.paths if p.change == "ended"]
    assert ended, gov.explanation
    (hop,) = {h.relationship_id: h for p in ended for h in p.hops}.values()
    assert hop.type.value == "ROUTES_DATA_VIA" and not hop.active
    assert hop.valid_to == "2020-04" and hop.evidence
    assert "path ended" in gov.explanation and "Zoom servers in China" in gov.explanation
    assert items["alex-stamos"].change == "appeared"


def test_diff_of_exposure_and_paths(backend: QueryEngine) -> None:
    backend.ingest(seed())
    expo = backend.diff(
        DiffRequest(query="exposure", source="logink", from_date="2020", to_date="2026-11-22")
    )
    data = {i.entity.id: i for i in expo.items}["rotterdam-port-logistics-data"]
    assert (round(data.strength_before or 0, 3), round(data.strength_after or 0, 3)) == (
        0.64,
        0.256,
    )
    assert any(p.change == "ended" for p in data.paths)
    paths = backend.diff(
        DiffRequest(
            query="paths",
            source="logink",
            target="rotterdam-port-logistics-data",
            from_date="2020",
            to_date="2026-11-22",
        )
    )
    (item,) = paths.items
    (ended,) = [p for p in item.paths if p.change == "ended"]
    assert [h.relationship_id for h in ended.path.hops] == [
        "HAS_ACCESS_TO:logink->rotterdam-port-logistics-data"
    ]
    same = backend.diff(
        DiffRequest(
            query="paths",
            source="logink",
            target="rotterdam-port-logistics-data",
            from_date="2026-01-01",
            to_date="2026-11-22",
        )
    )
    assert same.items == () and same.unchanged == 1


def test_diff_needs_its_anchors() -> None:
    with pytest.raises(ValueError, match="needs source"):
        DiffRequest(query="exposure", target="x", from_date="2020")
    with pytest.raises(ValueError, match="before from_date"):
        DiffRequest(target="x", from_date="2021", to_date="2020")


# ----------------------------------------------------------------------------- days


@pytest.mark.parametrize(
    ("text", "day"),
    [("2020", date(2020, 1, 1)), ("2020-04", date(2020, 4, 1)), ("2020-04-15", date(2020, 4, 15))],
)
def test_days_as_people_type_them(text: str, day: date) -> None:
    assert ReachRequest(target="x", as_of=text).as_of == day
    assert PathsRequest(source="a", target="b", known_by=text).known_by == day
    assert OwnersRequest(entity="x", as_of=text).as_of == day


@pytest.mark.parametrize("bad", ["2020-13", "2021-02-30", "20", "yesterday", 2020, "0000"])
def test_bad_days_get_one_message(bad: object) -> None:
    with pytest.raises(ValueError, match="YYYY, YYYY-MM, YYYY-MM-DD or 'today'|not a real day"):
        ReachRequest(target="x", as_of=bad)


def test_today_means_today() -> None:
    assert ReachRequest(target="x", as_of="today").as_of == date.today()
    assert parse_day("TODAY", today=date(2026, 12, 1)) == date(2026, 12, 1)
