"""Datasets the conformance suite loads into every backend: the seed plus small synthetic
graphs built to stress the semantics (cycles, cross-holdings, expired, undated and ended
relationships, exact ties) and a seeded random graph."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from graphkit.validate import RawRecord
from ingest.curated import read_curated
from tests.conftest import ROOT, SEED

SHARED = ROOT.parent / "shared" / "data"


def shared(*parts: str) -> Path:
    """A path under ``../shared/data``; skips the test without it (fails in CI, which has it)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is missing: clone the repository with shared/ beside it"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


SOURCE = RawRecord("sources", {"id": "doc", "title": "Synthetic register", "date": "2000-01-01"})
LATE = RawRecord("sources", {"id": "late", "title": "Later report", "date": "2024-06-01"})


def _ent(eid: str, kind: str = "Company") -> RawRecord:
    return RawRecord("entities", {"id": eid, "kind": kind, "name": eid.upper()})


def _rel(
    rtype: str, src: str, tgt: str, key: str | None = None, source: str = "doc", **extra: object
) -> RawRecord:
    data: dict[str, object] = {
        "type": rtype,
        "source": src,
        "target": tgt,
        "evidence": [{"source": source, "excerpt": f"{src} {rtype} {tgt}"}],
        **extra,
    }
    if key:
        data["key"] = key
    return RawRecord("relationships", data)


def cycles() -> list[RawRecord]:
    """A ring of ownership feeding a target, with a cross-holding and a self-reinforcing loop."""
    ents = [_ent(x) for x in ("a", "b", "c", "d", "t")]
    return [
        SOURCE,
        *ents,
        _rel("OWNS", "a", "b", share=0.6, confidence="confirmed"),
        _rel("OWNS", "b", "c", share=0.7, confidence="confirmed"),
        _rel("OWNS", "c", "a", share=0.5, confidence="confirmed"),
        _rel("OWNS", "c", "t", share=0.9, confidence="confirmed"),
        _rel("OWNS", "d", "b", share=0.3),
        _rel("OWNS", "b", "d", share=0.3),
        _rel("AGREEMENT_WITH", "d", "t"),
    ]


def time_travel() -> list[RawRecord]:
    """Expired, future, undated, ended-without-date and late-known relationships."""
    ents = [_ent(x) for x in ("old", "new", "undated", "gone", "late", "mid", "t")]
    return [
        SOURCE,
        LATE,
        *ents,
        _rel("CONTROLS", "old", "t", valid_from="1999", valid_to="2010-06"),
        _rel("CONTROLS", "new", "t", valid_from="2030"),
        _rel("CONTROLS", "undated", "mid"),
        _rel("OWNS", "mid", "t", share=0.5, valid_from="2005-03-01"),
        _rel("OWNS", "gone", "t", share=0.9, ended=True),
        _rel("SUBSIDIARY_OF", "t", "late", source="late", valid_from="2001"),
    ]


def ties() -> list[RawRecord]:
    """Equal strengths: fewer hops must win, then the smaller relationship id."""
    ents = [_ent(x) for x in ("s", "m", "n", "p", "t")]
    return [
        SOURCE,
        *ents,
        _rel("CONTROLS", "s", "t", key="z", confidence=0.5 / 0.9),
        _rel("CONTROLS", "s", "m", confidence="confirmed"),
        _rel("OWNS", "m", "t", share=0.5, confidence="confirmed"),
        _rel("OWNS", "s", "n", share=0.5, confidence="confirmed"),
        _rel("OWNS", "n", "t", share=0.5, confidence="confirmed"),
        _rel("CONTROLS", "n", "t", key="a", confidence=0.5 / 0.9),
        _rel("OWNS", "s", "p", share=1.0, confidence="confirmed"),
        _rel("CONTROLS", "p", "t", confidence=0.5 / 0.9),
    ]


