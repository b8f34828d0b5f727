"""What a load and a reach import: the whole-graph analyses' libraries wait until asked."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import SEED

_CODE = f"""
import sys, tempfile
from pathlib import Path
from graphkit.engine import QueryEngine
from graphkit.query import OwnersRequest, ReachRequest
from graphkit.store.embedded import EmbeddedStore
from ingest.curated import read_curated
eng = QueryEngine(EmbeddedStore(Path(tempfile.mkdtemp()) / "g.db"))
eng.ingest(read_curated(Path({str(SEED)!r})))
eng.reach(ReachRequest(target="port-of-rotterdam"))
print("networkx" in sys.modules)
eng.owners(OwnersRequest(entity="port-of-rotterdam"))
print("networkx" in sys.modules)
"""


def test_a_load_and_a_reach_do_not_import_networkx() -> None:
    out = subprocess.run(
        [sys.executable, "-c", _CODE], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "True"]  # the owners analysis still finds it
