"""The AudioBackend contract, run against every backend that can run here.

The fake backend always runs; each Agora adapter runs against a pure-Python double of
its SDK; the real Agora SDKs run only where their native library is installed and a
real channel is configured (see ``conftest.AIOCLUBHOUSE_AGORA_*``).
"""

from __future__ import annotations

from typing import Any

import pytest

from aioclubhouse.errors import InvalidArgumentError
from aioclubhouse.rooms.audio import (
    AudioBackend,
    AudioPermissionError,
    AudioStateError,
    AudioUserJoined,
    ConnectionState,
    PcmFrame,
    Role,
    StateChanged,
)

from .conftest import TONE_HZ, Harness
from .signal_tools import decode, zero_crossing_frequency
from .stream_support import take


async def connect(harness: Harness, role: Role = Role.LISTENER) -> None:
    await harness.backend.connect(**harness.join, role=role)


def is_state(state: ConnectionState) -> Any:
    return lambda event: isinstance(event, StateChanged) and event.state is state


def test_satisfies_the_protocol(harness: Harness) -> None:
    assert isinstance(harness.backend, AudioBackend)


async def test_connect_reports_connecting_then_connected(harness: Harness) -> None:
    await connect(harness)
    changes = await take(
        harness.backend.events(),
        until=is_state(ConnectionState.CONNECTED),
        keep=lambda event: isinstance(event, StateChanged),
    )
    assert [change.state for change in changes] == [
        ConnectionState.CONNECTING,
        ConnectionState.CONNECTED,
    ]


BAD_JOINS = [
    ("app_id", "938de3e8055e42b281bb8c6f69c21f7"),  # 31 characters
    ("app_id", "938de3e8055e42b281bb8c6f69c21fzz"),  # not hex
    ("app_id", None),
    ("token", None),
    ("token", b"006abc"),
    ("channel", ""),
    ("channel", "x" * 64),
    ("channel", "é" * 32),  # 32 characters but 64 bytes
    ("channel", "room/with/slashes"),
    ("uid", 0),
    ("uid", 2**32),
    ("uid", -5),
    ("uid", True),
    ("uid", "326292"),
    ("role", "listener"),
]


@pytest.mark.parametrize(("field", "value"), BAD_JOINS)
async def test_join_arguments_are_checked_as_agora_does(
    harness: Harness, field: str, value: object
) -> None:
    arguments: dict[str, Any] = {**harness.join, "role": Role.LISTENER, field: value}
    with pytest.raises(InvalidArgumentError) as refused:
        await harness.backend.connect(**arguments)
    assert refused.value.field == field
    await connect(harness)  # the refusal used nothing up


async def test_the_largest_uid_and_a_63_byte_channel_are_accepted(harness: Harness) -> None:
    if harness.name in ("agora-server", "agora-rtc"):
        pytest.skip("a real channel needs its own name and uid")
    await harness.backend.connect(
        **{**harness.join, "uid": 2**32 - 1, "channel": "c" * 63}, role=Role.LISTENER
    )


async def test_calls_before_connect_are_refused(harness: Harness) -> None:
    with pytest.raises(AudioStateError):
        await harness.backend.set_muted(True)
    with pytest.raises(AudioStateError):
        await harness.backend.set_role(Role.SPEAKER)
    with pytest.raises(AudioStateError):
        await harness.backend.renew_token("fresh-token")


async def test_connect_twice_is_refused(harness: Harness) -> None:
    await connect(harness)
    with pytest.raises(AudioStateError):
        await connect(harness)


async def test_a_listener_cannot_unmute_until_it_is_a_speaker(harness: Harness) -> None:
    await connect(harness, Role.LISTENER)
    await harness.backend.set_muted(True)
    with pytest.raises(AudioPermissionError):
        await harness.backend.set_muted(False)
    await harness.backend.set_role(Role.SPEAKER)
    await harness.backend.set_muted(False)
    await harness.backend.set_role(Role.LISTENER)
    with pytest.raises(AudioPermissionError):
        await harness.backend.set_muted(False)


async def test_renew_token_checks_its_argument(harness: Harness) -> None:
    await connect(harness)
    for bad in ("", None, 12345):
        with pytest.raises(InvalidArgumentError) as refused:
            await harness.backend.renew_token(bad)  # type: ignore[arg-type]
        assert refused.value.field == "token"
    await harness.backend.renew_token("fresh-token")


async def test_frames_carry_the_speakers_tone_as_s16le(harness: Harness) -> None:
    if harness.speaker_uid is None:
        pytest.skip("nobody is known to speak in a real channel")
    await connect(harness)
    frames: list[PcmFrame] = await take(harness.backend.frames(), count=40)
    assert {frame.uid for frame in frames} == {harness.speaker_uid}
    first = frames[0]
    samples: list[int] = []
    for frame in frames:
        assert frame.sample_width == 2
        assert (frame.sample_rate, frame.channels) == (first.sample_rate, first.channels)
        assert len(frame.pcm) == frame.samples_per_channel * frame.channels * 2
        samples.extend(decode(frame.pcm)[:: frame.channels])
    measured = zero_crossing_frequency(samples, first.sample_rate)
    assert measured == pytest.approx(TONE_HZ, rel=0.01)


async def test_the_speaker_joining_is_reported(harness: Harness) -> None:
    if harness.speaker_uid is None:
        pytest.skip("nobody is known to speak in a real channel")
    await connect(harness)
    joined = await take(
        harness.backend.events(),
        until=lambda event: isinstance(event, AudioUserJoined),
        keep=lambda event: isinstance(event, AudioUserJoined),
    )
    assert joined == [AudioUserJoined(uid=harness.speaker_uid)]


async def test_disconnect_ends_both_streams(harness: Harness) -> None:
    await connect(harness)
    await harness.backend.disconnect()
    events = await take(harness.backend.events())
    assert events[-1] == StateChanged(state=ConnectionState.DISCONNECTED, reason="leave_channel")
    await take(harness.backend.frames())  # ends by itself
    await harness.backend.disconnect()  # a second leave is harmless
    with pytest.raises(AudioStateError):
        await harness.backend.set_muted(True)
