"""Neo4j servers that limit transaction memory: each transaction's own
(``db.memory.transaction.max``) or a pool all transactions share
(``db.memory.transaction.total.max``; Aura always has such a pool). A giant answer falls back
to the hop-by-hop plan and is the same answer; a batch too big for the limit is refused
whole, with what to do; and the server is not taken for down (no outage reported, no
retries of a statement that has a plan needing less)."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from dataclasses import dataclass

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


def _star(mids: int, leaves: int, prefix: str = "") -> list[RawRecord]:
    """A holder over ``mids`` firms, each over ``leaves`` firms of its own."""
    prefix = f"{prefix}-" if prefix else ""
    records = [SOURCE, _ent(f"{prefix}hub")]
    for m in range(mids):
        mid = f"{prefix}m{m:03d}"
        records += [_ent(mid), _rel("OWNS", f"{prefix}hub", mid, share=0.5)]
        for leaf in range(leaves):
            firm = f"{mid}-{leaf:03d}"
            records += [_ent(firm), _rel("OWNS", mid, firm, share=0.4)]
    return records


@dataclass(frozen=True)
class Limit:
    """One kind of limit, and a graph whose giant answer passes it in one statement."""

    name: str
    setting: str  # the setting the server names in its refusal
    env: dict[str, str]  # scripts/neo4j-local's variables
    mids: int
    prefix: str  # long ids make each answer row heavier, so fewer rows pass the pool
    big: int  # firms per mid in a batch that passes the limit
    batch: int  # records per batch that fit it

    @property
    def actors(self) -> int:
        return self.mids * 101


LIMITS = [
    Limit("own", "db.memory.transaction.max", {"tx_memory": "4m"}, 40, "x" * 130, 200, 300),
    # The smallest pool a server takes is 10 MiB.
    Limit("pool", "db.memory.transaction.total.max", {"tx_pool": "12m"}, 150, "x" * 130, 800, 900),
]


@pytest.fixture(scope="module", params=LIMITS, ids=[lim.name for lim in LIMITS])
def limited(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Limit, QueryEngine, QueryEngine]]:
    """(the limit, embedded store, Neo4j with that limit), holding the same star."""
    limit: Limit = request.param
    tmp = tmp_path_factory.mktemp(f"tx-memory-{limit.name}")
    with local_neo4j(tmp, **limit.env) as server:
        server.run("start")
        # A shared pool may free up, so writes retry it: briefly here.
        settings = Settings(backend="neo4j", neo4j_uri=server.uri, neo4j_retry_seconds=1.0)
        neo = QueryEngine(Neo4jStore(settings), settings)
        embedded = QueryEngine(EmbeddedStore(tmp / "e.db"), Settings(store=tmp / "e.db"))
        records = _star(limit.mids, 100, limit.prefix)
        for eng in (neo, embedded):
            eng.ingest_stream(records, limit.batch)  # batches that fit the limit
        yield limit, embedded, neo
        neo.store.close()
        embedded.store.close()


def _id(limit: Limit, name: str) -> str:
    return f"{limit.prefix}-{name}" if limit.prefix else name


def test_a_giant_answer_falls_back_hop_by_hop_and_is_the_same_answer(
    limited: tuple[Limit, QueryEngine, QueryEngine], caplog: pytest.LogCaptureFixture
) -> None:
    limit, embedded, neo = limited
    req = ExposureRequest(source=_id(limit, "hub"), max_depth=6, limit=50)
    with caplog.at_level(logging.WARNING, logger="graphkit.store.neo4j"):
        got = neo.exposure(req)
    # The one statement did pass the limit (else this test proves nothing) ...
    assert any(limit.setting in r.getMessage() for r in caplog.records)
    assert any("hop by hop" in r.getMessage() for r in caplog.records)
    # ... and the answer is the embedded engine's, evidence and all.
    assert got.total == limit.actors
    assert got.model_dump(mode="json") == embedded.exposure(req).model_dump(mode="json")


def test_a_batch_too_big_is_refused_whole_with_what_to_do(
    limited: tuple[Limit, QueryEngine, QueryEngine],
) -> None:
    limit, _embedded, neo = limited
    before = neo.stats()
    records = _star(3, limit.big, prefix="big")  # one batch
    with pytest.raises(BoundExceeded) as caught:
        neo.ingest_stream(records, 5_000)
    assert caught.value.bound == "memory"
    message = str(caught.value)
    assert limit.setting in message and "--batch-size" in message
    assert "nothing of it was written" in message
    # Not reported as an outage: the very next call is answered, and nothing was written.
    assert neo.stats() == before
    assert neo.exposure(ExposureRequest(source=_id(limit, "m000"), max_depth=2)).total == 100


def test_a_later_batch_too_big_says_what_was_written_before_it(
    limited: tuple[Limit, QueryEngine, QueryEngine],
) -> None:
    _limit, _embedded, neo = limited
    before = neo.stats()
    small = [SOURCE, *(_ent(f"small-{i:03d}") for i in range(299))]
    heavy = [
        RawRecord("entities", {**_ent(f"heavy-{i:03d}").data, "description": "x" * 60_000})
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
    summary = neo.ingest_stream([*small, *heavy], 20)
    assert summary.unchanged.get("entities") == 299
    assert summary.created.get("entities") == 300


def test_over_http_the_giant_answer_comes_and_a_big_batch_is_a_422_not_a_503(
    limited: tuple[Limit, QueryEngine, QueryEngine],
) -> None:
    """Through the real app: the fallback is invisible to a client, and the refused batch is
    a problem the client can act on, not an outage that turns every next request away."""
    limit, _embedded, neo = limited
    settings = neo.settings.model_copy(update={"api_keys": ["memory-key"]})
    auth = {"Authorization": "Bearer memory-key"}
    with TestClient(create_app(settings, engine=neo)) as client:
        answer = client.get("/exposure", params={"source": _id(limit, "hub"), "limit": 5})
        assert answer.status_code == 200, answer.text
        assert answer.json()["total"] == limit.actors
        body: dict[str, list[dict[str, object]]] = {}
        for r in _star(3, limit.big, prefix="http"):
            body.setdefault(r.section, []).append(dict(r.data))
        refused = client.post("/ingest", json=body, headers=auth)
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert problem["bound"] == "memory" and "--batch-size" in problem["detail"]
        assert client.get(f"/entities/{_id(limit, 'hub')}").status_code == 200  # no outage
        assert client.get("/entities/http-hub").status_code == 404  # nothing written
