"""What every command shares: the Typer app, consoles, exit codes, option types, and the
engine opened from them. Why: each option is declared once and means the same everywhere."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape

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
from graphkit.named import NamedQuery, QueryName
from graphkit.profiles import Profile, read_profile
from graphkit.settings import Settings
from graphkit.store import open_store

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


def settings_for(
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
def open_engine(
    backend: Backend | None, store: Path | None, time_budget: float | None = None
) -> Iterator[QueryEngine]:
    settings = settings_for(backend, store, time_budget)
    with open_store(settings) as st:
        eng = QueryEngine(st, settings)
        for profile in _FILE_PROFILES:
            eng.profiles.add(profile)
        yield eng


#: Profiles read from files named by --profile in this run (the engine learns them by name).
_FILE_PROFILES: list[Profile] = []


def profile_name(value: str | None) -> str | None:
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


def fail(exc: BaseException) -> None:
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


def guarded(fn: Callable[[], None]) -> None:
    try:
        fn()
    except (GraphkitError, ValidationError) as exc:
        fail(exc)


def emit_json(model: BaseModel) -> None:
    sys.stdout.write(model.model_dump_json(indent=2) + "\n")


def filter_fields(
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
        "profile": profile_name(profile),
    }


QueryArg = Annotated[
    QueryName, typer.Argument(help="reach, exposure, paths, neighbourhood or asset.")
]
OtherArg = Annotated[str | None, typer.Argument(help="Target entity for 'paths'.")]
DepthHoodOpt = Annotated[
    int | None,
    typer.Option("--depth", help="Neighbourhood and asset: hops around the centre."),
]
KOpt = Annotated[int, typer.Option("--k", help="Paths: how many.")]


def named_query(opts: Mapping[str, Any]) -> NamedQuery:
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
        **filter_fields(
            opts["as_of"],
            opts["known_by"],
            opts["types"],
            opts["min_confidence"],
            opts["include_undated"],
            opts["profile"],
        ),
    )


def public_url(settings: Settings) -> str:
    return settings.public_url or f"http://{settings.host}:{settings.port}"
