"""The wire readers accept the forms the service sends and never raise on anything else."""

from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aioclubhouse.coerce import wire_bool, wire_int
from aioclubhouse.errors import DecodeError
from aioclubhouse.models.base import Model
from aioclubhouse.models.converter import structure


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (42, 42),
        ("42", 42),
        (" 42 ", 42),
        ("-7", -7),
        (3.0, 3),
        (3.5, None),
        (True, None),
        ("²", None),  # str.isdigit() is true for it, int() refuses it
        ("٣", None),  # an Arabic-Indic digit: not ASCII
        ("9" * 5000, None),  # beyond Python's int-string limit
        (float("inf"), None),
        (float("nan"), None),
        ("", None),
        ("-", None),
        (None, None),
        ([1], None),
    ],
)
def test_wire_int(value: Any, expected: int | None) -> None:
    assert wire_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), (0, False), (1, True), ("true", True), ("0", False), (2, None), ("x", None)],
)
def test_wire_bool(value: Any, expected: bool | None) -> None:
    assert wire_bool(value) is expected


@attrs.define(kw_only=True)
class Probe(Model):
    number: int = 0
    flag: bool = False


@pytest.mark.parametrize(
    "value", [42, "42", " 42 ", "-7", 3.0, 3.5, "²", "٣", "9" * 5000, "", "-", [1], {}]
)
def test_models_read_integers_with_the_wire_reader(value: Any) -> None:
    expected = wire_int(value)
    if expected is None:
        with pytest.raises(DecodeError):
            structure({"number": value}, Probe)
    else:
        assert structure({"number": value}, Probe).number == expected


@pytest.mark.parametrize("value", [True, 0, 1, "true", "0", " yes ", 2, "x", 1.0, None])
def test_models_read_flags_with_the_wire_reader(value: Any) -> None:
    expected = False if value is None else wire_bool(value)  # null takes the default
    if expected is None:
        with pytest.raises(DecodeError):
            structure({"flag": value}, Probe)
    else:
        assert structure({"flag": value}, Probe).flag is expected


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    )
)
def test_readers_never_raise(value: Any) -> None:
    result = wire_int(value)
    assert result is None or isinstance(result, int)
    assert wire_bool(value) in (True, False, None)