def ownership() -> list[RawRecord]:
    """A state holding, a diamond, a cross-holding and a stake of unknown size."""
    ents = [
        _ent("state", "StateBody"),
        _ent("person", "Person"),
        *(_ent(x) for x in ("hold", "b", "c", "x", "y", "t")),
    ]
    return [
        SOURCE,
        *ents,
        _rel("OWNS", "state", "hold", share=0.8, confidence="confirmed"),
        _rel("OWNS", "person", "hold", share=0.2, confidence="confirmed"),
        _rel("OWNS", "hold", "b", share=0.5, confidence="confirmed"),
        _rel("OWNS", "hold", "c", share=0.5, confidence="confirmed"),
        _rel("OWNS", "b", "t", share=0.4, confidence="confirmed"),
        _rel("OWNS", "c", "t", share=0.4, confidence="confirmed"),
        _rel("OWNS", "x", "y", share=0.5),
        _rel("OWNS", "y", "x", share=0.5),
        _rel("OWNS", "x", "t", share=0.1),
        _rel("HOLDS_STAKE_IN", "person", "t"),
        _rel("CONTROLS", "state", "b"),
    ]


_RANDOM_TYPES = (
    "OWNS",
    "HOLDS_STAKE_IN",
    "CONTROLS",
    "SUBSIDIARY_OF",
    "AGREEMENT_WITH",
    "SUPPLIES",
    "MEMBER_OF",
    "BANS",
)


def random_graph(n: int = 40, m: int = 140, seed: int = 11) -> list[RawRecord]:
    """A seeded random company graph with mixed types, dates and confidences."""
    rng = random.Random(seed)
    records = [SOURCE, LATE, *(_ent(f"e{i:02d}") for i in range(n))]
    for i in range(m):
        a, b = rng.sample(range(n), 2)
        extra: dict[str, object] = {"key": str(i)}
        rtype = rng.choice(_RANDOM_TYPES)
        if rtype in ("OWNS", "HOLDS_STAKE_IN") and rng.random() < 0.7:
            extra["share"] = round(rng.uniform(0.05, 1.0), 2)
        roll = rng.random()
        if roll < 0.25:
            extra["valid_from"] = str(rng.randint(1995, 2025))
        elif roll < 0.4:
            start = rng.randint(1995, 2020)
            extra["valid_from"], extra["valid_to"] = str(start), str(start + rng.randint(0, 8))
        extra["confidence"] = rng.choice(["confirmed", "reported", "alleged", 0.35, 0.9])
        records.append(
            _rel(rtype, f"e{a:02d}", f"e{b:02d}", source=rng.choice(["doc", "late"]), **extra)
        )
    return records


def zala() -> list[RawRecord]:
    """The real OpenSanctions FollowTheMoney cluster (companies, people, ownerships)."""
    from ingest.ftm import read_ftm

    return list(read_ftm(shared("ftm-opensanctions-zala", "entities.ftm.json")))


def bods() -> list[RawRecord]:
    """Open Ownership's BODS 0.4 example packages with indirect and joint ownership."""
    from ingest.bods import read_bods

    examples = shared("bods-0.4", "examples")
    return [
        r
        for name in (
            "multiple-indirect-ownership.json",
            "joint-ownership.json",
            "tecido.json",
            "bods-package-fi-soe.json",
        )
        for r in read_bods(examples / name)
    ]


def gleif() -> list[RawRecord]:
    """GLEIF golden-copy excerpts: LEI records, relationship records, reporting exceptions."""
    from ingest.gleif import read_gleif

    return list(read_gleif(shared("gleif-golden-copy-sample")))


def icij() -> list[RawRecord]:
    """A small ICIJ Offshore Leaks fixture in the published column layout."""
    from ingest.icij import read_icij

    return list(read_icij(ROOT / "tests" / "fixtures" / "icij"))


def wide(entities: int = 3_000) -> list[RawRecord]:
    """The benchmark's generated corporate graph, small: its hubs reach most of it, so
    answers run to a thousand actors and more (ranks, ties and depth at scale)."""
    from bench.generate import Shape, generate

    return [
        RawRecord(section, obj.model_dump(mode="json", exclude_none=True))
        for batch in generate(Shape(entities=entities))
        for section in ("sources", "entities", "relationships")
        for obj in getattr(batch, section)
    ]


def seed() -> list[RawRecord]:
    """The real seed dataset."""
    return list(read_curated(SEED))


DATASETS: dict[str, Callable[[], list[RawRecord]]] = {
    "seed": seed,
    "cycles": cycles,
    "time": time_travel,
    "ties": ties,
    "random": random_graph,
    "ownership": ownership,
    "zala": zala,
    "bods": bods,
    "gleif": gleif,
    "icij": icij,
    "wide": wide,
}
