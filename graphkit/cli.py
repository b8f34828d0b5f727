"""``graphkit`` command line: human tables by default, ``--json`` for scripts.

Exit codes scripts can rely on: 0 ok, 1 unexpected error, 2 usage, 3 not found,
4 invalid data, 5 bound exceeded, 6 backend unavailable.
"""

from __future__ import annotations

import codecs
import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphkit.batching import BATCH_RECORDS
from graphkit.cite import page as citation_page
from graphkit.engine import QueryEngine
from graphkit.errors import (
    BackendUnavailable,
    BoundExceeded,
    EntityNotFound,
    GraphkitError,
    InvalidData,
    InvalidQuery,
    NoPath,
    SourceNotFound,
)
from graphkit.export import MEDIA, ExportFormat, export_filename, render, spreadsheet_safe
from graphkit.named import NamedQuery, QueryName
from graphkit.profiles import DEFAULT, Profile, ProfileSet, read_profile
from graphkit.query import (
    AssetRequest,
    BrokersRequest,
    CentralityRequest,
    ControlRequest,
    CypherRequest,
    DiffQuery,
    DiffRequest,
    EmptyAnswer,
    ExposureRequest,
    ExposureResult,
    Hop,
    NeighbourhoodRequest,
    OwnersRequest,
    PathsRequest,
    ReachRequest,
    ReachResult,
    SearchRequest,
)
from graphkit.query import (
    Path as ResultPath,
)
from graphkit.schema import RELATIONSHIPS, EntityKind, RelType, fingerprint, schema_table
from graphkit.settings import Settings
from graphkit.store import open_store
from graphkit.validate import RawRecord

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Ownership and influence graph: who can reach what, with evidence.",
)
out = Console(soft_wrap=False)
err = Console(stderr=True)

EXIT_CODES: dict[type[GraphkitError], int] = {
    EntityNotFound: 3,
    SourceNotFound: 3,
    NoPath: 3,
    InvalidData: 4,
    InvalidQuery: 2,
    BoundExceeded: 5,
    BackendUnavailable: 6,
}


class Backend(StrEnum):
    """Storage backend choices."""

    embedded = "embedded"
    neo4j = "neo4j"


BackendOpt = Annotated[
    Backend | None,
    typer.Option("--backend", help="Storage backend (default: GRAPHKIT_BACKEND or embedded)."),
]
StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Embedded store file (default: GRAPHKIT_STORE or ./graphkit.db)."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", help="Day to ask about: YYYY, YYYY-MM, YYYY-MM-DD or today (the default)."
    ),
]
KnownByOpt = Annotated[
    str | None,
    typer.Option("--known-by", help="Use only what sources dated on or before this day had said."),
]
UndatedOpt = Annotated[
    bool,
    typer.Option(
        "--include-undated",
        help="With --known-by: also use sources that carry no date (left out by default).",
    ),
]
RestoreOpt = Annotated[
    bool,
    typer.Option(
        "--restore",
        help="The FtM file is graphkit's own export-ftm output: restore every record exactly "
        "from its graphkit note (without it, notes are plain data).",
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of the files (e.g. latin-1, cp1250); default: detected "
        "(UTF-8, UTF-16 with its mark, or Excel's cp1252).",
    ),
]
AllowUnknownOpt = Annotated[
    bool,
    typer.Option(
        "--allow-unknown",
        help="Files of other formats in the folder are listed as skipped instead of refused.",
    ),
]
DepthOpt = Annotated[int, typer.Option("--max-depth", help="Most hops on a path.")]
MinStrengthOpt = Annotated[float, typer.Option("--min-strength", help="Drop weaker paths.")]
TypesOpt = Annotated[
    list[str] | None, typer.Option("--type", help="Only this relationship type (repeatable).")
]
ConfOpt = Annotated[
    str | None,
    typer.Option("--min-confidence", help="confirmed, reported, alleged or a number in (0, 1]."),
]
KindsOpt = Annotated[
    list[str] | None, typer.Option("--kind", help="Only results of this kind (repeatable).")
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        help="Rank with an influence profile: a name (graphkit profiles) or a YAML file.",
    ),
]
PatternOpt = Annotated[
    str | None,
    typer.Option(
        "--pattern",
        help="Only paths of this shape, e.g. '(StateBody) -[OWNS|CONTROLS]->+ (Company) "
        "-[HAS_ACCESS_TO]-> (DataAsset)' (README: path patterns).",
    ),
]
LimitOpt = Annotated[int, typer.Option("--limit", help="Results per page.")]
OffsetOpt = Annotated[int, typer.Option("--offset", help="Skip this many results.")]


def _settings(
    backend: Backend | None, store: Path | None, time_budget: float | None = None
) -> Settings:
    overrides: dict[str, Any] = {}
    if time_budget is not None:
        overrides["time_budget"] = time_budget
    if backend is not None:
        overrides["backend"] = backend.value
    if store is not None:
        overrides["store"] = store
    return Settings(**overrides)


@contextmanager
def _engine(
    backend: Backend | None, store: Path | None, time_budget: float | None = None
) -> Iterator[QueryEngine]:
    settings = _settings(backend, store, time_budget)
    with open_store(settings) as st:
        eng = QueryEngine(st, settings)
        for profile in _FILE_PROFILES:
            eng.profiles.add(profile)
        yield eng


