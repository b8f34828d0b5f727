"""Search text: the ASCII shortcut gives exactly what normality's pipeline gives."""

from __future__ import annotations

import random

from normality import normalize

from graphkit.text import normalise


def test_ascii_names_normalise_as_normality_does() -> None:
    rng = random.Random(7)
    alphabet = [chr(i) for i in range(128)]
    for _ in range(30_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert normalise(text) == (normalize(text, ascii=True) or ""), repr(text)


def test_other_text_still_goes_through_normality() -> None:
    for text in ("Fédasil", "海康威视", "Société  Générale S.A.", "ＡＢＣ", "x\u200by"):
        assert normalise(text) == (normalize(text, ascii=True) or "")
