"""The notebooks run top to bottom on the embedded default and are stored without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks() -> None:
    assert {p.name for p in NOTEBOOKS} >= {
        "who-can-reach-rotterdam.ipynb",
        "ownership-research.ipynb",
    }


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_is_stored_clean(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if path.stem == "ownership-research":
        from tests.conformance.datasets import shared

        shared("ftm-opensanctions-zala")  # skips on a machine without ../shared/data
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "strip outputs"
    monkeypatch.setenv("GRAPHKIT_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.delenv("GRAPHKIT_STORE", raising=False)
    monkeypatch.setenv("GRAPHKIT_BACKEND", "embedded")
    monkeypatch.delenv("NEO4J_URI", raising=False)
    NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
    assert (tmp_path / "rotterdam-2020-01-01.gexf").exists() or "rotterdam" not in path.stem
