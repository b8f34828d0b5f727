"""Exports and citations of any query result: JSON, CSV, GEXF, GraphML, the offline HTML
page, PNG and SVG pictures; and the citable text with footnotes and a permalink."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from api.deps import EngineDep, Expensive, SettingsDep
from api.errors import responses
from graphkit.cite import page as citation_page
from graphkit.export import MEDIA, ExportFormat, export_filename, render
from graphkit.named import NamedQuery
from graphkit.settings import Settings

router = APIRouter(tags=["exports"])
#: What a citation page may load: its own inline styles, nothing else.
PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


class ExportQuery(NamedQuery):
    """A named query and the format to return its answer in."""

    format: ExportFormat = Field(default=ExportFormat.JSON, description="Output format.")


class CiteFormat(StrEnum):
    """How a citation is returned."""

    html = "html"
    md = "md"
    json = "json"


class CiteQuery(NamedQuery):
    """A named query to cite; a permalink adds the data version it was made against."""

    format: CiteFormat = Field(default=CiteFormat.html, description="html, md or json.")
    data_version: str | None = Field(
        default=None,
        max_length=64,
        description="The data version a permalink was made against: a different one now "
        "is said in the answer (`data_changed`).",
    )


def _base_url(request: Request, settings: Settings) -> str:
    return settings.public_url or str(request.base_url)


@router.get(
    "/export",
    dependencies=Expensive,
    responses={
        200: {
            "description": "The result as a file.",
            "content": {m: {} for m, _ in MEDIA.values()},
        },
        **responses(401, 404, 422, 429, 504),
    },
)
def export_result(
    q: Annotated[ExportQuery, Query()],
    engine: EngineDep,
    settings: SettingsDep,
    request: Request,
) -> Response:
    """Run a query and return its result in the chosen format (``html``: the offline page,
    with the answer's citation beside the network; ``png``/``svg``: a still picture)."""
    named = NamedQuery.model_validate(q.model_dump(exclude={"format"}))
    if q.format is ExportFormat.HTML:
        citation, result = engine.cite(named, base_url=_base_url(request, settings))
        body = render(result, q.format, aside=citation.html)
    else:
        body = render(engine.run(named), q.format)
    media, ext = MEDIA[q.format]
    filename = export_filename(q.query.value, q.entity, ext)
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/cite",
    dependencies=Expensive,
    responses={
        200: {
            "description": "The citation: an HTML page, Markdown or JSON.",
            "content": {
                "text/html": {},
                "text/markdown": {},
                "application/json": {},
            },
        },
        **responses(401, 404, 422, 429, 504),
    },
)
def cite(
    q: Annotated[CiteQuery, Query()],
    engine: EngineDep,
    settings: SettingsDep,
    request: Request,
) -> Response:
    """An answer you can cite: the result as text with numbered footnotes (document,
    publisher, date, address, excerpt, stance), the query, its as-of and known-by days, the
    data version and a permalink that pins them all. Days left out are pinned to today."""
    named = NamedQuery.model_validate(q.model_dump(exclude={"format", "data_version"}))
    citation, _ = engine.cite(
        named, base_url=_base_url(request, settings), pinned_version=q.data_version
    )
    if q.format is CiteFormat.json:
        return Response(citation.model_dump_json(indent=2), media_type="application/json")
    if q.format is CiteFormat.md:
        return Response(citation.markdown, media_type="text/markdown; charset=utf-8")
    return Response(
        citation_page(citation),
        media_type="text/html; charset=utf-8",
        # The page has no script and loads nothing: say so, so a browser enforces it.
        headers={"Content-Security-Policy": PAGE_POLICY},
    )
