"""The plain-record path of a load (:mod:`graphkit.plain`) against the model path: it gives
the same rows as the models would, or no answer, and a load through it leaves the same file.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from bench.generate import Shape, write_jsonl
from graphkit import plain
from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.model import Entity, Evidence, Relationship, Source, with_derived_id
from graphkit.store import rows
from graphkit.store.embedded import EmbeddedStore
from graphkit.validate import RawRecord
from graphkit.writes import Writer
from ingest import read_path
from ingest.curated import read_curated
from tests.conftest import ROOT, SEED

#: Whole files are compared, data versions included.
pytestmark = pytest.mark.usefixtures("same_first_version")

DATA = ROOT.parent / "shared" / "data"


# ---------------------------------------------------------------- the tables
@pytest.mark.parametrize(
    ("table", "model"),
    [
        (plain.ENTITY_FIELDS, Entity),
        (plain.RELATIONSHIP_FIELDS, Relationship),
        (plain.EVIDENCE_FIELDS, Evidence),
    ],
)
def test_each_table_declares_exactly_its_models_fields_and_defaults(
    table: dict[str, tuple[Any, Any]], model: type[BaseModel]
) -> None:
    assert set(table) == set(model.model_fields)
    for name, (_check, default) in table.items():
        field = model.model_fields[name]
        if default is plain.REQUIRED:
            assert field.is_required(), name
        elif default is plain.EMPTY:
            assert not field.get_default(call_default_factory=True), name
        else:
            assert field.get_default() == default, name


# ---------------------------------------------------------------- records, generated
SOURCES = {
    "doc": Source(id="doc", title="A report", date="2018"),
    "doc2": Source(id="doc2", title="Another", date="2017-05"),
    "undated": Source(id="undated", title="No date"),
}
_TEXT = ["x", "", " ", " x", "x ", "x\n", "\u2003x", "x\x1c", "x\u200b", "\ud800", 5, None, "é"]
ENTITY_VARIANTS: dict[str, list[Any]] = {
    "id": ["e1", " e1", "e 1", "", 5, None, "e1\n", "é1", "a" * 300, "a" * 301, "#x", "x#"],
    "kind": ["Company", "company", "Nope", None, 1, " Company", "Person", "Port"],
    "name": [*_TEXT, "A" * 1000, "A" * 1001, "Ac\x00me"],
    "aliases": [
        [],
        ["a"],
        ["a "],
        [""],
        "abc",
        ["a"] * 501,
        ["a"] * 500,
        [1],
        None,
        ("a",),
        ["x" * 1000] * 6,
        ["x" * 1000] * 5,
    ],
    "country": [None, "GB", "gb", "GBR", " GB", "G1", 5, ""],
    "identifiers": [
        {},
        {"lei": "X1"},
        {"lei": " X1"},
        {"LEI": "x1"},
        {"lei": 5},
        [],
        {"gb-coh": "01"},
        {" lei": "X"},
        {"icij_node_id": "9"},
        {"lei": ""},
    ],
    "description": [None, "", " d", "d", 5],
    "unnamed": [False, True, 0, 1, "false", None],
    "plural": [False, True, 0, "true"],
    "properties": [
        {},
        {"a": 1},
        {"a": 2**63},
        {"a": -(2**63)},
        {"a": float("nan")},
        {"a": float("inf")},
        {"a": 1.5},
        {"a": " x"},
        {"a": "x" * 100_001},
        {"a": [1]},
        {"a": None},
        {"a": True},
        {" a": 1},
        {"a": {"b": 1}},
        [],
    ],
    "extra": [1],
}
_EV = {"source": "doc", "excerpt": "said so", "stance": "supports", "locator": "p1", "note": "n"}
_EVIDENCE: list[Any] = [
    [],
    [_EV],
    [{"source": "doc", "excerpt": "no"}],
    [{**_EV, "stance": "disputes"}],
    [_EV, {**_EV, "source": "doc2", "stance": "disputes"}],
    [{"source": "doc"}],
    [{**_EV, "extra": 1}],
    "x",
    [{**_EV, "excerpt": "x" * 2001}],
    [{**_EV, "excerpt": "x" * 2000}],
    [{**_EV, "stance": " supports"}],
    [_EV, _EV],
    [{**_EV, "source": "doc2"}, {**_EV, "source": "undated"}, _EV],
    [{**_EV, "locator": " p"}],
    [{**_EV, "note": None, "locator": None}],
    [{**_EV, "source": "bad id"}],
    [5],
]
REL_VARIANTS: dict[str, list[Any]] = {
    "id": ["r1", "", " r1", None, "bad id", "OWNS:a->b#9"],
    "key": ["2", 2, None, " k"],
    "type": ["OWNS", "owns", "CONTROLS", "MEMBER_OF", "X", 1],
    "source": ["a", " a", "b", 1, "a\n"],
    "target": ["b", "b ", "a", None],
    "share": [None, 0, 1, 2, 0.5, 1.5, -0.1, True, "0.5", float("nan"), float("inf"), 1.0, 0.0],
    "role": [None, "", " x", "x", 1],
    "status": [None, "x", "x ", 0],
    "valid_from": [
        None,
        "2019",
        "2019-02",
        "2019-02-30",
        "2019-13",
        2019,
        " 2019",
        "2019 ",
        date(2019, 1, 1),
        datetime(2019, 1, 1),
        True,
        "19",
        "2021",
        2021,
        -5,
    ],
    "valid_to": [None, "2020-05", "2020", 2020, "2018", "2020-02-29", "2019-02-29"],
    "ended": [False, True, 0, "yes", None],
    "confidence": [
        "confirmed",
        "reported",
        "alleged",
        "Confirmed",
        0.5,
        1,
        0,
        1.5,
        0.0,
        True,
        None,
        1.0,
    ],
    "evidence": _EVIDENCE,
    "properties": ENTITY_VARIANTS["properties"],
    "extra": ["x"],
}
BASE_ENTITY: dict[str, Any] = {"id": "e1", "kind": "Company", "name": "Acme Ltd"}
BASE_REL: dict[str, Any] = {"type": "OWNS", "source": "a", "target": "b", "evidence": [_EV]}


def _mutants(base: dict[str, Any], variants: dict[str, list[Any]], n: int) -> Iterator[Any]:
    rng = random.Random(20261201)
    for name, values in variants.items():  # every value of every field once, alone
        for value in values:
            yield {**base, name: value}
    for _ in range(n):  # then a few fields at a time
        record = dict(base)
        for name in rng.sample(sorted(variants), rng.randint(1, 4)):
            record[name] = rng.choice(variants[name])
        yield record


def _model(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except (ValidationError, ValueError):
        return None


def test_a_plain_entity_gives_the_models_row_and_nothing_else_is_plain() -> None:
    taken = refused = 0
    for data in _mutants(BASE_ENTITY, ENTITY_VARIANTS, 4000):
        row = plain.plain_entity(data)
        model = _model(Entity, data)
        if row is None:
            refused += model is not None  # the model path converts it
            continue
        assert model is not None, data
        assert row == rows.entity_row(model), data
        taken += 1
    assert taken > 500 and refused > 100  # both sides of the line were exercised


def test_a_plain_relationship_gives_the_models_row_and_nothing_else_is_plain() -> None:
    dates = {i: s.date for i, s in SOURCES.items()}
    taken: list[tuple[plain.PlainRelationship, rows.RelationshipRow]] = []
    refused = 0
    for data in _mutants(BASE_REL, REL_VARIANTS, 6000):
        rel = plain.plain_relationship(data)
        model = _model(Relationship, with_derived_id(data))
        if rel is None:
            refused += model is not None
            continue
        assert model is not None, data
        expected = rows.relationship_row(model, SOURCES)
        assert plain.relationship_row(rel, dates) == expected, data
        taken.append((rel, expected))
    assert len(taken) > 500 and refused > 100
    # Many at once share the look at their sources' dates: still each one's own row.
    assert plain.relationship_rows([r for r, _ in taken], dates) == [e for _, e in taken]


def test_plain_batch_declines_repeated_ids_and_any_record_that_is_not_plain() -> None:
    ent = RawRecord("entities", BASE_ENTITY)
    rel = RawRecord("relationships", BASE_REL)
    assert plain.plain_batch([ent, rel]) is not None
    assert plain.plain_batch([ent, ent]) is None
    assert plain.plain_batch([rel, rel]) is None
    assert plain.plain_batch([ent, RawRecord("relationships", {**BASE_REL, "share": "1"})]) is None
    assert plain.plain_batch([RawRecord("entities", ["not", "a", "mapping"])]) is None  # type: ignore[arg-type]


# ---------------------------------------------------------------- whole loads, both paths
def _dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, with its rowid: the file's contents, in storage order."""
    db = sqlite3.connect(path)
    try:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            t: db.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in tables
        }
    finally:
        db.close()


