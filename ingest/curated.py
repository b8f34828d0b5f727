"""The curated format: human-edited YAML files holding ``sources``, ``entities`` and
``relationships`` lists — readable in a git diff, with excerpts in any script.

Machine-made data (a scraper's output, the benchmark's synthetic graphs) may use the same
records as JSON lines, one ``{"entities": {...}}`` per line, which stream at any size.
A folder is read recursively in name order; every record remembers its file and line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import orjson
import yaml

from graphkit.errors import InvalidData, Issue
from graphkit.validate import RawRecord, Section
from ingest import textfile
from ingest.report import LoadReport

SECTIONS: tuple[Section, ...] = ("sources", "entities", "relationships")


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on."""

    line: int = 0


#: Deepest nesting a curated file may have (records are two or three levels deep).
MAX_DEPTH = 32
#: Most values a file may expand to once aliases are followed (an alias bomb is not data).
MAX_VALUES = 2_000_000


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records the line of every mapping, reads dates as text (our
    own parser checks them, so ``2021-02-30`` is a clear error, not a crash), and refuses
    deep nesting and aliases that expand past :data:`MAX_VALUES` values."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._depth = getattr(self, "_depth", 0) + 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested deeper than {MAX_DEPTH} levels",
                    cast(Any, self).peek_event().start_mark,  # untyped in the stubs
                )
            node: Any = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if getattr(node, "expanded", None) is None:
            if isinstance(node, yaml.SequenceNode):
                size = 1 + sum(child.expanded for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                size = 1 + sum(k.expanded + v.expanded for k, v in node.value)
            else:
                size = 1
            if size > MAX_VALUES:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"expands to more than {MAX_VALUES:,} values once aliases are followed",
                    node.start_mark,
                )
            node.expanded = size
        return node


# Dates and times stay text: remove the implicit timestamp resolver.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict(loader.construct_pairs(node, deep=True))
    out.line = node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


#: Suffixes of curated data files: YAML documents, and JSON lines of single records.
SUFFIXES = (".yaml", ".yml", ".jsonl")

#: Files a curated folder may hold beside its YAML (notes for the people editing it).
COMPANIONS = (".md", ".txt", ".rst")


