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


_MANY: dict[Callable[[Any, Any], Any], Callable[[list[Any]], list[Any]]] = {}
"""Item hooks that can structure a whole list in one go (the straight model hooks)."""


def _list_hook_factory(tp: Any) -> Callable[[Any, Any], list[Any]]:
    (item_type,) = get_args(tp) or (Any,)
    item_hook = converter.get_structure_hook(item_type)
    many = _MANY.get(item_hook)

    def structure_list(value: Any, _: Any) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise ValueError(f"expected a list, got {type(value).__name__}")
        if many is not None:
            return many(value)
        return [item_hook(item, item_type) for item in value]

    return structure_list


converter.register_structure_hook_factory(_is_list, _list_hook_factory)


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, Model)


_INLINE_CHECKS: dict[Any, str] = {
    str: "type(v) is str",
    str | None: "v is None or type(v) is str",
    int: "type(v) is int",
    int | None: "v is None or type(v) is int",
    bool: "v is True or v is False",
    bool | None: "v is None or v is True or v is False",
}
"""Field types whose hook returns such a value unchanged: checked inline, hook skipped."""


def _model_hook_factory(cls: type[Model]) -> Callable[[Any, Any], Model]:
    attrs.resolve_types(cls)
    careful = _careful_model_hook(cls)
    fields = [f for f in attrs.fields(cls) if f.init]  # cattrs skips the others too
    if any(
        f.alias != f.name
        or f.converter is not None
        or (isinstance(f.default, attrs.Factory) and f.default.takes_self)  # type: ignore[arg-type]
        for f in fields
    ):
        return careful
    return _straight_model_hook(cls, fields, careful)


def _careful_model_hook(cls: type[Model]) -> Callable[[Any, Any], Model]:
    """The model step around the function cattrs generates: the reference behaviour."""
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


def _straight_model_hook(
    cls: type[Model], fields: list[attrs.Attribute[Any]], careful: Callable[[Any, Any], Model]
) -> Callable[[Any, Any], Model]:
    """:func:`_careful_model_hook`, written out straight for ``cls``.

    The same hooks run for the same keys (skipped for values they would return
    unchanged, see :data:`_INLINE_CHECKS`; a ``null`` in a field that does not admit
    it is a missing key) and the class is called with every field, defaults filled
    in, without cattrs' per-field error bookkeeping and result dictionary, which
    made up most of the cost of decoding a feed.  Whatever goes wrong, the careful hook runs instead
    and fails with cattrs' detailed message.  The code is written on first use, when
    the hooks of the fields can be had (a model may contain itself, as topics do).
    """
    build: Callable[[Any], Model] | None = None

    def structure_model(value: Any, tp: Any) -> Model:
        nonlocal build
        if build is None:
            build = _write_build(cls, fields)
        try:
            return build(value)
        except Exception:
            return careful(value, tp)  # the same work again, failing with cattrs' message

    def structure_many(values: list[Any]) -> list[Model]:
        """A list of them: one call per item fewer, the same outcome item by item."""
        nonlocal build
        if build is None:
            build = _write_build(cls, fields)
        try:
            return [build(value) for value in values]
        except Exception:
            return [structure_model(value, cls) for value in values]

    _MANY[structure_model] = structure_many
    return structure_model


def _write_build(cls: type[Model], fields: list[attrs.Attribute[Any]]) -> Callable[[Any], Model]:
    """The code of a straight hook: every field read once, converted only when its
    hook would change it, its default filled in, and ``cls`` called with them all."""
    nullable_default = set(_null_means_default(cls))
    namespace: dict[str, Any] = {
        "cls": cls,
        "set_raw": object.__setattr__,
    }
    lines = ["def build(o):", "    if type(o) is not dict:", "        raise TypeError"]
    arguments = []
    for number, field in enumerate(fields):
        key, v = repr(field.name), f"v{number}"
        namespace[f"hook{number}"] = converter.get_structure_hook(field.type)
        namespace[f"type{number}"] = field.type
        convert = f"{v} = hook{number}({v}, type{number})"
        inline = _INLINE_CHECKS.get(field.type)
        if inline is not None:
            needed = "not (" + inline.replace("v ", v + " ").replace("(v)", f"({v})") + ")"
        elif type(None) in get_args(field.type):
            needed = f"{v} is not None"  # every optional hook hands None back as it is
        else:
            needed = "True"
        default = field.default
        if default is attrs.NOTHING:
            lines += [f"    {v} = o[{key}]", f"    if {needed}:", f"        {convert}"]
        else:
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                factory: Any = default
                if factory.takes_self:
                    raise TypeError(f"{cls.__name__}.{field.name}: a default that takes self")
                namespace[f"factory{number}"] = factory.factory
                fill = f"factory{number}()"
            else:
                namespace[f"default{number}"] = default
                fill = f"default{number}"
            lines += [f"    if {key} in o:", f"        {v} = o[{key}]"]
            if field.name in nullable_default:
                lines += [f"        if {v} is None:", f"            {v} = {fill}"]
                lines += [f"        elif {needed}:", f"            {convert}"]
            else:
                lines += [f"        if {needed}:", f"            {convert}"]
            lines += ["    else:", f"        {v} = {fill}"]
        arguments.append(f"{field.name}={v}")
    if _fills_slots_directly(cls, fields):
        # What the attrs __init__ would do, without packing and unpacking the keywords
        # or making the ``raw`` dictionary that is replaced at once.
        namespace["new"] = object.__new__
        lines.append("    obj = new(cls)")
        lines += [f"    obj.{field.name} = v{number}" for number, field in enumerate(fields)]
        lines.append("    obj.raw = o")
        if hasattr(cls, "__attrs_post_init__"):
            lines.append("    obj.__attrs_post_init__()")
        lines.append("    return obj")
    else:
        lines += [
            f"    obj = cls({', '.join(arguments)})",
            "    set_raw(obj, 'raw', o)",
            "    return obj",
        ]
    exec("\n".join(lines), namespace)
    written: Callable[[Any], Model] = namespace["build"]
    return written


def _fills_slots_directly(cls: type[Model], fields: list[attrs.Attribute[Any]]) -> bool:
    """Whether setting the fields one by one is all the attrs ``__init__`` of ``cls`` does:
    plain slots (no frozen or hooked ``__setattr__``), no validators, no pre-init hook,
    and no field outside ``__init__`` but ``raw``."""
    plain = cls.__setattr__ is object.__setattr__ and "__slots__" in cls.__dict__
    outside = {f.name for f in attrs.fields(cls) if not f.init}
    return (
        plain
        and outside == {"raw"}
        and not hasattr(cls, "__attrs_pre_init__")
        and all(f.validator is None and f.on_setattr is None for f in fields)
    )


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
