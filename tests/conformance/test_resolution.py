"""Entity resolution on every backend: identifiers merge by themselves, names on review."""

from __future__ import annotations

from graphkit.engine import QueryEngine
from graphkit.query import ReachRequest
from graphkit.validate import RawRecord
from tests.conformance.datasets import icij, seed

DOC = RawRecord("sources", {"id": "reg", "title": "Register extract", "date": "2024-01-01"})


def _ent(eid: str, name: str, **extra: object) -> RawRecord:
    return RawRecord("entities", {"id": eid, "kind": "Company", "name": name, **extra})


def _rel(src: str, tgt: str, rtype: str = "OWNS", **extra: object) -> RawRecord:
    return RawRecord(
        "relationships",
        {
            "type": rtype,
            "source": src,
            "target": tgt,
            "confidence": "confirmed",
            **extra,
            "evidence": [{"source": "reg", "excerpt": "x"}],
        },
    )


def test_same_identifier_merges_at_ingest_and_stays_merged(backend: QueryEngine) -> None:
    backend.ingest(
        [DOC, _ent("gleif-acme", "LEI 5493", unnamed=True, identifiers={"lei": "5493ACME"})]
    )
    batch = [
        DOC,
        _ent("bods-acme", "Acme Holding B.V.", country="NL", identifiers={"XI-LEI": "5493acme"}),
        _ent("target", "Target NV"),
        _rel("bods-acme", "target", share=0.6),
    ]
    first = backend.ingest(batch)
    assert first.merged == ("bods-acme → gleif-acme (same identifier lei:5493ACME)",)
    acme = backend.entity("gleif-acme")
    assert acme.entity.name == "Acme Holding B.V." and not acme.entity.unnamed
    assert acme.identifiers == {"lei": "5493ACME", "XI-LEI": "5493acme"}
    assert backend.store.entities(["bods-acme"]) == {}
    reach = backend.reach(ReachRequest(target="target", as_of="2024-06-01", kinds=["Company"]))
    assert [i.entity.id for i in reach.items] == ["gleif-acme"]
    before = backend.stats()
    again = backend.ingest(batch)  # the recorded merge folds the same records again
    assert backend.stats() == before
    assert sum(again.created.values()) == 0


def test_name_candidates_are_listed_and_merged_on_acceptance(backend: QueryEngine) -> None:
    backend.ingest(icij())
    groups = {fp: [e.id for e in ents] for fp, ents in backend.resolution_candidates()}
    assert groups["de jan vries"] == ["icij:12000001", "icij:12000004"]
    kept = backend.merge("icij:12000001", ["icij:12000004"])
    assert kept.aliases == ("Jan De Vries",)
    assert backend.resolution_candidates() == []
    before = backend.stats()
    backend.ingest(icij())  # the ICIJ file names 12000004 again: it stays folded
    assert backend.stats() == before
    assert backend.store.merges() == {"icij:12000004": "icij:12000001"}


def test_reach_runs_across_curated_and_ingested_data_after_resolution(
    backend: QueryEngine,
) -> None:
    backend.ingest(seed())
    backend.ingest(
        [
            DOC,
            _ent("reg-hikvision", "HIKVISION", country="CN"),
            RawRecord("entities", {"id": "city-x", "kind": "PublicBody", "name": "City X"}),
            _rel("reg-hikvision", "city-x", "DEPLOYED_AT"),
        ]
    )
    assert "cn-government" not in {
        i.entity.id for i in backend.reach(ReachRequest(target="city-x", as_of="2024-06-01")).items
    }
    groups = {fp: [e.id for e in ents] for fp, ents in backend.resolution_candidates()}
    assert groups["hikvision"] == ["hikvision", "reg-hikvision"]
    backend.merge("hikvision", ["reg-hikvision"])
    reach = backend.reach(ReachRequest(target="city-x", as_of="2024-06-01"))
    gov = next(i for i in reach.items if i.entity.id == "cn-government")
    assert [e.id for e in gov.path.entities] == ["cn-government", "hikvision", "city-x"]
    assert {ev.source_id for h in gov.path.hops for ev in h.evidence} >= {
        "investigation-hikvision-dahua-belgium",
        "reg",
    }
