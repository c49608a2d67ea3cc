"""The arguments an endpoint reads, and how a value a client sent is checked against them.

An endpoint declares its fields with the constructors here (``int_field("user_id",
required=True)``, ``bool_field("is_private")``, ...); `check_arguments` turns what a
request carried into those types, or raises `ArgumentError` naming the field, which
the dispatcher answers with the service's 400.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

import attrs

from aioclubhouse.emulator.request_values import read_bool, read_int

Json = dict[str, Any]

MAX_TEXT = 10_000
"""Longest string any field accepts."""
MAX_INT = 2**63 - 1
MAX_PAGE_SIZE = 1000


class ArgumentError(Exception):
    """A request argument is missing or unusable; the message names it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Kind(enum.Enum):
    """The type a field's value must have (the value is how errors describe it)."""

    INT = "an integer"
    BOOL = "a boolean"
    STR = "a string"
    TEXT = "a string or a number"
    INT_LIST = "a list of integers"
    STR_LIST = "a list of strings"
    OBJECT = "an object"
    OBJECT_LIST = "a list of objects"
    FILE = "an uploaded file"


@attrs.frozen(kw_only=True)
class UploadedFile:
    """A file part of a multipart request, as the client labelled it."""

    content: bytes = attrs.field(repr=False)
    filename: str | None = None
    content_type: str = "application/octet-stream"


@attrs.frozen(kw_only=True)
class Field:
    """One argument an endpoint reads: its name, type, and whether it must be there."""

    name: str
    kind: Kind
    required: bool = False
    default: Any = None
    minimum: int | None = None
    maximum: int | None = None


def int_field(
    name: str,
    *,
    required: bool = False,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> Field:
    """An integer, optionally bounded."""
    return Field(
        name=name,
        kind=Kind.INT,
        required=required,
        default=default,
        minimum=minimum,
        maximum=maximum,
    )


def bool_field(name: str, *, required: bool = False, default: bool | None = None) -> Field:
    """A flag: true/false, 0/1 or a word."""
    return Field(name=name, kind=Kind.BOOL, required=required, default=default)


def str_field(name: str, *, required: bool = False, default: str | None = None) -> Field:
    """A string."""
    return Field(name=name, kind=Kind.STR, required=required, default=default)


def text_field(name: str, *, required: bool = False) -> Field:
    """A string that some clients send as a number (codes, ids used as text)."""
    return Field(name=name, kind=Kind.TEXT, required=required)


def int_list_field(name: str, *, required: bool = False) -> Field:
    """A list of integers (comma-separated in a query string or a form)."""
    return Field(name=name, kind=Kind.INT_LIST, required=required)


def str_list_field(name: str, *, required: bool = False) -> Field:
    """A list of strings (comma-separated in a query string or a form)."""
    return Field(name=name, kind=Kind.STR_LIST, required=required)


def object_field(name: str, *, required: bool = False) -> Field:
    """A JSON object."""
    return Field(name=name, kind=Kind.OBJECT, required=required)


def object_list_field(name: str, *, required: bool = False) -> Field:
    """A list of JSON objects."""
    return Field(name=name, kind=Kind.OBJECT_LIST, required=required)


def file_field(name: str, *, required: bool = False) -> Field:
    """An uploaded file (a multipart part), as an `UploadedFile`."""
    return Field(name=name, kind=Kind.FILE, required=required)


def page_fields(page_size: int) -> tuple[Field, ...]:
    """``page`` (from 1) and ``page_size`` (`page_size` unless the client says otherwise)."""
    return (
        int_field("page", default=1, minimum=1, maximum=MAX_INT),
        int_field("page_size", default=page_size, minimum=1, maximum=MAX_PAGE_SIZE),
    )


def _list(value: Any, *, textual: bool) -> list[Any] | None:
    if isinstance(value, list):
        return value
    if textual and isinstance(value, str):
        return [part for part in value.split(",") if part.strip()]
    return None


def _bounded_int(value: Any) -> int | None:
    number = read_int(value)
    return number if number is not None and abs(number) <= MAX_INT else None


def convert(field: Field, value: Any, *, textual: bool) -> Any:
    """Check one value against its field; return it in the field's type or raise.

    `textual` values came from a query string or a form, where everything is a string.
    """
    problem = f"{field.name} must be {field.kind.value}"
    result: Any
    match field.kind:
        case Kind.INT:
            result = _bounded_int(value)
            if result is None:
                raise ArgumentError(problem)
            if field.minimum is not None and result < field.minimum:
                raise ArgumentError(f"{field.name} must be at least {field.minimum}")
            if field.maximum is not None and result > field.maximum:
                raise ArgumentError(f"{field.name} must be at most {field.maximum}")
        case Kind.BOOL:
            result = read_bool(value)
        case Kind.STR:
            result = value if isinstance(value, str) else None
        case Kind.TEXT:
            number_like = isinstance(value, int) and not isinstance(value, bool)
            result = str(value) if number_like or isinstance(value, str) else None
        case Kind.INT_LIST:
            items = _list(value, textual=textual)
            result = None if items is None else [_bounded_int(item) for item in items]
            if result is not None and None in result:
                result = None
        case Kind.STR_LIST:
            items = _list(value, textual=textual)
            ok = items is not None and all(isinstance(item, str) for item in items)
            result = items if ok else None
        case Kind.OBJECT:
            result = value if isinstance(value, dict) else None
        case Kind.OBJECT_LIST:
            ok = isinstance(value, list) and all(isinstance(item, dict) for item in value)
            result = value if ok else None
        case Kind.FILE:
            result = value if isinstance(value, UploadedFile) else None
    if result is None:
        raise ArgumentError(problem)
    if isinstance(result, str) and len(result) > MAX_TEXT:
        raise ArgumentError(f"{field.name} is too long")
    return result


def check_arguments(fields: Iterable[Field], raw: Json, textual: set[str]) -> Json:
    """Every declared field, converted, defaulted, or refused when required and absent."""
    args: Json = {}
    for field in fields:
        value = raw.get(field.name)
        if value is None or (value == "" and field.name in textual and field.kind != Kind.STR):
            if field.required:
                raise ArgumentError(f"Missing field: {field.name}")
            args[field.name] = field.default
            continue
        args[field.name] = convert(field, value, textual=field.name in textual)
    return args
