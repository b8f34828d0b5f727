"""Every loader, fed mutated records: a clear InvalidData or a clean load — never a crash,
never a half-written store."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.settings import Settings
from graphkit.store.embedded import EmbeddedStore
from ingest import read_path
from tests.conftest import ROOT

DATA = ROOT.parent / "shared" / "data"
JUNK: list[Any] = [
    None,
    7,
    -1.5,
    "",
    "#!?",
    "2020-13-45",
    [],
    {},
    ["x"],
    {"a": 1},
    True,
    "x" * 3000,
]


def _mutate(value: Any, rng: random.Random) -> Any:
    """One random change somewhere inside a JSON value."""
    if isinstance(value, dict) and value:
        key = rng.choice(sorted(value, key=str))
        roll = rng.random()
        if roll < 0.3:
            value.pop(key)
        elif roll < 0.6:
            value[key] = rng.choice(JUNK)
        else:
            value[key] = _mutate(value[key], rng)
        return value
    if isinstance(value, list) and value:
        i = rng.randrange(len(value))
        value[i] = _mutate(value[i], rng) if rng.random() < 0.7 else rng.choice(JUNK)
        return value
    return rng.choice(JUNK)


def _load(path: Path, fmt: str, tmp: Path) -> None:
    store = EmbeddedStore(tmp / "fuzz.db")
    try:
        eng = QueryEngine(store, Settings(store=tmp / "fuzz.db"))
        try:
            eng.ingest(read_path(path, fmt))
        except InvalidData as exc:
            assert exc.issues and all(isinstance(i.message, str) for i in exc.issues)
            assert store.stats().relationships == 0 and store.stats().entities == 0
    finally:
        store.close()


CASES = [
    ("bods", DATA / "bods-0.4" / "examples" / "tecido.json", "json"),
    ("gleif", DATA / "gleif-golden-copy-sample" / "rr-data.json", "json"),
    ("gleif", DATA / "gleif-golden-copy-sample" / "lei-data.json", "json"),
    ("curated", ROOT / "data" / "seed" / "logink-ports.yaml", "yaml"),
]


@pytest.mark.parametrize(("fmt", "source", "kind"), CASES, ids=[c[1].name for c in CASES])
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 10**6))
def test_mutated_json_and_yaml_fail_cleanly(
    fmt: str, source: Path, kind: str, seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    if not source.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{source} is missing")
        pytest.skip(f"{source} is missing")
    import yaml

    rng = random.Random(seed)
    text = source.read_text(encoding="utf-8")
    data = json.loads(text) if kind == "json" else yaml.safe_load(text)
    for _ in range(rng.randint(1, 3)):
        data = _mutate(copy.deepcopy(data), rng)
    tmp = tmp_path_factory.mktemp("fuzz")
    target = tmp / source.name
    if kind == "json":
        target.write_text(json.dumps(data), encoding="utf-8")
    else:
        target.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    if fmt == "curated":
        # the curated file refers to the seed's sources and entities: load it with them
        folder = tmp / "seed"
        shutil.copytree(ROOT / "data" / "seed", folder)
        shutil.copy(target, folder / source.name)
        target = folder
    _load(target, fmt, tmp)


CSV_CASES = [("icij", ROOT / "tests" / "fixtures" / "icij")]


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(seed=st.integers(0, 10**6))
def test_mutated_csv_cells_and_headers_fail_cleanly(
    seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rng = random.Random(seed)
    tmp = tmp_path_factory.mktemp("fuzzcsv")
    for fmt, source in [*CSV_CASES, ("csv", None)]:
        folder = tmp / fmt
        if source is not None:
            shutil.copytree(source, folder)
        else:
            from ingest.csvformat import write_template

            write_template(folder)
        victim = rng.choice(sorted(folder.glob("*.csv")))
        rows = list(csv.reader(io.StringIO(victim.read_text(encoding="utf-8"))))
        r = rng.randrange(len(rows))
        c = rng.randrange(len(rows[r]))
        rows[r][c] = str(rng.choice(JUNK))
        if rng.random() < 0.2:
            rows[r] = rows[r][: max(1, len(rows[r]) - 2)]  # a short row
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        victim.write_text(buf.getvalue(), encoding="utf-8")
        _load(folder, fmt, folder)
