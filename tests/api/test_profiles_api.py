"""Influence profiles over HTTP, on both backends: listed, applied, named in answers,
unknown names refused with the parameter named."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import TODAY

R = "rotterdam-port-logistics-data"


def test_profiles_are_listed_and_change_the_ranking(client: TestClient) -> None:
    listed = client.get("/profiles").json()
    names = [p["name"] for p in listed]
    assert names[0] == "default" and {"sceptic", "party-weighs-more"} <= set(names)
    sceptic = next(p for p in listed if p["name"] == "sceptic")
    assert sceptic["strengths"]["AGREEMENT_WITH"]["value"] == 0.2
    assert "BANS" not in sceptic["strengths"]  # carries no influence, so no strength

    plain = client.get("/reach", params={"target": R, "as_of": TODAY}).json()
    weighed = client.get("/reach", params={"target": R, "as_of": TODAY, "profile": "sceptic"})
    assert weighed.status_code == 200
    body = weighed.json()
    assert body["profile"] == {"name": "sceptic", "fingerprint": sceptic["fingerprint"]}
    assert [i["entity"]["id"] for i in body["items"]] != [i["entity"]["id"] for i in plain["items"]]
    cited = client.get(
        "/cite", params={"query": "reach", "entity": R, "profile": "sceptic", "format": "md"}
    ).text
    assert "profile sceptic" in cited and "--profile sceptic" in cited


def test_unknown_or_hostile_profile_names_are_refused(client: TestClient) -> None:
    for name in ("nosuch", "../../etc/passwd", "x" * 65):
        r = client.get("/reach", params={"target": R, "profile": name})
        assert r.status_code == 422, name
        assert r.json()["parameter"] == "profile"


def test_path_patterns_over_http(client: TestClient) -> None:
    shape = "(StateBody) -[CONTROLS]-> (Platform) -[AGREEMENT_WITH]-> (Port) -[HOSTS]-> ()"
    r = client.get("/reach", params={"target": R, "as_of": TODAY, "pattern": shape})
    assert r.status_code == 200
    assert [i["entity"]["id"] for i in r.json()["items"]] == ["cn-government"]
    for bad, column in (
        ("(StateBody) -[OWNS]-> (x) DETACH DELETE x //", 24),
        ("(StateBody) -[OWNS]->", 22),
        ("() -[OWNS|BANS]-> ()", 11),
    ):
        refused = client.get("/reach", params={"target": R, "pattern": bad})
        assert refused.status_code == 422, bad
        body = refused.json()
        assert body["parameter"] == "pattern" and f"column {column}" in body["detail"]
    long = client.get("/reach", params={"target": R, "pattern": "()" + " -[]-> ()" * 100})
    assert long.status_code == 422 and long.json()["parameter"] == "pattern"
    cited = client.get(
        "/cite", params={"query": "reach", "entity": R, "pattern": shape, "format": "md"}
    ).text
    assert "--pattern" in cited