#: Profiles read from files named by --profile in this run (the engine learns them by name).
_FILE_PROFILES: list[Profile] = []


def _profile(value: str | None) -> str | None:
    """A --profile value as a profile name: a YAML file is read (and checked) now."""
    if value is None:
        return None
    path = Path(value)
    if path.suffix.lower() in (".yaml", ".yml") or path.is_file():
        profile = read_profile(path)
        _FILE_PROFILES.append(profile)
        return profile.name
    return value


#: Request fields filled from a repeatable option, by the option's name.
_LIST_OPTIONS = {"kinds": "kind", "types": "type", "target_kinds": "target-kind"}


def _fail(exc: BaseException) -> None:
    if isinstance(exc, ValidationError):
        err.print("[bold red]Invalid request:[/]")
        for e in exc.errors():
            # A list option's item reads as the option (kinds.0 → --kind), not its index.
            loc = ".".join(str(p) for p in e["loc"] if not isinstance(p, int))
            option = _LIST_OPTIONS.get(loc, loc.replace("_", "-"))
            err.print(f"  --{option}: {e['msg']}")
        raise typer.Exit(2)
    assert isinstance(exc, GraphkitError)
    code = next((c for cls, c in EXIT_CODES.items() if isinstance(exc, cls)), 1)
    err.print(f"[bold red]{type(exc).__name__}:[/] {escape(str(exc))}", highlight=False)
    raise typer.Exit(code)


def _run(fn: Callable[[], None]) -> None:
    try:
        fn()
    except (GraphkitError, ValidationError) as exc:
        _fail(exc)


def _emit_json(model: BaseModel) -> None:
    sys.stdout.write(model.model_dump_json(indent=2) + "\n")


def _filters(
    as_of: str | None,
    known_by: str | None,
    types: list[str] | None,
    min_confidence: str | None,
    include_undated: bool = False,
    profile: str | None = None,
) -> dict[str, Any]:
    conf: Any = min_confidence
    if min_confidence is not None:
        try:
            conf = float(min_confidence)
        except ValueError:
            conf = min_confidence
    return {
        "as_of": as_of,
        "known_by": known_by,
        "include_undated": include_undated,
        "types": types or None,
        "min_confidence": conf,
        "profile": _profile(profile),
    }


def _flags(path: ResultPath) -> str:
    return " ".join(f for f, on in (("disputed", path.disputed), ("undated", path.undated)) if on)


def _print_path(path: ResultPath) -> None:
    for i, hop in enumerate(path.hops, 1):
        out.print(f"     {i}. {hop.explanation}", highlight=False, markup=False)
        _print_evidence(hop, "        ")


def _print_evidence(hop: Hop, indent: str) -> None:
    """Each source of a hop: stance, document, date, address and the excerpt."""
    for ev in hop.evidence:
        mark = "✗" if ev.stance == "disputes" else "•"
        where = f" {ev.url}" if ev.url else ""
        excerpt = ev.excerpt if len(ev.excerpt) <= 160 else ev.excerpt[:157] + "…"
        out.print(
            f"{indent}{mark} [{ev.stance}] {ev.title} ({ev.date or 'undated'}){where}",
            highlight=False,
            style="dim",
            markup=False,
        )
        out.print(f"{indent}  “{excerpt}”", highlight=False, style="dim italic", markup=False)
        if ev.note:
            out.print(f"{indent}  note: {ev.note}", highlight=False, style="dim", markup=False)


def _print_ranked(result: ReachResult | ExposureResult, heading: str) -> None:
    out.print(
        f"\n[bold]{escape(heading)}[/] — as of {result.as_of}"
        + (f", known by {result.known_by}" if result.known_by else "")
        + f" — {result.total} result(s)",
        highlight=False,
    )
    table = Table(show_lines=False)
    for col in ("#", "entity", "kind", "strength", "hops", "flags"):
        table.add_column(col, justify="right" if col in ("#", "strength", "hops") else "left")
    for item in result.items:
        table.add_row(
            str(item.rank),
            escape(item.entity.name),
            item.entity.kind.value,
            f"{item.strength:.3f}",
            str(item.hops),
            _flags(item.path),
        )
    out.print(table)
    for item in result.items:
        out.print(
            f"  [bold]{item.rank}. {escape(item.entity.name)}[/] "
            f"({escape(item.entity.id)}) — strength {item.strength:.3f}",
            highlight=False,
        )
        _print_path(item.path)
    if result.offset + len(result.items) < result.total:
        out.print(f"  … more: --offset {result.offset + len(result.items)}", style="dim")
    _print_left_out(result.undated_left_out, "result(s)")
    _print_empty(result.empty)


def _print_empty(empty: EmptyAnswer | None) -> None:
    """Why nothing was found: the filters that cut the answer, what the data says at the ends."""
    if empty is None:
        return
    out.print("[bold]Why nothing was found:[/]", highlight=False)
    for reason in empty.reasons:
        out.print(f"  - {escape(reason)}", highlight=False)


def _print_left_out(count: int, what: str) -> None:
    if count:
        out.print(
            f"  {count} more {what} left out: reached only through relationships whose sources "
            "carry no date (--include-undated to use them).",
            style="dim",
            highlight=False,
        )


# ----------------------------------------------------------------------------- commands


