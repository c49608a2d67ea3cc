"""Direct messages: threads between a fixed set of people, and the lines in them."""

from __future__ import annotations

from aioclubhouse.emulator.base import WorldPart
from aioclubhouse.emulator.errors import NotAllowed, WorldError
from aioclubhouse.emulator.models import Chat, ChatMessage, User

MAX_PARTICIPANTS = 20
MAX_MESSAGE = 2000


class Chats(WorldPart):
    def reindex(self) -> None:
        self._by_people: dict[tuple[int, ...], int] = {}
        self._of_user: dict[int, set[int]] = {}
        for chat in self.state.chats.values():
            self._index(chat)

    def _index(self, chat: Chat) -> None:
        self._by_people[tuple(chat.participant_ids)] = chat.chat_id
        for uid in chat.participant_ids:
            self._of_user.setdefault(uid, set()).add(chat.chat_id)

    def chats_of(self, user: User) -> list[Chat]:
        """The user's threads, most recently active first."""
        chats = [self.state.chats[cid] for cid in self._of_user.get(user.user_id, ())]
        return sorted(chats, key=lambda c: (-_last_activity(c), -c.chat_id))

    def chat(self, user: User, chat_id: int) -> Chat:
        chat = self.state.chats.get(chat_id)
        if chat is None:
            raise WorldError(f"Chat {chat_id} does not exist.")
        if user.user_id not in chat.participant_ids:
            raise NotAllowed("You are not part of this chat.")
        return chat

    def _people(self, user: User, participant_ids: list[int]) -> tuple[int, ...]:
        people = {user.user_id}
        for uid in participant_ids:
            other = self.world.user(uid)
            if self.world.social.either_blocked(user.user_id, other.user_id):
                raise WorldError("You can't message this person.")
            people.add(other.user_id)
        if len(people) < 2:
            raise WorldError("A chat needs at least one other person.")
        if len(people) > MAX_PARTICIPANTS:
            raise WorldError(f"A chat can have at most {MAX_PARTICIPANTS} people.")
        return tuple(sorted(people))

    def open(self, user: User, participant_ids: list[int]) -> Chat:
        """The thread with exactly these people (plus the user), created if new."""
        people = self._people(user, participant_ids)
        existing = self._by_people.get(people)
        if existing is not None:
            return self.state.chats[existing]
        chat = Chat(
            chat_id=self.state.new_id("chat", start=1),
            participant_ids=list(people),
            time_created=self.world.now(),
        )
        self.state.chats[chat.chat_id] = chat
        self._index(chat)
        return chat

    def search(self, user: User, participant_ids: list[int]) -> list[Chat]:
        """The user's threads that include all of `participant_ids`."""
        wanted = set(participant_ids)
        return [c for c in self.chats_of(user) if wanted <= set(c.participant_ids)]

    def send(
        self, user: User, chat: Chat, body: str, *, client_message_id: str | None
    ) -> ChatMessage:
        """Add a line; sending the same client_message_id twice keeps one copy."""
        if client_message_id is not None:
            for message in chat.messages:
                if message.client_message_id == client_message_id:
                    return message
        if not body.strip() or len(body) > MAX_MESSAGE:
            raise WorldError(f"A message has 1 to {MAX_MESSAGE} characters.")
        message = ChatMessage(
            message_id=self.state.new_id("chat_message", start=1),
            user_id=user.user_id,
            message_body=body,
            time_created=self.world.now(),
            client_message_id=client_message_id,
        )
        chat.messages.append(message)
        return message


def _last_activity(chat: Chat) -> float:
    return chat.messages[-1].time_created if chat.messages else chat.time_created
