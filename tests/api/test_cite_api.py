"""Citations, pictures and the asset view over real HTTP, on both backends."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

from tests.conftest import TODAY


def test_cite_gives_markdown_html_and_json_that_agree(client: TestClient) -> None:
    q = {"query": "paths", "entity": "cn-government", "target": "fedasil", "as_of": TODAY}
    body = client.get("/cite", params={**q, "format": "json"}).json()
    assert body["footnotes"] and body["query"]["known_by"]
    md = client.get("/cite", params={**q, "format": "md"})
    assert md.headers["content-type"].startswith("text/markdown")
    assert md.text == body["markdown"]
    page = client.get("/cite", params=q)
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert body["html"] in page.text
    # The permalink runs the same query with its days pinned: same text, data unchanged.
    link = body["permalink"].replace(str(client.base_url), "")
    assert link.startswith("/cite?query=paths&entity=cn-government&target=fedasil")
    again = client.get(link + "&format=json").json()
    assert again["markdown"] == body["markdown"] and not again["data_changed"]
    moved = client.get(re.sub(r"data_version=[^&]+", "data_version=x0", link)).text
    assert "The data has changed since this link was made" in moved


def test_cite_refuses_what_it_cannot_run(client: TestClient) -> None:
    for params, field in (
        ({"query": "paths", "entity": "cn-government"}, "target"),
        ({"query": "teleport", "entity": "x"}, "query"),
        ({"query": "reach", "entity": "x", "max_depth": 99}, "max_depth"),
        ({"query": "reach", "entity": "x", "data_version": "v" * 100}, "data_version"),
        ({"query": "reach", "entity": "x", "extra": "1"}, "extra"),
    ):
        r = client.get("/cite", params=params)
        assert r.status_code == 422, (params, r.text)
        assert r.json()["parameter"] == field
    missing = client.get("/cite", params={"query": "reach", "entity": "no-such-entity"})
    assert missing.status_code == 404


def test_export_pictures_and_every_filter(client: TestClient) -> None:
    base = {"query": "reach", "entity": "rotterdam-port-logistics-data", "as_of": "2020-01-01"}
    png = client.get("/export", params={**base, "format": "png"})
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert png.headers["content-type"] == "image/png"
    svg = client.get("/export", params={**base, "format": "svg"})
    ET.fromstring(svg.content)
    assert b"LOGINK" in svg.content
    # Filters reach the query: only CONTROLS hops leave nothing to draw but the target.
    only = client.get("/export", params={**base, "format": "json", "types": "OWNS"}).json()
    every = client.get("/export", params={**base, "format": "json"}).json()
    assert only["total"] < every["total"]
    page = client.get("/export", params={**base, "format": "html"}).text
    assert '<aside id="gk-aside"' in page and "gk-footnotes" in page


def test_asset_view_over_http(client: TestClient) -> None:
    r = client.get("/assets/port-of-rotterdam", params={"depth": 3, "as_of": TODAY})
    assert r.status_code == 200
    body = r.json()
    roles = [g["role"] for g in body["groups"]]
    assert roles[0] == "ownership" and "agreements" in roles
    assert all(f["hop"]["evidence"] for g in body["groups"] for f in g["facts"])
    assert client.get("/assets/port-of-rotterdam", params={"depth": 4}).status_code == 422
    assert client.get("/assets/port-of-rotterdam", params={"types": "NOPE"}).status_code == 422
    assert client.get("/assets/nowhere").status_code == 404
    drawn = client.get(
        "/export", params={"query": "asset", "entity": "port-of-rotterdam", "format": "csv"}
    )
    assert drawn.status_code == 200 and "LOGINK" in drawn.text
