"""ClubhouseSession: the Clubhouse API and its live rooms, in one object.

Use it as an async context manager. It is a :class:`~aioclubhouse.api.ClubhouseAPI`
(every endpoint as a coroutine, over one HTTP pool) that also owns its realtime side:
``join_room`` and ``user_events`` open rooms and user-event streams on a PubNub pool the
session makes with the first of them, and closing the session leaves the rooms and ends
the streams before the pools close. It sits above the rooms layer, which is written
against :class:`~aioclubhouse.api.ClubhouseAPI`.
"""

from __future__ import annotations

from typing import Unpack

from .api import ClubhouseAPI
from .rooms import (
    AudioBackend,
    Room,
    RoomOptionFields,
    RoomOptions,
    SessionRealtime,
    StreamOptionFields,
    StreamOptions,
    UserEvents,
    join_room,
    user_events,
)
from .rooms.audio import Transcriber

__all__ = ["ClubhouseSession"]


class ClubhouseSession(ClubhouseAPI):
    """An authenticated (or about to be) connection to Clubhouse: the API and its rooms.

    ``rate_limit=None`` turns the client-side rate limit off; ``http_session`` lends
    an existing ``aiohttp.ClientSession`` that this object will not close; ``sleep``
    is how retries and the rate limit wait (``asyncio.sleep`` unless a test records).
    """

    @property
    def realtime(self) -> SessionRealtime:
        """The realtime side this session owns: its PubNub pool (made with the first room
        or user-event stream) and the rooms and streams open now; :meth:`close` leaves
        and ends them, then closes the pool."""
        return SessionRealtime.of(self)

    async def join_room(
        self,
        channel: str,
        options: RoomOptions | None = None,
        *,
        audio: AudioBackend | None = None,
        transcriber: Transcriber | None = None,
        attribution_source: str | None = None,
        attribution_details: str | None = None,
        **option_fields: Unpack[RoomOptionFields],
    ) -> Room:
        """Join ``channel`` and return a live :class:`~aioclubhouse.rooms.Room`.

        Everything is as for :func:`aioclubhouse.rooms.join_room`: a
        :class:`~aioclubhouse.rooms.RoomOptions` and/or its fields as keywords
        (``ping_interval=``, ``max_queue=``, ...), ``audio=``, ``transcriber=``, and
        ``join_channel``'s ``attribution_source`` / ``attribution_details``.
        """
        return await join_room(
            self,
            channel,
            options,
            audio=audio,
            transcriber=transcriber,
            attribution_source=attribution_source,
            attribution_details=attribution_details,
            **option_fields,
        )

    def user_events(
        self,
        options: StreamOptions | None = None,
        *,
        pubnub_token: str | None = None,
        pubnub_origin: str | None = None,
        **option_fields: Unpack[StreamOptionFields],
    ) -> UserEvents:
        """Events addressed to you outside rooms (speaker and new-room invites, answers);
        see :func:`aioclubhouse.rooms.user_events`."""
        return user_events(
            self,
            options,
            pubnub_token=pubnub_token,
            pubnub_origin=pubnub_origin,
            **option_fields,
        )
