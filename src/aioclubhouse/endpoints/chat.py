"""Endpoints of the 'chat' area: direct-message conversations (added to the service in 2022).

Chat ids are passed through as given (the service's ids may be numbers or strings).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from .. import validation
from ..errors import InvalidArgumentError
from ..models.base import SuccessResponse
from ..models.chat import ChatMessages, ChatResult, ChatsResult
from .base import EndpointGroup

__all__ = ["ChatEndpoints"]

# SourceLocation.PROFILE: a chat opened from someone's profile, the app's default.
PROFILE_SOURCE = 4


def _chat_id(value: Any) -> int | str:
    if isinstance(value, str):
        return validation.non_empty(value, "chat_id")
    return validation.positive_id(value, "chat_id")


def _participants(values: Iterable[int]) -> list[int]:
    participants = validation.id_list(values, "participant_ids")
    if not participants:
        raise InvalidArgumentError("participant_ids", "must name at least one user")
    return participants


class ChatEndpoints(EndpointGroup):
    """The 'chat' endpoints."""

    async def get_chats(self) -> ChatsResult:
        """List the caller's conversations."""
        return await self._call("get_chats", ChatsResult)

    async def create_chat(
        self, participant_ids: Iterable[int], *, source: int = PROFILE_SOURCE
    ) -> ChatResult:
        """Start (or reopen) a conversation with these users."""
        body = {
            "source": validation.in_range(source, "source", -1, 100),
            "participant_ids": _participants(participant_ids),
        }
        return await self._call("create_chat", ChatResult, body=body)

    async def search_chats(
        self, participant_ids: Iterable[int], *, source: int | None = None
    ) -> ChatsResult:
        """Find the caller's conversations with these users."""
        body = {
            "source": None if source is None else validation.in_range(source, "source", -1, 100),
            "participant_ids": _participants(participant_ids),
        }
        return await self._call("search_chats", ChatsResult, body=body)

    async def get_chat_messages(self, chat_id: int | str) -> ChatMessages:
        """Fetch the messages of one conversation."""
        return await self._call(
            "get_chat_messages", ChatMessages, body={"chat_id": _chat_id(chat_id)}
        )

    async def send_chat_message(
        self,
        chat_id: int | str,
        message_body: str,
        *,
        client_message_id: str | None = None,
    ) -> SuccessResponse:
        """Send a message; ``client_message_id`` (a fresh UUID by default) makes resends safe."""
        body = {
            "chat_id": _chat_id(chat_id),
            "client_message_id": (
                str(uuid.uuid4())
                if client_message_id is None
                else validation.non_empty(client_message_id, "client_message_id")
            ),
            "message_body": validation.non_empty(message_body, "message_body"),
        }
        return await self._call("send_chat_message", SuccessResponse, body=body)
