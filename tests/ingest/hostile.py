# ruff: noqa: E501  (a table of cases reads best one case a line)
"""A generated corpus of hostile and careless input for every loader.

Each case is a small folder of files, the format to read it as, and what must happen:
``refused`` (a clear :class:`InvalidData` naming file and line or field, the store unchanged)
or ``loads`` (a spreadsheet saved the way real tools save them). Shared by the test and by
anyone probing a loader by hand.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from graphkit.engine import QueryEngine
from graphkit.errors import InvalidData
from ingest import read_path

#: Seconds a case may take before it counts as a hang.
CASE_SECONDS = 20.0


@dataclass(frozen=True)
class Case:
    """Files to write, the format to read them as, and the outcome required."""

    name: str
    fmt: str
    files: dict[str, bytes]
    expect: str = "refused"
    #: The entry to load, relative to the case folder ("" for the folder itself).
    entry: str = ""


SOURCES_CSV = b"id,title,date\ns1,A report,2020-01-01\n"
ENTITIES_CSV = b"id,kind,name\na,Company,Alpha\nb,Company,Beta\n"
REL_HEADER = b"type,source,target,share,valid_from,valid_to,evidence_source,excerpt\n"


def _csv(rel_row: bytes = b"", **extra: bytes) -> dict[str, bytes]:
    files = {"sources.csv": SOURCES_CSV, "entities.csv": ENTITIES_CSV}
    if rel_row:
        files["relationships.csv"] = REL_HEADER + rel_row
    files.update({k.replace("__", "."): v for k, v in extra.items()})
    return files


def _rel(**cells: str) -> bytes:
    row = {
        "type": "OWNS",
        "source": "a",
        "target": "b",
        "share": "0.5",
        "valid_from": "2019",
        "valid_to": "",
        "evidence_source": "s1",
        "excerpt": "Alpha owns half of Beta",
    }
    row.update(cells)
    return (",".join(_quote(v) for v in row.values()) + "\n").encode()


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


def _yaml(body: str) -> dict[str, bytes]:
    return {"data.yaml": body.encode()}


YAML_OK = """sources:
- {id: s1, title: A report, date: 2020-01-01}
entities:
- {id: a, kind: Company, name: Alpha}
- {id: b, kind: Company, name: Beta}
relationships:
- {type: OWNS, source: a, target: b, share: 0.5, evidence: [{source: s1, excerpt: Alpha owns}]}
"""


def _jsonl(*lines: str) -> dict[str, bytes]:
    """A curated JSON-lines file: the valid head (a source and two entities) then ``lines``."""
    head = [
        '{"sources": {"id": "s1", "title": "A report", "date": "2020-01-01"}}',
        '{"entities": {"id": "a", "kind": "Company", "name": "Alpha"}}',
        '{"entities": {"id": "b", "kind": "Company", "name": "Beta"}}',
    ]
    return {"data.jsonl": "\n".join([*head, *lines]).encode() + b"\n"}


def _jsonl_rel(share: str) -> dict[str, bytes]:
    return _jsonl(
        '{"relationships": {"type": "OWNS", "source": "a", "target": "b", "share": '
        + share
        + ', "evidence": [{"source": "s1", "excerpt": "Alpha owns"}]}}'
    )


def _yaml_rel(extra: str) -> dict[str, bytes]:
    return _yaml(
        YAML_OK.replace("share: 0.5,", f"share: 0.5, {extra},")
        if extra
        else YAML_OK.replace("relationships:", "relationships: []\nx:")
    )


FTM_OK = {
    "id": "c1",
    "schema": "Company",
    "properties": {"name": ["Gamma Ltd"], "country": ["nl"]},
}


def _ftm(*lines: object) -> dict[str, bytes]:
    text = "\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n"
    return {"entities.ftm.json": text.encode()}


def _ftm_prop(key: str, value: object, schema: str = "Company") -> dict[str, bytes]:
    props: dict[str, object] = {"name": ["Gamma Ltd"], key: value}
    return _ftm({"id": "c1", "schema": schema, "properties": props})


BODS_ENTITY = {
    "statementId": "s" * 32,
    "statementDate": "2020-01-01",
    "recordId": "e1",
    "recordType": "entity",
    "recordDetails": {
        "isComponent": False,
        "entityType": {"type": "registeredEntity"},
        "name": "Delta",
    },
    "publicationDetails": {
        "publicationDate": "2020-01-02",
        "bodsVersion": "0.4",
        "publisher": {"name": "Register"},
    },
}


def _bods(*statements: object) -> dict[str, bytes]:
    return {"statements.json": json.dumps(list(statements)).encode()}


def _bods03(**fields: object) -> dict[str, bytes]:
    stmt: dict[str, object] = {
        "statementID": "ooc-1",
        "statementType": "ownershipOrControlStatement",
        "statementDate": "2020-01-01",
        "subject": {"describedByEntityStatement": "ent-1"},
        "interestedParty": {"describedByPersonStatement": "per-1"},
        "interests": [{"type": "shareholding", "share": {"exact": 50}}],
    }
    stmt.update(fields)
    entity = {
        "statementID": "ent-1",
        "statementType": "entityStatement",
        "statementDate": "2020-01-01",
        "entityType": "registeredEntity",
        "name": "Eta B.V.",
    }
    person = {
        "statementID": "per-1",
        "statementType": "personStatement",
        "statementDate": "2020-01-01",
        "names": [{"fullName": "Theta Person"}],
    }
    return _bods(entity, person, stmt)


ICIJ_ENTITIES = (
    b"node_id,name,countries,country_codes,sourceID\n1,Epsilon Ltd,Panama,PAN,Panama Papers\n"
)
ICIJ_REL_HEADER = b"node_id_start,node_id_end,rel_type,link,status,start_date,end_date,sourceID\n"


def _icij(rel: bytes = b"", entities: bytes = ICIJ_ENTITIES) -> dict[str, bytes]:
    return {
        "nodes-entities.csv": entities,
        "relationships.csv": ICIJ_REL_HEADER + rel,
    }


INJECTIONS = [
    "a' OR 1=1 --",
    "x}) DETACH DELETE n //",
    "../../etc/passwd",
    '=HYPERLINK("http://x")',
    "<script>alert(1)</script>",
    "a\x00b",
    " ",
    "é" * 400,
]
BAD_DATES = ["2021-02-30", "2020-13-45", "0000-01-01", "99999", "2020-1-1x", "yesterday"]
BAD_SHARES = ["abc", "1e400", "nan", "-0.5", "150", "inf", "0x10", ""]


def _cases() -> list[Case]:
    out: list[Case] = []
    add = out.append
    # -- curated CSV: encodings and dialects that must load
    excel = "id,kind,name\r\nzz2,Company,Caf\xe9 Ltd\r\n".encode("cp1252")
    add(Case("csv-cp1252-excel", "csv", {"entities.csv": excel}, "loads"))
    semi = "id;kind;name\r\nzz3;Company;Société Générale\r\n".encode("cp1252")
    add(Case("csv-cp1252-semicolons", "csv", {"entities.csv": semi}, "loads"))
    bom = b"\xef\xbb\xbfid,kind,name\nzz4,Company,Caf\xc3\xa9\n"
    add(Case("csv-utf8-bom", "csv", {"entities.csv": bom}, "loads"))
    utf16 = "id\tkind\tname\nzz5\tCompany\tZeta\n".encode("utf-16")
    add(Case("csv-utf16-tabs", "csv", {"entities.csv": utf16}, "loads"))
    # -- curated CSV: refused
    add(Case("csv-undecodable", "csv", {"entities.csv": b"id,kind,name\nz,Company,\x81\x8d\n"}))
    add(
        Case(
            "csv-utf8-then-garbage",
            "csv",
            {
                "entities.csv": ENTITIES_CSV
                + b"".join(b"g%d,Company,G\xc3\xa9 %d\n" % (i, i) for i in range(5000))
                + b"c,Company,\xff\xfe\xfa\n"
            },
        )
    )
    add(Case("csv-nul-bytes", "csv", {"entities.csv": b"id,kind,name\nz,Comp\x00any,Z\n"}))
    add(Case("csv-unknown-column", "csv", {"entities.csv": b"id,kind,nme\nz,Company,Z\n"}))
    add(Case("csv-extra-cells", "csv", {"entities.csv": b"id,kind,name\nz,Company,Z,surplus\n"}))
    add(Case("csv-unknown-kind", "csv", {"entities.csv": b"id,kind,name\nz,Spaceship,Z\n"}))
    add(Case("csv-entities-is-a-folder", "csv", {"entities.csv/x.txt": b"hi"}))
    add(Case("csv-misnamed-file", "csv", {**_csv(), "relationship.csv": REL_HEADER + _rel()}))
    add(Case("csv-unterminated-quote", "csv", {"entities.csv": b'id,kind,name\nz,Company,"Z\n'}))
    add(Case("csv-missing-reference", "csv", _csv(_rel(target="nobody"))))
    add(Case("csv-missing-source", "csv", _csv(_rel(evidence_source="nosource"))))
    add(Case("csv-self-loop", "csv", _csv(_rel(target="a"))))
    add(Case("csv-unknown-type", "csv", _csv(_rel(type="LOVES"))))
    add(Case("csv-wrong-kinds-for-type", "csv", _csv(_rel(type="HOSTS"))))
    add(Case("csv-empty-excerpt", "csv", _csv(_rel(excerpt=""))))
    add(Case("csv-from-after-to", "csv", _csv(_rel(valid_from="2021", valid_to="2019"))))
    dup = _rel(share="0.5") + _rel(share="0.9", excerpt="Alpha owns nine tenths of Beta")
    add(Case("csv-conflicting-duplicate", "csv", _csv(dup)))
    for i, share in enumerate(BAD_SHARES):
        if share:
            add(Case(f"csv-share-{i}", "csv", _csv(_rel(share=share))))
    for i, day in enumerate(BAD_DATES):
        add(Case(f"csv-valid-from-{i}", "csv", _csv(_rel(valid_from=day))))
        add(
            Case(
                f"csv-source-date-{i}",
                "csv",
                {"sources.csv": f"id,title,date\ns9,T,{day}\n".encode()},
            )
        )
    for i, text in enumerate(INJECTIONS):
        row = f"id,kind,name\n{_quote(text)},Company,Injected\n".encode()
        add(Case(f"csv-injected-id-{i}", "csv", {"entities.csv": row}))
        add(Case(f"csv-injected-type-{i}", "csv", _csv(_rel(type=text))))
        add(
            Case(
                f"csv-injected-kind-{i}",
                "csv",
                {"entities.csv": f"id,kind,name\nq{i},{_quote(text)},Q\n".encode()},
            )
        )
    add(
        Case(
            "csv-identifier-no-colon",
            "csv",
            {"entities.csv": b"id,kind,name,identifiers\nz,Company,Z,lei=5493001Z012YSB2A0K51\n"},
        )
    )
    add(
        Case(
            "csv-bad-country",
            "csv",
            {"entities.csv": b"id,kind,name,country\nz,Company,Z,Netherlands\n"},
        )
    )
    add(
        Case(
            "csv-huge-name",
            "csv",
            {"entities.csv": b"id,kind,name\nz,Company," + b"x" * 2_000_000 + b"\n"},
        )
    )
    # -- curated YAML
    for i, day in enumerate([*BAD_DATES, "2020-02-30T10:00:00", "2001-12-14t21:59:43.10-05:00"]):
        add(Case(f"yaml-date-{i}", "curated", _yaml_rel(f"valid_from: {day}")))
    add(Case("yaml-entity-is-a-string", "curated", _yaml("entities: [just-a-string]\n")))
    add(Case("yaml-entity-is-a-list", "curated", _yaml("entities: [[a, b]]\n")))
    add(Case("yaml-section-is-a-string", "curated", _yaml("entities: hello\n")))
    add(Case("yaml-top-is-a-list", "curated", _yaml("- a\n- b\n")))
    add(Case("yaml-top-is-a-number", "curated", _yaml("42\n")))
    add(Case("yaml-unknown-section", "curated", _yaml("people: []\n")))
    add(
        Case(
            "yaml-deep-nesting",
            "curated",
            _yaml(
                "entities:\n- {id: z, kind: Company, name: Z, properties: {p: "
                + "[" * 500
                + "]" * 500
                + "}}\n"
            ),
        )
    )
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n"
        for i in range(9)
    )
    add(Case("yaml-alias-bomb", "curated", _yaml(bomb)))
    add(Case("yaml-syntax", "curated", _yaml("entities: [\n")))
    add(Case("yaml-tabs", "curated", _yaml("entities:\n\t- id: z\n")))
    add(
        Case(
            "yaml-python-tag",
            "curated",
            _yaml("entities: [!!python/object/apply:os.system [ls]]\n"),
        )
    )
    add(Case("yaml-undecodable", "curated", {"data.yaml": b"entities: []\nx: \x81\x8d\xff\n"}))
    add(
        Case(
            "yaml-big-int-property",
            "curated",
            _yaml(
                "entities:\n- {id: z, kind: Company, name: Z, properties: {n: "
                + str(10**30)
                + "}}\n"
            ),
        )
    )
    add(
        Case(
            "yaml-nan-property",
            "curated",
            _yaml("entities:\n- {id: z, kind: Company, name: Z, properties: {n: .nan}}\n"),
        )
    )
    add(
        Case(
            "yaml-inf-share",
            "curated",
            _yaml_rel("valid_to: 2020").copy()
            if False
            else _yaml(YAML_OK.replace("share: 0.5", "share: .inf")),
        )
    )
    add(
        Case("yaml-bool-name", "curated", _yaml("entities:\n- {id: z, kind: Company, name: [x]}\n"))
    )
    add(Case("yaml-int-id", "curated", _yaml("entities:\n- {id: 12, kind: Company, name: Z}\n")))
    # JSON lines are read by orjson where it reads exactly what ``json`` does: the numbers
    # and strings it reads differently must still be refused as ``json`` would have them.
    for big in (str(10**30), str(2**64), str(-(2**63) - 1)):
        add(
            Case(
                f"jsonl-big-int-property-{big[:4]}",
                "curated",
                _jsonl(
                    '{"entities": {"id": "z", "kind": "Company", "name": "Z", "properties": {"n": '
                    + big
                    + "}}}"
                ),
            )
        )
    for share in ("NaN", "Infinity", "-Infinity", "1e400", "2", '"half"'):
        add(Case(f"jsonl-share-{share.strip(chr(34))}", "curated", _jsonl_rel(share)))
    add(Case("jsonl-broken-line", "curated", _jsonl('{"entities": {"id": "z", "kind": "Company"')))
    add(Case("jsonl-deep-line", "curated", _jsonl("[" * 5000 + "]" * 5000)))
    add(
        Case(
            "jsonl-nul-in-name",
            "curated",
            _jsonl('{"entities": {"id": "z", "kind": "Company", "name": "\u0000"}}'),
        )
    )
    add(Case("yaml-year-zero", "curated", _yaml_rel("valid_from: 0")))
    add(Case("yaml-year-five-digits", "curated", _yaml_rel("valid_from: 10000")))
    add(Case("yaml-negative-year", "curated", _yaml_rel("valid_from: -5")))
    add(
        Case(
            "yaml-conflicting-duplicate",
            "curated",
            _yaml(
                YAML_OK
                + "- {type: OWNS, source: a, target: b, share: 0.9, evidence: [{source: s1, excerpt: nine tenths}]}\n"
            ),
        )
    )
    add(
        Case(
            "yaml-missing-endpoint",
            "curated",
            _yaml(YAML_OK.replace("target: b", "target: nobody")),
        )
    )
    add(Case("yaml-folder-of-text", "curated", {"notes/readme.txt": b"just notes\n"}))
    add(Case("yaml-folder-unknown-file", "curated", {**_yaml(YAML_OK), "extra.csv": b"a,b\n"}))
    add(Case("yaml-second-file-broken", "curated", {**_yaml(YAML_OK), "zz.yaml": b"entities: [\n"}))
    for i, text in enumerate(INJECTIONS):
        add(
            Case(
                f"yaml-injected-id-{i}",
                "curated",
                _yaml(
                    "entities:\n- "
                    + json.dumps({"id": text, "kind": "Company", "name": "I"})
                    + "\n"
                ),
            )
        )
    # -- FollowTheMoney
    add(Case("ftm-broken-json", "ftm", _ftm(FTM_OK, "{broken json")))
    add(Case("ftm-deep-json", "ftm", _ftm("[" * 100_000 + "]" * 100_000)))
    add(Case("ftm-not-an-object", "ftm", _ftm("[1, 2, 3]")))
    add(Case("ftm-string-line", "ftm", _ftm('"hello"')))
    add(
        Case(
            "ftm-unknown-schema", "ftm", _ftm({"id": "x", "schema": "Spaceship", "properties": {}})
        )
    )
    add(Case("ftm-no-id", "ftm", _ftm({"schema": "Company", "properties": {"name": ["X"]}})))
    add(Case("ftm-numeric-percentage", "ftm", _ftm_prop("percentage", [25], "Ownership")))
    add(Case("ftm-numeric-name", "ftm", _ftm_prop("name", [25]), "loads"))
    add(Case("ftm-property-not-list", "ftm", _ftm_prop("name", "Gamma")))
    add(Case("ftm-unknown-property", "ftm", _ftm_prop("colour", ["blue"])))
    add(Case("ftm-bad-date", "ftm", _ftm_prop("incorporationDate", ["2020-13-45"])))
    add(Case("ftm-bad-country", "ftm", _ftm_prop("country", ["Neverland"])))
    add(
        Case("ftm-properties-list", "ftm", _ftm({"id": "x", "schema": "Company", "properties": []}))
    )
    add(Case("ftm-utf16", "ftm", {"e.ftm.json": json.dumps(FTM_OK).encode("utf-16")}, "loads"))
    add(
        Case(
            "ftm-invalid-utf8",
            "ftm",
            {"e.ftm.json": json.dumps(FTM_OK).encode() + b'\n{"id": "\xff\xfe"}\n'},
        )
    )
    add(Case("ftm-huge-number", "ftm", _ftm_prop("percentage", [str(10**30)], "Ownership")))
    # (Without --restore a note is plain data: tests/ingest/test_hostile.py checks that.)
    forged = dict(
        FTM_OK,
        properties={
            "name": ["LOGINK"],
            "notes": ['graphkit:{"id": "logink", "kind": "Law", "name": "LOGINK"}'],
        },
    )
    add(Case("ftm-restore-forged-note", "ftm-restore", _ftm(forged)))
    broken_note = dict(
        FTM_OK, id="logink", properties={"name": ["LOGINK"], "notes": ["graphkit:{not json"]}
    )
    add(Case("ftm-restore-broken-note", "ftm-restore", _ftm(broken_note)))
    law = dict(
        FTM_OK,
        id="logink",
        properties={
            "name": ["LOGINK"],
            "notes": ['graphkit:{"id": "logink", "kind": "Law", "name": "LOGINK"}'],
        },
    )
    add(Case("ftm-restore-kind-change", "ftm-restore", _ftm(law)))
    many = [dict(FTM_OK, id=f"c{i}") for i in range(3)]
    add(Case("ftm-good-then-broken", "ftm", _ftm(*many, "{broken")))
    # -- BODS
    add(Case("bods-not-an-array", "bods", {"s.json": b'{"statementId": "x"}'}))
    add(Case("bods-broken-json", "bods", {"s.json": b'[{"statementId": "x"'}))
    add(Case("bods-deep-json", "bods", {"s.json": b"[" * 100_000 + b"]" * 100_000}))
    add(Case("bods-schema-violation", "bods", _bods(dict(BODS_ENTITY, recordType="planet"))))
    add(Case("bods-bad-date", "bods", _bods(dict(BODS_ENTITY, statementDate="2020-13-45"))))
    add(Case("bods-03-self-replacing", "bods", _bods03(replacesStatements=["ooc-1"])))
    add(Case("bods-03-date", "bods", _bods03(statementDate="2020-13-45")))
    add(Case("bods-03-interests-not-list", "bods", _bods03(interests="all of it")))
    add(Case("bods-03-subject-string", "bods", _bods03(subject="ent-1")))
    add(Case("bods-03-party-list", "bods", _bods03(interestedParty=["per-1"])))
    add(Case("bods-03-replaces-string", "bods", _bods03(replacesStatements="ooc-0")))
    add(
        Case(
            "bods-03-share-string",
            "bods",
            _bods03(interests=[{"type": "shareholding", "share": {"exact": "half"}}]),
        )
    )
    add(
        Case(
            "bods-03-min-over-max",
            "bods",
            _bods03(interests=[{"type": "shareholding", "share": {"minimum": 60, "maximum": 40}}]),
        )
    )
    add(
        Case(
            "bods-03-start-date",
            "bods",
            _bods03(interests=[{"type": "shareholding", "startDate": "2020-02-30"}]),
        )
    )
    add(Case("bods-03-statement-type-number", "bods", _bods03(statementType=3)))
    add(Case("bods-03-id-number", "bods", _bods03(statementID=7)))
    add(Case("bods-03-valid", "bods", _bods03(), "loads"))
    add(Case("bods-utf16", "bods", {"s.json": json.dumps([BODS_ENTITY]).encode("utf-16")}))
    # -- GLEIF
    add(Case("gleif-broken-json", "gleif", {"g.json": b'[{"LEI": "x"'}))
    add(Case("gleif-deep-json", "gleif", {"g.json": b"[" * 100_000 + b"]" * 100_000}))
    add(Case("gleif-not-records", "gleif", {"g.json": b"[1, 2, 3]"}))
    add(Case("gleif-xml-folder", "gleif", {"lei2.xml": b"<LEIData></LEIData>"}))
    # -- ICIJ
    add(Case("icij-missing-columns", "icij", {"relationships.csv": b"a,b\n1,2\n"}))
    add(Case("icij-undecodable", "icij", _icij(entities=ICIJ_ENTITIES + b"2,\x81\x8d,,,X\n")))
    add(
        Case(
            "icij-bad-date",
            "icij",
            _icij(b"1,1,shareholder of,shareholder of,,32-Foo-2001,,Panama Papers\n"),
        )
    )
    add(
        Case(
            "icij-missing-node",
            "icij",
            _icij(b"1,999,shareholder of,shareholder of,,,,Panama Papers\n"),
        )
    )
    add(
        Case(
            "icij-relationships-folder",
            "icij",
            {"nodes-entities.csv": ICIJ_ENTITIES, "relationships.csv/x": b""},
        )
    )
    # -- the same hostile values through every other door
    for i, share in enumerate(BAD_SHARES):
        add(
            Case(
                f"yaml-share-{i}",
                "curated",
                _yaml(YAML_OK.replace("share: 0.5", f"share: {json.dumps(share)}")),
            )
        )
        add(
            Case(
                f"bods-share-{i}",
                "bods",
                _bods03(interests=[{"type": "shareholding", "share": {"exact": share}}]),
            )
        )
    for i, day in enumerate(BAD_DATES):
        add(Case(f"ftm-ownership-date-{i}", "ftm", _ftm_prop("startDate", [day], "Ownership")))
        add(Case(f"bods-03-statement-date-{i}", "bods", _bods03(statementDate=day)))
        add(
            Case(
                f"yaml-source-date-{i}",
                "curated",
                _yaml(YAML_OK.replace("date: 2020-01-01", f"date: {json.dumps(day)}")),
            )
        )
    for i, text in enumerate(INJECTIONS):
        add(
            Case(
                f"ftm-injected-schema-{i}",
                "ftm",
                _ftm({"id": "x", "schema": text, "properties": {}}),
            )
        )
        add(
            Case(
                f"yaml-injected-type-{i}",
                "curated",
                _yaml(YAML_OK.replace("type: OWNS", f"type: {json.dumps(text)}")),
            )
        )
        add(
            Case(
                f"yaml-injected-kind-{i}",
                "curated",
                _yaml(
                    "entities:\n- " + json.dumps({"id": f"k{i}", "kind": text, "name": "K"}) + "\n"
                ),
            )
        )
        add(Case(f"bods-03-injected-type-{i}", "bods", _bods03(statementType=text)))
    return out


CASES = _cases()


def bounded(fn: Callable[[], object], seconds: float = CASE_SECONDS) -> tuple[str, object]:
    """Run ``fn`` in a thread: ("ok", value), ("raised", exception) or ("hang", None)."""
    box: list[tuple[str, object]] = []

    def run() -> None:
        try:
            box.append(("ok", fn()))
        except BaseException as exc:  # noqa: BLE001 - reported to the caller
            box.append(("raised", exc))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    return box[0] if box else ("hang", None)


def write_case(case: Case, folder: Path) -> Path:
    """The case's files under ``folder``; returns the path to load."""
    for rel, data in case.files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder / case.entry if case.entry else folder


def ingest(engine: QueryEngine, path: Path, fmt: str) -> object:
    """Load like ``graphkit ingest`` does: stream, in batches, all-or-nothing each
    (``ftm-restore`` is ``graphkit ingest --format ftm --restore``)."""
    restore = fmt == "ftm-restore"
    return engine.ingest_stream(read_path(path, "ftm" if restore else fmt, restore=restore))


def problem(case: Case, outcome: tuple[str, object]) -> str | None:
    """What is wrong with a case's outcome, or None when it is as required."""
    kind, value = outcome
    if kind == "hang":
        return "hang"
    if case.expect == "loads":
        return None if kind == "ok" else f"did not load: {value!r}"[:300]
    if kind == "ok":
        return "accepted"
    if not isinstance(value, InvalidData):
        return f"crash: {type(value).__name__}: {value}"[:300]
    if not value.issues:
        return "InvalidData without issues"
    for issue in value.issues:
        if not issue.file and not issue.record:
            return f"issue without file or record: {issue}"
        if not issue.message:
            return f"issue without a message: {issue}"
    return None
