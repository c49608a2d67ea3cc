"""Direct-message chats (a 2022 addition to the service)."""

from __future__ import annotations

import datetime as dt

import attrs

from .base import IdentifiedModel, Model
from .users import UserShort

__all__ = ["Chat", "ChatMessage", "ChatMessages", "ChatResult", "ChatsResult"]


@attrs.define(kw_only=True)
class ChatMessage(Model):
    """One message of a chat. ``client_message_id`` is the sender's de-duplication key."""

    message_id: str | None = None
    chat_id: str | None = None
    client_message_id: str | None = None
    message_body: str | None = None
    user_profile: UserShort | None = None
    time_created: dt.datetime | None = None


@attrs.define(kw_only=True, eq=False)
class Chat(IdentifiedModel):
    """A conversation between the caller and one or more users. Equal by ``chat_id``."""

    entity = "chat"
    id_field = "chat_id"

    chat_id: str
    participants: list[UserShort] = attrs.field(factory=list)
    last_message: ChatMessage | None = None
    is_unread: bool = False
    time_updated: dt.datetime | None = None


@attrs.define(kw_only=True)
class ChatsResult(Model):
    """A list of chats (``get_chats``, ``search_chats``)."""

    chats: list[Chat] = attrs.field(factory=list)
    success: bool = True


@attrs.define(kw_only=True)
class ChatResult(Model):
    """The answer of ``create_chat``: the new (or existing) conversation."""

    chat: Chat | None = None
    chat_id: str | None = None
    success: bool = True


@attrs.define(kw_only=True)
class ChatMessages(Model):
    """The messages of one chat (``get_chat_messages``)."""

    messages: list[ChatMessage] = attrs.field(factory=list)
    success: bool = True
