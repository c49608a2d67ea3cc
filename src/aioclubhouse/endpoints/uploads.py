"""Picture uploads: reading the image the caller gave and wrapping it in a multipart form.

Profile and club pictures travel the same way: a JPEG in a ``file`` part named
``image.jpg``, after any plain text fields the endpoint wants.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from pathlib import Path

import aiohttp

from ..errors import InvalidArgumentError

__all__ = ["Photo", "multipart_form", "read_photo"]

Photo = bytes | str | os.PathLike[str]
"""An image as bytes, or the path of an image file."""


async def read_photo(photo: Photo) -> bytes:
    """The image to upload: given as bytes, or read from a path off the event loop."""
    if isinstance(photo, (bytes, bytearray, memoryview)):
        content = bytes(photo)
    elif isinstance(photo, (str, os.PathLike)):
        path = Path(photo)
        try:
            content = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            raise InvalidArgumentError("photo", f"cannot read {path}: {exc.strerror}") from None
    else:
        raise InvalidArgumentError("photo", "must be bytes or a path to an image file")
    if not content:
        raise InvalidArgumentError("photo", "is empty")
    return content


def multipart_form(
    fields: Mapping[str, str], image: bytes | None
) -> Callable[[], aiohttp.FormData]:
    """A factory of the multipart body: ``fields`` in order, then the JPEG if there is one.

    A factory because a ``FormData`` can be sent only once and a retry needs a fresh one;
    multipart even without an image, since these endpoints take nothing else.
    """

    def build() -> aiohttp.FormData:
        data = aiohttp.FormData(default_to_multipart=True)
        for key, value in fields.items():
            data.add_field(key, value)
        if image is not None:
            data.add_field("file", image, filename="image.jpg", content_type="image/jpeg")
        return data

    return build
