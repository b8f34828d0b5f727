"""A problem found after earlier batches were written is reported as exactly that, in every
format and on every backend: the count of what was written, never "nothing was written"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from ingest import read_path
from tests.conftest import ROOT


def _ftm(folder: Path) -> Path:
    lines = [
        f'{{"id": "p{i}", "schema": "Company", "properties": {{"name": ["P{i}"]}}}}'
        for i in range(5)
    ]
    file = folder / "e.ftm.json"
    file.write_text("\n".join([*lines, "{broken json"]) + "\n", encoding="utf-8")
    return file


def _csv(folder: Path) -> Path:
    rows = "".join(f"p{i},Company,P{i}\n" for i in range(5))
    (folder / "entities.csv").write_text(
        "id,kind,name\n" + rows + "bad,Spaceship,Bad\n", encoding="utf-8"
    )
    return folder


def _yaml_folder(folder: Path) -> Path:
    rows = "".join(f"- {{id: p{i}, kind: Company, name: P{i}}}\n" for i in range(5))
    (folder / "a.yaml").write_text("entities:\n" + rows, encoding="utf-8")
    (folder / "b.yaml").write_text("entities: [\n", encoding="utf-8")
    return folder


def _icij(folder: Path) -> Path:
    source = ROOT / "tests" / "fixtures" / "icij"
    for file in source.iterdir():
        shutil.copy(file, folder / file.name)
    with (folder / "relationships.csv").open("a", encoding="utf-8") as handle:
        handle.write(
            "10000001,10000002,shareholder of,shareholder of,,32-FOO-2001,,Panama Papers\n"
        )
    return folder


@pytest.mark.parametrize(
    ("fmt", "make"),
    [("ftm", _ftm), ("csv", _csv), ("curated", _yaml_folder), ("icij", _icij)],
)
def test_a_late_problem_says_what_was_written(
    backend: QueryEngine, tmp_path: Path, fmt: str, make: object
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = make(folder)  # type: ignore[operator]
    with pytest.raises(InvalidData) as info:
        backend.ingest_stream(read_path(path, fmt), batch_size=2)
    text = str(info.value)
    assert "nothing was written" not in text
    stored = backend.stats()
    written = stored.entities + stored.relationships + stored.sources
    assert written > 0
    assert f"{written} records were written before it" in text
