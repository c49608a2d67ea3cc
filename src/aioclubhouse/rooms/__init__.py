"""Live rooms: realtime events, live state, keepalive and the speaker flow.

    async with await join_room(session, "abcdefgh") as room:   # or session.join_room(...)
        print(room.speakers, room.listeners)                    # kept current
        async for event in room.events():                       # typed, ends with Left
            match event:
                case SpeakerInvited(from_user_id=uid):
                    await room.accept_speaker_invite(uid)
                case Left(reason=reason):
                    print("left:", reason)

With ``audio=`` the room also joins its Agora channel through an
:class:`~aioclubhouse.rooms.audio.AudioBackend` and keeps it in step with your role;
the backend's frames are yours to read, e.g. into WAV files::

    backend = load_backend("fake", speakers={42: 440.0}, realtime=True)
    async with await join_room(session, "abcdefgh", audio=backend) as room:
        recorder = await record(backend.frames(), "recordings", duration=30)

With ``transcriber=`` as well (``pocketsphinx_transcriber()``, the ``transcribe``
extra) the room transcribes its speakers live: each finished sentence is a
:class:`SpeechTranscribed` event naming who said it, and the frames the room read
are passed on to ``room.audio_frames()``.

``user_events(session)`` (``session.user_events()``) streams what is sent to you outside
rooms (against a PubNub origin other than the API's host it needs ``pubnub_token=``:
the API token is never sent there).  Events that the program does not read fast
enough are dropped oldest first once ``max_queue`` are waiting
(``room.dropped_events`` counts them); handlers added with ``room.on(...)`` run in a
task of their own and their errors never stop delivery.  The realtime link resumes
after network faults without losing or repeating messages; see :mod:`aioclubhouse.rooms.realtime`.
"""

from ..errors import RoomClosedError
from .audio import AudioBackend, load_backend, record
from .join import join_room
from .options import (
    DEFAULT_AUDIO_TIMEOUT,
    RoomOptionFields,
    RoomOptions,
    StreamOptionFields,
    StreamOptions,
)
from .ownership import SessionRealtime
from .realtime import RealtimeOptions, RealtimePool
from .realtime_events import (
    ACTIONS,
    Connected,
    HandLowered,
    HandRaised,
    HandraiseSettingsChanged,
    LeaveReason,
    Left,
    ModeratorAdded,
    Muted,
    NewRoomInvite,
    NewRoomInviteAccepted,
    NewRoomInviteCancelled,
    NewRoomInviteRejected,
    Reconnected,
    Reconnecting,
    RemovedFromRoom,
    RoomEnded,
    RoomEvent,
    RoomMadePublic,
    RoomMadeSocial,
    ServiceEvent,
    SpeakerAdded,
    SpeakerCallStatusChanged,
    SpeakerInviteAccepted,
    SpeakerInvited,
    SpeakerInviteRejected,
    SpeakerRemoved,
    SpeakerUninvited,
    SpeechTranscribed,
    UnknownEvent,
    UserJoined,
    UserLeft,
    WelcomeRoomRejected,
    parse_message,
)
from .role import RoleChange, RoleChangeHook
from .room import Room
from .state import RoomState
from .stream import EventStream
from .user_events import UserEvents, user_events

__all__ = [
    "ACTIONS",
    "DEFAULT_AUDIO_TIMEOUT",
    "AudioBackend",
    "Connected",
    "EventStream",
    "HandLowered",
    "HandRaised",
    "HandraiseSettingsChanged",
    "LeaveReason",
    "Left",
    "ModeratorAdded",
    "Muted",
    "NewRoomInvite",
    "NewRoomInviteAccepted",
    "NewRoomInviteCancelled",
    "NewRoomInviteRejected",
    "RealtimeOptions",
    "RealtimePool",
    "Reconnected",
    "Reconnecting",
    "RemovedFromRoom",
    "RoleChange",
    "RoleChangeHook",
    "Room",
    "RoomClosedError",
    "RoomEnded",
    "RoomEvent",
    "RoomMadePublic",
    "RoomMadeSocial",
    "RoomOptionFields",
    "RoomOptions",
    "RoomState",
    "ServiceEvent",
    "SessionRealtime",
    "SpeakerAdded",
    "SpeakerCallStatusChanged",
    "SpeakerInviteAccepted",
    "SpeakerInviteRejected",
    "SpeakerInvited",
    "SpeakerRemoved",
    "SpeakerUninvited",
    "SpeechTranscribed",
    "StreamOptionFields",
    "StreamOptions",
    "UnknownEvent",
    "UserEvents",
    "UserJoined",
    "UserLeft",
    "WelcomeRoomRejected",
    "join_room",
    "load_backend",
    "parse_message",
    "record",
    "user_events",
]
