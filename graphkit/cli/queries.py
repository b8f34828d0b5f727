"""The questions: ``reach``, ``exposure``, ``paths``, ``search``, ``show``, ``asset`` and
read-only ``cypher``."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from graphkit.cli import render
from graphkit.cli.options import (
    FILTERS,
    JSON,
    RANKED,
    SEARCH,
    STORE,
    BackendOpt,
    JsonOpt,
    KindsOpt,
    LimitOpt,
    OffsetOpt,
    StoreOpt,
    app,
    emit_json,
    err,
    filter_fields,
    guarded,
    open_engine,
    out,
    respond,
    with_options,
)
from graphkit.cli.render import (
    path_flags,
    print_empty,
    print_left_out,
    print_path,
    print_ranked,
)
from graphkit.errors import (
    NoPath,
)
from graphkit.export import spreadsheet_safe
from graphkit.query import (
    AssetRequest,
    CypherRequest,
    ExposureRequest,
    ExposureResult,
    NeighbourhoodRequest,
    PathsRequest,
    ReachRequest,
    ReachResult,
    SearchRequest,
)

#: Where these commands are listed in ``graphkit --help``.
PANEL = "Questions"


def _ranked(kind: type[ReachRequest] | type[ExposureRequest], opts: Mapping[str, Any]) -> None:
    """``reach`` and ``exposure``: the same options, one end named by the command."""

    def go() -> None:
        end = "target" if kind is ReachRequest else "source"
        req = kind(
            **{end: opts[end]},
            max_depth=opts["max_depth"],
            min_strength=opts["min_strength"],
            kinds=opts["kinds"] or None,
            pattern=opts["pattern"],
            limit=opts["limit"],
            offset=opts["offset"],
            **filter_fields(opts),
        )
        with open_engine(opts["backend"], opts["store"]) as eng:
            if isinstance(req, ReachRequest):
                reached = eng.reach(req)
                heading = f"Who can reach {reached.target.name}"
                result: ReachResult | ExposureResult = reached
            else:
                exposed = eng.exposure(req)
                heading = f"What {exposed.source.name} can reach"
                result = exposed
        if opts["as_json"]:
            emit_json(result)
        else:
            print_ranked(result, heading)

    guarded(go)


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS, SEARCH, RANKED, STORE, JSON)
def reach(target: str, **opts: Any) -> None:
    """Who can reach TARGET: actors ranked by their strongest influence path."""
    _ranked(ReachRequest, {"target": target, **opts})


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS, SEARCH, RANKED, STORE, JSON)
def exposure(source: str, **opts: Any) -> None:
    """What SOURCE can reach, ranked by strongest path."""
    _ranked(ExposureRequest, {"source": source, **opts})


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS, SEARCH, STORE, JSON)
def paths(
    source: str,
    target: str,
    k: Annotated[int, typer.Option("--k")] = 5,
    **opts: Any,
) -> None:
    """The K strongest distinct paths from SOURCE to TARGET."""

    def go() -> None:
        req = PathsRequest(
            source=source,
            target=target,
            k=k,
            max_depth=opts["max_depth"],
            min_strength=opts["min_strength"],
            pattern=opts["pattern"],
            **filter_fields(opts),
        )
        with open_engine(opts["backend"], opts["store"]) as eng:
            result = eng.paths(req)
        if opts["as_json"]:
            emit_json(result)  # the answer (with why it is empty), then the exit code
            if not result.paths:
                raise NoPath(f"no influence path from {source!r} to {target!r}")
            return
        out.print(
            f"\n[bold]Paths from {escape(result.source.name)} to "
            f"{escape(result.target.name)}[/] — as of {result.as_of} — "
            f"{len(result.paths)} path(s)",
            highlight=False,
        )
        for i, path in enumerate(result.paths, 1):
            out.print(
                f"  [bold]{i}.[/] strength {path.strength:.3f}, {path.length} hop(s) "
                f"{path_flags(path)}",
                highlight=False,
            )
            print_path(path)
        print_left_out(result.undated_left_out, "more path(s)")
        print_empty(result.empty)
        if not result.paths:
            raise NoPath(f"no influence path from {source!r} to {target!r} under these filters")

    guarded(go)


@app.command(rich_help_panel=PANEL)
def search(
    text: str,
    kinds: KindsOpt = None,
    limit: LimitOpt = 20,
    offset: OffsetOpt = 0,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Find entities by name or alias (case, accents and script ignored)."""

    def go() -> None:
        req = SearchRequest(text=text, kinds=kinds or None, limit=limit, offset=offset)
        with open_engine(backend, store) as eng:
            result = eng.search(req)
        if as_json:
            emit_json(result)
            return
        table = Table(title=escape(f"{result.total} match(es) for {text!r}"))
        # Ids are what the next command needs: never cut or wrapped; the rest may wrap.
        widest = max((len(h.entity.id) for h in result.items), default=2)
        table.add_column("id", no_wrap=True, min_width=min(widest, 64))
        for col in ("name", "kind", "score"):
            table.add_column(col)
        for hit in result.items:
            e = hit.entity
            name = escape(e.name)
            if hit.matched != e.name:
                name += f" [dim](matched {escape(hit.matched)})[/]"
            table.add_row(
                escape(e.id),
                name,
                e.kind.value + (f", {e.country}" if e.country else ""),
                f"{hit.score:.2f}",
            )
        out.print(table)

    guarded(go)


