"""Loaders on real published data: FollowTheMoney (OpenSanctions) and BODS 0.4 (Open Ownership).

Reads ``../shared/data`` beside the repository (CI has it there).
"""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.query import OwnersRequest
from graphkit.validate import validate_records
from ingest import detect, read_path
from ingest.bods import read_bods
from ingest.ftm import read_ftm
from ingest.report import LoadReport
from tests.conftest import ROOT

DATA = ROOT.parent / "shared" / "data"
ZALA = DATA / "ftm-opensanctions-zala" / "entities.ftm.json"
BODS = DATA / "bods-0.4"
CST = "NK-abdzbEBkqyT29GyREbiURZ"
ZAKHAROV = "NK-aU5ybkbRFJucf8YMwsJvDw"
pytestmark = pytest.mark.skipif(
    not DATA.exists() and os.environ.get("CI") != "true",
    reason="../shared/data is not beside the repository (CI has it)",
)


def test_ftm_zala_cluster_counts_and_ownerships() -> None:
    report = LoadReport()
    batch = validate_records(read_ftm(ZALA, report))
    assert (len(batch.entities), len(batch.relationships), report.read) == (17, 21, 91)
    assert report.skipped == {
        "Sanction: not an actor or a relationship": 41,
        "Address: not an actor or a relationship": 11,
        "Passport: not an actor or a relationship": 1,
    }
    types = sorted(r.type.value for r in batch.relationships)
    assert types.count("OWNS") == 14 and types.count("FAMILY_OF") == 4
    stakes = {
        (r.source, r.target, r.share, r.valid_from, r.valid_to)
        for r in batch.relationships
        if r.type.value == "OWNS"
    }
    assert (ZAKHAROV, CST, 0.51, "2015-11-25", None) in stakes
    person = next(e for e in batch.entities if e.id == ZAKHAROV)
    assert person.kind.value == "Person" and person.country == "RU"
    assert any("Захаров" in a for a in person.aliases)
    assert all(r.evidence[0].locator.startswith("FtM ") for r in batch.relationships)


def test_ftm_owners_from_real_data(engine: QueryEngine) -> None:
    engine.ingest(read_ftm(ZALA))
    res = engine.owners(OwnersRequest(entity=CST, as_of="2020-06-01"))
    got = {o.entity.id: round(o.integrated, 4) for o in res.owners}
    assert got[ZAKHAROV] == 0.51 and len(got) == 3
    assert res.warnings and "102.0%" in res.warnings[0]  # overlapping register records
    later = engine.owners(OwnersRequest(entity=CST, as_of="2024-06-01"))
    assert {o.entity.id for o in later.owners} == {ZAKHAROV, "NK-nR5AXM9AVPq4pQaSPSaVam"}


def _expected_errors() -> dict[str, tuple[str, str, str]]:
    """file → (validator, JSON path, property) as published beside the invalid statements."""
    rows = (BODS / "tests/data/invalid-statements/expected_errors.csv").read_text().splitlines()
    return {r.split(",")[0]: tuple(r.split(",")[1:4]) for r in rows if r.strip()}  # type: ignore[misc]


def test_bods_published_valid_and_invalid_statements() -> None:
    valid = sorted((BODS / "tests/data/valid-statements").glob("*.json"))
    invalid = sorted((BODS / "tests/data/invalid-statements").glob("*.json"))
    expected = _expected_errors()
    assert (len(valid), len(invalid), len(expected)) == (111, 192, 192)
    for path in valid:
        list(read_bods(path))
    for path in invalid:
        with pytest.raises(InvalidData) as info:
            list(read_bods(path))
        validator, where, prop = expected[path.name]
        match = re.fullmatch(r"\$(?:\[(\d+)\])?(.*)", where)
        assert match, where
        position = int(match.group(1)) + 1 if match.group(1) else 1
        field = re.sub(r"\[(\d+)\]", r".\1", match.group(2)).lstrip(".") or None
        hits = [
            i
            for i in info.value.issues
            if i.file == str(path)
            and i.line == position
            and (i.field == field or (i.field or "").startswith(f"{field or ''}"))
        ]
        assert hits, (path.name, where, [str(i) for i in info.value.issues])
        if validator == "required":
            assert any(f"'{prop}'" in i.message for i in hits), path.name