def _load(
    path: Path, records: Any, *, plain_path: bool, monkeypatch: pytest.MonkeyPatch, batch: int
) -> tuple[Any, list[bool], dict[str, list[tuple[Any, ...]]]]:
    """Load into a new store through one path; returns the summary (or the error's issues),
    which batches the plain path wrote, and the file's rows."""
    taken: list[bool] = []
    original = EmbeddedStore.insert_new

    def insert_new(self: EmbeddedStore, *args: Any) -> Any:
        out = original(self, *args)
        taken.append(out is not None)
        return out

    with monkeypatch.context() as m:
        m.setattr(EmbeddedStore, "insert_new", insert_new)
        if not plain_path:
            m.setattr(Writer, "_insert_plain", lambda self, records: None)
        store = EmbeddedStore(path)
        try:
            result: Any = QueryEngine(store).ingest_stream(records(), batch)
        except InvalidData as exc:
            result = [str(i) for i in exc.issues]
        finally:
            store.close()
    return result, taken, _dump(path)


def _both(
    tmp_path: Path, records: Any, monkeypatch: pytest.MonkeyPatch, batch: int = 50_000
) -> tuple[Any, list[bool]]:
    """Load through both paths; assert the same outcome and the same file."""
    fast = _load(tmp_path / "p.db", records, plain_path=True, monkeypatch=monkeypatch, batch=batch)
    slow = _load(tmp_path / "m.db", records, plain_path=False, monkeypatch=monkeypatch, batch=batch)
    assert fast[0] == slow[0]
    assert slow[1] == []
    assert fast[2] == slow[2]
    return fast[0], fast[1]


