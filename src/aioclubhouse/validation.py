"""Checks on arguments, run before anything goes on the wire.

Each check raises :class:`~aioclubhouse.errors.InvalidArgumentError` (a ``ValueError``)
naming the argument, so a typo fails loudly and locally instead of as a vague 400.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import InvalidArgumentError

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MAX_PAGE_SIZE = 200


def phone_number(value: Any, field: str = "phone_number") -> str:
    if not isinstance(value, str) or not E164.match(value):
        raise InvalidArgumentError(field, "must be an E.164 phone number such as '+14155550123'")
    return value


MAX_ID = 2**63 - 1  # ids are 64-bit on the service


def positive_id(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise InvalidArgumentError(field, f"must be a positive 64-bit integer, got {value!r}")
    return value


def optional_id(value: Any, field: str) -> int | None:
    return None if value is None else positive_id(value, field)


def id_list(values: Any, field: str) -> list[int]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise InvalidArgumentError(field, "must be a list of positive integers")
    return [positive_id(v, f"{field}[{i}]") for i, v in enumerate(values)]


def non_empty(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgumentError(field, "must be a non-empty string")
    return value


def text(value: Any, field: str) -> str:
    """A string that may be empty (a bio or a description can be cleared)."""
    if not isinstance(value, str):
        raise InvalidArgumentError(field, "must be a string")
    return value


def optional_text(value: Any, field: str) -> str | None:
    return None if value is None else text(value, field)


def integer(value: Any, field: str) -> int:
    """Any integer (not a bool, which Python would otherwise accept as 0 or 1)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgumentError(field, "must be an integer")
    return value


def non_negative(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(field, "must be a non-negative integer")
    return value


def optional_non_negative(value: Any, field: str) -> int | None:
    return None if value is None else non_negative(value, field)


def one_of(value: Any, field: str, allowed: tuple[int, ...]) -> int:
    """One of a few integer codes the service knows."""
    if isinstance(value, bool) or value not in allowed:
        raise InvalidArgumentError(field, f"must be one of {', '.join(map(str, allowed))}")
    return int(value)


def channel(value: Any, field: str = "channel") -> str:
    return non_empty(value, field)


def page(value: Any, field: str = "page") -> int:
    return positive_id(value, field)


def page_size(value: Any, field: str = "page_size") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGE_SIZE:
        raise InvalidArgumentError(field, f"must be an integer from 1 to {MAX_PAGE_SIZE}")
    return value


def limit(value: Any, field: str = "limit") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidArgumentError(field, "must be a non-negative integer or None")
    return value


def in_range(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidArgumentError(field, f"must be an integer from {low} to {high}")
    return value


def exactly_one(**candidates: Any) -> str:
    """The name of the one argument among ``candidates`` that is not None.

    Refused (naming the first candidate) when none or several are given.
    """
    given = [name for name, value in candidates.items() if value is not None]
    if len(given) != 1:
        names = list(candidates)
        listed = ", ".join(names[:-1]) + " and " + names[-1]
        raise InvalidArgumentError(names[0], f"give exactly one of {listed}")
    return given[0]


def boolean(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgumentError(field, "must be True or False")
    return value
