"""The web explorer: a static page at ``/`` plus the files it needs, all served locally."""

from __future__ import annotations

from pathlib import Path

import pyvis
from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from graphkit.schema import KIND_STYLES

router = APIRouter(include_in_schema=False)
STATIC = Path(__file__).resolve().parent.parent / "static"
_VIS = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"

#: The only files served, so no path from a request ever reaches the file system.
FILES: dict[str, tuple[Path, str]] = {
    "explorer.js": (STATIC / "explorer.js", "text/javascript"),
    "explorer.css": (STATIC / "explorer.css", "text/css"),
    "vis-network.min.js": (_VIS / "vis-network.min.js", "text/javascript"),
    "vis-network.css": (_VIS / "vis-network.css", "text/css"),
}


@router.get("/")
def explorer() -> FileResponse:
    """The explorer page."""
    return FileResponse(STATIC / "index.html", media_type="text/html")


@router.get("/static/{name}")
def static(name: str) -> FileResponse:
    """One of the explorer's files."""
    if name not in FILES:
        raise HTTPException(404, f"no static file {name!r}")
    path, media = FILES[name]
    return FileResponse(path, media_type=media)


@router.get("/ui/styles")
def styles() -> dict[str, dict[str, str]]:
    """Colour and shape per entity kind — the same table the offline pictures use."""
    return {kind.value: {"color": s.color, "shape": s.shape} for kind, s in KIND_STYLES.items()}
