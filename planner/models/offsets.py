"""A reminder's offset before its campaign's anchor: `before: 1d`, `2h` or `60m`."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator

_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
_OFFSET = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")


def _parse(value: Any) -> timedelta:
    """A number and a unit, so that "1" cannot silently mean minutes or days."""
    match = _OFFSET.match(value) if isinstance(value, str) else None
    if match is None or int(match.group(1)) == 0:
        raise ValueError(
            f"before: {value!r} is not an offset; expected a positive number and a unit "
            "(d, h or m), e.g. 1d, 2h, 60m"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


Offset = Annotated[timedelta, BeforeValidator(_parse, json_schema_input_type=str)]
