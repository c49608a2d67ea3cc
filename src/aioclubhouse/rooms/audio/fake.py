"""An offline :class:`AudioBackend` that synthesizes a room's audio for tests and demos.

Every remote speaker is a sine tone of its own frequency, delivered as real s16le PCM
in 10 ms frames, so recording, mixing and frequency analysis run on genuine samples.
With ``speech=`` they say real English sentences instead (the synthetic speech shipped
in :mod:`.speech`), so transcription has words to find: ``speech=True`` gives each
speaker the next voice the first time they speak, a
:class:`~aioclubhouse.rooms.audio.speech.SpeechSource` chooses who says what (uids it
has no sentences for keep their tone).
Who speaks when comes from ``speakers``: a ``{uid: hz}`` mapping (always speaking) or
a ``schedule(t_seconds) -> uids`` callable, e.g. the emulator's
``lambda t: world.speaking(channel, t)``.  Volume indications and active-speaker
changes are measured from the generated samples' peaks, as Agora measures real audio.

Time runs in two ways.  With ``realtime=True`` a task produces one frame period every
``frame_ms`` of wall-clock time.  With ``realtime=False`` (the default) time is virtual:
it advances only while a consumer of ``frames()`` or ``events()`` is waiting for its
next item, so tests are exact and fast whatever the machine's load, and a stretch of
silence costs nothing to skip.

Virtual time stops where nothing more will be heard, so a waiting consumer idles
instead of spinning: at once when nobody can ever speak (no ``speakers``, or an empty
mapping), and after ``max_silence`` seconds without a voice for a schedule (which
cannot say whether anyone will speak later). Then a ``duration`` ends the room at
once, as it would have after the silence; without one, consumers wait, using no CPU,
until :meth:`FakeAudioBackend.disconnect`.  To record something, give it speakers:
``FakeAudioBackend(speakers={101: 440.0, 202: 660.0}, duration=5)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from typing import TypeVar

import attrs

from ...errors import InvalidArgumentError
from ...redaction import REDACTED
from . import pcm
from .backend import (
    ActiveSpeaker,
    AudioEvent,
    AudioUserJoined,
    AudioUserLeft,
    ConnectionState,
    PcmFrame,
    Role,
    StateChanged,
    TokenExpired,
    TokenWillExpire,
    VolumeIndication,
    validate_join,
    validate_muted,
    validate_role,
    validate_token,
)
from .errors import AudioConnectionError, AudioStateError
from .speech import SpeechSource
from .streams import DEFAULT_EVENT_QUEUE, DEFAULT_FRAME_QUEUE, BackendStreams, DropOldestQueue

__all__ = ["FakeAudioBackend", "RecordedCall", "Schedule", "frequency_for"]

Schedule = Callable[[float], Iterable[int]]
"""Who speaks at a moment: seconds since connecting -> uids."""

T = TypeVar("T")


def frequency_for(uid: int) -> float:
    """The tone of ``uid`` when none is given: 200-1195 Hz in 5 Hz steps, from a CRC."""
    return 200.0 + 5.0 * (zlib.crc32(str(uid).encode("ascii")) % 200)


def _redact_arguments(arguments: Mapping[str, object]) -> str:
    shown = {key: (REDACTED if "token" in key else value) for key, value in arguments.items()}
    return repr(shown)


@attrs.frozen(kw_only=True)
class RecordedCall:
    """One call made on the fake backend, for assertions (tokens hidden in the repr)."""

    name: str
    arguments: Mapping[str, object] = attrs.field(factory=dict, repr=_redact_arguments)


class FakeAudioBackend:
    """A synthetic Agora channel; see the module docstring for the time model.

    ``token_will_expire_after_frames`` / ``token_expires_after_frames`` count frame
    periods since connecting or since the last ``renew_token``.  ``token_validator``
    decides which tokens the fake channel accepts (all, by default).  ``duration``
    (seconds) ends the fake room: its speakers leave and ``frames()`` ends.
    ``max_silence`` (virtual seconds) is how long a schedule may stay silent before
    virtual time stops (see the module docstring).  ``speech`` makes speakers talk
    (see the module docstring); ``speech_source`` is then the source playing.
    """

    def __init__(
        self,
        *,
        speakers: Mapping[int, float] | Schedule | None = None,
        frequencies: Mapping[int, float] | None = None,
        amplitudes: Mapping[int, float] | None = None,
        default_amplitude: float = 0.5,
        sample_rate: int = 16000,
        channels: int = 1,
        frame_ms: int = 10,
        realtime: bool = False,
        duration: float | None = None,
        volume_interval_ms: int = 200,
        token_will_expire_after_frames: int | None = None,
        token_expires_after_frames: int | None = None,
        token_validator: Callable[[str], bool] | None = None,
        frame_queue_size: int = DEFAULT_FRAME_QUEUE,
        event_queue_size: int = DEFAULT_EVENT_QUEUE,
        max_silence: float = 60.0,
        speech: SpeechSource | bool = False,
    ) -> None:
        if sample_rate <= 0 or (sample_rate * frame_ms) % 1000 or frame_ms <= 0:
            raise InvalidArgumentError(
                "frame_ms", "must be positive and hold a whole number of samples"
            )
        if channels not in (1, 2):
            raise InvalidArgumentError("channels", "must be 1 or 2")
        if isinstance(speakers, Mapping):
            self._tones = dict(speakers)
            self._schedule: Schedule = lambda _t: self._tones.keys()
        else:
            self._tones = dict(frequencies or {})
            self._schedule = speakers if speakers is not None else (lambda _t: ())
        for uid, hz in self._tones.items():
            if not 0 < hz < sample_rate / 2:
                raise InvalidArgumentError("speakers", f"tone of {uid} is above Nyquist or <= 0")
        if not max_silence > 0:
            raise InvalidArgumentError("max_silence", "must be more than 0 seconds")
        self._always_speaking = isinstance(speakers, Mapping)
        self._nobody_speaks = speakers is None or (isinstance(speakers, Mapping) and not speakers)
        self._max_silent_frames = max(1, round(max_silence * 1000 / frame_ms))
        self._silent_frames = 0
        if not isinstance(speech, SpeechSource | bool):
            raise InvalidArgumentError("speech", "must be a SpeechSource, True or False")
        self.speech_source: SpeechSource | None = (
            speech if isinstance(speech, SpeechSource) else SpeechSource() if speech else None
        )
        self._amplitudes = dict(amplitudes or {})
        self._default_amplitude = default_amplitude
        self.sample_rate = sample_rate
        self.channels = channels
        self.frame_ms = frame_ms
        self.realtime = realtime
        self._samples_per_frame = sample_rate * frame_ms // 1000
        self._end_frame = None if duration is None else round(duration * 1000 / frame_ms)
        self._volume_every = max(1, volume_interval_ms // frame_ms)
        self._will_expire_after = token_will_expire_after_frames
        self._expires_after = token_expires_after_frames
        self._token_validator = token_validator

        self.calls: list[RecordedCall] = []
        self._streams = BackendStreams(
            frame_queue_size=frame_queue_size, event_queue_size=event_queue_size
        )
        self._role = Role.LISTENER
        self._muted = True
        self._uid: int | None = None
        self._channel: str | None = None
        self._connect_called = False
        self._left = False
        self._running = False
        self._token_expired = False
        self._pacer: asyncio.Task[None] | None = None

        self.frame_index = 0
        """Frame periods produced since connecting."""
        self.token_renewals = 0
        self._frames_on_token = 0
        self._present: set[int] = set()
        self._window_peaks: dict[int, int] = {}
        self._window_total = 0
        self._active_speaker: int | None = None

    # -- what tests look at --------------------------------------------------------------

    @property
    def role(self) -> Role:
        return self._role

    @property
    def muted(self) -> bool:
        return self._muted

    @property
    def state(self) -> ConnectionState:
        return self._streams.state

    @property
    def uid(self) -> int | None:
        return self._uid

    @property
    def channel(self) -> str | None:
        return self._channel

    @property
    def dropped_frames(self) -> int:
        return self._streams.frames.dropped

    @property
    def dropped_events(self) -> int:
        return self._streams.events.dropped

    def calls_named(self, name: str) -> list[RecordedCall]:
        """The recorded calls of one method, in order."""
        return [call for call in self.calls if call.name == name]

    def frequency_of(self, uid: int) -> float:
        """The tone ``uid`` speaks with."""
        return self._tones.get(uid) or frequency_for(uid)

    # -- the AudioBackend protocol -------------------------------------------------------------

    async def connect(self, *, app_id: str, token: str, channel: str, uid: int, role: Role) -> None:
        self._record("connect", app_id=app_id, token=token, channel=channel, uid=uid, role=role)
        validate_join(app_id=app_id, token=token, channel=channel, uid=uid, role=role)
        if self._connect_called:
            raise AudioStateError("connect was already called; a backend joins one channel once")
        self._connect_called = True
        self._streams.bind(asyncio.get_running_loop())
        self._streams.emit(StateChanged(state=ConnectionState.CONNECTING, reason="connecting"))
        if self._token_validator is not None and not self._token_validator(token):
            self._streams.emit(StateChanged(state=ConnectionState.FAILED, reason="invalid_token"))
            self._left = True
            self._streams.close()
            raise AudioConnectionError("the channel rejected the RTC token")
        self._uid, self._channel, self._role = uid, channel, role
        self._muted = True
        self._streams.emit(StateChanged(state=ConnectionState.CONNECTED, reason="join_success"))
        if self._always_speaking:
            for speaker in sorted(self._tones):
                self._arrive(speaker)
        self._running = True
        if self.realtime:
            self._pacer = asyncio.create_task(self._pace(), name="fake-audio-pacer")
        else:
            self._streams.frames.notify()
            self._streams.events.notify()

    async def disconnect(self) -> None:
        self._record("disconnect")
        if not self._connect_called or self._left:
            return
        self._left = True
        self._running = False
        if self._pacer is not None:
            self._pacer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pacer
        self._streams.emit(StateChanged(state=ConnectionState.DISCONNECTED, reason="leave_channel"))
        self._streams.close()

    async def set_muted(self, muted: bool) -> None:
        self._record("set_muted", muted=muted)
        self._require_joined()
        self._muted = validate_muted(muted, self._role)

    async def set_role(self, role: Role) -> None:
        self._record("set_role", role=role)
        self._require_joined()
        self._role = validate_role(role)
        if role is Role.LISTENER:
            self._muted = True

    async def renew_token(self, token: str) -> None:
        self._record("renew_token", token=token)
        self._require_joined()
        validate_token(token)
        if self._token_expired:
            raise AudioStateError("the token already expired: disconnect and join again")
        self._frames_on_token = 0
        self.token_renewals += 1

    def frames(self) -> AsyncIterator[PcmFrame]:
        return self._drain(self._streams.frames)

    def events(self) -> AsyncIterator[AudioEvent]:
        return self._drain(self._streams.events)

    # -- producing the channel --------------------------------------------------------------

    async def _drain(self, queue: DropOldestQueue[T]) -> AsyncIterator[T]:
        """Yield from ``queue``; in virtual time, waiting is what moves the clock."""
        while True:
            item = queue.get_nowait()
            if item is not None:
                yield item
            elif queue.closed:
                return
            elif self._running and not self.realtime and not self._silent_for_good():
                self._advance()
                await asyncio.sleep(0)  # let other tasks run between frame periods
            elif self._running and not self.realtime and self._end_frame is not None:
                self._end_room()  # the rest of the room would be silence: skip it
            else:
                await queue.wait()

    def _silent_for_good(self) -> bool:
        """Whether virtual time should stop: nothing more will be heard."""
        return self._nobody_speaks or self._silent_frames >= self._max_silent_frames

    async def _pace(self) -> None:
        """Real time: one frame period per ``frame_ms`` of the loop's clock."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        while self._running:
            await asyncio.sleep(
                max(0.0, start + (self.frame_index + 1) * self.frame_ms / 1000 - loop.time())
            )
            self._advance()

    def _advance(self) -> None:
        """Produce one frame period: frames for whoever speaks, then periodic reports."""
        if not self._running:
            return
        at = self.frame_index * self.frame_ms / 1000
        speaking = sorted({uid for uid in self._schedule(at) if uid != self._uid})
        self._silent_frames = 0 if speaking else self._silent_frames + 1
        start = self.frame_index * self._samples_per_frame
        buffers = []
        for uid in speaking:
            self._arrive(uid)
            samples = self._voice(uid, start)
            buffers.append(samples)
            self._window_peaks[uid] = max(self._window_peaks.get(uid, 0), pcm.peak(samples))
            self._streams.emit_frame(
                PcmFrame(
                    uid=uid,
                    pcm=samples,
                    sample_rate=self.sample_rate,
                    channels=self.channels,
                    timestamp_ms=self.frame_index * self.frame_ms,
                )
            )
        if buffers:
            self._window_total = max(self._window_total, pcm.peak(pcm.mix(buffers)))
        self.frame_index += 1
        if self.frame_index % self._volume_every == 0:
            self._report_volumes()
        self._tick_token()
        if self._end_frame is not None and self.frame_index >= self._end_frame:
            self._end_room()

    def _voice(self, uid: int, start: int) -> bytes:
        """What ``uid`` says from sample ``start`` on: speech when it has some, else its tone."""
        source = self.speech_source
        if source is not None and uid in source:
            return source.frame(
                uid,
                start=start,
                count=self._samples_per_frame,
                sample_rate=self.sample_rate,
                channels=self.channels,
            )
        return pcm.sine(
            self.frequency_of(uid),
            start=start,
            count=self._samples_per_frame,
            sample_rate=self.sample_rate,
            amplitude=self._amplitudes.get(uid, self._default_amplitude),
            channels=self.channels,
        )

    def _arrive(self, uid: int) -> None:
        if uid not in self._present and uid != self._uid:
            self._present.add(uid)
            self._streams.emit(AudioUserJoined(uid=uid))

    def _report_volumes(self) -> None:
        """A volume indication from the window's peaks; a new loudest uid is announced."""
        volumes = {uid: pcm.volume(peak) for uid, peak in sorted(self._window_peaks.items())}
        self._streams.emit(VolumeIndication(volumes=volumes, total=pcm.volume(self._window_total)))
        audible = [(volume, -uid) for uid, volume in volumes.items() if volume > 0]
        if audible:
            loudest = -max(audible)[1]
            if loudest != self._active_speaker:
                self._active_speaker = loudest
                self._streams.emit(ActiveSpeaker(uid=loudest))
        self._window_peaks = {}
        self._window_total = 0

    def _tick_token(self) -> None:
        self._frames_on_token += 1
        if self._frames_on_token == self._will_expire_after:
            self._streams.emit(TokenWillExpire())
        if self._frames_on_token == self._expires_after:
            self._token_expired = True
            self._streams.emit(TokenExpired())
            self._streams.emit(StateChanged(state=ConnectionState.FAILED, reason="token_expired"))
            self._running = False
            self._streams.frames.close()

    def _end_room(self) -> None:
        for uid in sorted(self._present):
            self._streams.emit(AudioUserLeft(uid=uid, reason="quit"))
        self._present.clear()
        self._running = False
        self._streams.frames.close()
        self._streams.events.notify()

    # -- bookkeeping --------------------------------------------------------------------------

    def _record(self, name: str, **arguments: object) -> None:
        self.calls.append(RecordedCall(name=name, arguments=arguments))

    def _require_joined(self) -> None:
        if not self._connect_called or self._left:
            raise AudioStateError("not connected to an audio channel")
