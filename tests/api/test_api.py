"""The HTTP API: answers with evidence, problem+json errors, keys, limits, exports."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import networkx as nx
from fastapi.testclient import TestClient

from graphkit.engine import QueryEngine
from graphkit.query import ReachRequest
from tests.api.conftest import KEY, app_client

R = "rotterdam-port-logistics-data"
PROBLEM = "application/problem+json"


def test_reach_matches_the_engine_and_carries_evidence(
    client: TestClient, seed_engine: QueryEngine
) -> None:
    r = client.get("/reach", params={"target": R, "as_of": "2020-01-01"})
    assert r.status_code == 200
    body = r.json()
    want = seed_engine.reach(ReachRequest(target=R, as_of="2020-01-01"))
    assert body == want.model_dump(mode="json")
    assert [i["entity"]["id"] for i in body["items"]] == [
        "logink",
        "cn-government",
        "cn-hk-terminal-shareholders",
    ]
    hop = body["items"][0]["path"]["hops"][0]
    assert hop["disputed"] and {e["stance"] for e in hop["evidence"]} == {"supports", "disputes"}
    assert all(e["title"] and e["excerpt"] for e in hop["evidence"])


def test_filters_and_paging_over_http(client: TestClient) -> None:
    base = {"target": "hikvision-camera-data", "as_of": "2026-11-22"}
    full = client.get("/reach", params=base).json()
    page = client.get("/reach", params={**base, "limit": 2, "offset": 2}).json()
    assert page["total"] == full["total"] and page["limit"] == 2
    assert page["items"] == full["items"][2:4]
    typed = client.get(
        "/reach",
        params=[
            ("target", R),
            ("as_of", "2020-01-01"),
            ("types", "HAS_ACCESS_TO"),
            ("types", "CONTROLS"),
        ],
    )
    assert [i["entity"]["id"] for i in typed.json()["items"]] == ["logink", "cn-government"]


def test_exposure_paths_entities_sources(client: TestClient) -> None:
    ex = client.get("/exposure", params={"source": "cn-intelligence-services", "limit": 500})
    assert "fedasil" in {i["entity"]["id"] for i in ex.json()["items"]}
    paths = client.get("/paths", params={"source": "cn-government", "target": "fedasil"})
    assert paths.status_code == 200 and paths.json()["paths"]
    hits = client.get("/entities", params={"q": "FÉDASIL"}).json()
    assert hits["items"][0]["entity"]["id"] == "fedasil"
    detail = client.get("/entities/hikvision").json()
    assert detail["aliases"] == ["海康威视"] and detail["relationship_count"] > 20
    hood = client.get("/entities/zoom-platform/neighbourhood", params={"as_of": "2020-05-01"})
    assert {h["type"] for h in hood.json()["relationships"]} >= {"BANS", "RESTRICTS"}
    source = client.get("/sources/techcrunch-china-standards-2035").json()
    assert source["url"].startswith("https://techcrunch.com/2020/04/11/")


def test_errors_are_problem_json_with_the_offending_parameter(client: TestClient) -> None:
    cases = [
        ("/reach", {"target": "no-such"}, 404, "id"),
        ("/reach", {"target": R, "as_of": "2020-13-01"}, 422, "as_of"),
        ("/reach", {"target": R, "max_depth": 11}, 422, "max_depth"),
        ("/reach", {"target": R, "types": "OWNS]->() DETACH DELETE (n"}, 422, "types.0"),
        ("/reach", {"target": R, "colour": "red"}, 422, "colour"),
        ("/sources/nope", {}, 404, None),
        ("/entities/nope", {}, 404, "id"),
        ("/paths", {"source": "logink"}, 422, "target"),
    ]
    for path, params, status, parameter in cases:
        r = client.get(path, params=params)
        assert r.status_code == status, (path, params, r.text)
        assert r.headers["content-type"].startswith(PROBLEM)
        body = r.json()
        assert {"type", "title", "status", "detail"} <= set(body)
        assert "Traceback" not in r.text
        if parameter:
            assert body["parameter"] == parameter, body


def test_ingest_needs_a_key_and_is_all_or_nothing(
    client: TestClient, seed_engine: QueryEngine
) -> None:
    batch = {
        "entities": [{"id": "api-new", "kind": "Company", "name": "New"}],
        "relationships": [
            {
                "type": "OWNS",
                "source": "api-new",
                "target": "ghost",
                "evidence": [{"source": "note-zoom-china-standards", "excerpt": "x"}],
            }
        ],
    }
    assert client.post("/ingest", json=batch).status_code == 401
    assert client.post("/ingest", json=batch, headers={"X-API-Key": "wrong"}).status_code == 401
    before = seed_engine.stats()
    bad = client.post("/ingest", json=batch, headers={"Authorization": f"Bearer {KEY}"})
    assert bad.status_code == 422
    (err,) = bad.json()["errors"]
    assert err["field"] == "target" and "ghost" in err["message"]
    assert seed_engine.stats() == before
    good = {"entities": [{"id": "acme-test", "kind": "Company", "name": "Acme"}]}
    ok = client.post("/ingest", json=good, headers={"X-API-Key": KEY})
    assert ok.status_code == 200 and ok.json()["created"]["entities"] in (0, 1)
    again = client.post("/ingest", json=good, headers={"X-API-Key": KEY})
    assert again.json()["unchanged"]["entities"] == 1


def test_reads_can_be_put_behind_keys(seed_engine: QueryEngine) -> None:
    with app_client(seed_engine, api_keys=[KEY], read_keys_required=True) as c:
        assert c.get("/reach", params={"target": R}).status_code == 401
        assert c.get("/reach", params={"target": R}, headers={"X-API-Key": KEY}).status_code == 200
        assert c.get("/healthz").status_code == 200


def test_rate_limit_and_cors(seed_engine: QueryEngine) -> None:
    with app_client(seed_engine, rate_limit=3, cors_origins=["https://newsroom.example"]) as c:
        codes = [c.get("/reach", params={"target": R}).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = c.get("/reach", params={"target": R})
        assert int(limited.headers["Retry-After"]) >= 1
        assert c.get("/entities/logink").status_code == 200  # cheap reads are not limited
        pre = c.options(
            "/reach",
            headers={"Origin": "https://newsroom.example", "Access-Control-Request-Method": "GET"},
        )
        assert pre.headers["access-control-allow-origin"] == "https://newsroom.example"


def test_exports_round_trip(client: TestClient) -> None:
    params = {"query": "reach", "entity": R, "as_of": "2020-01-01"}
    gexf = client.get("/export", params={**params, "format": "gexf"})
    assert gexf.headers["content-type"].startswith("application/gexf+xml")
    graph = nx.read_gexf(io.BytesIO(gexf.content))
    assert set(graph.nodes) == {
        R,
        "logink",
        "cn-government",
        "cn-hk-terminal-shareholders",
        "rotterdam-terminals-cn-hk-shareholders",
    }
    edge = next(
        d
        for _u, _v, d in graph.edges(data=True)
        if d["rel_type"] == "HAS_ACCESS_TO" and d["valid_from"] == "2019"
    )
    assert edge["disputed"] is True and "geen koppeling" in edge["evidence"]
    graphml = client.get("/export", params={**params, "format": "graphml"})
    assert len(nx.read_graphml(io.BytesIO(graphml.content)).edges) == graph.number_of_edges()
    csv = client.get("/export", params={**params, "format": "csv"}).text.splitlines()
    assert csv[0].startswith("from_id,from_name,to_id") and len(csv) == 1 + 4
    html = client.get("/export", params={**params, "format": "html"})
    assert "vis-network" in html.text and "attachment" in html.headers["content-disposition"]
    ET.fromstring(gexf.content)  # well-formed XML


def test_health_readiness_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json()["relationships"] >= 119
    client.get("/reach", params={"target": R})
    text = client.get("/metrics").text
    assert 'graphkit_http_requests_total{method="GET",route="/reach",status="200"}' in text
    assert "graphkit_http_request_seconds_bucket" in text


def test_openapi_is_complete(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/reach",
        "/exposure",
        "/paths",
        "/entities",
        "/entities/{entity_id}",
        "/entities/{entity_id}/neighbourhood",
        "/sources/{source_id}",
        "/export",
        "/ingest",
        "/healthz",
        "/readyz",
        "/metrics",
    ):
        assert path in spec["paths"], path
    for op in (spec["paths"]["/reach"]["get"], spec["paths"]["/exposure"]["get"]):
        for param in op["parameters"]:
            assert param.get("description"), (param["name"], "needs a description")
    reach_params = {p["name"]: p for p in spec["paths"]["/reach"]["get"]["parameters"]}
    assert reach_params["target"]["schema"]["examples"] == [R]


def test_research_endpoints(client: TestClient) -> None:
    diff = client.get(
        "/diff/reach", params={"target": R, "from_date": "2020-01-01", "to_date": "2026-11-22"}
    )
    assert diff.status_code == 200
    logink = next(i for i in diff.json()["items"] if i["entity"]["id"] == "logink")
    assert logink["changed_hops"][0]["valid_to"] == "2025-11"
    ctl = client.get("/control", params={"entity": "hikvision"}).json()
    assert ctl["ultimate_controller"]["id"] == "cn-government" and ctl["state_controlled"]
    own = client.get("/owners", params={"entity": "hikvision"}).json()
    assert own["unknown_share_stakes"] == [] and own["owners"] == []
    timeline = client.get("/entities/logink/timeline").json()
    assert timeline["events"][0]["date"] == "2019"
    central = client.get("/analytics/centrality", params={"top": 3}).json()
    assert len(central["items"]) == 3 and central["nodes"] > 50
    brokers = client.get("/analytics/brokers", params={"source": "cn-government"}).json()
    assert brokers["items"][0]["entity"]["id"] == "hikvision"
    assert client.get("/owners", params={"entity": "nope"}).status_code == 404


def test_days_and_diffs_over_http(client: TestClient) -> None:
    """Days arrive as people type them (a bare year is a year, not a Unix timestamp), one
    message for a bad one, and /diff compares reach, exposure and paths."""
    year = client.get("/reach", params={"target": R, "as_of": "2020"})
    assert year.status_code == 200 and year.json()["as_of"] == "2020-01-01"
    today = client.get("/reach", params={"target": R, "as_of": "today"})
    assert today.status_code == 200
    bad = client.get("/reach", params={"target": R, "as_of": "2020-13"})
    assert bad.status_code == 422 and "YYYY, YYYY-MM, YYYY-MM-DD or 'today'" in bad.text
    known = client.get("/exposure", params={"source": "cn-government", "known_by": "2010"})
    assert known.json()["items"] == [] and known.json()["undated_left_out"] > 0
    diff = client.get(
        "/diff",
        params={
            "query": "paths",
            "source": "logink",
            "target": R,
            "from_date": "2020",
            "to_date": "today",
        },
    )
    assert diff.status_code == 200, diff.text
    (item,) = diff.json()["items"]
    assert [p["change"] for p in item["paths"]] == ["ended"]
    missing = client.get(
        "/diff", params={"query": "paths", "source": "logink", "from_date": "2020"}
    )
    assert missing.status_code == 422 and "needs target" in missing.text


def test_read_only_cypher_over_http(client: TestClient, seed_engine: QueryEngine) -> None:
    """POST /cypher always needs a key; on Neo4j it answers with parameters and refuses
    LOAD CSV with 422; the embedded store says Cypher needs Neo4j."""
    body = {"query": "MATCH (e:Entity {id: $id}) RETURN e.name AS name", "params": {"id": "logink"}}
    assert client.post("/cypher", json=body).status_code == 401
    answer = client.post("/cypher", json=body, headers={"X-API-Key": KEY})
    if seed_engine.store.backend == "embedded":
        assert answer.status_code == 422
        assert "needs the Neo4j backend" in answer.json()["detail"]
        return
    assert answer.status_code == 200, answer.text
    assert answer.json()["columns"] == ["name"] and answer.json()["rows"] == [["LOGINK"]]
    refused = client.post(
        "/cypher",
        json={"query": "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row"},
        headers={"X-API-Key": KEY},
    )
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "LOAD CSV" in refused.json()["detail"]