def _detected(path: Path, fmt: str) -> str:
    from ingest import FORMATS, detect

    if fmt not in FORMATS:
        raise InvalidQuery(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}", "format")
    try:
        return detect(path) if fmt == "auto" and path.exists() else fmt
    except ValueError as exc:
        raise InvalidQuery(str(exc), "format") from exc


def _counted(records: Iterable[RawRecord], progress: Progress, task: TaskID) -> Iterator[RawRecord]:
    """The records, passed through one at a time while the progress line counts them."""
    for n, rec in enumerate(records, 1):
        if n % 1000 == 0:
            progress.update(task, completed=n, description=f"read {n:,} records")
        yield rec


@app.command()
def load(
    path: Path,
    fmt: Annotated[str, typer.Option("--format")] = "auto",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only.")] = False,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Records per all-or-nothing batch.")
    ] = BATCH_RECORDS,
    restore: RestoreOpt = False,
    allow_unknown: AllowUnknownOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Load a file or folder, streamed in all-or-nothing batches (see ``ingest``)."""

    def go() -> None:
        from ingest import read_path, textfile
        from ingest.report import LoadReport

        report = LoadReport(allow_unknown=allow_unknown)
        detected = _detected(path, fmt)
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError as exc:
                raise InvalidQuery(f"unknown encoding {encoding!r}", "encoding") from exc
        target = store
        settings = _settings(backend, store)
        if dry_run and settings.backend == "embedded" and not settings.store.exists():
            target = Path(":memory:")  # no store to check against, and none to create
        with (
            textfile.declared(encoding),
            _engine(backend, target) as eng,
            Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            ) as progress,
        ):
            task = progress.add_task(f"reading {path}", total=None)
            records = _counted(read_path(path, detected, report, restore), progress, task)
            if dry_run:  # checked against what the store holds, and nothing is written
                counts = eng.check_stream(records, batch_size)
                summary = None
            else:
                batches = progress.add_task("writing", total=None)
                summary = eng.ingest_stream(
                    records,
                    batch_size,
                    on_batch=lambda _s: progress.update(
                        batches,
                        advance=1,
                        description=f"wrote {progress.tasks[batches].completed + 1:.0f} batch(es)",
                    ),
                )
        if summary is None:
            err.print(
                f"valid: {counts['sources']} sources, {counts['entities']} entities, "
                f"{counts['relationships']} relationships (nothing written)"
            )
            return
        summary = summary.model_copy(update={"skipped": dict(report.skipped)})
        if as_json:
            _emit_json(summary)
            return
        table = Table(title=escape(f"Loaded {path}"))
        table.add_column("records")
        for col in ("created", "updated", "unchanged"):
            table.add_column(col, justify="right")
        for kind in ("sources", "entities", "relationships"):
            table.add_row(
                kind,
                *(
                    str(getattr(summary, c).get(kind, 0))
                    for c in ("created", "updated", "unchanged")
                ),
            )
        out.print(table)
        for reason, count in sorted(summary.skipped.items()):
            err.print(f"skipped {count}: {reason}", markup=False)
        for note in summary.merged:
            err.print(f"merged: {note}", markup=False)

    _run(go)


@app.command()
def ingest(
    path: Path,
    fmt: Annotated[
        str, typer.Option("--format", help="auto, curated, csv, ftm, bods, gleif or icij.")
    ] = "auto",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate only.")] = False,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Records per all-or-nothing batch.")
    ] = BATCH_RECORDS,
    restore: RestoreOpt = False,
    allow_unknown: AllowUnknownOpt = False,
    encoding: EncodingOpt = None,
) -> None:
    """Ingest a file or folder (curated YAML/CSV, FollowTheMoney, BODS, GLEIF, ICIJ), streamed
    in all-or-nothing batches; relationships that refer to entities defined further on wait
    until those are known, and a refused batch names file, line and field."""
    load(
        path,
        fmt=fmt,
        dry_run=dry_run,
        backend=backend,
        store=store,
        as_json=as_json,
        batch_size=batch_size,
        restore=restore,
        allow_unknown=allow_unknown,
        encoding=encoding,
    )


@app.command()
def template(folder: Path) -> None:
    """Write empty curated CSVs (entities, relationships, sources) with an example row each."""
    from ingest.csvformat import write_template

    for path in write_template(folder):
        err.print(f"wrote {path}")


@app.command()
def validate(path: Path, fmt: Annotated[str, typer.Option("--format")] = "auto") -> None:
    """Check a file or folder against the schema without writing anything."""
    load(path, fmt=fmt, dry_run=True)


@app.command()
def reach(
    target: str,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    max_depth: DepthOpt = 6,
    min_strength: MinStrengthOpt = 0.0,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    kinds: KindsOpt = None,
    pattern: PatternOpt = None,
    profile: ProfileOpt = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Who can reach TARGET: actors ranked by their strongest influence path."""

    def go() -> None:
        req = ReachRequest(
            target=target,
            max_depth=max_depth,
            min_strength=min_strength,
            kinds=kinds or None,
            pattern=pattern,
            limit=limit,
            offset=offset,
            **_filters(as_of, known_by, types, min_confidence, include_undated, profile),
        )
        with _engine(backend, store) as eng:
            result = eng.reach(req)
        if as_json:
            _emit_json(result)
        else:
            _print_ranked(result, f"Who can reach {result.target.name}")

    _run(go)


