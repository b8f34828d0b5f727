"""The relationship table is complete and drives flow and strength."""

from __future__ import annotations

import pytest

from graphkit.schema import (
    RELATIONSHIPS,
    TRAVERSABLE,
    Confidence,
    Flow,
    RelType,
    hop_strength,
    influence_arcs,
)


def test_every_type_has_one_row_with_kinds_and_a_phrase() -> None:
    assert set(RELATIONSHIPS) == set(RelType)
    for spec in RELATIONSHIPS.values():
        assert spec.sources and spec.targets
        assert "{source}" in spec.phrase and "{target}" in spec.phrase
        assert 0 < spec.strength.value <= 1


@pytest.mark.parametrize(
    ("rel_type", "expected"),
    [
        (RelType.OWNS, [("a", "b")]),
        (RelType.SUBSIDIARY_OF, [("b", "a")]),
        (RelType.HAS_PARTY_COMMITTEE, [("b", "a")]),
        (RelType.AGREEMENT_WITH, [("a", "b"), ("b", "a")]),
        (RelType.ROUTES_DATA_VIA, [("b", "a")]),
        (RelType.BANS, []),
        (RelType.ADVISES_AGAINST, []),
    ],
)
def test_influence_direction_comes_from_the_table(rel_type: RelType, expected: list) -> None:
    assert influence_arcs(rel_type, "a", "b") == expected


def test_counter_measures_are_facts_not_channels() -> None:
    for t in (RelType.BANS, RelType.RESTRICTS, RelType.ADVISES_AGAINST, RelType.LOCATED_IN):
        assert RELATIONSHIPS[t].flow is Flow.NONE
        assert t not in TRAVERSABLE


def test_strength_uses_share_when_known_and_scales_by_confidence() -> None:
    assert hop_strength(RelType.OWNS, 0.25, Confidence.CONFIRMED) == 0.25
    assert hop_strength(RelType.OWNS, None, Confidence.CONFIRMED) == 0.5
    assert hop_strength(RelType.OWNS, 0.5, Confidence.ALLEGED) == pytest.approx(0.25)
    assert hop_strength(RelType.CONTROLS, None, 0.5) == pytest.approx(0.45)
