"""Endpoints of docs/protocol.md A.5 for direct messages (2022)."""

from __future__ import annotations

from aioclubhouse.emulator import shapes
from aioclubhouse.emulator.api.fields import Json, int_field, int_list_field, str_field, text_field
from aioclubhouse.emulator.api.routing import Call, RouteTable

routes = RouteTable()

OK: Json = {"success": True}


@routes.get("get_chats")
def get_chats(call: Call) -> Json:
    world = call.world
    return call.whole("chats", world.chats.chats_of(call.me), lambda c: shapes.chat(world, c))


@routes.post("create_chat", int_field("source"), int_list_field("participant_ids", required=True))
def create_chat(call: Call) -> Json:
    chat = call.world.chats.open(call.me, call.ids("participant_ids"))
    return {"chat_id": chat.chat_id, "chat": shapes.chat(call.world, chat), **OK}


@routes.post("search_chats", int_field("source"), int_list_field("participant_ids"))
def search_chats(call: Call) -> Json:
    world = call.world
    chats = world.chats.search(call.me, call.ids("participant_ids"))
    return {"chats": [shapes.chat(world, c) for c in chats], **OK}


@routes.get("get_chat_messages", int_field("chat_id", required=True))
def get_chat_messages(call: Call) -> Json:
    world = call.world
    chat = world.chats.chat(call.me, call.need_int("chat_id"))
    newest_first = list(reversed(chat.messages))
    return call.whole(
        "messages", newest_first, lambda m: shapes.chat_message(world, chat.chat_id, m)
    )


@routes.post(
    "send_chat_message",
    int_field("chat_id", required=True),
    text_field("client_message_id"),
    str_field("message_body", required=True),
)
def send_chat_message(call: Call) -> Json:
    world = call.world
    chat = world.chats.chat(call.me, call.need_int("chat_id"))
    message = world.chats.send(
        call.me,
        chat,
        call.need_str("message_body"),
        client_message_id=call.opt_str("client_message_id"),
    )
    return {"message": shapes.chat_message(world, chat.chat_id, message), **OK}