@app.command()
def exposure(
    source: str,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    max_depth: DepthOpt = 6,
    min_strength: MinStrengthOpt = 0.0,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    kinds: KindsOpt = None,
    pattern: PatternOpt = None,
    profile: ProfileOpt = None,
    limit: LimitOpt = 50,
    offset: OffsetOpt = 0,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What SOURCE can reach, ranked by strongest path."""

    def go() -> None:
        req = ExposureRequest(
            source=source,
            max_depth=max_depth,
            min_strength=min_strength,
            kinds=kinds or None,
            pattern=pattern,
            limit=limit,
            offset=offset,
            **_filters(as_of, known_by, types, min_confidence, include_undated, profile),
        )
        with _engine(backend, store) as eng:
            result = eng.exposure(req)
        if as_json:
            _emit_json(result)
        else:
            _print_ranked(result, f"What {result.source.name} can reach")

    _run(go)


@app.command()
def paths(
    source: str,
    target: str,
    k: Annotated[int, typer.Option("--k")] = 5,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    max_depth: DepthOpt = 6,
    min_strength: MinStrengthOpt = 0.0,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    pattern: PatternOpt = None,
    profile: ProfileOpt = None,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The K strongest distinct paths from SOURCE to TARGET."""

    def go() -> None:
        req = PathsRequest(
            source=source,
            target=target,
            k=k,
            max_depth=max_depth,
            min_strength=min_strength,
            pattern=pattern,
            **_filters(as_of, known_by, types, min_confidence, include_undated, profile),
        )
        with _engine(backend, store) as eng:
            result = eng.paths(req)
        if as_json:
            _emit_json(result)  # the answer (with why it is empty), then the exit code
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
                f"{_flags(path)}",
                highlight=False,
            )
            _print_path(path)
        _print_left_out(result.undated_left_out, "path(s)")
        _print_empty(result.empty)
        if not result.paths:
            raise NoPath(f"no influence path from {source!r} to {target!r} under these filters")

    _run(go)


@app.command()
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
        with _engine(backend, store) as eng:
            result = eng.search(req)
        if as_json:
            _emit_json(result)
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

    _run(go)


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


@app.command()
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
        with _engine(backend, store) as eng:
            res = eng.cypher(req)
        if fmt is CypherFormat.JSON:
            _emit_json(res)
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

    _run(go)


