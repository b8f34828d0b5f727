"""What leaves the graph: ``viz``, ``export``, ``cite``, ``export-ftm``, ``export-neo4j``."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from graphkit.cite import page as citation_page
from graphkit.cli.options import (
    FILTERS,
    NAMED,
    STORE,
    Backend,
    BackendOpt,
    OtherArg,
    QueryArg,
    StoreOpt,
    app,
    err,
    guarded,
    named_query,
    open_engine,
    public_url,
    with_options,
)
from graphkit.export import MEDIA, ExportFormat, export_filename, render
from graphkit.model import Entity, Relationship, Source
from graphkit.named import NamedQuery

#: Where these commands are listed in ``graphkit --help``.
PANEL = "Exports and citations"


def _write_result(
    named: NamedQuery,
    output: Path,
    fmt: ExportFormat,
    backend: Backend | None,
    store: Path | None,
) -> None:
    """Run one query and write its result in a format (shared by ``viz`` and ``export``);
    the offline page carries the answer's citation beside the network."""
    with open_engine(backend, store) as eng:
        if fmt is ExportFormat.HTML:
            citation, result = eng.cite(named, base_url=public_url(eng.settings))
            body = render(result, fmt, aside=citation.html)
        else:
            body = render(eng.run(named), fmt)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(body)
    err.print(f"wrote {output}")


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS, NAMED, STORE)
def viz(
    query: QueryArg,
    entity: str,
    other: OtherArg = None,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="File to write: .html (offline page), .svg or .png."),
    ] = Path("graphkit.html"),
    **opts: Any,
) -> None:
    """Draw a query result: an offline HTML network with its cited text beside it (opens
    with no internet), or a still picture when the output ends in .svg or .png."""

    def go() -> None:
        named = named_query(query, entity, other, opts)
        suffix = output.suffix.lower().lstrip(".")
        fmt = ExportFormat(suffix) if suffix in ("svg", "png") else ExportFormat.HTML
        _write_result(named, output, fmt, opts["backend"], opts["store"])

    guarded(go)


@app.command("export", rich_help_panel=PANEL)
@with_options(FILTERS, NAMED, STORE)
def export_cmd(
    query: QueryArg,
    entity: str,
    other: OtherArg = None,
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.GEXF,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    **opts: Any,
) -> None:
    """Export a query result: GEXF/GraphML (Gephi, Cytoscape), CSV, JSON, HTML, PNG or SVG."""

    def go() -> None:
        named = named_query(query, entity, other, opts)
        target = output or Path(export_filename(query.value, entity, MEDIA[fmt][1]))
        _write_result(named, target, fmt, opts["backend"], opts["store"])

    guarded(go)


class CiteFormat(StrEnum):
    """How a citation is written."""

    md = "md"
    html = "html"
    json = "json"


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS, NAMED, STORE, defaults={"limit": 10})
def cite(
    query: QueryArg,
    entity: str,
    other: OtherArg = None,
    fmt: Annotated[
        CiteFormat,
        typer.Option("--format", help="md (Markdown), html (a page) or json."),
    ] = CiteFormat.md,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write.")] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url",
            help="Where readers reach the service, for the permalink "
            "(default: GRAPHKIT_PUBLIC_URL or http://HOST:PORT).",
        ),
    ] = None,
    **opts: Any,
) -> None:
    """An answer you can cite: text with numbered footnotes (document, date, address,
    excerpt, stance), the query, its days, the data version and a permalink pinning them."""

    def go() -> None:
        named = named_query(query, entity, other, opts)
        with open_engine(opts["backend"], opts["store"]) as eng:
            citation, _ = eng.cite(named, base_url=base_url or public_url(eng.settings))
        if fmt is CiteFormat.md:
            text = citation.markdown
        elif fmt is CiteFormat.html:
            text = citation_page(citation)
        else:
            text = citation.model_dump_json(indent=2) + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(text, encoding="utf-8")
            err.print(f"wrote {output}")

    guarded(go)


@app.command("export-ftm", rich_help_panel=PANEL)
def export_ftm(
    output: Annotated[Path, typer.Option("-o", "--output", help="FtM JSON-lines file.")],
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Export the whole store as FollowTheMoney entities (for Aleph); re-imports losslessly."""
    from graphkit.ftm_export import to_ftm

    def go() -> None:
        counts: Counter[str] = Counter()

        def counted(items: Iterable[Source | Entity | Relationship]) -> Iterator[Any]:
            for item in items:
                counts[type(item).__name__] += 1
                yield item

        output.parent.mkdir(parents=True, exist_ok=True)
        with open_engine(backend, store) as eng, output.open("w", encoding="utf-8") as handle:
            for record in to_ftm(counted(eng.records()), eng.kind_of):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        err.print(
            f"wrote {output}: {counts['Source']} documents, {counts['Entity']} "
            f"entities, {counts['Relationship']} relationships",
            markup=False,
        )

    guarded(go)


@app.command("export-neo4j", rich_help_panel=PANEL)
def export_neo4j(
    folder: Annotated[Path, typer.Argument(help="Folder for the importer's CSV files.")],
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Write the whole store as files for Neo4j's offline bulk importer (a first load of
    millions of relationships); `scripts/neo4j-local import FOLDER` runs the importer."""

    def go() -> None:
        with open_engine(backend, store) as eng:
            files = eng.export_neo4j(folder)
        for name, count in files.counts.items():
            err.print(f"{count:>12,} rows  {folder / name}", markup=False)
        err.print(
            f"next: scripts/neo4j-local import {folder}  (replaces that server's database)",
            markup=False,
        )

    guarded(go)
