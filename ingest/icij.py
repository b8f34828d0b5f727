"""ICIJ Offshore Leaks database CSVs → raw records.

The published layout: ``nodes-entities.csv``, ``nodes-officers.csv``,
``nodes-intermediaries.csv``, ``nodes-addresses.csv`` keyed by ``node_id``, and
``relationships.csv`` (``node_id_start, node_id_end, rel_type, link, status, start_date,
end_date, sourceID``). Offshore entities and intermediaries become companies, officers
people (ICIJ does not tell people from companies among officers), addresses locations.
``officer_of`` links become stakes, control or positions by their ``link`` wording; links
that only say two nodes look alike (``same_as``, ``similar``…) are resolution hints, counted
as skipped rather than asserted as facts. Files are read row by row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from followthemoney.types import registry

from graphkit.errors import InvalidData, Issue
from graphkit.validate import RawRecord
from ingest import textfile
from ingest.report import LoadReport

DATABASE = "https://offshoreleaks.icij.org/"
NODE_FILES = {
    "nodes-entities.csv": ("Company", "entity"),
    "nodes-intermediaries.csv": ("Company", "intermediary"),
    "nodes-officers.csv": ("Person", "officer"),
    "nodes-addresses.csv": ("Location", "address"),
}
RESOLUTION_HINTS = {
    "same_as",
    "same_name_as",
    "similar",
    "same_company_as",
    "same_intermediary_as",
    "probably_same_officer_as",
    "same_id_as",
    "similar_company_as",
}
REQUIRED = (
    "node_id_start",
    "node_id_end",
    "rel_type",
    "link",
    "status",
    "start_date",
    "end_date",
    "sourceID",
)
ISO3 = {
    "NLD": "NL",
    "ESP": "ES",
    "PAN": "PA",
    "VGB": "VG",
    "SYC": "SC",
    "GBR": "GB",
    "USA": "US",
    "CHE": "CH",
    "CYP": "CY",
    "HKG": "HK",
    "CHN": "CN",
    "RUS": "RU",
    "LUX": "LU",
    "BEL": "BE",
    "DEU": "DE",
    "FRA": "FR",
    "ITA": "IT",
    "MLT": "MT",
    "SGP": "SG",
    "ARE": "AE",
    "JEY": "JE",
    "GGY": "GG",
    "IMN": "IM",
    "BHS": "BS",
    "CYM": "KY",
    "BMU": "BM",
    "MUS": "MU",
    "BLZ": "BZ",
    "SEY": "SC",
}


def _date(value: str) -> str | None:
    """ICIJ dates come as ``23-MAR-2006`` or ISO; returns ISO or raises ValueError."""
    value = value.strip()
    if not value:
        return None
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return value
    return datetime.strptime(value.title(), "%d-%b-%Y").date().isoformat()


def _link_type(rel_type: str, link: str) -> tuple[str, str] | None:
    """Our relationship type and role for an ICIJ link, or None for resolution hints."""
    text = link.lower()
    if rel_type in RESOLUTION_HINTS:
        return None
    if rel_type == "officer_of":
        if "shareholder" in text or "owner" in text and "beneficial" not in text:
            return "HOLDS_STAKE_IN", link
        if "beneficiar" in text or "beneficial" in text:
            return "CONTROLS", link
        return "HOLDS_POSITION", link
    if rel_type == "intermediary_of":
        return "SUPPLIES", link or "intermediary"
    if rel_type == "registered_address":
        return "LOCATED_IN", link or "registered address"
    return "ASSOCIATED_WITH", link or rel_type


def _country(row: dict[str, str]) -> str | None:
    """The first country code as ISO 3166-1 alpha-2: the built-in table first, then
    FollowTheMoney's country registry (every ISO code and common name)."""
    code = (row.get("country_codes") or "").split(";")[0].strip()
    if not code:
        return None
    found = ISO3.get(code) or registry.country.clean(code)
    return found.upper() if found and len(found) == 2 else None


def _clean(row: dict[str | None, Any]) -> dict[str, str]:
    """Short rows give None cells and long ones a None key: both become plain empty text."""
    return {k: v if isinstance(v, str) else "" for k, v in row.items() if k}


def _rows(file: Path) -> Iterator[tuple[int, dict[str, str]]]:
    for number, row in textfile.csv_rows(file):
        yield number, _clean(row)


