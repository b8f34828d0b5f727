"""The ``graphkit`` command, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.store.embedded import EmbeddedStore
from tests.conftest import SEED


def _cli(
    *args: str, store: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graphkit.cli", *args, "--store", str(store)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_load_reach_json_and_exit_codes(tmp_path: Path) -> None:
    store = tmp_path / "cli.db"
    loaded = _cli("load", str(SEED), "--json", store=store)
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["created"]["relationships"] == 119

    reach = _cli(
        "reach", "rotterdam-port-logistics-data", "--as-of", "2020-01-01", "--json", store=store
    )
    assert reach.returncode == 0, reach.stderr
    body = json.loads(reach.stdout)
    assert body["items"][0]["entity"]["id"] == "logink"
    assert body["items"][0]["path"]["hops"][0]["evidence"][0]["title"]

    human = _cli("reach", "rotterdam-port-logistics-data", store=store)
    assert "LOGINK has an agreement with Port of Rotterdam" in human.stdout
    assert "[disputes]" in human.stdout  # data in brackets is printed, not eaten as markup

    missing = _cli("reach", "no-such-thing", store=store)
    assert missing.returncode == 3 and "No entity" in missing.stderr
    too_deep = _cli("reach", "logink", "--max-depth", "99", store=store)
    assert too_deep.returncode == 2


def test_bad_file_exit_code_and_message_and_nothing_written(tmp_path: Path) -> None:
    store = tmp_path / "cli.db"
    bad = tmp_path / "bad.yaml"
    bad.write_text("entities:\n  - {id: x, kind: Spaceship, name: X}\n", encoding="utf-8")
    result = _cli("load", str(bad), store=store)
    assert result.returncode == 4
    assert "bad.yaml:2" in result.stderr and "'kind'" in result.stderr
    stats = _cli("stats", "--json", store=store)
    assert json.loads(stats.stdout)["entities"] == 0


def test_viz_writes_an_offline_page(tmp_path: Path) -> None:
    store = tmp_path / "cli.db"
    _cli("load", str(SEED), store=store)
    page = tmp_path / "out" / "reach.html"
    result = _cli("viz", "reach", "rotterdam-port-logistics-data", "-o", str(page), store=store)
    assert result.returncode == 0, result.stderr
    assert "vis-network" in page.read_text(encoding="utf-8")


@pytest.mark.neo4j
def test_cli_on_neo4j_prints_the_same_answer_as_embedded(tmp_path: Path) -> None:
    uri = os.environ.get("GRAPHKIT_TEST_NEO4J_URI")
    if not uri:
        if os.environ.get("CI") == "true":
            pytest.fail("GRAPHKIT_TEST_NEO4J_URI must be set in CI")
        pytest.skip("GRAPHKIT_TEST_NEO4J_URI is not set (scripts/test starts a local Neo4j)")
    from graphkit.settings import Settings
    from graphkit.store.neo4j import Neo4jStore

    with Neo4jStore(Settings(backend="neo4j", neo4j_uri=uri)) as neo:
        neo.wipe()
    env = {**os.environ, "NEO4J_URI": uri, "GRAPHKIT_BACKEND": "neo4j"}
    store = tmp_path / "cli.db"
    args = ["reach", "rotterdam-port-logistics-data", "--as-of", "2020-01-01"]
    assert _cli("load", str(SEED), store=store, env=env).returncode == 0
    on_neo4j = _cli(*args, store=store, env=env)
    assert _cli("load", str(SEED), "--backend", "embedded", store=store).returncode == 0
    embedded = _cli(*args, "--backend", "embedded", store=store)
    assert on_neo4j.returncode == embedded.returncode == 0, on_neo4j.stderr
    assert on_neo4j.stdout == embedded.stdout
    assert "LOGINK" in on_neo4j.stdout


def test_export_gexf_round_trips_through_networkx(tmp_path: Path) -> None:
    import networkx as nx

    store = tmp_path / "cli.db"
    _cli("load", str(SEED), store=store)
    out = tmp_path / "reach.gexf"
    result = _cli(
        "export",
        "reach",
        "rotterdam-port-logistics-data",
        "--as-of",
        "2020-01-01",
        "--format",
        "gexf",
        "-o",
        str(out),
        store=store,
    )
    assert result.returncode == 0, result.stderr
    graph = nx.read_gexf(out)
    assert graph.nodes["logink"]["kind"] == "Platform"
    (edge,) = [
        d
        for _u, v, d in graph.edges(data=True)
        if d["rel_type"] == "HAS_ACCESS_TO" and d["valid_from"] == "2019"
    ]
    assert edge["valid_to"] == "2025-11" and edge["disputed"] is True
    assert "geen koppeling" in edge["evidence"]


def test_export_neo4j_writes_importer_files(tmp_path: Path) -> None:
    """The files ``scripts/neo4j-local import`` reads (the import itself is tested in
    tests/store/test_neo4j_import.py, against a real server)."""
    store = tmp_path / "cli.db"
    assert _cli("load", str(SEED), store=store).returncode == 0
    done = _cli("export-neo4j", str(tmp_path / "files"), store=store)
    assert done.returncode == 0, done.stderr
    assert "119 rows" in done.stderr and "scripts/neo4j-local import" in done.stderr
    claims = (tmp_path / "files" / "nodes-claims.csv").read_text(encoding="utf-8").splitlines()
    assert claims[0] == "id:ID(Claim),type,source,target,body,:LABEL"
    assert len(claims) == 1 + 119
    edges = (tmp_path / "files" / "relationships-edges.csv").read_text(encoding="utf-8")
    assert '"logink","rotterdam-port-logistics-data"' in edges
    assert not (tmp_path / "files" / "multiline").exists()
    # The import is the same data, so it carries the store's data version (a permalink to
    # the store then holds for the imported server).
    opened = EmbeddedStore(store)
    version = opened.data_version()
    opened.close()
    meta = (tmp_path / "files" / "nodes-meta.csv").read_text(encoding="utf-8")
    assert f'"generation","{version}","GraphkitMeta"' in meta


def test_a_spreadsheet_saved_by_excel_loads_and_strays_are_named(tmp_path: Path) -> None:
    """Excel's "CSV" on a European laptop: cp1252, semicolons, CRLF. It loads; a misnamed
    file beside it is refused by name, or listed as skipped with --allow-unknown."""
    sheet = tmp_path / "sheet"
    sheet.mkdir()
    (sheet / "entities.csv").write_bytes(
        "id;kind;name\r\nzz2;Company;Café Ltd\r\nzz3;Company;Société Générale\r\n".encode("cp1252")
    )
    (sheet / "relationship.csv").write_text("type,source,target\n", encoding="utf-8")
    store = tmp_path / "cli.db"
    refused = _cli("ingest", str(sheet), store=store)
    assert refused.returncode == 4, refused.stderr
    assert "relationship.csv" in refused.stderr and "Traceback" not in refused.stderr
    loaded = _cli("ingest", str(sheet), "--allow-unknown", "--json", store=store)
    assert loaded.returncode == 0, loaded.stderr
    body = json.loads(loaded.stdout)
    assert body["created"]["entities"] == 2
    assert any("relationship.csv" in reason for reason in body["skipped"])
    shown = _cli("search", "Société", "--json", store=store)
    assert json.loads(shown.stdout)["items"][0]["entity"]["name"] == "Société Générale"


def test_days_as_people_type_them_on_the_command_line(tmp_path: Path) -> None:
    store = tmp_path / "cli.db"
    assert _cli("load", str(SEED), store=store).returncode == 0
    year = _cli("reach", "rotterdam-port-logistics-data", "--as-of", "2020", "--json", store=store)
    assert year.returncode == 0 and json.loads(year.stdout)["as_of"] == "2020-01-01"
    today = _cli("reach", "rotterdam-port-logistics-data", "--as-of", "today", store=store)
    assert today.returncode == 0, today.stderr
    bad = _cli("reach", "rotterdam-port-logistics-data", "--as-of", "2020-13", store=store)
    assert bad.returncode == 2 and "YYYY, YYYY-MM, YYYY-MM-DD or 'today'" in bad.stderr
    diff = _cli(
        "diff",
        "reach",
        "zoom-meeting-encryption-keys",
        "--from",
        "2020-03",
        "--to",
        "2020-06",
        "--json",
        store=store,
    )
    assert diff.returncode == 0, diff.stderr
    items = {i["entity"]["id"]: i for i in json.loads(diff.stdout)["items"]}
    assert any(p["change"] == "ended" for p in items["cn-government"]["paths"])


def test_a_declared_encoding_is_used(tmp_path: Path) -> None:
    """Bytes that no detected encoding reads (0x81 is undefined in cp1252) load when the
    user says what they are; an unknown encoding name is a usage error."""
    sheet = tmp_path / "sheet"
    sheet.mkdir()
    (sheet / "entities.csv").write_bytes(b"id,kind,name\nq1,Company,Caf\xe9 \x81 Ltd\n")
    store = tmp_path / "cli.db"
    refused = _cli("ingest", str(sheet), store=store)
    assert refused.returncode == 4 and "byte offset" in refused.stderr
    wrong = _cli("ingest", str(sheet), "--encoding", "klingon", store=store)
    assert wrong.returncode == 2 and "unknown encoding" in wrong.stderr
    loaded = _cli("ingest", str(sheet), "--encoding", "latin-1", "--json", store=store)
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["created"]["entities"] == 1


def test_schema_json_and_reindex(tmp_path: Path) -> None:
    """The schema table is published with its fingerprint; reindex re-derives a store
    (here: one whose recorded fingerprint was tampered with) and answers stay the same."""
    import sqlite3

    from graphkit.schema import fingerprint

    done = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "schema", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    table = json.loads(done.stdout)
    assert table["fingerprint"] == fingerprint()
    owns = next(r for r in table["relationships"] if r["type"] == "OWNS")
    assert owns["flow"] == "forward" and owns["strength"]["share"] is True

    store = tmp_path / "cli.db"
    assert _cli("load", str(SEED), store=store).returncode == 0
    before = _cli("reach", "rotterdam-port-logistics-data", "--json", store=store).stdout
    with sqlite3.connect(store) as db:
        db.execute("UPDATE meta SET value = 'elsewhere' WHERE key = 'schema_fingerprint'")
        db.execute("UPDATE relationships SET strength = 0.01")  # stale derived values
    after = _cli("reach", "rotterdam-port-logistics-data", "--json", store=store)
    assert "re-derived 119 relationships" in after.stderr
    assert after.stdout == before
    again = _cli("reindex", store=store)
    assert again.returncode == 0 and "re-derived 119 relationships" in again.stdout


def test_cypher_on_the_embedded_store_says_what_it_needs(tmp_path: Path) -> None:
    done = _cli("cypher", "RETURN $x AS x", "--param", "x=1", store=tmp_path / "c.db")
    assert done.returncode == 2
    assert "needs the Neo4j backend" in done.stderr
    bad = _cli("cypher", "RETURN 1", "--param", "no-equals", store=tmp_path / "c.db")
    assert bad.returncode == 2 and "expected name=value" in bad.stderr


def test_validate_writes_nothing_show_json_is_one_document_and_options_are_named(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "graphkit.cli", "validate", str(SEED)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "GRAPHKIT_STORE": "graphkit.db"},
    )
    assert done.returncode == 0 and "nothing written" in done.stderr
    assert list(tmp_path.iterdir()) == []  # no store file appeared

    store = tmp_path / "cli.db"
    assert _cli("load", str(SEED), store=store).returncode == 0
    shown = _cli("show", "logink", "--json", store=store)
    body = json.loads(shown.stdout)  # one document
    assert body["entity"]["entity"]["id"] == "logink" and body["neighbourhood"]["relationships"]

    bad = _cli("reach", "logink", "--kind", "Nope", store=store)
    assert bad.returncode == 2 and "--kind:" in bad.stderr and "kinds.0" not in bad.stderr


def test_search_in_80_columns_shows_whole_ids(tmp_path: Path) -> None:
    """The id is what the next command needs: an 80-column table must not cut it."""
    store = tmp_path / "cli.db"
    assert _cli("load", str(SEED), store=store).returncode == 0
    found = _cli("search", "rotterdam", store=store, env={**os.environ, "COLUMNS": "80"})
    assert found.returncode == 0
    assert "rotterdam-terminals-cn-hk-shareholders" in found.stdout
    assert max(len(line) for line in found.stdout.splitlines()) <= 80


def test_an_empty_paths_answer_exits_3_in_json_too(tmp_path: Path) -> None:
    """Scripts read the exit status: no path is 3 whether the answer is printed or JSON,
    and the JSON still carries why nothing was found."""
    store = tmp_path / "cli.db"
    assert _cli("load", str(SEED), store=store).returncode == 0
    args = ("paths", "belgian-state-security", "hikvision", "--as-of", "2026-11-22")
    human = _cli(*args, store=store)
    as_json = _cli(*args, "--json", store=store)
    assert human.returncode == 3 and as_json.returncode == 3
    assert json.loads(as_json.stdout)["empty"]["reasons"]
