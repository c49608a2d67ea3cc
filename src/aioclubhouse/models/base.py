"""The base every response model shares: lenient decoding with the raw payload kept.

Fields the SDK does not know are ignored when decoding, but nothing is lost: the
dictionary the service sent stays reachable as ``model.raw``.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["Model", "SuccessResponse"]


@attrs.define(kw_only=True, eq=False)
class Model:
    """Base class of every response model (slotted, keyword-only)."""

    raw: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False, eq=False)


@attrs.define(kw_only=True)
class SuccessResponse(Model):
    """The plain ``{"success": true}`` answer of action endpoints."""

    success: bool = True
