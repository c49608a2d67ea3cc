"""File uploads: reading the file the caller gave and wrapping it in a multipart form.

Profile and club pictures travel the same way: a JPEG in a ``file`` part named
``image.jpg``, after any plain text fields the endpoint wants. An incident report's
attachment is a part named ``attachment`` with the filename ``attachment.jpg`` and the
file's own content type, as the Android app sends it.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO

import aiohttp
import attrs

from ..errors import InvalidArgumentError

__all__ = [
    "FilePart",
    "Photo",
    "Upload",
    "guess_content_type",
    "jpeg_part",
    "multipart_form",
    "read_photo",
    "read_upload",
]

Upload = bytes | str | os.PathLike[str] | BinaryIO
"""A file as bytes, the path of a file, or a binary file object open for reading."""
Photo = Upload
"""An image as bytes, the path of an image file, or a binary file object."""

OCTET_STREAM = "application/octet-stream"
# Leading bytes of the image formats a phone's gallery holds.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


@attrs.frozen(kw_only=True)
class FilePart:
    """One file in a multipart form: the part's name, the filename sent, the bytes."""

    name: str
    filename: str
    content: bytes = attrs.field(repr=False)
    content_type: str


async def read_upload(source: Upload, field: str) -> bytes:
    """The bytes of ``source``: given, read from a path or a file object off the event loop.

    ``field`` names the argument in errors.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        content = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            content = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            raise InvalidArgumentError(field, f"cannot read {path}: {exc.strerror}") from None
    elif callable(getattr(source, "read", None)):
        try:
            data = await asyncio.to_thread(source.read)
        except OSError as exc:
            raise InvalidArgumentError(field, f"cannot read the file: {exc.strerror}") from None
        if not isinstance(data, bytes):
            raise InvalidArgumentError(field, "the file must be opened in binary mode ('rb')")
        content = data
    else:
        raise InvalidArgumentError(field, "must be bytes, a path or a binary file object")
    if not content:
        raise InvalidArgumentError(field, "is empty")
    return content


async def read_photo(photo: Photo) -> bytes:
    """The image to upload: given as bytes, or read from a path or a file object."""
    return await read_upload(photo, "photo")


def guess_content_type(source: Upload, content: bytes) -> str:
    """The MIME type of an upload: from its file name if it has one, else its first bytes.

    What the app sends is the type the phone's gallery reports for the picked file;
    a file name's extension or an image's signature is the nearest equivalent here.
    """
    name: object = source if isinstance(source, (str, os.PathLike)) else None
    if name is None and not isinstance(source, (bytes, bytearray, memoryview)):
        name = getattr(source, "name", None)
    if isinstance(name, (str, os.PathLike)):
        guessed, _ = mimetypes.guess_type(os.fspath(name))
        if guessed:
            return guessed
    for signature, content_type in _SIGNATURES:
        if content.startswith(signature):
            return content_type
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    return OCTET_STREAM


def jpeg_part(image: bytes) -> FilePart:
    """A picture as profile and club uploads send it."""
    return FilePart(name="file", filename="image.jpg", content=image, content_type="image/jpeg")


def multipart_form(fields: Mapping[str, str], *files: FilePart) -> Callable[[], aiohttp.FormData]:
    """A factory of the multipart body: ``fields`` in order, then the files.

    A factory because a ``FormData`` can be sent only once and a retry needs a fresh one;
    multipart even without a file, since these endpoints take nothing else.
    """

    def build() -> aiohttp.FormData:
        data = aiohttp.FormData(default_to_multipart=True)
        for key, value in fields.items():
            data.add_field(key, value)
        for part in files:
            data.add_field(
                part.name, part.content, filename=part.filename, content_type=part.content_type
            )
        return data

    return build
