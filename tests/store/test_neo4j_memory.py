"""A Neo4j server that limits the memory of each transaction, as Aura does
(``db.memory.transaction.max``): a giant answer falls back to the hop-by-hop plan and is the
same answer; a batch too big for the limit is refused whole, with what to do, and the server
is not taken for down (no retries of work that cannot fit, no outage reported)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator

import pytest

warnings.filterwarnings("ignore", message=".*httpx2.*")  # as in tests/api/conftest.py

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from graphkit.engine import QueryEngine  # noqa: E402
from graphkit.errors import BoundExceeded  # noqa: E402
from graphkit.query import ExposureRequest  # noqa: E402
from graphkit.settings import Settings  # noqa: E402
from graphkit.store.embedded import EmbeddedStore  # noqa: E402
from graphkit.store.neo4j import Neo4jStore  # noqa: E402
from graphkit.validate import RawRecord  # noqa: E402
from tests.backends import local_neo4j  # noqa: E402
from tests.conformance.datasets import SOURCE, _ent, _rel  # noqa: E402

pytestmark = pytest.mark.neo4j

#: Small enough that an 8,000-actor answer held in one statement passes it, large enough for
#: the server's own start and for batches of a few hundred records.
LIMIT = "4m"


def _star(mids: int, leaves: int, prefix: str = "") -> list[RawRecord]:
    """A holder over ``mids`` firms, each over ``leaves`` firms of its own."""
    records = [SOURCE, _ent(f"{prefix}hub")]
    for m in range(mids):
        mid = f"{prefix}m{m:03d}"
        records += [_ent(mid), _rel("OWNS", f"{prefix}hub", mid, share=0.5)]
        for leaf in range(leaves):
            firm = f"{mid}-{leaf:03d}"
            records += [_ent(firm), _rel("OWNS", mid, firm, share=0.4)]
    return records


@pytest.fixture(scope="module")
def limited(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[QueryEngine, QueryEngine]]:
    """(embedded store, Neo4j with a per-transaction memory limit), same 8,081 entities."""
    tmp = tmp_path_factory.mktemp("tx-memory")
    with local_neo4j(tmp, tx_memory=LIMIT) as server:
        server.run("start")
        settings = Settings(backend="neo4j", neo4j_uri=server.uri)
        neo = QueryEngine(Neo4jStore(settings), settings)
        embedded = QueryEngine(EmbeddedStore(tmp / "e.db"), Settings(store=tmp / "e.db"))
        records = _star(80, 100)
        for eng in (neo, embedded):
            eng.ingest_stream(records, 300)  # batches that fit the limit
        yield embedded, neo
        neo.store.close()
        embedded.store.close()


def test_a_giant_answer_falls_back_hop_by_hop_and_is_the_same_answer(
    limited: tuple[QueryEngine, QueryEngine], caplog: pytest.LogCaptureFixture
) -> None:
    embedded, neo = limited
    req = ExposureRequest(source="hub", max_depth=6, limit=50)
    with caplog.at_level(logging.WARNING, logger="graphkit.store.neo4j"):
        got = neo.exposure(req)
    # The one statement did pass the limit (else this test proves nothing) ...
    assert any("db.memory.transaction.max" in r.getMessage() for r in caplog.records)
    assert any("hop by hop" in r.getMessage() for r in caplog.records)
    # ... and the answer is the embedded engine's, evidence and all.
    assert got.total == 8_080
    assert got.model_dump(mode="json") == embedded.exposure(req).model_dump(mode="json")


def test_a_batch_too_big_is_refused_whole_with_what_to_do(
    limited: tuple[QueryEngine, QueryEngine],
) -> None:
    _embedded, neo = limited
    before = neo.stats()
    records = _star(3, 200, prefix="big-")  # 1,207 records in one batch
    with pytest.raises(BoundExceeded) as caught:
        neo.ingest_stream(records, 5_000)
    assert caught.value.bound == "memory"
    message = str(caught.value)
    assert "db.memory.transaction.max" in message and "--batch-size" in message
    assert "nothing of it was written" in message
    # Not reported as an outage: the very next call is answered, and nothing was written.
    assert neo.stats() == before
    assert neo.exposure(ExposureRequest(source="m000", max_depth=2)).total == 100


def test_a_later_batch_too_big_says_what_was_written_before_it(
    limited: tuple[QueryEngine, QueryEngine],
) -> None:
    _embedded, neo = limited
    before = neo.stats()
    small = [SOURCE, *(_ent(f"small-{i:03d}") for i in range(299))]
    heavy = [
        RawRecord("entities", {**_ent(f"heavy-{i:03d}").data, "description": "x" * 20_000})
        for i in range(300)
    ]
    with pytest.raises(BoundExceeded) as caught:
        neo.ingest_stream([*small, *heavy], 300)
    message = str(caught.value)
    assert caught.value.bound == "memory"
    assert "Batch 2 and later were not written" in message
    assert "300 records were written before it (299 entities, 1 sources)" in message
    assert "run the same load again in smaller batches" in message
    assert "fix the input" not in message  # nothing is wrong with it
    after = neo.stats()
    assert after.entities == before.entities + 299
    assert neo.entity("small-000").entity.name == "SMALL-000"
    # Re-running the same load in smaller batches finishes it; what was stored is unchanged.
    summary = neo.ingest_stream([*small, *heavy], 50)
    assert summary.unchanged.get("entities") == 299
    assert summary.created.get("entities") == 300


def test_over_http_the_giant_answer_comes_and_a_big_batch_is_a_422_not_a_503(
    limited: tuple[QueryEngine, QueryEngine],
) -> None:
    """Through the real app: the fallback is invisible to a client, and the refused batch is
    a problem the client can act on, not an outage that turns every next request away."""
    _embedded, neo = limited
    settings = neo.settings.model_copy(update={"api_keys": ["memory-key"]})
    auth = {"Authorization": "Bearer memory-key"}
    with TestClient(create_app(settings, engine=neo)) as client:
        answer = client.get("/exposure", params={"source": "hub", "limit": 5})
        assert answer.status_code == 200, answer.text
        assert answer.json()["total"] == 8_080
        records = _star(3, 200, prefix="http-")
        body: dict[str, list[dict[str, object]]] = {}
        for r in records:
            body.setdefault(r.section, []).append(dict(r.data))
        refused = client.post("/ingest", json=body, headers=auth)
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["bound"] == "memory" and "--batch-size" in problem["detail"]
        assert client.get("/entities/hub").status_code == 200  # no outage declared
        assert client.get("/entities/http-hub").status_code == 404  # nothing written
