"""Reading the almost-JSON of the Clarity messages endpoints.

The API document's examples for ``/v1/messages`` and ``/v1/messages/:member_id`` are
not JSON, in two ways this module repairs:

* some object keys have no quotes (``last_message: {...}``): :func:`quote_bare_keys`
  quotes an identifier that follows ``{`` or ``,`` and precedes ``:``;
* the ``GET /v1/messages/940`` example closes its ``messages`` array with ``}`` and
  then ``]``: :func:`match_closers` takes every closing bracket as closing the
  innermost bracket still open, whatever its kind.

Both leave string contents untouched and neither adds or removes a bracket, so a body
that is short of (or has extra) closers still fails. The repairs are only tried after
the strict parser has failed; the service's own examples show it wrote such bodies,
and a beta API that documents them may well send them (``docs/protocol.md`` H).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["loads_loose", "match_closers", "quote_bare_keys"]

_IDENTIFIER_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$"
_IDENTIFIER_PART = _IDENTIFIER_START + "0123456789"
_CLOSER_OF = {"{": "}", "[": "]"}


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


def match_closers(text: str) -> str:
    """``{"a": [1, 2}]`` -> ``{"a": [1, 2]}``: each closer closes the innermost open bracket.

    A closer with nothing open is kept as it is, so the strict parser still refuses it.
    """
    out: list[str] = []
    open_brackets: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == '"':
            end = _string_end(text, index)
            out.append(text[index:end])
            index = end
            continue
        if char in _CLOSER_OF:
            open_brackets.append(char)
        elif char in ("}", "]") and open_brackets:
            char = _CLOSER_OF[open_brackets.pop()]
        out.append(char)
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
    """Parse ``raw`` after both repairs; raises ``ValueError`` if it still is not JSON."""
    return json.loads(match_closers(quote_bare_keys(raw.decode("utf-8"))))