def test_bods_examples_shares_and_ranges() -> None:
    batch = validate_records(read_bods(BODS / "examples" / "joint-ownership.json"))
    assert (len(batch.entities), len(batch.relationships)) == (4, 3)
    kinds = sorted(e.kind.value for e in batch.entities)
    assert kinds == ["Company", "Company", "Person", "Person"]  # the joint holding is an entity
    shares = sorted((r.share, r.type.value) for r in batch.relationships)
    assert shares == [(0.5, "OWNS"), (0.5, "OWNS"), (1.0, "OWNS")]
    indirect = validate_records(read_bods(BODS / "examples" / "indirect-ownership.json"))
    direct = [r for r in indirect.relationships if r.type.value == "OWNS"]
    derived = [r for r in indirect.relationships if r.type.value == "HOLDS_STAKE_IN"]
    assert direct and derived and all(r.share is None for r in derived)
    assert all("declared_share" in r.properties or "share_min" in r.properties for r in derived)
    soe = validate_records(read_bods(BODS / "examples" / "bods-package-fi-soe.json"))
    assert any(e.kind.value == "StateBody" for e in soe.entities)


def test_bods_file_that_is_not_an_array_is_refused(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text(json.dumps({"statementId": "x"}), encoding="utf-8")
    with pytest.raises(InvalidData, match="array of statements"):
        list(read_bods(one))


def test_format_detection() -> None:
    assert detect(ZALA) == "ftm"
    assert detect(BODS / "examples" / "levent.json") == "bods"
    assert detect(ROOT / "data" / "seed") == "curated"


def test_reingest_of_real_files_changes_nothing(engine: QueryEngine) -> None:
    for path in (ZALA, BODS / "examples" / "tecido.json"):
        first = engine.ingest(read_path(path))
        again = engine.ingest(read_path(path))
        assert again.unchanged == {k: first.created[k] + first.updated[k] for k in first.created}


_LINES = (
    [json.loads(line) for line in ZALA.read_text(encoding="utf-8").splitlines()]
    if (ZALA.exists())
    else [{}]
)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, len(_LINES) - 1),
    st.sampled_from(["drop", "junk", "type", "date"]),
    st.integers(0, 10_000),
)
def test_mutated_ftm_records_fail_cleanly_and_write_nothing(
    tmp_path_factory: pytest.TempPathFactory, index: int, how: str, seed: int
) -> None:
    rng = random.Random(seed)
    record = json.loads(json.dumps(_LINES[index]))
    props = record.setdefault("properties", {})
    if how == "drop" and props:
        props.pop(rng.choice(sorted(props)))
    elif how == "junk":
        props[rng.choice(["startDate", "percentage", "country", "bogus"])] = ["#!?"]
    elif how == "type":
        record["schema"] = rng.choice(["Ownership", "Nonsense", 7, None])
    else:
        props["startDate"] = [rng.choice(["2020-13-45", "yesterday", "2020"])]
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "mutated.ftm.json"
    path.write_text(
        "\n".join(json.dumps(r) for r in [*_LINES[:index], record, *_LINES[index + 1 :]]),
        encoding="utf-8",
    )
    from graphkit.store.embedded import EmbeddedStore

    store = EmbeddedStore(folder / "fuzz.db")
    eng = QueryEngine(store)
    try:
        eng.ingest(read_ftm(path))
    except InvalidData as exc:
        assert exc.issues and all(i.file == str(path) for i in exc.issues if i.file)
        assert store.stats().entities == 0
    finally:
        store.close()


GLEIF = DATA / "gleif-golden-copy-sample"
ICIJ = ROOT / "tests" / "fixtures" / "icij"


def test_gleif_level1_level2_and_exceptions() -> None:
    batch = validate_records(read_path(GLEIF))
    assert (len(batch.entities), len(batch.relationships)) == (27, 10)
    rels = {(r.type.value, r.source, r.target, r.role) for r in batch.relationships}
    assert (
        "SUBSIDIARY_OF",
        "lei:010CMKZ3VON21WF2ZD45",
        "lei:ZZG38T0MDR3QY1ETUA76",
        "direct accounting consolidation",
    ) in rels
    assert (
        "CONTROLS",
        "lei:5493001Z012YSB2A0K51",
        "lei:001GPB6A9XPE8XJICC14",
        "fund manager",
    ) in rels  # the manager controls the fund
    ents = {e.id: e for e in batch.entities}
    fund = ents["lei:001GPB6A9XPE8XJICC14"]
    assert fund.name == "Fidelity Advisor Leveraged Company Stock Fund"
    assert fund.properties["reporting_exception:DIRECT_ACCOUNTING_CONSOLIDATION_PARENT"] == (
        "NO_KNOWN_PERSON"
    )
    assert ents["lei:ZZG38T0MDR3QY1ETUA76"].unnamed  # named only by its LEI
    consolidated = next(
        r
        for r in batch.relationships
        if r.source == "lei:010CMKZ3VON21WF2ZD45" and r.role == "direct accounting consolidation"
    )
    assert consolidated.valid_from == "2018-02-06"


