"""The public API's types catch what users get wrong: misspelt options, mismatched
handlers, wrong item types. ``checked_usage.py`` is type-checked, not run."""

from __future__ import annotations

import inspect
import typing
from pathlib import Path

from aioclubhouse import ClubhouseAPI, SessionOptions

from .mypy_run import expected_errors, mypy_errors

CHECKED = Path(__file__).with_name("checked_usage.py")


def test_the_checker_finds_exactly_the_marked_mistakes() -> None:
    found = mypy_errors([CHECKED])
    reported = {(name, line, code) for name, line, code, _ in found}
    expected = expected_errors(CHECKED)
    assert len(expected) >= 9  # the marks are there (a file without them checks nothing)
    assert reported == expected, "\n".join(f"{n}:{line}: [{c}] {m}" for n, line, c, m in found)


def test_session_options_are_the_constructors_keywords() -> None:
    # from_file takes SessionOptions; the constructor declares the same options itself.
    parameters = inspect.signature(ClubhouseAPI.__init__).parameters
    keywords = {
        name
        for name, parameter in parameters.items()
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY
    }
    assert set(SessionOptions.__annotations__) == keywords - {"credentials_path"}
    hints = typing.get_type_hints(ClubhouseAPI.__init__)
    options = typing.get_type_hints(SessionOptions)
    for name, declared in options.items():
        assert declared == hints[name], name
