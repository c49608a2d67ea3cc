"""The bases every response model shares: lenient decoding, the raw payload, identity.

Fields the SDK does not know are ignored when decoding, but nothing is lost: the
dictionary the service sent stays reachable as ``model.raw``. Models of things the
service gives an id (users, clubs, rooms, ...) compare and hash by that id alone, so
the same user found in two listings is one user.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

from ..redaction import redact_payload

__all__ = ["IdentifiedModel", "Model", "SuccessResponse", "short_repr"]


_REPR_FIELDS = frozenset(
    {
        "id",
        "user_id",
        "club_id",
        "channel",
        "channel_id",
        "event_id",
        "topic_id",
        "chat_id",
        "notification_id",
        "name",
        "username",
        "title",
        "topic",
        "status",
    }
)
"""The fields a model's repr shows: what tells one thing from another, nothing more."""
_REPR_TEXT = 40
"""Characters of a shown text kept in a repr (names and topics can be long)."""


def short_repr(model: Model) -> str:
    """``Class(id=..., name=...)``: identifying fields, nested models the same way, and
    lists as their lengths. The whole payload is in ``raw``; a log line needs little."""
    parts = []
    for field in attrs.fields(type(model)):
        if not field.repr:
            continue
        value = getattr(model, field.name)
        if field.name in _REPR_FIELDS and value is not None:
            if isinstance(value, str) and len(value) > _REPR_TEXT:
                value = value[: _REPR_TEXT - 3] + "..."
            parts.append(f"{field.name}={value!r}")
        elif isinstance(value, Model):
            parts.append(f"{field.name}={short_repr(value)}")
        elif isinstance(value, list) and value:
            parts.append(f"{field.name}=[{len(value)} items]")
    return f"{type(model).__name__}({', '.join(parts)})"


@attrs.define(kw_only=True, eq=False)
class Model:
    """Base class of every response model (slotted, keyword-only).

    Its repr is short (:func:`short_repr`): ids and names, never tokens.
    """

    @classmethod
    def __attrs_init_subclass__(cls) -> None:
        # attrs writes a full __repr__ for every class it builds; models keep the short one.
        cls.__repr__ = short_repr  # type: ignore[assignment,method-assign]

    raw: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)
    """The decoded JSON object the service sent, unknown fields and credentials included
    (``to_dict()`` gives the fields without credentials)."""

    def to_dict(self, *, redact: bool = True) -> dict[str, Any]:
        """The model's fields as plain JSON values, nested models included.

        Times become ISO-8601 strings and enums their wire values. With ``redact`` (the
        default) every value under a credential key (``auth_token``, ``token``,
        ``pubnub_token``, ... :data:`~aioclubhouse.redaction.SECRET_KEYS`) is
        replaced by ``"<redacted>"``, so the result can be logged or stored; for the
        whole payload as sent, use ``redact_payload(model.raw)``.
        """
        from .converter import unstructure  # the converter imports this module

        data: dict[str, Any] = unstructure(self)
        return redact_payload(data) if redact else data


@attrs.define(kw_only=True, eq=False)
class IdentifiedModel(Model):
    """A model of an entity with an id: equal to (and hashed like) any model of the same
    ``entity`` kind carrying the same id in its ``id_field``.

    Subclasses set both class variables and are declared with ``eq=False`` so that attrs
    keeps this comparison.
    """

    entity: ClassVar[str]
    id_field: ClassVar[str]

    def _identity(self) -> tuple[str, Any]:
        return (self.entity, getattr(self, self.id_field))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, IdentifiedModel):
            return NotImplemented
        return self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())


@attrs.define(kw_only=True)
class SuccessResponse(Model):
    """The plain ``{"success": true}`` answer of action endpoints."""

    success: bool = True
