"""What a read produced and what it deliberately skipped, by reason (shown after a load)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class LoadReport:
    """Records read and records skipped, by reason."""

    read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    #: Files of other formats in a folder are listed as skipped instead of refused.
    allow_unknown: bool = False
