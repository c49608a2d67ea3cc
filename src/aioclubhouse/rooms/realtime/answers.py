"""Reading what a PubNub server answers to a subscribe, without trusting any of it.

A subscribe answer is ``{"t": {"t": <timetoken>, "r": <region>}, "m": [<envelope>, ...]}``
(docs/pubnub.md section 3).  :func:`read_answer` either returns it checked
(a positive timetoken of at most :data:`MAX_TIMETOKEN_DIGITS` digits, a region of
digits or none, a list of envelopes) or raises :class:`MalformedAnswer`, which the
long-poll loop treats as a failed poll.  :func:`parse_envelope` reads one envelope
and gives up on it alone (logged) when it is unusable, so one bad envelope never
costs the others of its answer.  Nothing here raises anything else, whatever it is
given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from ...coerce import wire_int
from ...redaction import get_logger
from .listener import RealtimeMessage

__all__ = [
    "MAX_TIMETOKEN_DIGITS",
    "MalformedAnswer",
    "PollAnswer",
    "parse_envelope",
    "read_answer",
    "read_region",
    "read_timetoken",
]

log = get_logger("aioclubhouse.realtime")

MAX_TIMETOKEN_DIGITS = 19
"""PubNub timetokens have 17 digits (100 ns units since 1970) and will for centuries."""
MAX_REGION_DIGITS = 6


class MalformedAnswer(Exception):
    """A subscribe answer that cannot be applied; the poll counts as failed."""


@attrs.frozen(kw_only=True)
class PollAnswer:
    """A subscribe answer whose cursor and shape have been checked."""

    cursor: int
    region: str | None
    envelopes: Sequence[Any]
    """The items of ``m``, each still to be read with :func:`parse_envelope`."""


def read_timetoken(value: Any) -> int | None:
    """A positive timetoken from a number or a string of ASCII digits, else None."""
    if (
        type(value) is str
        and 0 < len(value) <= MAX_TIMETOKEN_DIGITS
        and value.isascii()
        and value.isdigit()
    ):
        # What PubNub sends: a string of ASCII digits, read without the general reader.
        number: int | None = int(value)
        return number if number else None
    number = wire_int(value)
    if number is None or number <= 0 or number >= 10**MAX_TIMETOKEN_DIGITS:
        return None
    return number


def read_region(value: Any) -> str | None:
    """A region as the digits that go back into ``tr=``; None when absent or not a
    small non-negative whole number (it is then simply not sent)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and not (
        0 < len(value) <= MAX_REGION_DIGITS and value.isascii() and value.isdigit()
    ):
        return None
    number = wire_int(value)
    if number is None or not 0 <= number < 10**MAX_REGION_DIGITS:
        return None
    return str(number)


def read_answer(answer: Any) -> PollAnswer:
    """The checked form of a subscribe answer; :class:`MalformedAnswer` if it has none."""
    if not isinstance(answer, dict):
        raise MalformedAnswer(f"the answer is a {type(answer).__name__}, not an object")
    cursor_info = answer.get("t")
    if not isinstance(cursor_info, dict):
        raise MalformedAnswer("'t' is not an object")
    cursor = read_timetoken(cursor_info.get("t"))
    if cursor is None:
        raise MalformedAnswer("'t.t' is not a timetoken")
    envelopes = answer.get("m", [])
    if envelopes is None:
        envelopes = []
    if not isinstance(envelopes, list):
        raise MalformedAnswer(f"'m' is a {type(envelopes).__name__}, not a list")
    return PollAnswer(cursor=cursor, region=read_region(cursor_info.get("r")), envelopes=envelopes)


def parse_envelope(envelope: Any) -> RealtimeMessage | None:
    """A message from a subscribe envelope, or None (logged) when it is unusable."""
    if not isinstance(envelope, dict):
        log.warning("ignoring a realtime envelope that is not an object")
        return None
    channel = envelope.get("c")
    published = envelope.get("p")
    timetoken = read_timetoken(published.get("t")) if isinstance(published, dict) else None
    if not isinstance(channel, str) or not channel or timetoken is None:
        log.warning("ignoring a realtime envelope without channel or timetoken")
        return None
    publisher = envelope.get("i")
    return RealtimeMessage(
        channel=channel,
        timetoken=timetoken,
        payload=envelope.get("d"),
        publisher=publisher if isinstance(publisher, str) else None,
    )
