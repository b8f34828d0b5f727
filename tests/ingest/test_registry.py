"""The format registry: detection by the structure of the first record, curated JSON lines,
and clear refusals for files no loader reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from graphkit.query import ReachRequest
from ingest import FORMATS, NAMES, UnknownFormat, detect, read_path
from ingest.csvformat import write_template
from tests.conftest import ROOT, SEED

DATA = ROOT.parent / "shared" / "data"
FIXTURES = ROOT / "tests" / "fixtures"


def _jsonl(path: Path, lines: list[object]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _seed_as_json_lines(path: Path) -> Path:
    """The seed dataset rewritten as curated JSON lines, record for record."""
    return _jsonl(path, [{rec.section: dict(rec.data)} for rec in read_path(SEED)])


def test_every_shipped_format_is_told_from_its_structure(tmp_path: Path) -> None:
    write_template(tmp_path / "sheet")
    seen = {
        detect(SEED): "curated",
        detect(_seed_as_json_lines(tmp_path / "seed.jsonl")): "curated",
        detect(tmp_path / "sheet"): "csv",
        detect(FIXTURES / "icij"): "icij",
        detect(FIXTURES / "bods-0.3" / "statements.json"): "bods",
    }
    if DATA.exists():
        gleif = DATA / "gleif-golden-copy-sample"
        for name in ("lei-data.json", "rr-data.json", "repex-data.json"):
            assert detect(gleif / name) == "gleif", name
        assert detect(DATA / "ftm-opensanctions-zala" / "entities.ftm.json") == "ftm"
        assert detect(DATA / "bods-0.4" / "examples" / "levent.json") == "bods"
    assert all(got == want for got, want in seen.items()), seen
    assert NAMES == ("auto", *(f.name for f in FORMATS))


def test_a_curated_record_that_mentions_other_formats_keys_stays_curated(tmp_path: Path) -> None:
    """Substring guessing read this as FtM (it has "schema" and "properties") or GLEIF
    ("LEI"); its structure says curated."""
    file = _jsonl(
        tmp_path / "tricky.jsonl",
        [
            {
                "entities": {
                    "id": "acme",
                    "kind": "Company",
                    "name": 'The "schema" and "properties" and "LEI" firm',
                    "properties": {"schema": "Company", "LEI": "x", "statementId": "y"},
                }
            }
        ],
    )
    assert detect(file) == "curated"


def test_ftm_shape_with_a_schema_ftm_does_not_know_is_not_ftm(tmp_path: Path) -> None:
    file = _jsonl(tmp_path / "x.json", [{"id": "1", "schema": "Spaceship", "properties": {}}])
    with pytest.raises(UnknownFormat, match="keys id, properties, schema"):
        detect(file)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("empty.json", "", "holds no records"),
        ("pretty.json", '{\n  "a": 1\n}\n', "not valid JSON"),
        ("notes.txt", "just some words\n", "not valid JSON"),
        ("numbers.jsonl", "1\n2\n", "first record is a int"),
        ("latin.json", None, "cannot read the file"),
    ],
)
def test_files_no_loader_reads_are_refused_with_the_choices(
    tmp_path: Path, name: str, content: str | None, says: str
) -> None:
    file = tmp_path / name
    if content is None:
        file.write_bytes(b'{"a": "\x81\x8d\x8f"}\n')  # bytes no sniffed encoding reads
    else:
        file.write_text(content, encoding="utf-8")
    with pytest.raises(UnknownFormat) as info:
        detect(file)
    assert says in str(info.value)
    assert str(file) in str(info.value)


def test_missing_paths_and_empty_folders_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnknownFormat, match="no such file or folder"):
        detect(tmp_path / "nowhere.json")
    (tmp_path / "empty").mkdir()
    with pytest.raises(UnknownFormat, match="no data files in it; pass --format curated"):
        detect(tmp_path / "empty")
    with pytest.raises(UnknownFormat, match="unknown format 'xml'"):
        read_path(SEED, "xml")


def test_curated_json_lines_load_exactly_like_the_yaml(tmp_path: Path) -> None:
    from graphkit.store.embedded import EmbeddedStore

    from_yaml = QueryEngine(EmbeddedStore(tmp_path / "yaml.db"))
    from_lines = QueryEngine(EmbeddedStore(tmp_path / "lines.db"))
    first = from_yaml.ingest(read_path(SEED))
    assert from_lines.ingest(read_path(_seed_as_json_lines(tmp_path / "seed.jsonl"))) == first
    req = ReachRequest(target="rotterdam-port-logistics-data", as_of="2020-01-01")
    assert from_lines.reach(req) == from_yaml.reach(req)
    again = from_lines.ingest(read_path(tmp_path / "seed.jsonl"))
    assert sum(again.created.values()) == sum(again.updated.values()) == 0


def test_bad_curated_json_lines_are_all_listed_and_nothing_is_written(
    tmp_path: Path, engine: QueryEngine
) -> None:
    file = tmp_path / "bad.jsonl"
    good = {"entities": {"id": "a", "kind": "Company", "name": "A"}}
    file.write_text(
        "\n".join(
            [
                json.dumps(good),
                json.dumps({"entities": [good["entities"]]}),  # a list, not one record
                json.dumps({"firms": good["entities"]}),  # no such section
                "{not json",
                json.dumps({"entities": good["entities"], "sources": {}}),  # two sections
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    before = engine.store.stats()
    with pytest.raises(InvalidData) as info:
        engine.ingest(read_path(file))
    lines = [(i.line, i.message) for i in info.value.issues]
    assert [line for line, _ in lines] == [2, 3, 4, 5]
    assert all(str(file) == i.file for i in info.value.issues)
    assert "expected one object per line" in lines[0][1]
    assert engine.store.stats() == before


def test_load_reads_curated_json_lines_and_help_lists_every_format(tmp_path: Path) -> None:
    file = _seed_as_json_lines(tmp_path / "seed.jsonl")
    loaded = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "load", str(file), "--json"]
        + ["--store", str(tmp_path / "g.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["created"]["relationships"] == 119
    helped = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "load", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"COLUMNS": "200", "PATH": ""},
    )
    for fmt in FORMATS:
        assert f"{fmt.name}: " in helped.stdout, fmt.name
