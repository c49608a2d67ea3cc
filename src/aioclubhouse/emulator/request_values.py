"""How the emulated services read numbers and flags out of what a client sent.

Clients send numbers as JSON numbers or as strings (query strings and forms carry
nothing else), and flags as booleans, 0/1 or words.  Both emulated services (the
Clubhouse API and Clarity) read them here, so they accept the same forms.  Each reader
answers ``None`` for anything unusable and never raises: the caller turns ``None``
into a 400 naming the field.

The emulator keeps its own readers rather than sharing the SDK's: it stands for the
service, and a defect in a reader shared by both ends would be invisible to every
end-to-end test.
"""

from __future__ import annotations

from typing import Any

__all__ = ["MAX_INT_DIGITS", "read_bool", "read_int"]

MAX_INT_DIGITS = 19
"""Longer digit strings are refused: every 64-bit integer fits, and nothing reaches
Python's int-from-string limit."""

_TRUE = frozenset({"true", "1", "yes"})
_FALSE = frozenset({"false", "0", "no"})


def read_int(value: Any) -> int | None:
    """An integer from an int, an integral float, or a string of ASCII digits with an
    optional sign; booleans are not integers."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        text = value.strip()
        digits = text[1:] if text[:1] in ("+", "-") else text
        if digits.isascii() and digits.isdigit() and len(digits) <= MAX_INT_DIGITS:
            return int(text)
    return None


def read_bool(value: Any) -> bool | None:
    """A flag from a bool, 0/1, or a word such as ``"true"``, ``"0"`` or ``"no"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    return None
