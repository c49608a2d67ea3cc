"""Turning models and events into JSON for the terminal and for pipes."""

from __future__ import annotations

import datetime as dt
import enum
import json
from typing import Any

import attrs

from ..models.base import Model
from ..pagination import Page
from ..redaction import redact_payload


def to_jsonable(value: Any) -> Any:
    """A JSON-ready view of a model, page, event or plain value.

    Models print what the service sent (``raw``); events print their type and fields.
    """
    if isinstance(value, Model):
        return to_jsonable(value.raw or _fields(value))
    if isinstance(value, Page):
        return {
            "items": [to_jsonable(item) for item in value.items],
            "count": value.count,
            "next": value.next,
            "previous": value.previous,
        }
    if attrs.has(type(value)):
        return {"type": type(value).__name__, **to_jsonable(_fields(value))}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.name.lower() if isinstance(value.value, str) else value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _fields(value: Any) -> dict[str, Any]:
    return {
        field.name: getattr(value, field.name)
        for field in attrs.fields(type(value))
        if field.name != "raw" and field.repr is not False
    }


def dumps(value: Any, *, pretty: bool = False) -> str:
    """JSON text for ``value``, with every credential the payload holds redacted."""
    return json.dumps(
        redact_payload(to_jsonable(value)),
        ensure_ascii=False,
        indent=2 if pretty else None,
        default=str,
    )
