"""Reading a server's answer within bounds: its length, and how deep its JSON nests.

A server, or anything pretending to be one, decides how long an answer is and what
is in it. These bounds are applied before anything else trusts the answer, by the
HTTP core for the APIs and by any other client of the SDK's that reads answers (the
realtime long-poll): :func:`read_limited` stops reading at a byte limit counted after
decompression, :func:`limited_response_class` puts that limit under a library that
reads with ``response.text()``, and :func:`nests_deeper_than` tells whether decoded
JSON is deeper than the code walking it should recurse.
"""

from __future__ import annotations

from typing import Any

import aiohttp

from .errors import InvalidArgumentError, ResponseTooLargeError

__all__ = [
    "DEFAULT_MAX_BODY_BYTES",
    "limited_response_class",
    "may_nest_deeper_than",
    "nests_deeper_than",
    "read_limited",
]

DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024
"""The longest answer read, counted after decompression: the largest Clubhouse and
Clarity answers (feeds, full topic lists, chat histories) are a few hundred KiB."""


async def read_limited(
    response: aiohttp.ClientResponse, limit: int, *, endpoint: str | None = None
) -> bytes:
    """The whole body of ``response``, refusing it once it grows past ``limit`` bytes.

    The bytes are counted as they arrive, after aiohttp has decompressed them, so a
    small gzip answer that inflates to hundreds of MiB stops at ``limit`` with no more
    than ``limit`` and one chunk in memory. A declared (uncompressed) length beyond the
    limit is refused before reading. On refusal the connection is closed and
    :class:`~aioclubhouse.errors.ResponseTooLargeError` raised.
    """
    declared = response.content_length
    encoded = response.headers.get("Content-Encoding")
    if declared is not None and declared > limit and not encoded:
        response.close()
        raise _too_large(response, limit, endpoint, f"declares {declared} bytes")
    if declared is not None and not encoded:
        # aiohttp reads no more than the declared length: bounded already, and whole.
        return await aiohttp.ClientResponse.read(response)
    body = bytearray()
    async for chunk in response.content.iter_any():
        body += chunk
        if len(body) > limit:
            response.close()
            raise _too_large(response, limit, endpoint, "is longer")
    return bytes(body)


def _too_large(
    response: aiohttp.ClientResponse, limit: int, endpoint: str | None, how: str
) -> ResponseTooLargeError:
    return ResponseTooLargeError(
        f"the answer {how} than the {limit}-byte limit (max_body_bytes); not read further",
        limit=limit,
        endpoint=endpoint,
        status=response.status,
    )


def limited_response_class(limit: int) -> type[aiohttp.ClientResponse]:
    """An ``aiohttp.ClientResponse`` whose ``read()`` (and so ``text()``, ``json()``) stops
    at ``limit`` bytes, for HTTP clients the SDK does not drive itself.

    Pass it as ``aiohttp.ClientSession(response_class=...)``: a library that reads its
    answers with ``await response.text()`` is then bounded like the SDK's own calls.
    """
    if limit < 1:
        raise InvalidArgumentError("limit", "must be at least 1 byte")

    class LimitedResponse(aiohttp.ClientResponse):
        max_body_bytes = limit

        async def read(self) -> bytes:
            # aiohttp's read() keeps the body in ``_body`` and returns it from then on;
            # filling it first leaves the rest of read() (and text(), json()) unchanged.
            if self._body is None:
                self._body = await read_limited(self, limit)
            return await super().read()

    return LimitedResponse


def may_nest_deeper_than(raw: bytes, limit: int) -> bool:
    """Whether JSON text could hold containers more than ``limit`` levels deep: every
    level opens with a ``[`` or ``{``, so text with no more of them than ``limit``
    cannot (counting them is far cheaper than walking the decoded value)."""
    return raw.count(b"{") + raw.count(b"[") > limit


def nests_deeper_than(value: Any, limit: int) -> bool:
    """Whether decoded JSON has containers more than ``limit`` levels deep.

    Walked level by level without recursion; only the plain dicts and lists a JSON
    decoder makes count as containers. This runs on every answer, so it is written
    for speed: about a quarter of ``json.loads``' time on a 6 MB feed.
    """
    level = [value] if type(value) is dict or type(value) is list else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below = []
        for item in level:
            for child in item.values() if type(item) is dict else item:
                kind = type(child)
                if kind is dict or kind is list:
                    below.append(child)
        level = below
    return False