class CypherFormat(StrEnum):
    """How `graphkit cypher` prints its rows."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def _param(text: str) -> tuple[str, Any]:
    """``name=value``; the value read as JSON when it parses (numbers, true, lists), else text."""
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise typer.BadParameter(f"{text!r}: expected name=value", param_hint="--param")
    try:
        return name, json.loads(raw)
    except ValueError:
        return name, raw


@app.command(rich_help_panel=PANEL)
def cypher(
    query: Annotated[str, typer.Argument(help="One read-only Cypher statement.")],
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", help="name=value for $name (JSON values allowed)."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="Most rows.")] = 1000,
    fmt: Annotated[CypherFormat, typer.Option("--format")] = CypherFormat.TABLE,
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Read-only Cypher for researchers (Neo4j backend): values as $parameters, run in a read
    transaction under the time budget and a row cap; LOAD CSV, writes and procedures other
    than the schema ones are refused."""

    def go() -> None:
        params = dict(_param(p) for p in param or [])
        req = CypherRequest(query=query, params=params, limit=limit)
        with open_engine(backend, store) as eng:
            res = eng.cypher(req)
        if fmt is CypherFormat.JSON:
            emit_json(res)
        elif fmt is CypherFormat.CSV:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(res.columns)
            for row in res.rows:
                writer.writerow(
                    spreadsheet_safe(v if isinstance(v, str) else json.dumps(v)) for v in row
                )
        else:
            table = Table(
                title=f"{len(res.rows)} row(s)" + (" (truncated)" if res.truncated else "")
            )
            for col in res.columns:
                table.add_column(escape(col), overflow="fold")
            for row in res.rows:
                table.add_row(*(escape(v if isinstance(v, str) else json.dumps(v)) for v in row))
            out.print(table)
        if res.truncated:
            err.print(f"more rows matched than --limit {limit}; raise it or narrow the query")

    guarded(go)


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:1], STORE, JSON)
def show(
    entity: str,
    **opts: Any,
) -> None:
    """An entity with every relationship it has (bans and warnings included)."""

    def go() -> None:
        with open_engine(opts["backend"], opts["store"]) as eng:
            detail = eng.entity(entity)
            hood = eng.neighbourhood(NeighbourhoodRequest(entity=entity, as_of=opts["as_of"]))
        if opts["as_json"]:  # one JSON document: the entity, and its neighbourhood on the day
            both = {
                "entity": detail.model_dump(mode="json"),
                "neighbourhood": hood.model_dump(mode="json"),
            }
            sys.stdout.write(json.dumps(both, indent=2, ensure_ascii=False) + "\n")
            return
        e = detail.entity
        out.print(
            f"\n[bold]{escape(e.name)}[/] ({escape(e.id)}) — {e.kind.value}"
            + (f", {e.country}" if e.country else "")
            + (" — not named in the sources" if e.unnamed else ""),
            highlight=False,
        )
        if detail.aliases:
            out.print(f"  aliases: {', '.join(detail.aliases)}", highlight=False, markup=False)
        if detail.description:
            out.print(f"  {detail.description}", highlight=False, markup=False)
        out.print(f"  {detail.relationship_count} relationship(s):")
        for hop in hood.relationships:
            state = "" if hop.active else " [dim](not in force on the as-of date)[/]"
            out.print(f"   - {escape(hop.explanation)}{state}", highlight=False)

    guarded(go)


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:5], STORE, JSON)
def asset(
    entity: str,
    depth: Annotated[int, typer.Option("--depth", help="Hops around the asset (1–3).")] = 2,
    limit: Annotated[int, typer.Option("--limit", help="Most relationships.")] = 300,
    **opts: Any,
) -> None:
    """Everything around one asset (port, terminal, platform, data), grouped by role:
    owners and stakes, operators, agreements, data flows, suppliers, laws, counter-measures."""

    respond(
        opts,
        lambda eng: eng.asset(
            AssetRequest(entity=entity, depth=depth, limit=limit, **filter_fields(opts))
        ),
        lambda result: render.asset(result, limit),
    )
