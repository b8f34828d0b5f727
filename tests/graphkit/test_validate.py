"""Bad input is refused with file, line, record and field — and every problem at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphkit.errors import InvalidData
from graphkit.validate import RawRecord, validate_records
from ingest.curated import read_curated

GOOD = """
sources:
  - {id: s1, title: A document, date: 2020-04}
entities:
  - {id: a, kind: Company, name: A}
  - {id: b, kind: Company, name: B}
relationships:
  - type: OWNS
    source: a
    target: b
    share: 0.4
    evidence: [{source: s1, excerpt: "A owns 40% of B"}]
"""


def _issues(tmp_path: Path, text: str) -> list:
    f = tmp_path / "data.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidData) as info:
        validate_records(read_curated(f))
    return info.value.issues


def test_good_file_validates(tmp_path: Path) -> None:
    f = tmp_path / "ok.yaml"
    f.write_text(GOOD, encoding="utf-8")
    batch = validate_records(read_curated(f))
    assert [r.id for r in batch.relationships] == ["OWNS:a->b"]
    assert batch.relationships[0].share == 0.4


@pytest.mark.parametrize(
    ("old", "new", "field", "line", "words"),
    [
        ("kind: Company, name: A", "kind: Firm, name: A", "kind", 5, "Firm"),
        ("type: OWNS", "type: OWNED_BY", "type", 8, "OWNED_BY"),
        ("target: b", "target: c", "target", 8, "'c'"),
        ("date: 2020-04}", "date: 2020-13}", "date", 3, "2020-13"),
        ("share: 0.4", "share: 1.4", "share", 8, "less than or equal to 1"),
        (
            'evidence: [{source: s1, excerpt: "A owns 40% of B"}]',
            "evidence: []",
            "evidence",
            8,
            "at least 1",
        ),
        ("source: s1, excerpt", "source: s9, excerpt", "evidence.0.source", 8, "'s9'"),
        ("share: 0.4", "share: 0.4\n    colour: red", "colour", 8, "unknown field"),
    ],
)
def test_each_problem_names_file_line_field(
    tmp_path: Path, old: str, new: str, field: str, line: int, words: str
) -> None:
    issues = _issues(tmp_path, GOOD.replace(old, new))
    assert len(issues) == 1, issues
    issue = issues[0]
    assert issue.file.endswith("data.yaml")
    assert issue.line == line
    assert issue.field == field
    assert words in str(issue)


def test_wrong_endpoint_kind_is_refused_by_the_schema_table(tmp_path: Path) -> None:
    text = GOOD.replace("{id: b, kind: Company, name: B}", "{id: b, kind: Law, name: B}")
    (issue,) = _issues(tmp_path, text)
    assert issue.field == "target"
    assert "OWNS cannot have a Law as target" in issue.message
    assert issue.record == "relationship 'OWNS:a->b'"


def test_all_problems_reported_together(tmp_path: Path) -> None:
    text = GOOD.replace("kind: Company, name: A", "kind: Firm, name: A").replace(
        "share: 0.4", "share: -1"
    )
    fields = {i.field for i in _issues(tmp_path, text)}
    assert {"kind", "share"} <= fields


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    (issue,) = _issues(tmp_path, GOOD.replace("target: b", "target: b: c"))
    assert issue.line == 10
    assert "not valid YAML" in issue.message


def test_same_id_twice_with_different_content_is_an_error(tmp_path: Path) -> None:
    text = GOOD.replace(
        "  - {id: b, kind: Company, name: B}",
        "  - {id: b, kind: Company, name: B}\n  - {id: b, kind: Company, name: C}",
    )
    (issue,) = _issues(tmp_path, text)
    assert "defined twice" in issue.message and issue.line == 7


def test_relationship_needs_supporting_evidence_not_only_denials() -> None:
    with pytest.raises(InvalidData, match="stance 'supports'"):
        validate_records(
            [
                RawRecord("sources", {"id": "s", "title": "t"}),
                RawRecord("entities", {"id": "a", "kind": "Company", "name": "A"}),
                RawRecord("entities", {"id": "b", "kind": "Company", "name": "B"}),
                RawRecord(
                    "relationships",
                    {
                        "type": "OWNS",
                        "source": "a",
                        "target": "b",
                        "evidence": [{"source": "s", "excerpt": "no", "stance": "disputes"}],
                    },
                ),
            ]
        )


def test_interval_must_not_run_backwards() -> None:
    with pytest.raises(InvalidData, match="after valid_to"):
        validate_records(
            [
                RawRecord("sources", {"id": "s", "title": "t"}),
                RawRecord("entities", {"id": "a", "kind": "Company", "name": "A"}),
                RawRecord("entities", {"id": "b", "kind": "Company", "name": "B"}),
                RawRecord(
                    "relationships",
                    {
                        "type": "OWNS",
                        "source": "a",
                        "target": "b",
                        "valid_from": "2021",
                        "valid_to": "2020-06",
                        "evidence": [{"source": "s", "excerpt": "x"}],
                    },
                ),
            ]
        )
