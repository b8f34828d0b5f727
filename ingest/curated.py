"""The curated format: human-edited YAML files holding ``sources``, ``entities`` and
``relationships`` lists — readable in a git diff, with excerpts in any script.

A folder is read recursively in name order; every record remembers its file and line.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import yaml

from graphkit.errors import InvalidData, Issue
from graphkit.validate import RawRecord, Section

SECTIONS: tuple[Section, ...] = ("sources", "entities", "relationships")


class _LineDict(dict[str, Any]):
    """A mapping that remembers the line it started on."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader that records the line of every mapping."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict(loader.construct_pairs(node, deep=True))
    out.line = node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
    if not path.exists():
        raise InvalidData(
            [Issue(file=str(path), record=None, field=None, message="no such file or folder")]
        )
    return [path]


def read_curated(path: Path) -> Iterator[RawRecord]:
    """Records of one curated YAML file or a folder of them.

    Raises:
        InvalidData: a file is not YAML, or not a mapping of the three known sections.
    """
    for file in _files(path):
        name = str(file)
        try:
            doc = yaml.load(file.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
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
                yield RawRecord(
                    section=section,
                    data=cast(dict[str, Any], item),
                    file=name,
                    line=getattr(item, "line", None),
                    index=index,
                )
