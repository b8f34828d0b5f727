"""Generated sentences read as a journalist would write them: shares with the decimals they
have, register ranges as ranges, verbs that agree with plural names."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.model import Entity, Evidence, Relationship, Source
from graphkit.semantics import explain
from graphkit.store.embedded import EmbeddedStore
from ingest import read_path
from tests.conftest import SEED

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "bods-0.4" / "examples"


def _sentences(engine: QueryEngine, entity: str) -> list[str]:
    rels = engine.store.incident([entity], 100)
    ents = engine.store.entities({x for r in rels for x in (r.source, r.target)})
    srcs = engine.store.sources({ev.source for r in rels for ev in r.evidence})
    return [explain(r, ents, srcs) for r in rels]


def test_plural_names_take_plural_verbs(embedded_engines: dict[str, QueryEngine]) -> None:
    engine = embedded_engines["seed"]
    assert any(
        s.startswith("New York City schools ban Zoom") for s in _sentences(engine, "nyc-schools")
    )
    subsidiaries = _sentences(engine, "zoom-china-development-subsidiaries")
    assert any("development subsidiaries supply Zoom videoconferencing" in s for s in subsidiaries)
    assert any("development subsidiaries are subsidiaries of Zoom" in s for s in subsidiaries)
    assert any(
        s.startswith("Australian military services ban Hikvision")
        for s in _sentences(engine, "australian-military")
    )
    # A singular name keeps its verb.
    assert any(s.startswith("SpaceX bans Zoom") for s in _sentences(engine, "spacex"))


def test_shares_keep_their_decimals() -> None:
    ents = {
        "a": Entity(id="a", kind="Company", name="COSCO Shipping Ports"),
        "b": Entity(id="b", kind="Terminal", name="Container Terminal Tollerort"),
    }
    srcs = {"s": Source(id="s", title="Register", date="2023")}
    ev = (Evidence(source="s", excerpt="24.99 percent"),)
    for share, shown in ((0.2499, "24.99%"), (0.765, "76.5%"), (0.35, "35%")):
        rel = Relationship(
            id=f"r{share}", type="OWNS", source="a", target="b", share=share, evidence=ev
        )
        assert f"owns Container Terminal Tollerort — {shown} (" in explain(rel, ents, srcs)


def test_a_register_range_is_shown_as_a_range(tmp_path: Path) -> None:
    example = SHARED / "bods-package-linking-annotations.json"
    if not example.exists():
        pytest.skip("the shared BODS examples are not beside the repository")
    engine = QueryEngine(EmbeddedStore(tmp_path / "b.db"))
    engine.ingest(read_path(example))
    rels = engine.store.scan_relationships(None, 100)
    ents = engine.store.entities({x for r in rels for x in (r.source, r.target)})
    srcs = engine.store.sources({ev.source for r in rels for ev in r.evidence})
    text = " ".join(explain(r, ents, srcs) for r in rels)
    assert "owns MARE POND PROPERTIES LIMITED — >25–<50%, shareholding" in text


def test_seed_loads_with_plural_flags(tmp_path: Path) -> None:
    engine = QueryEngine(EmbeddedStore(tmp_path / "s.db"))
    engine.ingest(read_path(SEED))
    assert engine.store.entities(["nyc-schools"])["nyc-schools"].plural
    assert not engine.store.entities(["spacex"])["spacex"].plural
