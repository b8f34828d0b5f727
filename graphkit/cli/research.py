"""Research questions beyond reach: ``owners``, ``control``, ``diff``, ``timeline``,
``centrality``, ``brokers`` and ``resolve``."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from graphkit.cli import render
from graphkit.cli.options import (
    FILTERS,
    JSON,
    SEARCH,
    STORE,
    BackendOpt,
    JsonOpt,
    KindsOpt,
    LimitOpt,
    StoreOpt,
    app,
    day_fields,
    err,
    filter_fields,
    guarded,
    open_engine,
    out,
    respond,
    with_options,
)
from graphkit.errors import (
    InvalidQuery,
)
from graphkit.query import (
    BrokersRequest,
    CentralityRequest,
    ControlRequest,
    DiffQuery,
    DiffRequest,
    OwnersRequest,
)

#: Where these commands are listed in ``graphkit --help``.
PANEL = "Research"


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:3], STORE, JSON)
def owners(
    entity: str,
    threshold: Annotated[
        float, typer.Option("--threshold", help="Ultimate-owner threshold (0.25, 0.10, 0.50…).")
    ] = 0.25,
    **opts: Any,
) -> None:
    """Who owns ENTITY directly and through every chain (integrated ownership)."""

    respond(
        opts,
        lambda eng: eng.owners(
            OwnersRequest(entity=entity, threshold=threshold, **day_fields(opts))
        ),
        render.owners,
    )


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:3], STORE, JSON)
def control(
    entity: str,
    **opts: Any,
) -> None:
    """Who ultimately controls ENTITY (explicit control and majority chains)."""

    respond(
        opts,
        lambda eng: eng.control(ControlRequest(entity=entity, **day_fields(opts))),
        render.control,
    )


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[3:], SEARCH[:1], STORE, JSON)
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
    limit: LimitOpt = 50,
    **opts: Any,
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
        filt = filter_fields(opts)
        req = DiffRequest(
            query=query,
            **anchors,
            from_date=from_date,
            to_date=to_date,
            k=k,
            max_depth=opts["max_depth"],
            types=filt["types"],
            min_confidence=filt["min_confidence"],
            profile=filt["profile"],
            limit=limit,
        )
        respond(opts, lambda eng: eng.diff(req), render.diff)

    guarded(go)


@app.command(rich_help_panel=PANEL)
@with_options(STORE, JSON)
def timeline(
    entity: str,
    **opts: Any,
) -> None:
    """ENTITY's relationships in time: starts, ends and when sources reported them."""

    respond(opts, lambda eng: eng.timeline(entity), render.timeline)


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:1], STORE, JSON)
def centrality(
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
    **opts: Any,
) -> None:
    """Most central actors: PageRank on strength-weighted arcs, and betweenness."""

    respond(
        opts,
        lambda eng: eng.centrality(
            CentralityRequest(as_of=opts["as_of"], top=top, kinds=kinds or None)
        ),
        render.centrality,
        time_budget,
    )


@app.command(rich_help_panel=PANEL)
@with_options(FILTERS[:1], STORE, JSON)
def brokers(
    source: str,
    kinds: KindsOpt = None,
    top: Annotated[int, typer.Option("--top")] = 10,
    **opts: Any,
) -> None:
    """Who brokers SOURCE's strongest routes to a sector (default: public bodies)."""

    targets = {"target_kinds": kinds} if kinds else {}
    respond(
        opts,
        lambda eng: eng.brokers(
            BrokersRequest(source=source, as_of=opts["as_of"], top=top, **targets)
        ),
        render.brokers,
    )


@app.command(rich_help_panel=PANEL)
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
        with open_engine(backend, store) as eng:
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

    guarded(go)
