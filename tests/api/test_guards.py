"""The service's edges: no secret in any answer or log, bounded bodies and rate-limit memory,
spreadsheet-safe exports, read keys covering readiness and metrics, allowed hosts."""

from __future__ import annotations

import csv
import io
import logging
import os
import socket
import stat
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import RateLimiter
from graphkit.engine import QueryEngine
from graphkit.export import export_filename
from graphkit.settings import Settings, local_password_file
from graphkit.store import open_store
from graphkit.store.embedded import EmbeddedStore
from graphkit.validate import RawRecord
from tests.api.conftest import KEY

SECRET = "s3cret-Pa55word"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_password_in_any_answer_or_log(caplog: pytest.LogCaptureFixture) -> None:
    uri = f"bolt://neo4j:{SECRET}@127.0.0.1:{_closed_port()}"
    settings = Settings(backend="neo4j", neo4j_uri=uri, neo4j_retry_seconds=1)
    with caplog.at_level(logging.DEBUG), TestClient(create_app(settings)) as client:
        answers = [
            client.get("/readyz"),
            client.get("/reach", params={"target": "logink"}),
            client.get("/entities", params={"q": "x"}),
        ]
    for res in answers:
        assert res.status_code == 503
        assert SECRET not in res.text and "127.0.0.1" not in res.text
    assert caplog.records and all(SECRET not in r.getMessage() for r in caplog.records)


def _engine(tmp_path: Path) -> QueryEngine:
    engine = QueryEngine(EmbeddedStore(tmp_path / "store.db"), Settings())
    records = [
        RawRecord("sources", {"id": "s", "title": "Doc", "date": "2020"}),
        RawRecord("entities", {"id": "a", "kind": "Company", "name": '=HYPERLINK("http://x")'}),
        RawRecord("entities", {"id": "b", "kind": "Company", "name": "+cmd|' /C calc'!A0"}),
        RawRecord(
            "relationships",
            {
                "type": "HOLDS_STAKE_IN",
                "source": "a",
                "target": "b",
                "evidence": [{"source": "s", "excerpt": "@SUM(1+1)"}],
            },
        ),
    ]
    engine.ingest(records)
    return engine


