"""``create_club`` and ``update_club_photo`` send real multipart forms over a socket."""

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

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 3 + b"\xff\xd9"


def form_parts(seen: Seen) -> dict[str, EmailMessage]:
    """The parts of a multipart/form-data request body, by field name."""
    assert seen.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    head = f"Content-Type: {seen.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + seen.body)
    assert isinstance(message, EmailMessage) and message.is_multipart()
    parts: dict[str, EmailMessage] = {}
    for part in message.iter_parts():
        assert isinstance(part, EmailMessage)
        name = part.get_param("name", header="content-disposition")
        assert isinstance(name, str) and name not in parts
        parts[name] = part
    return parts


def text_of(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def session_for(url: str) -> ClubhouseSession:
    creds = Credentials(user_id=42, auth_token="tok-club-upload", device_id="DEVICE-CLUB")
    retry = RetryPolicy(max_retries=2, base_delay=0.0, max_delay=0.0)
    return ClubhouseSession(creds, base_url=url, rate_limit=None, retry=retry)


def assert_jpeg_file(part: EmailMessage) -> None:
    assert part.get_filename() == "image.jpg"
    assert part.get_content_type() == "image/jpeg"
    assert part.get_payload(decode=True) == JPEG


@pytest.mark.parametrize("source", ["bytes", "path"])
async def test_update_club_photo_sends_the_club_and_the_file(source: str, tmp_path: Path) -> None:
    photo: bytes | Path = JPEG
    if source == "path":
        photo = tmp_path / "club.jpg"
        photo.write_bytes(JPEG)
    answer = Reply(json={"success": True, "club_id": 12, "photo_url": "https://cdn.test/c12"})
    async with scripted_server(answer) as server, session_for(server.url) as session:
        result = await session.update_club_photo(12, photo)
    assert result.club_id == 12 and result.photo_url == "https://cdn.test/c12"
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/api/update_club_photo")
    parts = form_parts(seen)
    assert sorted(parts) == ["club_id", "file"]
    assert text_of(parts["club_id"]) == "12"
    assert_jpeg_file(parts["file"])


async def test_create_club_sends_its_settings_as_form_fields(tmp_path: Path) -> None:
    photo = tmp_path / "club.jpg"
    photo.write_bytes(JPEG)
    answer = Reply(json={"success": True, "club_id": 4321})
    async with scripted_server(answer) as server, session_for(server.url) as session:
        result = await session.create_club(
            "Engines", description="Steam and diesel", photo=photo, is_membership_private=True
        )
    assert result.club_id == 4321
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/api/create_club")
    parts = form_parts(seen)
    fields = {name: text_of(part) for name, part in parts.items() if name != "file"}
    assert fields == {
        "name": "Engines",
        "description": "Steam and diesel",
        "is_follow_allowed": "true",
        "is_membership_private": "true",
        "is_community": "false",
    }
    assert_jpeg_file(parts["file"])


async def test_create_club_without_a_photo_has_no_file_part() -> None:
    answer = Reply(json={"success": True, "club_id": 4321})
    async with scripted_server(answer) as server, session_for(server.url) as session:
        await session.create_club("Engines")
    (seen,) = server.seen
    parts = form_parts(seen)
    assert "file" not in parts and text_of(parts["name"]) == "Engines"
    assert text_of(parts["description"]) == ""


async def test_a_resent_club_photo_carries_the_whole_file_again() -> None:
    busy = Reply(status=429, json={"detail": "slow down"}, headers={"Retry-After": "0"})
    answer = Reply(json={"success": True, "club_id": 12})
    async with scripted_server(busy, answer) as server, session_for(server.url) as session:
        await session.update_club_photo(12, JPEG)
    assert len(server.seen) == 2
    for seen in server.seen:
        parts = form_parts(seen)
        assert text_of(parts["club_id"]) == "12"
        assert_jpeg_file(parts["file"])
