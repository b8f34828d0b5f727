"""Commands that bring data in: ``load`` (also ``ingest``), ``validate``, ``template``."""

from __future__ import annotations

import codecs
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from graphkit.batching import BATCH_RECORDS
from graphkit.cli.options import (
    AllowUnknownOpt,
    BackendOpt,
    EncodingOpt,
    JsonOpt,
    RestoreOpt,
    StoreOpt,
    app,
    emit_json,
    err,
    guarded,
    open_engine,
    out,
    settings_for,
)
from graphkit.errors import InvalidQuery
from graphkit.validate import RawRecord

#: Where these commands are listed in ``graphkit --help``.
PANEL = "Load data"


def _detected(path: Path, fmt: str) -> str:
    from ingest.registry import BY_NAME, NAMES, UnknownFormat, detect

    if fmt != "auto" and fmt not in BY_NAME:
        raise InvalidQuery(f"unknown format {fmt!r}; use one of {', '.join(NAMES)}", "format")
    try:
        return detect(path) if fmt == "auto" and path.exists() else fmt
    except UnknownFormat as exc:
        raise InvalidQuery(str(exc), "format") from exc


def _format_help() -> str:
    from ingest.registry import FORMATS

    return "auto (the default: told from the files) or " + "; ".join(
        f"{f.name}: {f.help}" for f in FORMATS
    )


FormatOpt = Annotated[str, typer.Option("--format", help=_format_help())]


def _counted(records: Iterable[RawRecord], progress: Progress, task: TaskID) -> Iterator[RawRecord]:
    """The records, passed through one at a time while the progress line counts them."""
    for n, rec in enumerate(records, 1):
        if n % 1000 == 0:
            progress.update(task, completed=n, description=f"read {n:,} records")
        yield rec


@app.command(rich_help_panel=PANEL)
def load(
    path: Path,
    fmt: FormatOpt = "auto",
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
    """Load a file or folder (curated YAML/JSON lines/CSV, FollowTheMoney, BODS, GLEIF, ICIJ),
    streamed in all-or-nothing batches; relationships that refer to entities defined further
    on wait until those are known, and a refused batch names file, line and field."""

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
        settings = settings_for(backend, store)
        if dry_run and settings.backend == "embedded" and not settings.store.exists():
            target = Path(":memory:")  # no store to check against, and none to create
        with (
            textfile.declared(encoding),
            open_engine(backend, target) as eng,
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
            emit_json(summary)
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

    guarded(go)


# One command under two names: the README's loader examples say ``ingest``.
app.command("ingest", help="Same as load.", rich_help_panel=PANEL)(load)


@app.command(rich_help_panel=PANEL)
def template(folder: Path) -> None:
    """Write empty curated CSVs (entities, relationships, sources) with an example row each."""
    from ingest.csvformat import write_template

    for path in write_template(folder):
        err.print(f"wrote {path}")


@app.command(rich_help_panel=PANEL)
def validate(path: Path, fmt: FormatOpt = "auto") -> None:
    """Check a file or folder against the schema without writing anything."""
    load(path, fmt=fmt, dry_run=True)