@app.command()
def show(
    entity: str,
    as_of: AsOfOpt = None,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """An entity with every relationship it has (bans and warnings included)."""

    def go() -> None:
        with _engine(backend, store) as eng:
            detail = eng.entity(entity)
            hood = eng.neighbourhood(NeighbourhoodRequest(entity=entity, as_of=as_of))
        if as_json:  # one JSON document: the entity, and its neighbourhood on the day
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

    _run(go)


@app.command()
def asset(
    entity: str,
    depth: Annotated[int, typer.Option("--depth", help="Hops around the asset (1–3).")] = 2,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    limit: Annotated[int, typer.Option("--limit", help="Most relationships.")] = 300,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Everything around one asset (port, terminal, platform, data), grouped by role:
    owners and stakes, operators, agreements, data flows, suppliers, laws, counter-measures."""

    def go() -> None:
        req = AssetRequest(
            entity=entity,
            depth=depth,
            limit=limit,
            **_filters(as_of, known_by, types, min_confidence, include_undated),
        )
        with _engine(backend, store) as eng:
            result = eng.asset(req)
        if as_json:
            _emit_json(result)
            return
        a = result.asset
        out.print(
            f"\n[bold]Around {escape(a.name)}[/] ({escape(a.id)}) — {a.kind.value}"
            + (f", {a.country}" if a.country else "")
            + f" — as of {result.as_of}"
            + (f", known by {result.known_by}" if result.known_by else "")
            + f" — {result.depth} hop(s)",
            highlight=False,
        )
        if not result.groups:
            out.print("  Nothing is recorded around it under these filters.", highlight=False)
        for group in result.groups:
            out.print(f"\n[bold]{escape(group.title)}[/] ({len(group.facts)})", highlight=False)
            for fact in group.facts:
                where = "" if fact.distance == 1 else f" [dim](via {escape(fact.via.name)})[/]"
                state = "" if fact.hop.active else " [dim](not in force on the as-of date)[/]"
                out.print(f"  - {escape(fact.hop.explanation)}{where}{state}", highlight=False)
                _print_evidence(fact.hop, "      ")
        if result.truncated:
            err.print(f"more relationships than --limit {limit}; raise it or lower --depth")
        if result.not_yet_known:
            out.print(
                f"  {result.not_yet_known} relationship(s) left out: no source had reported "
                "them by the known-by day.",
                style="dim",
                highlight=False,
            )

    _run(go)


QueryArg = Annotated[
    QueryName, typer.Argument(help="reach, exposure, paths, neighbourhood or asset.")
]
OtherArg = Annotated[str | None, typer.Argument(help="Target entity for 'paths'.")]
DepthHoodOpt = Annotated[
    int | None,
    typer.Option("--depth", help="Neighbourhood and asset: hops around the centre."),
]
KOpt = Annotated[int, typer.Option("--k", help="Paths: how many.")]


def _named(opts: Mapping[str, Any]) -> NamedQuery:
    """The named query behind ``viz``, ``export`` and ``cite``, from the options they share
    (each passes its own parameters, ``dict(locals())``; the others are not read here).
    NamedQuery validates every value."""
    query, other = opts["query"], opts["other"]
    if query is QueryName.paths and other is None:
        raise typer.BadParameter("paths needs a target: … paths SOURCE TARGET")
    return NamedQuery(
        query=query,
        entity=opts["entity"],
        target=other,
        kinds=opts["kinds"] or None,
        max_depth=opts["max_depth"],
        min_strength=opts["min_strength"],
        k=opts["k"],
        depth=opts["depth"],
        limit=opts["limit"],
        pattern=opts["pattern"],
        **_filters(
            opts["as_of"],
            opts["known_by"],
            opts["types"],
            opts["min_confidence"],
            opts["include_undated"],
            opts["profile"],
        ),
    )


def _public_url(settings: Settings) -> str:
    return settings.public_url or f"http://{settings.host}:{settings.port}"


def _write_result(
    named: NamedQuery,
    output: Path,
    fmt: ExportFormat,
    backend: Backend | None,
    store: Path | None,
) -> None:
    """Run one query and write its result in a format (shared by ``viz`` and ``export``);
    the offline page carries the answer's citation beside the network."""
    with _engine(backend, store) as eng:
        if fmt is ExportFormat.HTML:
            citation, result = eng.cite(named, base_url=_public_url(eng.settings))
            body = render(result, fmt, aside=citation.html)
        else:
            body = render(eng.run(named), fmt)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(body)
    err.print(f"wrote {output}")


@app.command()
def viz(
    query: QueryArg,
    entity: str,
    other: OtherArg = None,
    output: Annotated[
        Path,
        typer.Option("-o", "--output", help="File to write: .html (offline page), .svg or .png."),
    ] = Path("graphkit.html"),
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    profile: ProfileOpt = None,
    pattern: PatternOpt = None,
    kinds: KindsOpt = None,
    max_depth: DepthOpt = 6,
    min_strength: MinStrengthOpt = 0.0,
    k: KOpt = 5,
    depth: DepthHoodOpt = None,
    limit: LimitOpt = 50,
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Draw a query result: an offline HTML network with its cited text beside it (opens
    with no internet), or a still picture when the output ends in .svg or .png."""

    opts = dict(locals())  # every option, for _named

    def go() -> None:
        named = _named(opts)
        suffix = output.suffix.lower().lstrip(".")
        fmt = ExportFormat(suffix) if suffix in ("svg", "png") else ExportFormat.HTML
        _write_result(named, output, fmt, backend, store)

    _run(go)


@app.command("export")
def export_cmd(
    query: QueryArg,
    entity: str,
    other: OtherArg = None,
    fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.GEXF,
    output: Annotated[Path | None, typer.Option("-o", "--output")] = None,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    profile: ProfileOpt = None,
    pattern: PatternOpt = None,
    kinds: KindsOpt = None,
    max_depth: DepthOpt = 6,
    min_strength: MinStrengthOpt = 0.0,
    k: KOpt = 5,
    depth: DepthHoodOpt = None,
    limit: LimitOpt = 50,
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Export a query result: GEXF/GraphML (Gephi, Cytoscape), CSV, JSON, HTML, PNG or SVG."""

    opts = dict(locals())  # every option, for _named

    def go() -> None:
        named = _named(opts)
        target = output or Path(export_filename(query.value, entity, MEDIA[fmt][1]))
        _write_result(named, target, fmt, backend, store)

    _run(go)


class CiteFormat(StrEnum):
    """How a citation is written."""

    md = "md"
    html = "html"
    json = "json"


@app.command()
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
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    profile: ProfileOpt = None,
    pattern: PatternOpt = None,
    kinds: KindsOpt = None,
    max_depth: DepthOpt = 6,
    min_strength: MinStrengthOpt = 0.0,
    k: KOpt = 5,
    depth: DepthHoodOpt = None,
    limit: LimitOpt = 10,
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """An answer you can cite: text with numbered footnotes (document, date, address,
    excerpt, stance), the query, its days, the data version and a permalink pinning them."""

    opts = dict(locals())  # every option, for _named

    def go() -> None:
        named = _named(opts)
        with _engine(backend, store) as eng:
            citation, _ = eng.cite(named, base_url=base_url or _public_url(eng.settings))
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

    _run(go)


@app.command("export-ftm")
def export_ftm(
    output: Annotated[Path, typer.Option("-o", "--output", help="FtM JSON-lines file.")],
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Export the whole store as FollowTheMoney entities (for Aleph); re-imports losslessly."""
    from graphkit.ftm_export import to_ftm

    def go() -> None:
        with _engine(backend, store) as eng:
            batch = eng.dump()
        output.parent.mkdir(parents=True, exist_ok=True)
        with output.open("w", encoding="utf-8") as handle:
            for record in to_ftm(batch):
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        err.print(
            f"wrote {output}: {len(batch.sources)} documents, {len(batch.entities)} "
            f"entities, {len(batch.relationships)} relationships",
            markup=False,
        )

    _run(go)


@app.command("export-neo4j")
def export_neo4j(
    folder: Annotated[Path, typer.Argument(help="Folder for the importer's CSV files.")],
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Write the whole store as files for Neo4j's offline bulk importer (a first load of
    millions of relationships); `scripts/neo4j-local import FOLDER` runs the importer."""

    def go() -> None:
        with _engine(backend, store) as eng:
            files = eng.export_neo4j(folder)
        for name, count in files.counts.items():
            err.print(f"{count:>12,} rows  {folder / name}", markup=False)
        err.print(
            f"next: scripts/neo4j-local import {folder}  (replaces that server's database)",
            markup=False,
        )

    _run(go)


@app.command()
def stats(backend: BackendOpt = None, store: StoreOpt = None, as_json: JsonOpt = False) -> None:
    """Counts of what the store holds."""

    def go() -> None:
        with _engine(backend, store) as eng:
            s = eng.stats()
        if as_json:
            _emit_json(s)
        else:
            out.print(
                f"{s.backend}: {s.entities} entities, {s.relationships} relationships, "
                f"{s.sources} sources"
            )

    _run(go)


@app.command()
def reindex(backend: BackendOpt = None, store: StoreOpt = None) -> None:
    """Recompute what the store derived from the schema table (strengths, confidence ranks,
    saved indexes). Stores do this by themselves when they open under a changed table; run
    it by hand after editing the table while a service keeps the store open."""

    def go() -> None:
        with _engine(backend, store) as eng:
            count = eng.reindex()
        out.print(f"re-derived {count} relationships for schema {fingerprint()}")

    _run(go)


@app.command()
def owners(
    entity: str,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Ultimate-owner threshold (0.25, 0.10, 0.50…).")
    ] = 0.25,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Who owns ENTITY directly and through every chain (integrated ownership)."""

    def go() -> None:
        req = OwnersRequest(
            entity=entity,
            as_of=as_of,
            known_by=known_by,
            include_undated=include_undated,
            threshold=threshold,
        )
        with _engine(backend, store) as eng:
            res = eng.owners(req)
        if as_json:
            _emit_json(res)
            return
        out.print(f"\n[bold]Owners of {escape(res.entity.name)}[/] — as of {res.as_of}")
        table = Table()
        for col in ("owner", "kind", "direct", "integrated", "excl. own cycles", "ultimate"):
            table.add_column(col)
        for o in res.owners:
            table.add_row(
                escape(o.entity.name),
                o.entity.kind.value,
                f"{o.direct:.1%}",
                f"{o.integrated:.1%}",
                f"{o.excluding_own_cycles:.1%}",
                "yes" if o.ultimate else "",
            )
        out.print(table)
        names = ", ".join(f"{o.entity.name} ({o.integrated:.1%})" for o in res.ultimate_owners)
        out.print(f"Ultimate owners ≥ {res.threshold:.0%}: {names or 'none'}", markup=False)
        out.print(f"State / party share: {res.state_share:.1%}", markup=False)
        for o in res.owners:
            for chain in o.paths:
                out.print(
                    f"  {o.entity.name}: chain contributing {chain.contribution:.1%}", markup=False
                )
                _print_path(chain.path)
        for warning in res.warnings:
            err.print(f"warning: {warning}", markup=False, highlight=False)
        for hop in res.unknown_share_stakes:
            out.print(f"  size not given: {hop.explanation}", markup=False, style="dim")

    _run(go)


@app.command()
def control(
    entity: str,
    as_of: AsOfOpt = None,
    known_by: KnownByOpt = None,
    include_undated: UndatedOpt = False,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Who ultimately controls ENTITY (explicit control and majority chains)."""

    def go() -> None:
        with _engine(backend, store) as eng:
            res = eng.control(
                ControlRequest(
                    entity=entity,
                    as_of=as_of,
                    known_by=known_by,
                    include_undated=include_undated,
                )
            )
        if as_json:
            _emit_json(res)
            return
        out.print(f"\n[bold]Control of {escape(res.entity.name)}[/] — as of {res.as_of}")
        for i, step in enumerate(res.chain, 1):
            out.print(f"  {i}. {step.controller.name} ({step.basis})", markup=False)
            _print_path(
                ResultPath(
                    strength=step.hop.strength,
                    length=1,
                    entities=(step.hop.source, step.hop.target),
                    hops=(step.hop,),
                )
            )
        top = res.ultimate_controller.name if res.ultimate_controller else "none recorded"
        out.print(
            f"Ultimate controller: {top}; state-controlled: "
            f"{'yes' if res.state_controlled else 'no'} (state share "
            f"{res.state_share:.1%})" + ("; the chain is circular" if res.circular else ""),
            markup=False,
        )

    _run(go)


@app.command()
def diff(
    query: Annotated[DiffQuery, typer.Argument(help="The answer to compare.")],
    entity: Annotated[
        str, typer.Argument(help="Reach: the target. Exposure and paths: the source.")
    ],
    other: Annotated[str | None, typer.Argument(help="Paths: the target.")] = None,
    from_date: Annotated[
        str, typer.Option("--from", help="Earlier day (YYYY, YYYY-MM, YYYY-MM-DD or today).")
    ] = "",
    to_date: Annotated[str | None, typer.Option("--to", help="Later day (default today).")] = None,
    k: Annotated[int, typer.Option("--k", help="Paths compared per entity.")] = 3,
    max_depth: DepthOpt = 6,
    types: TypesOpt = None,
    min_confidence: ConfOpt = None,
    profile: ProfileOpt = None,
    limit: LimitOpt = 50,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """What changed in an answer between two days, path by path, and the evidence why.

    graphkit diff reach TARGET --from 2020-03-01 --to 2020-06-01;
    graphkit diff exposure SOURCE --from 2019; graphkit diff paths SOURCE TARGET --from 2020.
    """

    def go() -> None:
        if not from_date:
            raise InvalidQuery("--from is required (the earlier day)", "from_date")
        anchors: dict[str, Any] = (
            {"target": entity}
            if query is DiffQuery.REACH
            else {"source": entity, "target": other}
            if query is DiffQuery.PATHS
            else {"source": entity}
        )
        filt = _filters(None, None, types, min_confidence, profile=profile)
        req = DiffRequest(
            query=query,
            **anchors,
            from_date=from_date,
            to_date=to_date,
            k=k,
            max_depth=max_depth,
            types=filt["types"],
            min_confidence=filt["min_confidence"],
            profile=filt["profile"],
            limit=limit,
        )
        with _engine(backend, store) as eng:
            res = eng.diff(req)
        if as_json:
            _emit_json(res)
            return
        what = {
            DiffQuery.REACH: f"Who can reach {res.target.name if res.target else ''}",
            DiffQuery.EXPOSURE: f"What {res.source.name if res.source else ''} can reach",
            DiffQuery.PATHS: f"Paths from {res.source.name if res.source else ''} to "
            f"{res.target.name if res.target else ''}",
        }[res.query]
        out.print(
            f"\n[bold]{escape(what)}[/]: {res.from_date} → {res.to_date} — "
            f"{len(res.items)} change(s), {res.unchanged} unchanged",
            highlight=False,
        )
        hops: dict[str, Any] = {}
        for item in res.items:
            out.print(f"  [{item.change}] {item.explanation}", markup=False, highlight=False)
            hops |= {h.relationship_id: h for h in item.changed_hops}
        if hops:
            out.print("\n[bold]Evidence for the relationships that changed[/]")
        for hop in hops.values():
            state = "in force" if hop.active else "not in force"
            out.print(f"  {hop.explanation} [{state} on {res.to_date}]", markup=False)
            for ev in hop.evidence:
                out.print(
                    f"      [{ev.stance}] {ev.title} ({ev.date or 'undated'}): “{ev.excerpt}”",
                    markup=False,
                    style="dim",
                    highlight=False,
                )

    _run(go)


@app.command()
def timeline(
    entity: str, backend: BackendOpt = None, store: StoreOpt = None, as_json: JsonOpt = False
) -> None:
    """ENTITY's relationships in time: starts, ends and when sources reported them."""

    def go() -> None:
        with _engine(backend, store) as eng:
            res = eng.timeline(entity)
        if as_json:
            _emit_json(res)
            return
        out.print(f"\n[bold]Timeline of {escape(res.entity.name)}[/]")
        for ev in res.events:
            by = f" — {ev.source_title}" if ev.source_title else ""
            out.print(
                f"  {ev.date or 'undated':>10}  {ev.event:<9} {ev.hop.explanation}{by}",
                markup=False,
            )

    _run(go)


@app.command()
def centrality(
    as_of: AsOfOpt = None,
    top: Annotated[int, typer.Option("--top")] = 20,
    kinds: KindsOpt = None,
    time_budget: Annotated[
        float | None,
        typer.Option(
            "--time-budget",
            min=0.1,
            help="Seconds the analysis may take (default GRAPHKIT_TIME_BUDGET); large stores "
            "need more than a query.",
        ),
    ] = None,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Most central actors: PageRank on strength-weighted arcs, and betweenness."""

    def go() -> None:
        with _engine(backend, store, time_budget) as eng:
            res = eng.centrality(CentralityRequest(as_of=as_of, top=top, kinds=kinds or None))
        if as_json:
            _emit_json(res)
            return
        table = Table(title=f"Centrality — as of {res.as_of} ({res.nodes} nodes, {res.arcs} arcs)")
        for col in ("entity", "kind", "pagerank", "betweenness"):
            table.add_column(col)
        for i in res.items:
            table.add_row(
                escape(i.entity.name),
                i.entity.kind.value,
                f"{i.pagerank:.4f}",
                f"{i.betweenness:.4f}",
            )
        out.print(table)

    _run(go)


@app.command()
def brokers(
    source: str,
    kinds: KindsOpt = None,
    as_of: AsOfOpt = None,
    top: Annotated[int, typer.Option("--top")] = 10,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Who brokers SOURCE's strongest routes to a sector (default: public bodies)."""

    def go() -> None:
        req = BrokersRequest(
            source=source, as_of=as_of, top=top, **({"target_kinds": kinds} if kinds else {})
        )
        with _engine(backend, store) as eng:
            res = eng.brokers(req)
        if as_json:
            _emit_json(res)
            return
        sector = ", ".join(k.value for k in res.target_kinds)
        table = Table(title=f"Brokers from {res.source.name} to {sector} ({res.targets} targets)")
        table.add_column("entity")
        table.add_column("kind")
        table.add_column("routes through it")
        for i in res.items:
            table.add_row(escape(i.entity.name), i.entity.kind.value, f"{i.betweenness:g}")
        out.print(table)

    _run(go)


@app.command()
def resolve(
    report: Annotated[bool, typer.Option("--report", help="List name-only candidates.")] = False,
    accept: Annotated[
        list[str] | None,
        typer.Option(
            "--accept",
            help="Merge: the first id survives, the others join it (repeat the "
            "option, or pass ids separated by commas).",
        ),
    ] = None,
    backend: BackendOpt = None,
    store: StoreOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Entity resolution: review name-only candidates, and accept merges (kept on re-ingest).

    Records with the same identifier (LEI, Wikidata id, a register number in one country)
    are merged at ingest without asking.
    """

    def go() -> None:
        with _engine(backend, store) as eng:
            if accept:
                ids = [i.strip() for part in accept for i in part.split(",") if i.strip()]
                if len(ids) < 2:
                    raise InvalidQuery("--accept needs at least two ids", "accept")
                entity = eng.merge(ids[0], ids[1:], reason="accepted by a reviewer")
                err.print(
                    f"merged {', '.join(ids[1:])} into {entity.id} ({entity.name})", markup=False
                )
                return
            groups = eng.resolution_candidates()
        if as_json:
            sys.stdout.write(
                json.dumps(
                    [
                        {"fingerprint": fp, "entities": [e.model_dump(mode="json") for e in ents]}
                        for fp, ents in groups
                    ],
                    ensure_ascii=False,
                    indent=2,
                )
                + "\n"
            )
            return
        if not report:
            err.print("nothing to do: pass --report or --accept")
            return
        out.print(
            f"{len(groups)} candidate group(s) — merge with: graphkit resolve --accept KEEP,OTHER",
            markup=False,
        )
        for fp, ents in groups:
            out.print(f"  “{fp}”", markup=False)
            for e in ents:
                known = ", ".join(f"{k}={v}" for k, v in e.identifiers.items())
                out.print(
                    f"     {e.id:<40} {e.kind.value:<10} {e.name}"
                    + (f"  [{known}]" if known else ""),
                    markup=False,
                )

    _run(go)


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option("--host", help="Default: GRAPHKIT_HOST or 127.0.0.1.")
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Default: GRAPHKIT_PORT or 8000.")
    ] = None,
    backend: BackendOpt = None,
    store: StoreOpt = None,
) -> None:
    """Serve the HTTP API (OpenAPI docs at /docs)."""
    import uvicorn

    from api.app import create_app

    settings = _settings(backend, store)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings),
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
            # X-Forwarded-For is believed only from configured proxies, so a client cannot
            # pick the address its rate limit is counted under.
            proxy_headers=bool(settings.trusted_proxies),
            forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
            timeout_graceful_shutdown=settings.shutdown_seconds,
        )
    )
    # On SIGTERM requests in flight get shutdown_seconds to finish; then they are cancelled,
    # the app's shutdown kills any analysis process, and uvicorn ends the process by the
    # signal it caught (exit status 128 + 15).
    server.run()


@app.command()
def schema(as_json: JsonOpt = False) -> None:
    """The relationship table: kinds joined, influence flow and strength rule."""
    if as_json:
        table_data = {"fingerprint": fingerprint(), **schema_table()}
        sys.stdout.write(json.dumps(table_data, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title="Relationship types")
    for col in ("type", "flow", "strength", "source kinds", "target kinds", "meaning"):
        table.add_column(col, overflow="fold")
    for rel_type in RelType:
        spec = RELATIONSHIPS[rel_type]
        rule = (
            f"share (default {spec.strength.value})"
            if spec.strength.share
            else f"{spec.strength.value}"
        )
        if spec.strength.by_confidence:
            rule += " × confidence"
        table.add_row(
            rel_type.value,
            spec.flow.value,
            rule,
            ", ".join(sorted(k.value for k in spec.sources)),
            ", ".join(sorted(k.value for k in spec.targets)),
            spec.description,
        )
    out.print(table)
    out.print("Entity kinds: " + ", ".join(k.value for k in EntityKind))
    out.print(f"Schema fingerprint: {fingerprint()}")


@app.command()
def profiles(
    name: Annotated[str | None, typer.Argument(help="Show one profile's whole table.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Influence profiles known by name: each one's strengths and confidence factors where
    they differ from the schema table (use one with --profile NAME, or --profile FILE.yaml)."""

    def go() -> None:
        known = ProfileSet(Settings().profiles_dir)
        chosen = known.all()
        if name:
            wanted = _profile(name)  # a file is read and learnt here
            for extra in _FILE_PROFILES:
                known.add(extra)
            chosen = [known.get(wanted)]
        tables = [p.table() for p in chosen]
        if as_json:
            sys.stdout.write(json.dumps(tables, indent=2, ensure_ascii=False) + "\n")
            return
        base = DEFAULT.table()
        for table in tables:
            out.print(
                f"\n[bold]{escape(table['name'])}[/] (fingerprint {table['fingerprint']})",
                highlight=False,
            )
            if table["description"]:
                out.print(f"  {escape(table['description'])}", highlight=False)
            changed = [
                (t, row["value"], base["strengths"][t]["value"])
                for t, row in table["strengths"].items()
                if name or row["value"] != base["strengths"][t]["value"]
            ]
            for t, value, was in changed:
                note = "" if value == was else f"  (schema {was:g})"
                out.print(f"  {t:<22} {value:g}{note}", highlight=False)
            for level, factor in table["confidence_factors"].items():
                was = base["confidence_factors"][level]
                if name or factor != was:
                    note = "" if factor == was else f"  (schema {was:g})"
                    out.print(f"  confidence {level:<11} {factor:g}{note}", highlight=False)

    _run(go)


def main() -> None:
    """Console entry point."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
