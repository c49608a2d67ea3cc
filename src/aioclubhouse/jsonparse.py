"""Decoding JSON answers, with orjson when the ``speedups`` extra brought it.

``pip install 'aioclubhouse[speedups]'`` installs orjson, several times faster than
the standard library at reading the service's answers.  It is used only where it
gives exactly what ``json.loads`` gives: any text orjson refuses (numbers beyond 64
bits, ``NaN``, lone surrogates, nesting past its limit, bytes that are not UTF-8)
is read again by ``json.loads``, so the result, or the error, is always the
standard library's.  Without the extra, or with ``AIOCLUBHOUSE_PURE_JSON=1`` in the
environment when this module is first imported, only ``json.loads`` runs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

__all__ = ["PARSER", "loads", "pure_loads"]

pure_loads: Callable[[bytes | str], Any] = json.loads
"""The standard library's reader, which decides every case the fast one refuses."""


def _fast_reader() -> Callable[[bytes | str], Any] | None:
    if os.environ.get("AIOCLUBHOUSE_PURE_JSON", "").strip() not in ("", "0"):
        return None
    try:
        import orjson
    except ImportError:
        return None
    fast: Callable[[bytes | str], Any] = orjson.loads
    refused = orjson.JSONDecodeError

    def loads(text: bytes | str) -> Any:
        try:
            return fast(text)
        except refused:
            return json.loads(text)

    return loads


_fast = _fast_reader()
loads: Callable[[bytes | str], Any] = _fast if _fast is not None else json.loads
"""``json.loads``, sped up by orjson when it is installed (same results, same errors)."""
PARSER = "orjson" if _fast is not None else "json"
"""Which reader :func:`loads` uses: ``"orjson"`` or ``"json"``."""
