"""Decoding JSON answers, with orjson when the ``speedups`` extra brought it.

``pip install 'aioclubhouse[speedups]'`` installs orjson, several times faster than
the standard library at reading the service's answers.  It is used only where it
gives exactly what ``json.loads`` gives: text orjson refuses (``NaN``, lone
surrogates, nesting past its limit, bytes that are not UTF-8) is read again by
``json.loads``, and so is text with a run of 19 digits or more, where orjson would
turn a whole number beyond 64 bits into a float (PubNub's timetokens have 17).
So the result, or the error, is always the standard library's.  Without the extra,
or with ``AIOCLUBHOUSE_PURE_JSON=1`` in the environment when this module is first
imported, only ``json.loads`` runs.

Readers call ``jsonparse.loads`` through the module (not a name imported from it),
so that tests can run the same decoding under either reader.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

__all__ = ["PARSER", "fast_loads", "loads", "pure_loads"]

Loads = Callable[[bytes | str], Any]

pure_loads: Loads = json.loads
"""The standard library's reader, which decides every case the fast one refuses."""


_DIGITS = bytes(ord("1") if chr(byte).isdigit() and byte < 128 else ord("0") for byte in range(256))
"""Maps every ASCII digit to ``1`` and every other byte to ``0``."""
_LONG_NUMBER = b"1" * 19
"""Digits in a row from which orjson may read a whole number as a float."""


def _fast_reader() -> Loads | None:
    try:
        import orjson
    except ImportError:
        return None
    fast: Loads = orjson.loads
    refused = orjson.JSONDecodeError

    def loads(text: bytes | str) -> Any:
        raw = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        if _LONG_NUMBER in raw.translate(_DIGITS):
            return json.loads(text)
        try:
            return fast(text)
        except refused:
            return json.loads(text)

    return loads


fast_loads: Loads | None = _fast_reader()
"""orjson with the standard library behind it, when orjson is installed."""
_pure_asked = os.environ.get("AIOCLUBHOUSE_PURE_JSON", "").strip() not in ("", "0")
loads: Loads = fast_loads if fast_loads is not None and not _pure_asked else pure_loads
"""``json.loads``, sped up by orjson when it is installed (same results, same errors)."""
PARSER = "orjson" if loads is fast_loads else "json"
"""Which reader :data:`loads` is: ``"orjson"`` or ``"json"``."""
