"""``update_photo`` sends a real multipart upload, and a fresh one when it must resend."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from aioclubhouse.auth import Credentials
from aioclubhouse.session import ClubhouseSession
from aioclubhouse.transport import RetryPolicy

from .scripted_server import Reply, Seen, scripted_server

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4 + b"\xff\xd9"
PHOTO_URL = "https://cdn.example.test/42.jpg"


def uploaded_part(seen: Seen) -> EmailMessage:
    """The single ``file`` part of a multipart/form-data request body."""
    head = f"Content-Type: {seen.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + seen.body)
    assert isinstance(message, EmailMessage) and message.is_multipart()
    (part,) = list(message.iter_parts())
    assert isinstance(part, EmailMessage)
    return part


def session_for(url: str) -> ClubhouseSession:
    creds = Credentials(user_id=42, auth_token="tok-upload", device_id="DEVICE-UP")
    retry = RetryPolicy(max_retries=2, base_delay=0.0, max_delay=0.0)
    return ClubhouseSession(creds, base_url=url, rate_limit=None, retry=retry)


@pytest.mark.parametrize("source", ["bytes", "path"])
async def test_photo_goes_up_as_a_jpeg_file_field(source: str, tmp_path: Path) -> None:
    photo: bytes | Path = JPEG
    if source == "path":
        photo = tmp_path / "portrait.jpg"
        photo.write_bytes(JPEG)
    answer = Reply(json={"success": True, "photo_url": PHOTO_URL})
    async with scripted_server(answer) as server, session_for(server.url) as session:
        result = await session.update_photo(photo)
    assert result.photo_url == PHOTO_URL
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/api/update_photo")
    assert seen.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert seen.headers["Authorization"] == "Token tok-upload"
    part = uploaded_part(seen)
    assert part.get_param("name", header="content-disposition") == "file"
    assert part.get_filename() == "image.jpg"
    assert part.get_content_type() == "image/jpeg"
    assert part.get_payload(decode=True) == JPEG


async def test_a_resent_upload_carries_the_whole_file_again() -> None:
    busy = Reply(status=429, json={"detail": "slow down"}, headers={"Retry-After": "0"})
    answer = Reply(json={"success": True, "photo_url": PHOTO_URL})
    async with scripted_server(busy, answer) as server, session_for(server.url) as session:
        result = await session.update_photo(JPEG)
    assert result.photo_url == PHOTO_URL
    assert len(server.seen) == 2
    for seen in server.seen:
        assert uploaded_part(seen).get_payload(decode=True) == JPEG
