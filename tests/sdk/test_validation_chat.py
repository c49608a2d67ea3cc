"""Bad arguments to the 'chat' endpoints are refused before anything is sent."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from aioclubhouse.auth import Credentials
from aioclubhouse.session import ClubhouseSession

from .argument_checks import assert_rejected
from .scripted_server import scripted_server

BAD_CALLS: list[tuple[str, Callable[[ClubhouseSession], Any], str]] = [
    ("create-nobody", lambda s: s.create_chat([]), "participant_ids"),
    ("create-not-list", lambda s: s.create_chat(7), "participant_ids"),
    ("create-bad-participant", lambda s: s.create_chat([7, 0]), "participant_ids[1]"),
    ("create-source-str", lambda s: s.create_chat([7], source="profile"), "source"),
    ("search-nobody", lambda s: s.search_chats([]), "participant_ids"),
    ("search-source-bool", lambda s: s.search_chats([7], source=True), "source"),
    ("messages-chat-0", lambda s: s.get_chat_messages(0), "chat_id"),
    ("messages-chat-empty", lambda s: s.get_chat_messages(""), "chat_id"),
    ("messages-chat-none", lambda s: s.get_chat_messages(None), "chat_id"),
    ("send-chat-0", lambda s: s.send_chat_message(0, "hi"), "chat_id"),
    ("send-empty-body", lambda s: s.send_chat_message(314, ""), "message_body"),
    ("send-body-none", lambda s: s.send_chat_message(314, None), "message_body"),
    (
        "send-empty-client-id",
        lambda s: s.send_chat_message(314, "hi", client_message_id=""),
        "client_message_id",
    ),
]


@pytest.mark.parametrize(
    ("call", "field"), [c[1:] for c in BAD_CALLS], ids=[c[0] for c in BAD_CALLS]
)
async def test_bad_argument_is_refused_locally(
    call: Callable[[ClubhouseSession], Any], field: str
) -> None:
    await assert_rejected(call, field)


async def test_a_missing_client_message_id_becomes_a_fresh_uuid() -> None:
    """Each send without an explicit id gets its own UUID4, so resends can be told apart."""
    creds = Credentials(user_id=42, auth_token="tok-chat", device_id="DEVICE-CHAT")
    async with (
        scripted_server() as server,
        ClubhouseSession(creds, base_url=server.url, rate_limit=None) as session,
    ):
        await session.send_chat_message(314, "first")
        await session.send_chat_message(314, "second")
    bodies = [json.loads(seen.body) for seen in server.seen]
    assert [b["message_body"] for b in bodies] == ["first", "second"]
    ids = [uuid.UUID(b["client_message_id"]) for b in bodies]
    assert all(i.version == 4 for i in ids) and ids[0] != ids[1]
    assert all(b["chat_id"] == 314 for b in bodies)
