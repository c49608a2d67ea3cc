"""``report_incident`` sends the Android app's multipart form, part by part, over a socket."""

from __future__ import annotations

from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import BinaryIO

import pytest

from aioclubhouse import ClubhouseSession, Credentials
from aioclubhouse.models.account import ReportReason
from aioclubhouse.transport import RetryPolicy

from .scripted_server import Reply, Seen, scripted_server

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 2 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
REASON_STRINGS = [
    "",
    "abuse__bullying__or_harassment",
    "discrimination_or_hateful_conduct",
    "inappropriate_or_harmful_content",
    "trolling",
    "false_information",
    "platform_manipulation",
    "encouraging_users_to_violate_rules",
    "real_name_and_identity",
    "age_requirement",
    "illegal_activities",
    "violence_or_harm",
    "sharing_of_others__private_information",
    "fake_badges",
    "intellectual_property__copyright__or_trademark",
    "recording__transcribing__or_reproducing_content",
    "synthetic_or_manipulated_media",
    "self-harm_or_suicide",
    "other",
]


def parts(seen: Seen) -> list[EmailMessage]:
    """The parts of a multipart/form-data body, in the order they were sent."""
    assert seen.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    head = f"Content-Type: {seen.headers['Content-Type']}\r\n\r\n".encode()
    message = BytesParser(policy=policy.default).parsebytes(head + seen.body)
    assert isinstance(message, EmailMessage) and message.is_multipart()
    found = []
    for part in message.iter_parts():
        assert isinstance(part, EmailMessage)
        found.append(part)
    return found


def name_of(part: EmailMessage) -> str:
    name = part.get_param("name", header="content-disposition")
    assert isinstance(name, str)
    return name


def text_fields(seen: Seen) -> dict[str, str]:
    fields = {}
    for part in parts(seen):
        if part.get_filename() is None:
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            fields[name_of(part)] = payload.decode()
    return fields


def session_for(url: str) -> ClubhouseSession:
    creds = Credentials(user_id=42, auth_token="tok-report", device_id="DEVICE-REPORT")
    retry = RetryPolicy(max_retries=2, base_delay=0.0, max_delay=0.0)
    return ClubhouseSession(creds, base_url=url, rate_limit=None, retry=retry)


def test_the_reasons_are_the_apps_nineteen_in_its_order() -> None:
    assert [str(reason) for reason in ReportReason] == REASON_STRINGS
    assert ReportReason.SELF_HARM == "self-harm_or_suicide"


async def test_every_part_in_the_apps_order() -> None:
    async with scripted_server() as server, session_for(server.url) as session:
        result = await session.report_incident(
            7,
            incident_type=ReportReason.ABUSE,
            email="ada@example.test",
            channel="abcdefgh",
            incident_description="kept shouting",
            attachment=JPEG,
        )
    assert result.success is True
    (seen,) = server.seen
    assert (seen.method, seen.path) == ("POST", "/api/report_incident")
    assert seen.headers["Authorization"] == "Token tok-report"
    sent = parts(seen)
    assert [name_of(part) for part in sent] == [
        "user_id",
        "incident_type",
        "email",
        "channel",
        "incident_description",
        "attachment",
    ]
    assert text_fields(seen) == {
        "user_id": "7",
        "incident_type": "abuse__bullying__or_harassment",
        "email": "ada@example.test",
        "channel": "abcdefgh",
        "incident_description": "kept shouting",
    }
    attachment = sent[-1]
    assert attachment.get_filename() == "attachment.jpg"
    assert attachment.get_content_type() == "image/jpeg"
    assert attachment.get_payload(decode=True) == JPEG


async def test_only_the_three_fields_the_app_always_sends() -> None:
    async with scripted_server() as server, session_for(server.url) as session:
        await session.report_incident(7, incident_type="a_reason_newer_than_the_sdk")
    (seen,) = server.seen
    assert [name_of(part) for part in parts(seen)] == ["user_id", "incident_type", "email"]
    assert text_fields(seen) == {
        "user_id": "7",
        "incident_type": "a_reason_newer_than_the_sdk",
        "email": "",
    }


@pytest.fixture
def png_file(tmp_path: Path) -> Iterator[BinaryIO]:
    path = tmp_path / "screenshot.png"
    path.write_bytes(PNG)
    with path.open("rb") as handle:
        yield handle


@pytest.mark.parametrize("source", ["path", "file", "bytes", "bytes-with-type"])
async def test_the_attachment_keeps_its_own_content_type(
    source: str, tmp_path: Path, png_file: BinaryIO
) -> None:
    attachment: bytes | Path | BinaryIO = PNG
    attachment_type = None
    if source == "path":
        attachment = Path(png_file.name)
    elif source == "file":
        attachment = png_file
    elif source == "bytes-with-type":
        attachment_type = "image/heic"
    async with scripted_server() as server, session_for(server.url) as session:
        await session.report_incident(
            7,
            incident_type=ReportReason.OTHER,
            attachment=attachment,
            attachment_type=attachment_type,
        )
    (seen,) = server.seen
    file_part = parts(seen)[-1]
    assert name_of(file_part) == "attachment"
    assert file_part.get_filename() == "attachment.jpg"
    assert file_part.get_content_type() == (attachment_type or "image/png")
    assert file_part.get_payload(decode=True) == PNG


async def test_a_resent_report_carries_the_whole_attachment_again() -> None:
    busy = Reply(status=429, json={"detail": "slow down"}, headers={"Retry-After": "0"})
    async with scripted_server(busy, Reply()) as server, session_for(server.url) as session:
        await session.report_incident(7, incident_type="trolling", attachment=JPEG)
    assert len(server.seen) == 2
    for seen in server.seen:
        assert parts(seen)[-1].get_payload(decode=True) == JPEG
