"""How each type an event field may have becomes JSON, comes back, and is described.

A :class:`Codec` is built once per type, from the type alone: how to encode a value
(``None`` when the value is JSON already, so the hot path skips a call), how to decode
it, and its JSON Schema.  Plain values are decoded strictly (a record holds what this
module wrote: an integer is a JSON integer); models go through the SDK's own decoder
(:func:`~aioclubhouse.models.converter.structure`), lenient as always.  The event
format (:mod:`aioclubhouse.bridge.format`) builds one per event field and the schema
(:mod:`aioclubhouse.bridge.schema`) is assembled from the same codecs, so the two can
never disagree.

Models (a user's profile, say) are written as their public fields: those in their
repr and not named like a credential (:data:`~aioclubhouse.redaction.SECRET_KEYS`).
Never their ``raw`` payload, which may hold anything the service sent.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs

from ..errors import DecodeError
from ..models.base import Model
from ..models.converter import structure
from ..redaction import SECRET_KEYS

__all__ = [
    "Codec",
    "Codecs",
    "InvalidValue",
    "first_paragraph",
    "public_fields",
    "timestamp_text",
]

Encode = Callable[[Any], Any]
Decode = Callable[[Any], Any]


class InvalidValue(ValueError):
    """A JSON value that is not what the field's type says (the message says why)."""


@attrs.frozen
class Codec:
    """One type's JSON form: ``encode`` (None: already JSON), ``decode``, ``schema``.

    ``accepts`` says whether a Python value is of this type, which is how a value of a
    union type finds its member.
    """

    encode: Encode | None
    decode: Decode
    schema: dict[str, Any]
    accepts: Callable[[Any], bool]

    def encoder(self) -> Encode:
        """``encode``, or the identity when the value is JSON already."""
        return self.encode or _same


def _same(value: Any) -> Any:
    return value


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:40]}{'...' if len(text) > 40 else ''}"


def _scalar(python_type: type, json_type: str) -> Codec:
    kinds: tuple[type, ...] = (int, float) if python_type is float else (python_type,)

    def accepts(value: Any) -> bool:
        if python_type is bool:
            return value is True or value is False
        return isinstance(value, kinds) and not isinstance(value, bool)

    def decode(value: Any) -> Any:
        if not accepts(value):
            raise InvalidValue(f"expected {json_type}, got {_describe(value)}")
        return value

    return Codec(encode=None, decode=decode, schema={"type": json_type}, accepts=accepts)


def _null() -> Codec:
    def decode(value: Any) -> None:
        if value is not None:
            raise InvalidValue(f"expected null, got {_describe(value)}")

    return Codec(encode=None, decode=decode, schema={"type": "null"}, accepts=lambda v: v is None)


def _any() -> Codec:
    return Codec(encode=None, decode=_same, schema={}, accepts=lambda v: True)


RFC_3339 = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"
"""What an RFC 3339 date-time looks like, for validators that do not check ``format``."""


def timestamp_text(moment: dt.datetime, *, milliseconds: bool = False) -> str:
    """RFC 3339 in UTC with a ``Z``: microseconds kept (if any), or exactly milliseconds.

    A naive datetime is taken as UTC, like the SDK's decoder does.
    """
    utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    text = utc.isoformat(timespec="milliseconds" if milliseconds else "auto")
    return text.removesuffix("+00:00") + "Z"


def _datetime() -> Codec:
    def decode(value: Any) -> dt.datetime:
        if isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        raise InvalidValue(f"expected an RFC 3339 date-time, got {_describe(value)}")

    return Codec(
        encode=timestamp_text,
        decode=decode,
        schema={"type": "string", "format": "date-time", "pattern": RFC_3339},
        accepts=lambda v: isinstance(v, dt.datetime),
    )


