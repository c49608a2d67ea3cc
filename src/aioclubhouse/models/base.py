"""The bases every response model shares: lenient decoding, the raw payload, identity.

Fields the SDK does not know are ignored when decoding, but nothing is lost: the
dictionary the service sent stays reachable as ``model.raw``. Models of things the
service gives an id (users, clubs, rooms, ...) compare and hash by that id alone, so
the same user found in two listings is one user.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs

__all__ = ["IdentifiedModel", "Model", "SuccessResponse"]


@attrs.define(kw_only=True, eq=False)
class Model:
    """Base class of every response model (slotted, keyword-only)."""

    raw: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)


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