def read_icij(path: Path, report: LoadReport | None = None) -> Iterator[RawRecord]:
    """Raw records from a folder of ICIJ Offshore Leaks CSVs.

    Raises:
        InvalidData: missing files or columns, bad dates — with file, line and field.
    """
    report = report or LoadReport()
    issues: list[Issue] = []
    if not (path / "relationships.csv").exists():
        raise InvalidData(
            [
                Issue(
                    str(path),
                    None,
                    None,
                    "expected an ICIJ folder with relationships.csv and nodes-*.csv",
                )
            ]
        )
    sources: set[str] = set()
    kinds: dict[str, str] = {}
    for filename, (kind, node_type) in NODE_FILES.items():
        file = path / filename
        if not file.exists():
            continue
        for number, row in _rows(file):
            report.read += 1
            node = (row.get("node_id") or "").strip()
            name = (row.get("name") or row.get("address") or "").strip()
            if not node or not name:
                issues.append(
                    Issue(
                        str(file),
                        None,
                        "node_id" if not node else "name",
                        "every node needs a node_id and a name",
                        number,
                    )
                )
                continue
            props: dict[str, Any] = {
                "icij_node_type": node_type,
                "icij_source": row.get("sourceID", ""),
            }
            # The codes as published are kept; the first becomes the entity's country.
            for col in ("country_codes", "countries"):
                if row.get(col):
                    props[f"icij_{col}"] = row[col]
            for col in ("jurisdiction_description", "company_type", "status", "service_provider"):
                if row.get(col):
                    props[col] = row[col]
            try:
                for col in ("incorporation_date", "inactivation_date", "struck_off_date"):
                    if row.get(col):
                        props[col] = _date(row[col])
            except ValueError:
                issues.append(
                    Issue(
                        str(file),
                        f"node {node}",
                        col,
                        f"expected a date like 23-MAR-2006, got {row[col]!r}",
                        number,
                    )
                )
                continue
            kinds[node] = kind
            original = (row.get("original_name") or "").strip()
            yield RawRecord(
                "entities",
                {
                    "id": f"icij:{node}",
                    "kind": kind,
                    "name": name,
                    "aliases": [original] if original and original != name else [],
                    "country": _country(row),
                    "identifiers": {"icij_node_id": node},
                    "properties": props,
                },
                str(file),
                number,
            )
    rel_file = path / "relationships.csv"
    missing = [c for c in REQUIRED if c not in textfile.header(rel_file)]
    if missing:
        raise InvalidData([Issue(str(rel_file), None, ", ".join(missing), "missing column(s)", 1)])
    for number, raw in textfile.csv_rows(rel_file):
        report.read += 1
        row = _clean(raw)
        mapped = _link_type(row["rel_type"], row["link"])
        if mapped is None:
            report.skipped[f"{row['rel_type']}: a resolution hint, not a fact"] += 1
            continue
        rtype, role = mapped
        try:
            since, until = _date(row["start_date"]), _date(row["end_date"])
        except ValueError as exc:
            issues.append(
                Issue(str(rel_file), f"line {number}", "start_date/end_date", str(exc), number)
            )
            continue
        start, end = row["node_id_start"].strip(), row["node_id_end"].strip()
        src = "icij:" + re.sub(r"[^A-Za-z0-9._-]+", "-", row["sourceID"] or "unknown")
        if src not in sources:
            sources.add(src)
            yield RawRecord(
                "sources",
                {
                    "id": src,
                    "title": f"ICIJ Offshore Leaks — {row['sourceID']}",
                    "publisher": "International Consortium of Investigative Journalists",
                    "url": DATABASE,
                    "kind": "leak",
                },
                str(rel_file),
                number,
            )
        yield RawRecord(
            "relationships",
            {
                "id": f"icij:{start}:{row['rel_type']}:{end}",
                "type": rtype,
                "source": f"icij:{start}",
                "target": f"icij:{end}",
                "role": role,
                "valid_from": since,
                "valid_to": until,
                "properties": {"icij_rel_type": row["rel_type"], "status": row["status"]},
                "evidence": [
                    {
                        "source": src,
                        "locator": f"relationships.csv line {number}",
                        "excerpt": ",".join(row[c] for c in REQUIRED),
                    }
                ],
            },
            str(rel_file),
            number,
        )
    if issues:
        raise InvalidData(issues)
