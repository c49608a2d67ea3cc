"""Audio in a room: the backend follows the join, the stage, mutes and the leave, and a
room's speakers (as the emulator schedules them) end up in WAV files, all against the
emulator with the fake backend."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from aioclubhouse.emulator.world import SPEAKING_SLOT
from aioclubhouse.rooms import LeaveReason, Left, Room, SpeakerInvited, join_room
from aioclubhouse.rooms.audio import (
    CLUBHOUSE_AGORA_APP_ID,
    AudioBackendUnavailable,
    AudioConnectionError,
    AudioError,
    ConnectionState,
    FakeAudioBackend,
    Role,
    record,
)

from ..audio.signal_tools import read_wav, zero_crossing_frequency
from .helpers import People, until, until_polling
from .test_room_lifecycle import in_world, room_tasks


def calls_after_connect(backend: FakeAudioBackend) -> list[tuple[str, dict[str, object]]]:
    """The calls made on the backend since ``connect``, with their arguments."""
    names = [call.name for call in backend.calls]
    start = names.index("connect") + 1
    return [(call.name, dict(call.arguments)) for call in backend.calls[start:]]


async def test_a_listener_connects_with_the_join_token(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    backend = FakeAudioBackend()
    room = await people.join(session, channel, audio=backend)

    assert room.audio is backend
    [connect] = backend.calls_named("connect")
    assert connect.arguments == {
        "app_id": CLUBHOUSE_AGORA_APP_ID,
        "token": room.joined.token,
        "channel": channel,
        "uid": session.user_id,
        "role": Role.LISTENER,
    }
    assert isinstance(room.joined.token, str) and room.joined.token.startswith("006")
    assert backend.state is ConnectionState.CONNECTED


async def test_a_moderator_connects_as_a_speaker_and_muting_itself_mutes_audio(
    people: People,
) -> None:
    mod_session, channel = await people.room_with_moderator()
    backend = FakeAudioBackend()
    mod = await people.join(mod_session, channel, audio=backend)
    assert backend.calls_named("connect")[0].arguments["role"] is Role.SPEAKER

    await backend.set_muted(False)
    await mod.mute_speaker(mod.user_id)
    assert backend.muted  # done before mute_speaker returned
    assert calls_after_connect(backend)[-1] == ("set_muted", {"muted": True})


async def test_the_stage_drives_the_backend(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    backend = FakeAudioBackend()
    mod = await people.join(mod_session, channel)
    room = await people.join(listener_session, channel, audio=backend)
    join_token = room.rtc_token

    invited = asyncio.ensure_future(room.wait_for(SpeakerInvited, timeout=10))
    await until_polling(people.emu, room)
    await mod.invite_speaker(room.user_id)
    answer = await room.accept_speaker_invite((await invited).from_user_id)
    assert answer.token and answer.token != join_token
    assert calls_after_connect(backend) == [
        ("renew_token", {"token": answer.token}),
        ("set_role", {"role": Role.SPEAKER}),
    ]
    assert backend.role is Role.SPEAKER

    # A moderator mutes the new speaker after it unmuted.
    await backend.set_muted(False)
    await mod.mute_speaker(room.user_id)
    await until(lambda: backend.muted, what="the mute to reach the backend")
    assert calls_after_connect(backend)[-1] == ("set_muted", {"muted": True})

    # Moved back to the audience: listener role, then muted.
    await backend.set_muted(False)
    await mod.uninvite_speaker(room.user_id)
    await until(lambda: backend.role is Role.LISTENER, what="the listener role")
    await until(lambda: backend.muted, what="the mute after leaving the stage")
    names = [name for name, _ in calls_after_connect(backend)]
    assert names[-2:] == ["set_role", "set_muted"]
    assert backend.token_renewals == 1


async def test_leaving_disconnects_the_backend(people: People) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    backend = FakeAudioBackend()
    async with await join_room(session, channel, pool=people.pool, audio=backend) as room:
        assert backend.calls_named("disconnect") == []
    assert len(backend.calls_named("disconnect")) == 1
    assert backend.state is ConnectionState.DISCONNECTED
    assert room.left_reason is LeaveReason.USER


async def test_the_room_ending_disconnects_every_backend(people: People) -> None:
    mod_session, channel = await people.room_with_moderator()
    listener_session = await people.session("Lee Listener")
    mod_backend, listener_backend = FakeAudioBackend(), FakeAudioBackend()
    mod = await people.join(mod_session, channel, audio=mod_backend)
    room = await people.join(listener_session, channel, audio=listener_backend)
    await until_polling(people.emu, room)

    await mod.end()
    assert await asyncio.wait_for(room.wait_left(), 20) is LeaveReason.ENDED
    for backend in (mod_backend, listener_backend):
        assert [call.name for call in backend.calls][-1] == "disconnect"
        assert backend.state is ConnectionState.DISCONNECTED


class UnloadableBackend(FakeAudioBackend):
    """A backend whose native part turns out to be missing when it connects."""

    async def connect(self, *, app_id: str, token: str, channel: str, uid: int, role: Role) -> None:
        await super().connect(app_id=app_id, token=token, channel=channel, uid=uid, role=role)
        raise AudioBackendUnavailable("the native library is missing")


def refusing_token() -> FakeAudioBackend:
    return FakeAudioBackend(token_validator=lambda _token: False)


@pytest.mark.parametrize(
    ("make_backend", "error"),
    [(refusing_token, AudioConnectionError), (UnloadableBackend, AudioBackendUnavailable)],
    ids=["token refused", "backend unavailable"],
)
async def test_an_audio_failure_at_join_leaves_cleanly_and_raises(
    people: People, make_backend: Callable[[], FakeAudioBackend], error: type[AudioError]
) -> None:
    """Asking for audio and not getting it is an error the caller sees, not a quiet room."""
    backend = make_backend()
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    with pytest.raises(error):
        await join_room(session, channel, pool=people.pool, audio=backend)
    assert session.user_id not in people.emu.world.rooms.room(channel).users
    assert people.pool.connection_count == 0
    assert backend.calls_named("disconnect")
    prefix = f"room {channel} user {session.user_id} "
    assert not [t for t in asyncio.all_tasks() if t.get_name().startswith(prefix) and not t.done()]


class BrokenDisconnect(FakeAudioBackend):
    async def disconnect(self) -> None:
        await super().disconnect()
        raise AudioError("the engine crashed while leaving")


async def test_a_failing_disconnect_does_not_spoil_the_leave(
    people: People, caplog: pytest.LogCaptureFixture
) -> None:
    _moderator, channel = await people.room_with_moderator()
    session = await people.session("Lee Listener")
    room = await people.join(session, channel, audio=BrokenDisconnect())
    await room.leave()
    assert room.left_reason is LeaveReason.USER
    assert not in_world(people, room)
    assert room_tasks(room) == []
    final = [event async for event in room.events()][-1]
    assert isinstance(final, Left)
    assert "audio disconnect failed" in caplog.text


# -- recording what the room's speakers say --------------------------------------------------


def longest_voiced_run(samples: list[int], gap: int = 16) -> list[int]:
    """The longest stretch of sound between pauses (``gap`` or more zero samples)."""
    runs: list[list[int]] = []
    current: list[int] = []
    zeros = 0
    for value in samples:
        current.append(value)
        zeros = zeros + 1 if value == 0 else 0
        if zeros == gap:
            runs.append(current[:-gap])
        if zeros >= gap:
            current = []
    runs.append(current)
    return max(runs, key=len)


async def test_recording_the_speakers_the_emulator_schedules(
    people: People, tmp_path: Path
) -> None:
    world = people.emu.world
    _moderator, channel = await people.room_with_moderator()
    live = world.rooms.room(channel)
    for name in ("Sam Speaker", "Sue Speaker"):
        world.rooms.place(live, world.create_user(name=name).user_id, speaker=True, keepalive=False)
    # Start where two people talk at once, so the tracks overlap.
    start = next(
        slot * SPEAKING_SLOT
        for slot in range(1000)
        if len(world.speaking(channel, slot * SPEAKING_SLOT)) == 2
    )

    def schedule(t: float) -> set[int]:
        return world.speaking(channel, start + t)

    backend = FakeAudioBackend(speakers=schedule, duration=4 * SPEAKING_SLOT)
    session = await people.session("Lee Listener")
    room: Room = await people.join(session, channel, audio=backend)
    recorder = await record(backend.frames(), tmp_path / "room")
    await room.leave()

    frame_times = [index * backend.frame_ms / 1000 for index in range(backend.frame_index)]
    expected = set().union(*(schedule(t) for t in frame_times)) - {room.user_id}
    assert len(expected) >= 2
    assert set(recorder.paths) == expected
    for uid, path in recorder.paths.items():
        assert path == tmp_path / "room" / f"{uid}.wav"
        wav = read_wav(path)
        assert wav.seconds > 0
        voiced = longest_voiced_run(wav.samples)
        measured = zero_crossing_frequency(voiced, wav.sample_rate)
        assert measured == pytest.approx(backend.frequency_of(uid), rel=0.02)
    assert recorder.mix_path is not None and read_wav(recorder.mix_path).seconds > 0
