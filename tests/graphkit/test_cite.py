"""Citable answers, pictures and the asset view on the seed data: footnotes that quote
their documents word for word, permalinks that pin the answer, text that no name can turn
into markup, and pictures drawn without a browser."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import yaml

from graphkit.cite import md
from graphkit.engine import QueryEngine
from graphkit.export import ExportFormat, render
from graphkit.named import NamedQuery
from graphkit.query import AssetRequest, NeighbourhoodRequest
from graphkit.schema import Role
from ingest import read_path
from tests.conftest import SEED, TODAY
from tests.seed_texts import seed_text, squeeze
from tests.test_cli import _cli

BASE = "https://graph.example.org"
DAY = date.fromisoformat(TODAY)
FOOTNOTE = re.compile(r"^\[\^(\d+)\]: “(.*)” — \*(.*?)\*", re.M)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def _titles() -> dict[str, str]:
    doc = yaml.safe_load((SEED / "sources.yaml").read_text(encoding="utf-8"))
    return {s["title"]: s["id"] for s in doc["sources"]}


def test_cite_paths_on_the_command_line_quotes_every_document_verbatim(tmp_path: Path) -> None:
    """The issue's own check: every footnote excerpt occurs in the document it cites."""
    store = tmp_path / "cite.db"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return _cli(*args, store=store)

    assert cli("load", str(SEED)).returncode == 0
    done = cli("cite", "paths", "cn-government", "fedasil", "--base-url", BASE)
    assert done.returncode == 0, done.stderr
    text = done.stdout
    notes = FOOTNOTE.findall(text)
    assert len(notes) >= 5
    titles = _titles()
    for number, excerpt, title in notes:
        source = titles[_unescape(title)]
        held = seed_text(source)
        assert held is not None, source
        assert squeeze(_unescape(excerpt)) in held, (number, excerpt)
    used = set(re.findall(r"\[\^(\d+)\](?!:)", text))
    assert used == {n for n, _, _ in notes}, "every mark has a note and every note a mark"
    assert "Permalink: <https://graph.example.org/cite?query=paths&entity=cn-government" in text
    assert "graphkit paths cn-government fedasil --as-of" in text
    assert "Strength is the product" in text

    html = cli("cite", "paths", "cn-government", "fedasil", "--format", "html")
    assert html.returncode == 0 and '<ol class="gk-footnotes">' in html.stdout
    assert "<script" not in html.stdout


def test_a_citation_pins_its_days_and_data_version(seeded: QueryEngine) -> None:
    query = NamedQuery(query="reach", entity="rotterdam-port-logistics-data")
    citation, result = seeded.cite(query, base_url=BASE, today=DAY)
    assert citation.query.as_of == DAY and citation.query.known_by == DAY
    assert citation.query.include_undated
    assert f"as_of={TODAY}" in citation.permalink and f"known_by={TODAY}" in citation.permalink
    assert f"data_version={seeded.data_version()}" in citation.permalink
    assert not citation.data_changed
    # The pinned query gives the same answer as the plain one asked on that day.
    assert result.items == seeded.run(query, DAY).items  # type: ignore[union-attr]
    assert [i.entity.id for i in result.items] == [
        "logink",
        "cn-government",
        "cn-hk-terminal-shareholders",
    ]  # type: ignore[union-attr]
    # A permalink naming another data version says so, in both renderings.
    later, _ = seeded.cite(query, base_url=BASE, pinned_version="0", today=DAY)
    assert later.data_changed and "data has changed" in later.markdown
    assert "data has changed" in later.html
    # As of 2020 the answer differs, and says what day it is about.
    past, _ = seeded.cite(
        NamedQuery(query="reach", entity="rotterdam-port-logistics-data", as_of="2020-01-01"),
        base_url=BASE,
        today=DAY,
    )
    assert "As of 2020-01-01" in past.markdown and past.markdown != citation.markdown


def test_an_empty_answer_cites_why(seeded: QueryEngine) -> None:
    query = NamedQuery(
        query="paths", entity="belgian-state-security", target="hikvision", as_of="2026-11-22"
    )
    citation, _ = seeded.cite(query, base_url=BASE, today=DAY)
    assert "Nothing was found. Why:" in citation.markdown
    assert not citation.footnotes


