"""API documentation served from this process: the OpenAPI document, Swagger UI and ReDoc.

The page assets come from the ``fastapi-offline`` package instead of a CDN, so the docs work
on a machine without internet access; like every read, they need the read key when the
server requires one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, HTTPException, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse

from api.deps import ReadAccess

router = APIRouter(include_in_schema=False)
_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"

#: Docs pages may load only this server's files: ReDoc's bundle would otherwise fetch its logo
#: from a CDN, telling a third party who reads the docs.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'"
)

#: The only files served, so no path from a request ever reaches the file system.
ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "redoc.standalone.js": "text/javascript",
    "favicon.png": "image/png",
}


def _local_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CSP
    return page


@router.get("/openapi.json", dependencies=ReadAccess)
def openapi(request: Request) -> dict[str, Any]:
    """The OpenAPI document of this service."""
    spec: dict[str, Any] = request.app.openapi()
    return spec


@router.get("/docs", dependencies=ReadAccess)
def swagger_ui(request: Request) -> HTMLResponse:
    """Interactive API documentation (Swagger UI)."""
    return _local_only(
        get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{request.app.title} — API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon.png",
        )
    )


@router.get("/redoc", dependencies=ReadAccess)
def redoc(request: Request) -> HTMLResponse:
    """Reference API documentation (ReDoc), without web fonts from a CDN."""
    return _local_only(
        get_redoc_html(
            openapi_url="/openapi.json",
            title=f"{request.app.title} — API reference",
            redoc_js_url="/docs-assets/redoc.standalone.js",
            redoc_favicon_url="/docs-assets/favicon.png",
            with_google_fonts=False,
        )
    )


@router.get("/docs-assets/{name}")
def asset(name: str) -> FileResponse:
    """One of the documentation pages' script, style or icon files."""
    if name not in ASSETS:
        raise HTTPException(404, f"no documentation asset {name!r}")
    return FileResponse(_ASSETS / name, media_type=ASSETS[name])
