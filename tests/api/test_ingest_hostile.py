"""POST /ingest fed what a careless or hostile client sends, on both backends: a 422 problem
document naming the record and field, never a 500 or a traceback, and the store unchanged."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graphkit.engine import QueryEngine
from tests.api.conftest import KEY

AUTH = {"Authorization": f"Bearer {KEY}"}
SRC = {"id": "doc-h", "title": "A register extract", "date": "2024-05-01"}
REL = {
    "type": "OWNS",
    "source": "zoom",
    "target": "logink",
    "share": 0.1,
    "evidence": [{"source": "doc-h", "excerpt": "holds 10%"}],
}


def _ent(**fields: Any) -> dict[str, Any]:
    return {"entities": [{"id": "h1", "kind": "Company", "name": "H", **fields}]}


BODIES: list[tuple[str, Any]] = [
    ("kind-change", {"entities": [{"id": "port-of-rotterdam", "kind": "Person", "name": "P"}]}),
    ("entity-is-a-string", {"entities": ["just-a-string"]}),
    ("entities-not-a-list", {"entities": "x"}),
    ("unknown-section", {"people": []}),
    ("name-is-a-number", _ent(name=5)),
    ("huge-int-property", _ent(properties={"n": 10**30})),
    ("nested-property", _ent(properties={"n": {"deep": [1, 2]}})),
    ("long-name", _ent(name="x" * 5000)),
    ("bad-country", _ent(country="Netherlands")),
    ("injected-id", _ent(id="x}) DETACH DELETE n //")),
    ("injected-kind", _ent(kind="Company:Admin")),
    ("bad-date", {"sources": [dict(SRC, date="2021-02-30")]}),
    ("year-as-big-int", {"sources": [dict(SRC, date=99999)]}),
    ("missing-endpoint", {"sources": [SRC], "relationships": [dict(REL, target="nobody")]}),
    ("missing-source", {"relationships": [REL]}),
    ("share-above-one", {"sources": [SRC], "relationships": [dict(REL, share=1.5)]}),
    ("share-is-text", {"sources": [SRC], "relationships": [dict(REL, share="half")]}),
    ("unknown-type", {"sources": [SRC], "relationships": [dict(REL, type="LOVES")]}),
    ("no-evidence", {"sources": [SRC], "relationships": [dict(REL, evidence=[])]}),
    (
        "conflicting-duplicate",
        {
            "entities": [
                {"id": "h2", "kind": "Company", "name": "A"},
                {"id": "h2", "kind": "Person", "name": "B"},
            ]
        },
    ),
]


@pytest.mark.parametrize(("name", "body"), BODIES, ids=[n for n, _b in BODIES])
def test_hostile_ingest_is_a_clear_422_and_changes_nothing(
    client: TestClient, seed_engine: QueryEngine, name: str, body: Any
) -> None:
    before = seed_engine.stats()
    res = client.post("/ingest", json=body, headers=AUTH)
    assert res.status_code == 422, (name, res.status_code, res.text[:300])
    assert res.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in res.text
    assert seed_engine.stats() == before


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("not-json", b"{entities: ["),
        ("deep-json", b'{"entities": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"),
        (
            "nan",
            b'{"entities": [{"id": "h3", "kind": "Company", "name": "N", '
            b'"properties": {"n": NaN}}]}',
        ),
        (
            "latin-1",
            '{"entities": [{"id": "h4", "kind": "Company", "name": "Café"}]}'.encode("latin-1"),
        ),
    ],
)
def test_malformed_bodies_are_refused(
    client: TestClient, seed_engine: QueryEngine, name: str, raw: bytes
) -> None:
    before = seed_engine.stats()
    res = client.post("/ingest", content=raw, headers={**AUTH, "Content-Type": "application/json"})
    assert res.status_code in (400, 422), (name, res.status_code, res.text[:300])
    assert "Traceback" not in res.text
    assert seed_engine.stats() == before
    json.loads(res.text)  # a problem document, not an HTML error page
