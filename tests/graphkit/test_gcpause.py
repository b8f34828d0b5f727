"""A load holds the cycle collector off while it runs and always turns it back on."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graphkit import gcpause
from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from graphkit.validate import RawRecord


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[QueryEngine]:
    store = EmbeddedStore(tmp_path / "g.db")
    yield QueryEngine(store, Settings())
    store.close()


def _records(seen: list[bool], bad: bool = False) -> Iterator[RawRecord]:
    for i in range(5):
        seen.append(gc.isenabled())
        kind = "Nonsense" if bad and i == 4 else "Company"
        yield RawRecord("entities", {"id": f"e{i}", "kind": kind, "name": f"E{i}"}, "f", i + 1)


def test_a_load_pauses_the_collector_and_turns_it_back_on(engine: QueryEngine) -> None:
    seen: list[bool] = []
    engine.ingest_stream(_records(seen), batch_size=2)
    assert seen and not any(seen)
    assert gc.isenabled()


def test_one_batch_as_the_api_sends_it_pauses_it_too(engine: QueryEngine) -> None:
    seen: list[bool] = []
    engine.ingest(_records(seen))
    assert seen and not any(seen)
    assert gc.isenabled()
    with pytest.raises(InvalidData):
        engine.ingest(_records(seen, bad=True))
    assert gc.isenabled() and not any(seen)


def test_a_refused_load_and_a_dry_run_turn_it_back_on(engine: QueryEngine) -> None:
    seen: list[bool] = []
    with pytest.raises(InvalidData):
        engine.ingest_stream(_records(seen, bad=True), batch_size=2)
    assert gc.isenabled()
    with pytest.raises(InvalidData):
        engine.check_stream(_records(seen, bad=True), batch_size=2)
    assert gc.isenabled() and not any(seen)


def test_overlapping_loads_share_one_pause() -> None:
    """The first load to end must not turn the collector on under the other."""
    inside = threading.Event()
    release = threading.Event()
    during: list[bool] = []

    def long_load() -> None:
        with gcpause.paused():
            inside.set()
            release.wait(5)
            during.append(gc.isenabled())

    worker = threading.Thread(target=long_load)
    worker.start()
    assert inside.wait(5)
    with gcpause.paused():
        pass
    assert not gc.isenabled()  # the long load still runs
    release.set()
    worker.join(5)
    assert during == [False] and gc.isenabled()


def test_a_collector_turned_off_by_the_host_stays_off() -> None:
    gc.disable()
    try:
        with gcpause.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_between_batches_cyclic_garbage_is_collected_once_it_piles_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A load that makes no garbage is not scanned between batches; one that makes cycles
    gets them freed once the young objects pass the limit."""
    monkeypatch.setattr(gcpause, "YOUNG_LIMIT", 5_000)
    calls: list[int] = []
    collect = gc.collect
    collect()  # start counting young objects from nothing
    monkeypatch.setattr(gc, "collect", lambda generation=2: calls.append(generation) or 0)
    with gcpause.paused():
        gcpause.after_batch()  # nothing piled up since the pause began
        assert calls == []
        monkeypatch.setattr(gc, "collect", collect)
        for _ in range(6_000):
            cycle: list[object] = []
            cycle.append(cycle)  # garbage only the cycle collector can free
        del cycle
        assert gc.get_count()[0] >= 5_000
        gcpause.after_batch()
        assert gc.get_count()[0] < 5_000