def test_hostile_names_stay_text(engine: QueryEngine, tmp_path: Path) -> None:
    bad = "[click](javascript:alert(1)) <script>alert(1)</script> $x^2$ *b*"
    data = {
        "sources": [
            {
                "id": "s",
                "title": "<b>T</b>",
                "date": "2020",
                "url": 'https://ex.example/"><script>x</script>',
            },
        ],
        "entities": [
            {"id": "a", "kind": "Company", "name": bad},
            {"id": "b", "kind": "Port", "name": "B"},
        ],
        "relationships": [
            {
                "id": "r",
                "type": "OWNS",
                "source": "a",
                "target": "b",
                "share": 0.765,
                "evidence": [{"source": "s", "excerpt": "*it* [x](y) <img src=x>"}],
            },
        ],
    }
    path = tmp_path / "hostile.yaml"  # JSON is YAML
    path.write_text(json.dumps(data), encoding="utf-8")
    engine.ingest(read_path(path))
    citation, result = engine.cite(
        NamedQuery(query="reach", entity="b", as_of="2021-01-01"), base_url=BASE, today=DAY
    )
    assert "76.5%" in citation.markdown
    assert "<script" not in citation.html and "<img" not in citation.html
    assert 'href="https://ex.example/&quot;&gt;&lt;script&gt;' in citation.html
    assert "&lt;script&gt;" in citation.html
    assert md(bad) in citation.markdown and "[click](" not in citation.markdown
    assert "<javascript" not in citation.markdown
    # Pictures take the same names without reading them as markup or maths.
    svg = render(result, ExportFormat.SVG).decode()
    root = ET.fromstring(svg)  # well-formed: the names were escaped
    shown = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "$x^2$" in shown and "<script>" not in svg  # no maths, no markup
    assert render(result, ExportFormat.PNG).startswith(b"\x89PNG")


def test_pictures_show_every_entity_by_name(seeded: QueryEngine) -> None:
    result = seeded.run(NamedQuery(query="paths", entity="cn-government", target="fedasil"), DAY)
    svg = render(result, ExportFormat.SVG).decode()
    root = ET.fromstring(svg)
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for name in ("Fedasil", "Hikvision", "Chinese security law", "CONTROLS", "DEPLOYED_AT"):
        assert name in text
    assert "Arrows point the way influence travels" in text
    assert render(result, ExportFormat.SVG) == render(result, ExportFormat.SVG)  # stable


def test_the_offline_page_carries_the_cited_text(seeded: QueryEngine) -> None:
    citation, result = seeded.cite(
        NamedQuery(query="reach", entity="rotterdam-port-logistics-data"), base_url=BASE, today=DAY
    )
    page = render(result, ExportFormat.HTML, aside=citation.html).decode()
    assert '<aside id="gk-aside"' in page and citation.html in page
    assert "vis-network" in page


# ----------------------------------------------------------------------------- asset view


def _facts(result: object) -> dict[Role, list[str]]:
    return {g.role: [f.hop.relationship_id for f in g.facts] for g in result.groups}  # type: ignore[attr-defined]


def test_the_asset_view_groups_a_port_by_role(seeded: QueryEngine) -> None:
    view = seeded.asset(AssetRequest(entity="port-of-rotterdam", depth=3), DAY)
    roles = {g.role for g in view.groups}
    assert {Role.OWNERSHIP, Role.AGREEMENTS, Role.DATA, Role.CONTEXT} <= roles
    owners = next(g for g in view.groups if g.role is Role.OWNERSHIP)
    # Beyond the first hop: the terminal's shareholders and the platform's controller.
    names = {(f.hop.source.id, f.via.id) for f in owners.facts}
    assert ("cn-hk-terminal-shareholders", "rotterdam-terminals-cn-hk-shareholders") in names
    assert ("cn-government", "logink") in names
    assert all(f.distance >= 2 for f in owners.facts)
    # Each fact carries its evidence and dates.
    for group in view.groups:
        for fact in group.facts:
            assert fact.hop.evidence and fact.hop.claim
    # The first hop of the port itself is every relationship it has.
    first = {f.hop.relationship_id for g in view.groups for f in g.facts if f.distance == 1}
    hood = seeded.neighbourhood(NeighbourhoodRequest(entity="port-of-rotterdam"), DAY)
    assert first == {h.relationship_id for h in hood.relationships}


def test_the_asset_view_climbs_to_owners_and_lists_counter_measures(seeded: QueryEngine) -> None:
    view = seeded.asset(AssetRequest(entity="hikvision-camera-data", depth=3), DAY)
    by_role = {g.role: g for g in view.groups}
    bans = by_role[Role.COUNTER].facts
    assert any(f.hop.type.value == "BANS" and f.via.id == "hikvision" for f in bans)
    assert any(f.hop.type.value == "OBLIGES" for f in by_role[Role.LAW].facts)
    # It climbs (who controls Hikvision) but does not spread to Hikvision's other customers.
    assert not any(f.hop.type.value == "DEPLOYED_AT" for g in view.groups for f in g.facts)
    # Known-by leaves out what no dated source had reported, and counts it.
    then = seeded.asset(
        AssetRequest(entity="hikvision-camera-data", depth=3, known_by="2021-12-31"), DAY
    )
    assert then.not_yet_known > 0 and len(then.entities) < len(view.entities)
    # Limits hold and say so.
    small = seeded.asset(AssetRequest(entity="hikvision-camera-data", depth=3, limit=3), DAY)
    assert small.truncated and sum(len(g.facts) for g in small.groups) == 3
