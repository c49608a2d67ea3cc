"""The one cattrs converter that turns JSON payloads into models, built once.

Leniency rules: unknown keys are ignored, missing keys fall back to field defaults,
``null`` where a model expects a list becomes an empty list, timestamps may be ISO-8601
strings or epoch numbers, and integers and flags are read by the SDK's one lenient
reader (:mod:`aioclubhouse.coerce`). A payload of the wrong shape raises
:class:`DecodeError`, whatever went wrong inside (a number too large for a timestamp,
nesting too deep to walk): nothing else comes out of :func:`structure`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from ..coerce import wire_bool, wire_int
from ..errors import DecodeError
from .base import Model

__all__ = ["converter", "structure", "unstructure"]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=False)


def _structure_datetime(value: Any, _: type) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC)
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                return dt.datetime.fromtimestamp(float(text), tz=dt.UTC)
            except ValueError:
                raise ValueError(f"not a timestamp: {value!r}") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)
    raise ValueError(f"not a timestamp: {value!r}")


def _structure_int(value: Any, _: type) -> int:
    if type(value) is int:  # the common case first: this runs for every integer field
        return value
    if isinstance(value, bool):
        return int(value)
    number = wire_int(value)
    if number is None:
        raise ValueError(f"not an integer: {value!r}")
    return number


def _structure_str(value: Any, _: type) -> str:
    if type(value) is str or isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"not a string: {value!r}")


def _structure_bool(value: Any, _: type) -> bool:
    if value is True or value is False:
        return bool(value)
    flag = wire_bool(value)
    if flag is None:
        raise ValueError(f"not a boolean: {value!r}")
    return flag


def _structure_any(value: Any, _: type) -> Any:
    return value


converter.register_structure_hook(dt.datetime, _structure_datetime)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook(Any, _structure_any)


def _optional(structure_value: Callable[[Any, type], Any]) -> Callable[[Any, Any], Any]:
    """A direct hook for ``X | None``: cheaper than cattrs' general union handling."""

    def structure_optional(value: Any, tp: Any) -> Any:
        return None if value is None else structure_value(value, tp)

    return structure_optional


for _scalar, _hook in (
    (int, _structure_int),
    (str, _structure_str),
    (bool, _structure_bool),
    (dt.datetime, _structure_datetime),
):
    converter.register_structure_hook(_scalar | None, _optional(_hook))


def _is_list(tp: Any) -> bool:
    return get_origin(tp) is list


def _list_hook_factory(tp: Any) -> Callable[[Any, Any], list[Any]]:
    (item_type,) = get_args(tp) or (Any,)
    item_hook = converter.get_structure_hook(item_type)

    def structure_list(value: Any, _: Any) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        return [item_hook(item, item_type) for item in value]

    return structure_list


converter.register_structure_hook_factory(_is_list, _list_hook_factory)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Model)


def _model_hook_factory(cls: type[Model]) -> Callable[[Any, Any], Model]:
    attrs.resolve_types(cls)
    build = make_dict_structure_fn(cls, converter)
    null_means_default = _null_means_default(cls)

    def structure_model(value: Any, _: Any) -> Model:
        if not isinstance(value, dict):
            raise ValueError(f"{cls.__name__}: expected an object, got {type(value).__name__}")
        data = value
        for name in null_means_default:
            if name in value and value[name] is None:
                data = {
                    k: v for k, v in value.items() if v is not None or k not in null_means_default
                }
                break
        obj = build(data, cls)
        object.__setattr__(obj, "raw", value)
        return obj

    return structure_model


def _null_means_default(cls: type[Model]) -> tuple[str, ...]:
    """Fields with a default whose type does not admit None: a ``null`` takes the default."""
    names = []
    for field in attrs.fields(cls):
        if field.default is attrs.NOTHING or not field.init:
            continue
        if type(None) not in get_args(field.type) and field.type is not Any:
            names.append(field.name)
    return tuple(names)


converter.register_structure_hook_factory(_is_model, _model_hook_factory)


# -- unstructuring: models back to plain JSON values (Model.to_dict) ------------------
unstructuring = cattrs.Converter()
unstructuring.register_unstructure_hook(dt.datetime, lambda moment: moment.isoformat())
unstructuring.register_unstructure_hook_factory(
    _is_model,
    lambda cls: make_dict_unstructure_fn(cls, unstructuring, raw=override(omit=True)),
)


def unstructure(model: Model) -> dict[str, Any]:
    """``model``'s fields (``raw`` left out) as JSON values: nested models as objects,
    times as ISO-8601 strings, enums as their values."""
    data: dict[str, Any] = unstructuring.unstructure(model)
    return data


def structure(payload: Any, cls: type[T], *, endpoint: str | None = None) -> T:
    """Decode ``payload`` into ``cls``, raising :class:`DecodeError` on a wrong shape."""
    try:
        return converter.structure(payload, cls)
    except _DECODE_FAILURES as exc:
        detail = _describe(exc)
        raise DecodeError(
            f"could not decode {getattr(cls, '__name__', cls)}: {detail}",
            endpoint=endpoint,
            body=payload,  # the error keeps a copy without credentials (errors.py)
        ) from exc


_DECODE_FAILURES = (
    cattrs.BaseValidationError,
    ValueError,
    TypeError,
    KeyError,
    ArithmeticError,  # OverflowError: an epoch beyond any datetime
    RecursionError,
)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, cattrs.BaseValidationError):
        messages = cattrs.transform_error(exc)
        return "; ".join(messages[:3])
    return str(exc) or type(exc).__name__
