"""Curated JSON lines are read by orjson only where it reads exactly what ``json`` does."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from ingest.curated import _loads

DOCUMENTS = [
    '{"entities": {"id": "a", "kind": "Company", "name": "A", "properties": {"n": 1.5}}}',
    '{"entities": {"id": "a", "properties": {"n": 100000000000000000000000000000}}}',
    '{"entities": {"id": "a", "properties": {"n": 18446744073709551616}}}',
    '{"entities": {"id": "a", "properties": {"n": 18446744073709551615}}}',
    '{"entities": {"id": "a", "properties": {"n": -9223372036854775809}}}',
    '{"entities": {"id": "a", "properties": {"n": 1e19, "m": -0.0, "k": -0}}}',
    '{"relationships": {"share": NaN}}',
    '{"relationships": {"share": Infinity, "other": -Infinity}}',
    '{"relationships": {"share": 1e400}}',
    '{"entities": {"name": "\\ud800"}}',
    '{"entities": {"name": "\\u00e9\\ud83d\\ude00", "a": 1, "a": 2}}',
    '{"relationships": {"share": 18446744073709551616, "confidence": 1e300}}',
    '[18446744073709551616, {"deep": [[[1]]]}]',
    '{"entities": {"id": 18446744073709551616}, "other": 1}',
]


def _same(a: Any, b: Any) -> bool:
    """Equal values of equal types (NaN equal to NaN)."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) and repr(a) == repr(b)


@pytest.mark.parametrize("text", DOCUMENTS)
def test_a_line_reads_exactly_as_json_reads_it(text: str) -> None:
    """Integers past 64 bits stay integers (a property's gets its range error)."""
    assert _same(_loads(text), json.loads(text))


@pytest.mark.parametrize("text", ['{"a": 1', "[" * 100_000, '{"a": 01}', "{'a': 1}"])
def test_a_broken_line_raises_json_s_own_error(text: str) -> None:
    with pytest.raises((json.JSONDecodeError, RecursionError)) as caught:
        json.loads(text)
    with pytest.raises(type(caught.value)) as ours:
        _loads(text)
    assert str(ours.value) == str(caught.value)
