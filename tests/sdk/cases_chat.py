"""Request-shape cases for the 'chat' endpoints (direct messages)."""

from __future__ import annotations

from typing import Any

from aioclubhouse.models.base import SuccessResponse
from aioclubhouse.models.chat import Chat, ChatMessages, ChatResult, ChatsResult
from aioclubhouse.models.users import UserShort

from .endpoint_cases import EndpointCase

MESSAGE_ID = "5f0c7d2e-8a41-4c53-9d55-3f1e6b0a2c11"
MESSAGE = {
    "message_id": 901,
    "chat_id": 314,
    "client_message_id": MESSAGE_ID,
    "message_body": "see you in the room",
    "user_profile": {"user_id": 7, "name": "Ada", "username": "ada"},
    "time_created": "2022-03-12T09:30:00Z",
}
CHAT = {
    "chat_id": 314,
    "participants": [{"user_id": 7, "name": "Ada"}, {"user_id": 42, "name": "Me"}],
    "last_message": MESSAGE,
    "is_unread": True,
    "time_updated": 1647077400,
}


def is_success(result: Any) -> None:
    assert isinstance(result, SuccessResponse) and result.success is True


def check_chats(result: ChatsResult) -> None:
    (chat,) = result.chats
    assert chat == Chat(chat_id="314") and chat.is_unread is True
    assert chat.participants == [UserShort(user_id=7), UserShort(user_id=42)]
    assert chat.last_message is not None and chat.last_message.message_id == "901"


def check_created(result: ChatResult) -> None:
    assert isinstance(result, ChatResult)
    assert result.chat is not None and result.chat.chat_id == "314"


def check_messages(result: ChatMessages) -> None:
    (message,) = result.messages
    assert message.message_body == "see you in the room"
    assert message.client_message_id == MESSAGE_ID
    assert message.user_profile == UserShort(user_id=7)
    assert message.time_created is not None and message.time_created.year == 2022


CASES: list[EndpointCase] = [
    EndpointCase(
        name="get_chats",
        call=lambda s: s.get_chats(),
        response={"chats": [CHAT], "success": True},
        check=check_chats,
    ),
    EndpointCase(
        name="create_chat",
        call=lambda s: s.create_chat([7]),
        body={"source": 4, "participant_ids": [7]},
        response={"chat": CHAT, "success": True},
        check=check_created,
    ),
    EndpointCase(
        name="search_chats",
        call=lambda s: s.search_chats([7, 8]),
        body={"source": None, "participant_ids": [7, 8]},
        response={"chats": [CHAT], "success": True},
        check=check_chats,
    ),
    EndpointCase(
        name="get_chat_messages",
        call=lambda s: s.get_chat_messages(314),
        query={"chat_id": "314"},
        response={"messages": [MESSAGE], "success": True},
        check=check_messages,
    ),
    EndpointCase(
        name="send_chat_message",
        call=lambda s: s.send_chat_message(
            314, "see you in the room", client_message_id=MESSAGE_ID
        ),
        body={
            "chat_id": 314,
            "client_message_id": MESSAGE_ID,
            "message_body": "see you in the room",
        },
        check=is_success,
    ),
    EndpointCase(
        name="send_chat_message",
        id="send_chat_message-string-id",
        call=lambda s: s.send_chat_message("c-314", "hi", client_message_id=MESSAGE_ID),
        body={"chat_id": "c-314", "client_message_id": MESSAGE_ID, "message_body": "hi"},
        check=is_success,
    ),
]
