"""What every command shares: the Typer app, consoles, exit codes, option types, and the
engine opened from them. Why: each option is declared once and means the same everywhere."""

from __future__ import annotations

import functools
import inspect
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, TypeVar

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


_Answer = TypeVar("_Answer", bound=BaseModel)


def respond(
    opts: Mapping[str, Any],
    ask: Callable[[QueryEngine], _Answer],
    show: Callable[[_Answer], None],
    time_budget: float | None = None,
) -> None:
    """A command's one question, asked of the engine its options name, with the CLI's error
    handling: printed as JSON with ``--json``, by ``show`` otherwise. ``ask`` builds the
    request too, so a bad value is reported like any other error."""

    def go() -> None:
        with open_engine(opts["backend"], opts["store"], time_budget) as eng:
            answer = ask(eng)
        if opts.get("as_json"):
            emit_json(answer)
        else:
            show(answer)

    guarded(go)


def emit_json(model: BaseModel) -> None:
    sys.stdout.write(model.model_dump_json(indent=2) + "\n")


def filter_fields(opts: Mapping[str, Any]) -> dict[str, Any]:
    """The request fields of the :data:`FILTERS` options a command took (those it lacks keep
    their defaults); a number given to ``--min-confidence`` becomes a number."""
    conf: Any = opts.get("min_confidence")
    if conf is not None:
        try:
            conf = float(conf)
        except ValueError:
            pass
    return {
        "as_of": opts.get("as_of"),
        "known_by": opts.get("known_by"),
        "include_undated": opts.get("include_undated", False),
        "types": opts.get("types") or None,
        "min_confidence": conf,
        "profile": profile_name(opts.get("profile")),
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


def day_fields(opts: Mapping[str, Any]) -> dict[str, Any]:
    """The as-of and known-by fields (the analyses that take no type or profile filter)."""
    return {k: opts[k] for k in ("as_of", "known_by", "include_undated")}


@dataclass(frozen=True)
class Shared:
    """One option several commands take: its parameter name, Typer annotation and default."""

    name: str
    annotation: Any
    default: Any = None


#: What every filtered question takes (see :class:`graphkit.query.Filters`).
FILTERS = (
    Shared("as_of", AsOfOpt),
    Shared("known_by", KnownByOpt),
    Shared("include_undated", UndatedOpt, False),
    Shared("types", TypesOpt),
    Shared("min_confidence", ConfOpt),
    Shared("profile", ProfileOpt),
)
#: How far a path search goes and which shapes count (see :class:`graphkit.query.PathSearch`).
SEARCH = (
    Shared("max_depth", DepthOpt, 6),
    Shared("min_strength", MinStrengthOpt, 0.0),
    Shared("pattern", PatternOpt),
)
#: A ranked list's kinds and page.
RANKED = (
    Shared("kinds", KindsOpt),
    Shared("limit", LimitOpt, 50),
    Shared("offset", OffsetOpt, 0),
)
#: What a named query (viz, export, cite) takes beyond the filters: any query's knobs.
NAMED = (
    *SEARCH,
    Shared("kinds", KindsOpt),
    Shared("k", KOpt, 5),
    Shared("depth", DepthHoodOpt),
    Shared("limit", LimitOpt, 50),
)
#: Which store to open, and JSON output.
STORE = (Shared("backend", BackendOpt), Shared("store", StoreOpt))
JSON = (Shared("as_json", JsonOpt, False),)


def with_options(
    *groups: tuple[Shared, ...], defaults: Mapping[str, Any] | None = None
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a command the shared option groups after its own parameters, declared once here
    instead of in every signature. The command takes them as ``**opts``; ``defaults``
    changes a shared option's default for this command.

    Typer reads the command's ``__signature__``, so ``--help`` and parsing are as if each
    option were written out.
    """

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        own = inspect.signature(fn, eval_str=True)
        params = [p for p in own.parameters.values() if p.kind is not p.VAR_KEYWORD]
        for group in groups:
            for option in group:
                default = (defaults or {}).get(option.name, option.default)
                params.append(
                    inspect.Parameter(
                        option.name, inspect.Parameter.KEYWORD_ONLY,
                        default=default, annotation=option.annotation,
                    )
                )  # fmt: skip

        @functools.wraps(fn)
        def command(**kwargs: Any) -> None:
            fn(**kwargs)

        command.__signature__ = own.replace(parameters=params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command

    return decorate


def named_query(
    query: QueryName, entity: str, other: str | None, opts: Mapping[str, Any]
) -> NamedQuery:
    """The named query behind ``viz``, ``export`` and ``cite``, from their :data:`FILTERS`
    and :data:`NAMED` options (NamedQuery validates every value)."""
    if query is QueryName.paths and other is None:
        raise typer.BadParameter("paths needs a target: … paths SOURCE TARGET")
    return NamedQuery(
        query=query,
        entity=entity,
        target=other,
        kinds=opts["kinds"] or None,
        max_depth=opts["max_depth"],
        min_strength=opts["min_strength"],
        k=opts["k"],
        depth=opts["depth"],
        limit=opts["limit"],
        pattern=opts["pattern"],
        **filter_fields(opts),
    )


def public_url(settings: Settings) -> str:
    return settings.public_url or f"http://{settings.host}:{settings.port}"
