"""Days as people type them: ``2020``, ``2020-04``, ``2020-04-15`` or ``today``.

One parser for every date a user gives a query (CLI options, API parameters, the explorer),
so ``--as-of 2020`` means the same day everywhere and a mistake gets the same message. A year
or a month stands for its first day; ``today`` is the day the request is read.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

_DAY = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
#: Said whenever a day cannot be read.
DAY_RULE = "a day as YYYY, YYYY-MM, YYYY-MM-DD or 'today'"


def parse_day(value: Any, today: date | None = None) -> date:
    """The day a user means.

    Args:
        value: text such as ``"2020"``, ``"2020-04"``, ``"2020-04-15"``, ``"today"``, or a
            :class:`datetime.date` (kept as it is).
        today: what ``"today"`` means (default: the current day).

    Raises:
        ValueError: anything else, with :data:`DAY_RULE` in the message.

    Example:
        >>> parse_day("2020"), parse_day("2020-04"), parse_day(" 2020-04-15 ")
        (datetime.date(2020, 1, 1), datetime.date(2020, 4, 1), datetime.date(2020, 4, 15))
        >>> parse_day("today", today=date(2026, 12, 1))
        datetime.date(2026, 12, 1)
    """
    if isinstance(value, datetime):
        raise ValueError(f"expected {DAY_RULE}, got a date and time {value.isoformat()!r}")
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        # Numbers are refused on purpose: JSON's 2020 is not a Unix timestamp here.
        raise ValueError(f"expected {DAY_RULE}, got {value!r}")
    text = value.strip()
    if text.lower() == "today":
        return today or date.today()
    match = _DAY.match(text)
    if not match:
        raise ValueError(f"expected {DAY_RULE}, got {value[:40]!r}")
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"not a real day: {value!r} ({exc}); expected {DAY_RULE}") from None


def _validate(value: Any) -> date:
    return parse_day(value)


#: A request field holding a day typed the way people type it (see :func:`parse_day`).
Day = Annotated[
    date,
    BeforeValidator(_validate),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^(\d{4}(-\d{1,2}(-\d{1,2})?)?|today)$",
            "description": "YYYY, YYYY-MM, YYYY-MM-DD or 'today'; a year or month means "
            "its first day.",
        }
    ),
]
