"""Reading the almost-JSON of the Clarity messages endpoints.

The API's own examples for ``/v1/messages`` write some object keys without quotes
(``last_message: {...}``). This module quotes such bare keys, leaving string contents
untouched, so that a response in that style still decodes. It is only tried after the
strict parser has failed.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["loads_loose", "quote_bare_keys"]

_IDENTIFIER_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
_IDENTIFIER_PART = _IDENTIFIER_START + "0123456789"


def quote_bare_keys(text: str) -> str:
    """``{a: 1, "b": [x]}`` -> ``{"a": 1, "b": [x]}``: only identifiers before a colon."""
    out: list[str] = []
    index = 0
    length = len(text)
    last_significant = ""
    while index < length:
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            out.append(text[index:end])
            index = end
            last_significant = '"'
            continue
        if char in _IDENTIFIER_START and last_significant in ("{", ","):
            end = index
            while end < length and text[end] in _IDENTIFIER_PART:
                end += 1
            after = end
            while after < length and text[after].isspace():
                after += 1
            word = text[index:end]
            out.append(f'"{word}"' if after < length and text[after] == ":" else word)
            index = end
            last_significant = word[-1]
            continue
        out.append(char)
        if not char.isspace():
            last_significant = char
        index += 1
    return "".join(out)


def _string_end(text: str, start: int) -> int:
    """Index just past the string literal opening at ``start`` (or the end of text)."""
    index = start + 1
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text[index] == '"':
            return index + 1
        index += 1
    return len(text)


def loads_loose(raw: bytes) -> Any:
    """Parse ``raw`` after quoting bare keys; raises ``ValueError`` if it still is not JSON."""
    return json.loads(quote_bare_keys(raw.decode("utf-8")))