class Codecs:
    """Builds and caches the codec of each type; collects the schema ``$defs``.

    Enums and models are described once, under their class name in
    :attr:`definitions`, and referred to from wherever they are used.
    """

    def __init__(self) -> None:
        self._cache: dict[Any, Codec] = {
            bool: _scalar(bool, "boolean"),
            int: _scalar(int, "integer"),
            float: _scalar(float, "number"),
            str: _scalar(str, "string"),
            type(None): _null(),
            Any: _any(),
            dt.datetime: _datetime(),
        }
        self.definitions: dict[str, dict[str, Any]] = {}
        self._defined: dict[str, type] = {}

    def of(self, tp: Any) -> Codec:
        """The codec of ``tp`` (a resolved annotation); TypeError for a type it cannot carry."""
        codec = self._cache.get(tp)
        if codec is None:
            codec = self._build(tp)
            self._cache[tp] = codec
        return codec

    def _build(self, tp: Any) -> Codec:
        origin = typing.get_origin(tp)
        if origin is typing.Union or origin is types.UnionType:
            return self._union(typing.get_args(tp))
        if origin is list:
            (item,) = typing.get_args(tp) or (Any,)
            return self._list(self.of(item))
        if origin is dict:
            key, item = typing.get_args(tp) or (str, Any)
            if key is not str:
                raise TypeError(f"{tp}: JSON object keys are strings")
            return self._dict(self.of(item))
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._enum(tp)
        if isinstance(tp, type) and issubclass(tp, Model):
            return self._model(tp)
        raise TypeError(f"{tp!r} has no JSON form in the event format")

    def _define(self, cls: type, schema: dict[str, Any]) -> dict[str, Any]:
        """Record ``schema`` as ``$defs/<class name>`` and return a reference to it."""
        name = cls.__name__
        known = self._defined.setdefault(name, cls)
        if known is not cls:
            raise TypeError(f"{cls.__qualname__} and {known.__qualname__} share a schema name")
        self.definitions[name] = schema
        return {"$ref": f"#/$defs/{name}"}

    def _union(self, members: tuple[Any, ...]) -> Codec:
        codecs = [self.of(member) for member in members]
        nullable = any(member is type(None) for member in members)
        others = [c for c, m in zip(codecs, members, strict=True) if m is not type(None)]
        schema = _union_schema([c.schema for c in codecs])
        if all(c.encode is None for c in codecs):
            encode: Encode | None = None
        else:
            choices = [(c.accepts, c.encoder()) for c in others]

            def encode(value: Any) -> Any:
                if value is None:
                    return None
                for accepts, encode_member in choices:
                    if accepts(value):
                        return encode_member(value)
                return value

        def decode(value: Any) -> Any:
            if value is None and nullable:
                return None
            problems = []
            for codec in others:
                try:
                    return codec.decode(value)
                except InvalidValue as exc:
                    problems.append(str(exc))
            raise InvalidValue("; ".join(problems) or f"unexpected {_describe(value)}")

        def accepts(value: Any) -> bool:
            return any(codec.accepts(value) for codec in codecs)

        return Codec(encode=encode, decode=decode, schema=schema, accepts=accepts)

    def _list(self, item: Codec) -> Codec:
        encode_item, decode_item = item.encode, item.decode

        def encode(value: Any) -> list[Any]:
            return list(value) if encode_item is None else [encode_item(v) for v in value]

        def decode(value: Any) -> list[Any]:
            if not isinstance(value, list):
                raise InvalidValue(f"expected an array, got {_describe(value)}")
            return [decode_item(v) for v in value]

        return Codec(
            encode=encode,
            decode=decode,
            schema={"type": "array", "items": item.schema},
            accepts=lambda v: isinstance(v, list),
        )

    def _dict(self, item: Codec) -> Codec:
        encode_item, decode_item = item.encode, item.decode

        def encode(value: Any) -> dict[str, Any]:
            if encode_item is None:
                return dict(value)
            return {k: encode_item(v) for k, v in value.items()}

        def decode(value: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise InvalidValue(f"expected an object, got {_describe(value)}")
            return {k: decode_item(v) for k, v in value.items()}

        schema: dict[str, Any] = {"type": "object"}
        if item.schema:
            schema["additionalProperties"] = item.schema
        return Codec(
            encode=encode, decode=decode, schema=schema, accepts=lambda v: isinstance(v, dict)
        )

    def _enum(self, cls: type[enum.Enum]) -> Codec:
        values = [member.value for member in cls]
        if not all(isinstance(v, (str, int)) and not isinstance(v, bool) for v in values):
            raise TypeError(f"{cls.__qualname__}: only string or integer values have a JSON form")
        json_types = sorted({"string" if isinstance(v, str) else "integer" for v in values})
        schema: dict[str, Any] = {
            "title": cls.__name__,
            "type": json_types[0] if len(json_types) == 1 else json_types,
            "enum": values,
        }
        if cls.__doc__:
            schema["description"] = first_paragraph(cls.__doc__)

        def decode(value: Any) -> enum.Enum:
            if isinstance(value, bool):
                raise InvalidValue(f"expected one of {values}, got {_describe(value)}")
            try:
                return cls(value)
            except ValueError:
                raise InvalidValue(f"expected one of {values}, got {_describe(value)}") from None

        return Codec(
            encode=lambda member: member.value,
            decode=decode,
            schema=self._define(cls, schema),
            accepts=lambda v: isinstance(v, cls),
        )

    def _model(self, cls: type[Model]) -> Codec:
        hints = typing.get_type_hints(cls)
        fields = [(field.name, self.of(hints[field.name])) for field in public_fields(cls)]
        properties = {name: codec.schema for name, codec in fields}
        schema: dict[str, Any] = {"title": cls.__name__}
        if cls.__doc__:
            schema["description"] = first_paragraph(cls.__doc__)
        schema |= {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": True,
        }
        reference = self._define(cls, schema)
        writers = [(name, codec.encode) for name, codec in fields]

        def encode(model: Any) -> dict[str, Any]:
            data = {}
            for name, encode_field in writers:
                value = getattr(model, name)
                data[name] = value if encode_field is None or value is None else encode_field(value)
            return data

        def decode(value: Any) -> Model:
            if not isinstance(value, dict):
                raise InvalidValue(f"expected an object, got {_describe(value)}")
            try:
                return structure(value, cls)
            except DecodeError as exc:
                raise InvalidValue(exc.message) from None

        return Codec(
            encode=encode, decode=decode, schema=reference, accepts=lambda v: isinstance(v, cls)
        )


def public_fields(cls: type) -> list[attrs.Attribute[Any]]:
    """The fields of a model the event format writes.

    Those a caller passes (``init``) and sees in the repr: secrets and aliases are kept
    out of reprs, and ``raw`` is not an init field.  A field named like a credential is
    left out whatever its repr says.  A left-out field needs a default, so that the
    model can be rebuilt from what was written.
    """
    chosen = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        if field.repr is not False and field.name.lower() not in SECRET_KEYS:
            chosen.append(field)
        elif field.default is attrs.NOTHING:
            raise TypeError(f"{cls.__qualname__}.{field.name}: hidden and without a default")
    return chosen


def _union_schema(members: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"type": [...]}`` when every member is a bare JSON type, else ``anyOf``."""
    if all(set(schema) == {"type"} and isinstance(schema["type"], str) for schema in members):
        return {"type": [schema["type"] for schema in members]}
    flat: list[dict[str, Any]] = []
    for schema in members:
        for member in schema.get("anyOf", [schema]):
            if member not in flat:
                flat.append(member)
    return {"anyOf": flat}


_ROLE = re.compile(r":[a-z]+:`~?(?:[\w.]*\.)?([^`.]+)`")


def first_paragraph(text: str) -> str:
    """A docstring's first paragraph on one line, in Markdown: ``:class:`~a.B``` -> `` `B` ``."""
    paragraph = text.strip().split("\n\n", 1)[0]
    words = " ".join(line.strip() for line in paragraph.splitlines())
    return _ROLE.sub(r"`\1`", words).replace("``", "`")
