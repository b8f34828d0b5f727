"""The European ports case file: loads alone or beside the seed without changing it, and
answers the Rotterdam question with a sourced chain that was not there in 2015."""

from __future__ import annotations

from datetime import date

from graphkit.engine import QueryEngine
from graphkit.named import NamedQuery
from graphkit.query import PathsRequest, ReachRequest
from ingest import read_path
from tests.conftest import ROOT, SEED

CASE = ROOT / "data" / "cases" / "european-ports"
DATA = "rotterdam-port-logistics-data"
TODAY = date(2026, 11, 22)


def test_the_case_file_alone_reaches_rotterdam_data_through_a_terminal_stake(
    engine: QueryEngine,
) -> None:
    loaded = engine.ingest(read_path(CASE))
    assert loaded.created["relationships"] >= 20
    today = engine.reach(ReachRequest(target=DATA), TODAY)
    state = next(i for i in today.items if i.entity.id == "cn-government")
    chain = [e.id for e in state.path.entities]
    assert chain == [
        "cn-government",
        "cosco-shipping",
        "cosco-shipping-ports",
        "euromax-terminal-rotterdam",
        DATA,
    ]
    stake = state.path.hops[2]
    assert stake.share == 0.35 and stake.valid_from == "2016-05-11"
    for hop in state.path.hops:
        assert hop.evidence and all(ev.url and ev.date for ev in hop.evidence)
    # Before the 2016 stake nothing in the case file reaches the data.
    before = engine.reach(ReachRequest(target=DATA, as_of="2015-01-01"), TODAY)
    assert before.items == () and before.empty is not None


def test_beside_the_seed_it_adds_and_changes_nothing_shared(engine: QueryEngine) -> None:
    engine.ingest(read_path(SEED))
    again = engine.ingest(read_path(CASE))
    assert again.updated == {"sources": 0, "entities": 0, "relationships": 0}
    assert again.unchanged["entities"] == 4  # the state, two ports and the data asset
    who = {i.entity.id for i in engine.reach(ReachRequest(target=DATA), TODAY).items}
    assert {"logink", "cn-government", "cosco-shipping-ports"} <= who
    in_2015 = {
        i.entity.id for i in engine.reach(ReachRequest(target=DATA, as_of="2015"), TODAY).items
    }
    assert "cosco-shipping-ports" not in in_2015


def test_conflicting_reports_are_kept_as_disputes(engine: QueryEngine) -> None:
    engine.ingest(read_path(CASE))
    paths = engine.paths(
        PathsRequest(source="cosco-shipping", target="port-of-piraeus", as_of="2018-01-01"), TODAY
    )
    owns = paths.paths[0].hops[0]
    assert owns.share == 0.51 and owns.disputed
    assert {ev.stance for ev in owns.evidence} == {"supports", "disputes"}
    later = engine.paths(
        PathsRequest(source="cosco-shipping", target="port-of-piraeus", as_of="2022-01-01"), TODAY
    )
    assert later.paths[0].hops[0].share == 0.67


def test_how_an_excerpt_was_read_travels_with_it(engine: QueryEngine) -> None:
    """The editor's note on an excerpt ("state-owned" read as owned by the Chinese state)
    reaches the answer and the citation's footnote."""
    engine.ingest(read_path(CASE))
    citation, _ = engine.cite(
        NamedQuery(query="paths", entity="cn-government", target=DATA),
        base_url="https://graph.example.org",
        today=TODAY,
    )
    noted = [n for n in citation.footnotes if n.note]
    assert noted and "owned by the Chinese state" in noted[0].note  # type: ignore[operator]
    assert "Note: " in citation.markdown and "gk-note" in citation.html
