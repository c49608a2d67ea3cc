"""Hypothesis strategies for what a broken or hostile server answers.

An answer starts from a valid one (the request-shape cases') and has some of its
values replaced by what servers get wrong: wrong types, nulls, huge and non-finite
numbers, digit strings Python reads differently from ASCII, nesting deeper than Python
recurses, and the caller's own secrets echoed back. It is then serialised the way a
careless server would, with ``NaN``/``Infinity`` literals or ``1e999`` for infinity,
and sometimes sent with an error status.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st

ODD_TEXT = ["", "²", "٣", "9" * 30, "null", "true", "1e999", "-0", "NaN", "\u0000", "💥" * 3]
STATUSES = [200, 200, 200, 200, 400, 401, 403, 404, 429, 500, 503]
EXTRA_KEYS = ["count", "next", "previous", "success", "error_message", "detail", "code"]


DEEP = "@@nested-{}@@"
"""A placeholder for nesting too deep for ``json.dumps``: replaced in the serialised text."""
DEEP_PLACEHOLDER = re.compile(r'"@@nested-(\d+)@@"')


def deep_text(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e300, -1e300, 2.0**63, 0.5]),
    st.text(max_size=12),
    st.sampled_from(ODD_TEXT),
)


def hostile_values(echoes: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A value a server should not have sent; ``echoes`` are secrets it may quote."""
    quoting = st.sampled_from(echoes).map(lambda s: f"Token {s} is not valid") if echoes else None
    texts = scalars if quoting is None else st.one_of(scalars, quoting)
    return st.one_of(
        texts,
        st.lists(texts, max_size=3),
        st.dictionaries(st.sampled_from(EXTRA_KEYS), texts, max_size=3),
        st.integers(min_value=60, max_value=5000).map(DEEP.format),
    )


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON value, the root included."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


def replaced(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return document


@st.composite
def answers(draw: st.DrawFn, valid: Any, echoes: tuple[str, ...] = ()) -> tuple[int, bytes]:
    """(status, body): ``valid`` with one to three places spoilt, serialised loosely."""
    spoilers = hostile_values(echoes)
    document = copy.deepcopy(valid)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(list(paths(document))))
        document = replaced(document, path, draw(spoilers))
    if isinstance(document, dict):
        document.update(draw(st.dictionaries(st.sampled_from(EXTRA_KEYS), spoilers)))
    text = json.dumps(document, allow_nan=True)
    text = DEEP_PLACEHOLDER.sub(lambda found: deep_text(int(found.group(1))), text)
    if draw(st.booleans()):
        text = text.replace("Infinity", "1e999")
    return draw(st.sampled_from(STATUSES)), text.encode()


RAW_BODIES = [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b'{"success": true, "count": 1e999, "next": 1e999, "previous": -1e999}',
    b'{"success": true, "count": NaN, "next": Infinity, "page": -Infinity}',
    b'{"success": 1e999, "error_message": NaN}',
    b"null",
    b'"a string"',
    b"1e999",
    b"\xff\xfe not utf-8",
    b'{"unterminated": ',
]
"""Answers no strategy would build: past Python's recursion limit, or not JSON at all."""
