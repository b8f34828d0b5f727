"""Every excerpt in ``data/`` quotes its document: word for word where the project holds the
document's text, and every source the data cites names its date (and, for case files, its
address), so a reader can check each fact."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.seed_texts import SEED_FILES, SEEDS, seed_text, squeeze

DATA = ROOT / "data"


def _records(folder: Path) -> tuple[dict[str, dict[str, Any]], list[tuple[str, dict[str, Any]]]]:
    """(sources by id, (file, relationship) pairs) of every YAML file under a folder."""
    sources: dict[str, dict[str, Any]] = {}
    rels: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(folder.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for src in doc.get("sources") or []:
            sources[src["id"]] = src
        for rel in doc.get("relationships") or []:
            rels.append((path.name, rel))
    return sources, rels


def test_the_seed_texts_are_there() -> None:
    missing = [n for n in SEED_FILES.values() if not (SEEDS / n).is_file()]
    assert not missing, f"seed documents missing beside the repository: {missing}"


@pytest.mark.parametrize("folder", sorted(p for p in DATA.iterdir() if p.is_dir()), ids=str)
def test_every_excerpt_is_verbatim_where_the_text_is_held(folder: Path) -> None:
    sources, rels = _records(folder)
    assert rels, f"{folder} holds no relationships"
    checked, wrong = 0, []
    for name, rel in rels:
        for ev in rel.get("evidence") or []:
            assert ev["source"] in sources or ev["source"] in SEED_FILES, (name, rel["id"])
            text = seed_text(ev["source"])
            if text is None:
                continue
            checked += 1
            if squeeze(ev["excerpt"]) not in text:
                wrong.append(f"{name} {rel.get('id')}: {ev['excerpt'][:80]!r}")
    assert not wrong, "excerpts not found in their documents:\n" + "\n".join(wrong)
    if folder.name == "seed":
        assert checked >= 140  # every seed fact quotes a seed document


def test_every_source_is_dated_or_says_why() -> None:
    sources, _ = _records(DATA / "seed")
    for sid, src in sources.items():
        assert src.get("date") or "no publication date" in str(src.get("note", "")), sid


CASES = DATA / "cases"


@pytest.mark.parametrize("folder", sorted(p for p in CASES.iterdir() if p.is_dir()), ids=str)
def test_every_case_file_source_is_dated_and_addressed(folder: Path) -> None:
    """Case files are stricter than the seed: every document has an address, a date, a
    publisher and a title, every relationship quotes one, and excerpts stay short."""
    sources, rels = _records(folder)
    assert (folder / "SOURCES.md").is_file()
    listed = (folder / "SOURCES.md").read_text(encoding="utf-8")
    for sid, src in sources.items():
        assert str(src.get("url", "")).startswith(("http://", "https://")), sid
        assert src.get("date"), sid
        assert src.get("publisher") and src.get("title"), sid
        assert sid in listed, f"{sid} is not listed in SOURCES.md"
    cited = set()
    for name, rel in rels:
        evidence = rel.get("evidence") or []
        assert evidence, (name, rel)
        for ev in evidence:
            assert ev["source"] in sources, (name, ev["source"])
            assert 20 <= len(ev["excerpt"]) <= 400, ev["excerpt"]
            cited.add(ev["source"])
    assert cited == set(sources), f"sources never cited: {set(sources) - cited}"
