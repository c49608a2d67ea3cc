"""Argument checks for the Clarity client, run before anything is sent.

Each raises :class:`~aioclubhouse.errors.InvalidArgumentError` naming the argument.
The general ones (ids, non-empty strings, booleans) come from the SDK's validation
module; these add what only Clarity needs.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from .. import validation
from ..errors import InvalidArgumentError

MAX_REASON = 140
SCREEN_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
TWITTER_HANDLE = re.compile(r"^@?[A-Za-z0-9_]{1,50}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
HOUR = dt.timedelta(hours=1)


def member_key(value: Any, field: str = "id_or_screen_name") -> str:
    """A member id (positive int) or a screen name, as one path segment."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(validation.positive_id(value, field))
    if isinstance(value, str) and SCREEN_NAME.match(value):
        return value
    raise InvalidArgumentError(field, "must be a positive integer id or a screen name")


def twitter_handle(value: Any, field: str = "twitter") -> str:
    if not isinstance(value, str) or not TWITTER_HANDLE.match(value):
        raise InvalidArgumentError(field, "must be a Twitter handle such as 'danmartell'")
    return value.removeprefix("@")


def email(value: Any, field: str = "email") -> str:
    if not isinstance(value, str) or not EMAIL.match(value):
        raise InvalidArgumentError(field, "must be an email address")
    return value


def reason(value: Any, field: str = "reason") -> str:
    text = validation.non_empty(value, field)
    if len(text) > MAX_REASON:
        raise InvalidArgumentError(field, f"must be at most {MAX_REASON} characters")
    return text


def expiry_hours(value: Any, field: str = "expires_in") -> int:
    """A positive ``timedelta`` of whole hours, as the number of hours the API takes.

    A bare number is refused: the API counts hours, and ``3600`` reads as seconds. The
    document states no upper bound, so none is imposed here.
    """
    if not isinstance(value, dt.timedelta):
        raise InvalidArgumentError(
            field, "must be a datetime.timedelta of whole hours, such as timedelta(hours=24)"
        )
    if value <= dt.timedelta(0) or value % HOUR:
        raise InvalidArgumentError(field, "must be a positive whole number of hours")
    return value // HOUR


def oauth_token(value: Any, field: str = "oauth_token") -> str | None:
    """None (no token yet) or a non-empty string without spaces."""
    if value is None:
        return None
    if not isinstance(value, str) or not value or any(c.isspace() for c in value):
        raise InvalidArgumentError(field, "must be a non-empty string without spaces")
    return value


def seconds(value: Any, field: str) -> float:
    """A positive, finite duration given as seconds or as a ``timedelta``."""
    if isinstance(value, dt.timedelta):
        value = value.total_seconds()
    return interval(value, field)


DOT_SEGMENTS = frozenset({".", ".."})
"""Path segments that URL normalisation resolves away, so no value can travel as one."""


def path_segment(value: str, field: str) -> str:
    """Text that survives as one path segment: ``.`` and ``..`` would be resolved away."""
    if value in DOT_SEGMENTS:
        raise InvalidArgumentError(field, "cannot be '.' or '..' in a path")
    return value


def interval(value: Any, field: str = "interval") -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        raise InvalidArgumentError(field, "must be a number of seconds greater than 0")
    return float(value)