def test_the_seed_loads_through_the_plain_path_into_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary, taken = _both(tmp_path, lambda: read_curated(SEED), monkeypatch)
    assert taken == [True] and summary.created["relationships"] > 100


def test_a_generated_graph_in_many_batches_gives_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "graph.jsonl"
    write_jsonl(Shape(entities=3000), path)
    summary, taken = _both(tmp_path, lambda: read_path(path, "curated"), monkeypatch, batch=1500)
    assert len(taken) > 3 and all(taken)
    assert summary.created["entities"] == 3000


@pytest.mark.parametrize(
    "name",
    [
        "gleif-golden-copy-sample/rr-data.json",
        "ftm-opensanctions-zala/entities.ftm.json",
        "bods-0.4/examples/fermcat.json",
        "bods-0.4/examples/tecido.json",
    ],
)
def test_published_data_gives_the_same_file_through_either_path(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _both(tmp_path, lambda: read_path(DATA / name, "auto"), monkeypatch)


def _records(*items: tuple[str, dict[str, Any]]) -> list[RawRecord]:
    return [RawRecord(section, data, "t.jsonl", n) for n, (section, data) in enumerate(items, 1)]  # type: ignore[arg-type]


DOC = ("sources", {"id": "doc", "title": "A report", "date": "2018"})
LAW = ("entities", {"id": "b", "kind": "Law", "name": "B"})


def _ent(eid: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    return ("entities", {"id": eid, "kind": "Company", "name": eid.upper(), **extra})


def _rel(src: str, tgt: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    return ("relationships", {**BASE_REL, "source": src, "target": tgt, **extra})


@pytest.mark.parametrize(
    ("why", "records"),
    [
        ("a share as text", [DOC, _ent("a"), _ent("b"), _rel("a", "b", share="0.5")]),
        (
            "one identifier, two records: merged",
            [
                DOC,
                _ent("a", identifiers={"lei": "L1"}),
                _ent("b", identifiers={"lei": "L1"}),
                _ent("c"),
                _rel("a", "c"),
            ],
        ),
        ("an unknown end", [DOC, _ent("a"), _rel("a", "nobody")]),
        ("an unknown source", [_ent("a"), _ent("b"), _rel("a", "b")]),
        ("an end of a kind the type refuses", [DOC, _ent("a"), LAW, _rel("a", "b")]),
        ("a broken record", [DOC, _ent("a"), _ent("b"), _rel("a", "b", share=7)]),
        ("an id twice, alike", [DOC, _ent("a"), _ent("a"), _ent("b"), _rel("a", "b")]),
        ("an id twice, unlike", [DOC, _ent("a"), _ent("a", country="GB"), _ent("b")]),
    ],
)
def test_what_the_plain_path_declines_ends_as_the_model_path_ends(
    why: str,
    records: list[tuple[str, dict[str, Any]]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result, taken = _both(tmp_path, lambda: iter(_records(*records)), monkeypatch)
    assert True not in taken, why


def test_a_second_run_of_a_load_is_recognised_as_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = _records(DOC, _ent("a"), _ent("b"), _rel("a", "b"))
    store = EmbeddedStore(tmp_path / "g.db")
    engine = QueryEngine(store)
    first = engine.ingest_stream(iter(records))
    before = _dump(tmp_path / "g.db")
    prepared: list[object] = []
    original = plain.plain_batch
    monkeypatch.setattr(plain, "plain_batch", lambda recs: prepared.append(1) or original(recs))
    again = engine.ingest_stream(iter(records))
    store.close()
    assert prepared == []  # stored records seen at once: no rows prepared for nothing
    assert first.created == {"sources": 1, "entities": 2, "relationships": 1}
    assert again.unchanged == first.created and not any(again.created.values())
    assert _dump(tmp_path / "g.db") == before


def test_a_store_without_a_row_path_is_not_handed_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neo4j has no row path yet: its loads must not pay for preparing rows (nor for the
    lookups behind them) only to throw them away."""

    class ModelOnly(EmbeddedStore):
        inserts_rows = False

    prepared: list[object] = []
    original = plain.plain_batch
    monkeypatch.setattr(plain, "plain_batch", lambda recs: prepared.append(1) or original(recs))
    store = ModelOnly(tmp_path / "g.db")
    summary = QueryEngine(store).ingest_stream(iter(_records(DOC, _ent("a"), _ent("b"))))
    store.close()
    assert summary.created["entities"] == 2 and prepared == []
    assert EmbeddedStore.inserts_rows


def test_a_second_file_declaring_the_same_source_stays_on_the_row_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file of one register declares its source again: stored alike, it is counted
    unchanged and the batch still goes as rows; changed, the model path rewrites it."""
    first = _records(DOC, _ent("a"), _ent("b"), _rel("a", "b"))
    second = _records(DOC, _ent("c"), _rel("a", "c"))
    changed = _records(("sources", {**DOC[1], "title": "Renamed"}), _ent("d"), _rel("a", "d"))
    files = [lambda r=r: iter(r) for r in (first, second, changed)]
    fast, taken, fast_rows = _load_files(tmp_path / "p.db", files, True, monkeypatch)
    slow, none, slow_rows = _load_files(tmp_path / "m.db", files, False, monkeypatch)
    assert fast == slow and fast_rows == slow_rows and none == []
    assert taken == [True, True]  # the changed source went the model way
    assert fast[1].unchanged["sources"] == 1 and fast[1].created["relationships"] == 1
    assert fast[2].updated["sources"] == 1


def _load_files(
    path: Path, files: list[Any], plain_path: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Any], list[bool], dict[str, list[tuple[Any, ...]]]]:
    """:func:`_load` of several files, one load after another, into one store."""
    summaries: list[Any] = []
    taken: list[bool] = []
    for records in files:
        result, written, _rows = _load(
            path, records, plain_path=plain_path, monkeypatch=monkeypatch, batch=50_000
        )
        summaries.append(result)
        taken += written
    return summaries, taken, _dump(path)