def _files(path: Path, report: LoadReport | None = None) -> list[Path]:
    if path.is_dir():
        files = [p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")]
        found = sorted(p for p in files if p.suffix in SUFFIXES)
        strangers = sorted(p for p in files if p.suffix not in (*SUFFIXES, *COMPANIONS))
        if strangers and found and report is not None and report.allow_unknown:
            for p in strangers:
                report.skipped[f"file not read (not curated YAML): {p.name}"] += 1
        elif strangers or not found:
            what = (
                f"files that are not curated YAML: {', '.join(p.name for p in strangers[:5])}"
                if strangers
                else "no .yaml, .yml or .jsonl file"
            )
            raise InvalidData(
                [
                    Issue(
                        file=str(strangers[0] if strangers else path),
                        record=None,
                        field=None,
                        message=f"{what}; pass --format for another format, or move them out",
                        line=1 if strangers else None,
                    )
                ]
            )
        return found
    if not path.exists():
        raise InvalidData(
            [Issue(file=str(path), record=None, field=None, message="no such file or folder")]
        )
    return [path]


def read_curated(path: Path, report: LoadReport | None = None) -> Iterator[RawRecord]:
    """Records of one curated YAML file or a folder of them.

    Raises:
        InvalidData: a file is not YAML, or not a mapping of the three known sections.
    """
    for file in _files(path, report):
        name = str(file)
        if file.suffix == ".jsonl":
            yield from _json_lines(file)
            continue
        try:
            doc = yaml.load("".join(textfile.lines(file)), Loader=_LineLoader)  # noqa: S506
        except yaml.MarkedYAMLError as exc:
            line = exc.problem_mark.line + 1 if exc.problem_mark else None
            raise InvalidData(
                [
                    Issue(
                        file=name,
                        line=line,
                        record=None,
                        field=None,
                        message=f"not valid YAML: {exc.problem}",
                    )
                ]
            ) from exc
        except textfile.Undecodable as exc:
            raise InvalidData([exc.issue()]) from None
        except RecursionError:
            raise InvalidData(
                [Issue(file=name, record=None, field=None, message="nested too deep")]
            ) from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise InvalidData(
                [Issue(file=name, record=None, field=None, message=f"cannot read: {exc}")]
            ) from exc
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise InvalidData(
                [
                    Issue(
                        file=name,
                        line=1,
                        record=None,
                        field=None,
                        message=f"expected a mapping with keys {', '.join(SECTIONS)}",
                    )
                ]
            )
        unknown = set(doc) - set(SECTIONS)
        if unknown:
            raise InvalidData(
                [
                    Issue(
                        file=name,
                        line=getattr(doc, "line", None),
                        record=None,
                        field=", ".join(sorted(map(str, unknown))),
                        message=f"unknown section; expected {', '.join(SECTIONS)}",
                    )
                ]
            )
        for section in SECTIONS:
            items = doc.get(section) or []
            if not isinstance(items, list):
                raise InvalidData(
                    [
                        Issue(
                            file=name,
                            line=getattr(doc, "line", None),
                            record=None,
                            field=section,
                            message="expected a list of records",
                        )
                    ]
                )
            for index, item in enumerate(items):
                if not isinstance(item, dict):
                    raise InvalidData(
                        [
                            Issue(
                                file=name,
                                line=getattr(items, "line", None) or getattr(doc, "line", None),
                                record=f"{section} #{index + 1}",
                                field=section,
                                message=f"expected a record (a mapping of fields), got "
                                f"{type(item).__name__} {str(item)[:60]!r}",
                            )
                        ]
                    )
                yield RawRecord(
                    section=section,
                    data=cast(dict[str, Any], item),
                    file=name,
                    line=getattr(item, "line", None),
                    index=index,
                )


def is_record_line(value: Any) -> bool:
    """``{"entities": {...}}``: one section name holding one record (a curated JSON line)."""
    return (
        isinstance(value, dict)
        and len(value) == 1
        and next(iter(value)) in SECTIONS
        and isinstance(next(iter(value.values())), dict)
    )


_INT64 = 2**63


def _loads(text: str) -> Any:
    """One line, as ``json.loads`` reads it, at orjson's speed (a first load of a large file
    spent a tenth of its time parsing).

    orjson refuses NaN, infinities and lone surrogates, which ``json`` accepts (validation
    then says what is wrong with them): such a line goes to ``json``, which also raises the
    error of a line that is not JSON, and so does a line that is not a record. orjson reads
    an integer past 64 bits as a float, so a record with such a float among its fields or
    its properties is read again by ``json`` (a 30-digit property keeps its "outside the
    64-bit range" error). Numbers nested deeper (in evidence, aliases) are refused either
    way, only the value quoted in the error could differ.
    """
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
    if not is_record_line(value):
        return json.loads(text)  # refused below; its error quotes what ``json`` read
    record = next(iter(value.values()))
    props = record.get("properties")
    fields = [*record.values(), *props.values()] if isinstance(props, dict) else record.values()
    if [v for v in fields if type(v) is float and not -_INT64 < v < _INT64]:
        return json.loads(text)
    return value


def _json_lines(file: Path) -> Iterator[RawRecord]:
    """Records of a curated JSON-lines file: each line one ``{section: record}`` object.

    Raises:
        InvalidData: every line that is not such an object, with its line number. Records
            stream as they are read; the batch writer downstream is all-or-nothing, so a bad
            line stops the load at its batch, and the file is read on to list every mistake.
    """
    name = str(file)
    issues: list[Issue] = []
    counts = dict.fromkeys(SECTIONS, 0)
    try:
        for number, text in enumerate(textfile.lines(file), 1):
            if not text.strip():
                continue
            try:
                value = _loads(text)
            except json.JSONDecodeError as exc:
                issues.append(Issue(name, None, None, f"not valid JSON: {exc.msg}", number))
                continue
            except RecursionError:
                issues.append(Issue(name, None, None, "not valid JSON: nested too deep", number))
                continue
            if is_record_line(value):
                section = cast(Section, next(iter(value)))
                if not issues:  # after a mistake, only more mistakes are looked for
                    yield RawRecord(section, value[section], name, number, counts[section])
                counts[section] += 1
                continue
            got = (
                f"keys {', '.join(sorted(map(str, value))[:5])}"
                if isinstance(value, dict)
                else type(value).__name__
            )
            message = f"expected one object per line with one key ({', '.join(SECTIONS)}) "
            issues.append(Issue(name, None, None, f"{message}holding a record, got {got}", number))
    except textfile.Undecodable as exc:
        issues.append(exc.issue())
    if issues:
        raise InvalidData(issues)
