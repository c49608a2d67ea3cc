"""Lenient readers for values that arrive over the wire as JSON.

The service (and PubNub) send numbers as numbers or as strings, and flags as
booleans, 0/1 or ``"true"``. These readers accept every form seen in practice and
answer ``None`` for anything else; they never raise, whatever they are given, so a
hostile value can only ever be "unusable", never a crash.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_INT_DIGITS", "wire_bool", "wire_int"]

MAX_INT_DIGITS = 20
"""Longer digit strings are refused: ids and PubNub timetokens (17 digits) fit, and
nothing reaches Python's int-from-string limit."""

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def wire_int(value: Any) -> int | None:
    """An integer from an int, an integral float or a string of ASCII digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in ("+", "-") else text
        if digits and len(digits) <= MAX_INT_DIGITS and digits.isascii() and digits.isdigit():
            return int(text)
    return None


def wire_bool(value: Any) -> bool | None:
    """A flag from a bool, 0/1, or a string such as ``"true"`` / ``"0"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None
