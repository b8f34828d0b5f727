"""The seed documents the project holds the text of (``../shared/seeds``), by source id,
so tests can check that every excerpt quotes its document word for word."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

#: Source id in ``data/seed/sources.yaml`` → file of the document's text.
SEED_FILES = {
    "note-zoom-china-standards": "000_0988972938eaf1d2.txt",
    "techcrunch-china-standards-2035": "001_e88fd1ae82c5ca4e.txt",
    "news-taiwan-bans-zoom": "002_c42fdc541f1c2c57.txt",
    "investigation-hikvision-dahua-belgium": "003_9dbaa6a558391274.txt",
    "news-staatsveiligheid-chinese-smartphones": "004_86026c3cd54fb033.txt",
}


def squeeze(text: str) -> str:
    """Runs of white space as one space: an excerpt may be wrapped differently."""
    return re.sub(r"\s+", " ", text).strip()


@cache
def seed_text(source_id: str) -> str | None:
    """The document's text with white space squeezed, or ``None`` when not held."""
    name = SEED_FILES.get(source_id)
    if name is None or not (SEEDS / name).is_file():
        return None
    return squeeze((SEEDS / name).read_text(encoding="utf-8"))