def test_exports_are_spreadsheet_safe(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with TestClient(create_app(Settings(), engine=engine)) as client:
        res = client.get(
            "/export", params={"query": "neighbourhood", "entity": "a", "format": "csv"}
        )
        nodes = client.get(
            "/export", params={"query": "neighbourhood", "entity": "a", "format": "csv-nodes"}
        )
    rows = list(csv.DictReader(io.StringIO(res.text)))
    (row,) = rows
    assert row["type"] == "HOLDS_STAKE_IN" and row["share"] == ""
    for cell in [
        *row.values(),
        *(v for r in csv.DictReader(io.StringIO(nodes.text)) for v in r.values()),
    ]:
        assert not cell.startswith(("=", "+", "-", "@")), cell
    assert row["from_name"] == '\'=HYPERLINK("http://x")'


def test_export_file_names_stay_in_their_folder() -> None:
    name = export_filename("neighbourhood", "a/../../../../tmp/x", "csv")
    assert "/" not in name and Path(name).name == name


def test_bodies_are_bounded(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    settings = Settings(api_keys=[KEY], max_body_bytes=4096)
    auth = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    with TestClient(create_app(settings, engine=engine)) as client:
        big = client.post("/ingest", content=b'{"entities": []}' + b" " * 10_000, headers=auth)
        assert big.status_code == 413 and "GRAPHKIT_MAX_BODY_BYTES" in big.text

        def chunks():  # no Content-Length: cut off while streaming
            for _ in range(20):
                yield b" " * 1000

        streamed = client.post("/ingest", content=chunks(), headers=auth)
        assert streamed.status_code == 413
        small = client.post("/ingest", json={"entities": []}, headers=auth)
        assert small.status_code == 200


def test_rate_limit_memory_is_bounded() -> None:
    limiter = RateLimiter(5)
    limiter.MAX_CLIENTS = 100
    for i in range(1000):
        assert limiter.allow(f"10.0.{i // 256}.{i % 256}")[0]
    assert len(limiter._hits) <= 100
    for _ in range(5):
        limiter.allow("client")
    assert limiter.allow("client")[0] is False


def test_read_keys_cover_readiness_and_metrics(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    settings = Settings(api_keys=[KEY], read_keys_required=True)
    with TestClient(create_app(settings, engine=engine)) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 401
        assert client.get("/metrics").status_code == 401
        ok = client.get("/readyz", headers={"X-API-Key": KEY})
        assert ok.status_code == 200 and ok.json()["entities"] == 2


def test_allowed_hosts(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    settings = Settings(allowed_hosts=["graph.example.org"])
    with TestClient(create_app(settings, engine=engine), base_url="http://evil.test") as c:
        assert c.get("/healthz").status_code == 400
    with TestClient(create_app(settings, engine=engine), base_url="http://graph.example.org") as c:
        assert c.get("/healthz").status_code == 200


@pytest.mark.neo4j
def test_the_local_neo4j_reads_no_files(neo4j_engine: QueryEngine) -> None:
    """scripts/neo4j-local forbids file URLs: Cypher cannot read the machine's files."""
    import neo4j.exceptions

    driver = neo4j_engine.store._driver  # type: ignore[attr-defined]
    with driver.session() as session, pytest.raises(neo4j.exceptions.Neo4jError):
        session.execute_read(
            lambda tx: tx.run("LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row").data()
        )


def test_api_docs_are_local_and_behind_the_read_key(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    with TestClient(create_app(Settings(), engine=engine)) as client:
        for doc in ("/docs", "/redoc"):
            page = client.get(doc)
            assert page.status_code == 200
            assert "https://" not in page.text and "http://" not in page.text
        for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js"):
            assert client.get(f"/docs-assets/{asset}").status_code == 200
        assert client.get("/docs-assets/..%2fcore.py").status_code == 404
        assert client.get("/openapi.json").json()["info"]["title"] == "graphkit"
    settings = Settings(api_keys=[KEY], read_keys_required=True)
    with TestClient(create_app(settings, engine=engine)) as client:
        for doc in ("/docs", "/redoc", "/openapi.json"):
            assert client.get(doc).status_code == 401
            assert client.get(doc, headers={"X-API-Key": KEY}).status_code == 200


@pytest.mark.neo4j
def test_the_local_neo4j_requires_its_generated_password(
    neo4j_engine: QueryEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """scripts/neo4j-local turns authentication on, keeps the password it generated in a file
    only its owner can read, and the settings find it there without any environment."""
    import neo4j
    import neo4j.exceptions

    uri = os.environ["GRAPHKIT_TEST_NEO4J_URI"]
    secret = local_password_file(uri)
    if secret is None or not secret.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("CI's Neo4j is started by scripts/neo4j-local and must have a password")
        pytest.skip("this Neo4j was not started by scripts/neo4j-local")
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    with (
        neo4j.GraphDatabase.driver(uri, auth=None) as anonymous,
        pytest.raises(neo4j.exceptions.AuthError),
    ):
        anonymous.verify_connectivity()
    for name in ("NEO4J_PASSWORD", "GRAPHKIT_NEO4J_PASSWORD", "NEO4J_PASSWORD_FILE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(backend="neo4j", neo4j_uri=uri)
    assert settings.neo4j_password == secret.read_text().strip()
    store = open_store(settings)
    try:
        assert store.stats().backend == "neo4j"
    finally:
        store.close()


def test_a_full_slot_pool_refuses_promptly_with_retry_after() -> None:
    """Admission control: past its slots a request waits queue_seconds, then gets a 503
    it can act on; a freed slot admits the next one."""
    import asyncio

    from fastapi import HTTPException

    from api.capacity import Slots

    async def scenario() -> None:
        slots = Slots(1, 0.2, "queries")
        async with slots.held():
            started = asyncio.get_running_loop().time()
            with pytest.raises(HTTPException) as refused:
                async with slots.held():
                    pass
            assert asyncio.get_running_loop().time() - started < 1.0
            assert refused.value.status_code == 503
            assert refused.value.headers == {"Retry-After": "1"}
            assert "busy with 1 queries" in refused.value.detail
        async with slots.held():  # released on exit: admitted again
            pass

    asyncio.run(scenario())


def test_schema_is_published_with_its_fingerprint(tmp_path: Path) -> None:
    from graphkit.schema import fingerprint

    with TestClient(create_app(Settings(), engine=_engine(tmp_path))) as client:
        body = client.get("/schema").json()
    assert body["fingerprint"] == fingerprint()
    assert {r["type"] for r in body["relationships"]} >= {"OWNS", "AGREEMENT_WITH"}


def test_a_very_long_unknown_id_is_a_404_not_a_500(tmp_path: Path) -> None:
    """Suggestions for a mistyped id search its first 200 characters (found by schemathesis:
    a long source id made the suggestion search itself invalid)."""
    with TestClient(create_app(Settings(), engine=_engine(tmp_path))) as client:
        answer = client.get("/analytics/brokers", params={"source": "é̺" * 300})
        assert answer.status_code == 404, answer.text
        assert client.get("/reach", params={"target": "x" * 1000}).status_code == 404