def test_icij_fixture_follows_the_published_layout() -> None:
    from ingest.icij import read_icij

    report = LoadReport()
    batch = validate_records(read_icij(ICIJ, report))
    assert (len(batch.entities), len(batch.relationships), report.read) == (9, 7, 17)
    assert report.skipped == {"similar: a resolution hint, not a fact": 1}
    stake = next(
        r
        for r in batch.relationships
        if r.source == "icij:12000001" and r.type.value == "HOLDS_STAKE_IN"
    )
    assert (stake.valid_from, stake.valid_to, stake.role) == (
        "2006-06-01",
        "2012-12-31",
        "shareholder of",
    )
    ents = {e.id: e for e in batch.entities}
    assert ents["icij:10000001"].properties["incorporation_date"] == "2006-03-23"
    assert ents["icij:12000002"].country == "ES"


def test_icij_bad_date_names_file_line_and_field(tmp_path: Path) -> None:
    import shutil

    from ingest.icij import read_icij

    folder = tmp_path / "icij"
    shutil.copytree(ICIJ, folder)
    text = (folder / "relationships.csv").read_text(encoding="utf-8")
    (folder / "relationships.csv").write_text(
        text.replace("01-JUN-2006", "31-FOO-2006"), encoding="utf-8"
    )
    with pytest.raises(InvalidData) as info:
        list(read_icij(folder))
    (issue,) = info.value.issues
    assert issue.file.endswith("relationships.csv") and issue.line == 2
    assert issue.field == "start_date/end_date"


def test_csv_template_round_trip_and_bad_rows(tmp_path: Path, engine: QueryEngine) -> None:
    from ingest.csvformat import write_template

    folder = tmp_path / "sheet"
    write_template(folder)
    assert detect(folder) == "csv"
    with (folder / "relationships.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            ",,AGREEMENT_WITH,logink,port-of-rotterdam,,,,2019,,,reported,"
            "note-zoom-china-standards,LOGINK heeft inmiddels samenwerkingsafspraken,"
            "supports,\n"
        )
    summary = engine.ingest(read_path(folder))
    assert summary.created == {"sources": 1, "entities": 2, "relationships": 1}
    rel = engine.store.relationships(["AGREEMENT_WITH:logink->port-of-rotterdam"])[
        "AGREEMENT_WITH:logink->port-of-rotterdam"
    ]
    assert len(rel.evidence) == 2  # two rows, one relationship
    with (folder / "entities.csv").open("a", encoding="utf-8") as handle:
        handle.write("bad,Spaceship,Bad,,,,,\n")
    with pytest.raises(InvalidData) as info:
        engine.ingest(read_path(folder))
    (issue,) = info.value.issues
    assert issue.file.endswith("entities.csv") and issue.line == 4 and issue.field == "kind"


BODS03 = ROOT / "tests" / "fixtures" / "bods-0.3" / "statements.json"


def test_bods_03_statements_with_replacements() -> None:
    assert detect(BODS03) == "bods"
    batch = validate_records(read_bods(BODS03))
    ents = {e.id: e for e in batch.entities}
    assert set(ents) == {"bods:ent-new", "bods:per-1"}  # ent-old was replaced
    assert ents["bods:ent-new"].aliases == ("Harbour Logistics B.V.",)
    rels = sorted((r.type.value, r.source, r.target, r.share) for r in batch.relationships)
    assert rels == [
        ("CONTROLS", "bods:per-1", "bods:ent-new", None),
        ("OWNS", "bods:per-1", "bods:ent-new", 0.6),
    ]


def test_bods_03_bad_share_names_the_field(tmp_path: Path) -> None:
    data = json.loads(BODS03.read_text(encoding="utf-8"))
    data[3]["interests"][0]["share"]["exact"] = 160
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        list(read_bods(bad))
    (issue,) = info.value.issues
    assert (issue.line, issue.field) == (4, "interests.0.share.exact")
