"""Room audio behind one protocol: a fake backend offline, Agora adapters where they run.

``load_backend("fake" | "agora-server" | "agora-rtc", **options)`` gives an
:class:`AudioBackend`; :class:`WavRecorder` and :func:`record` turn its frames into WAV
files.  The Agora SDKs are imported only when their backend is asked for.

:func:`pocketsphinx_transcriber` makes a :class:`Transcriber` that turns the frames
into who-said-what :class:`Segment` values (``record(..., transcript=True)`` writes
them as subtitles beside the WAVs); pocketsphinx is imported only then.
:class:`SpeechSource` plays the shipped sentences of synthetic speech per uid.
"""

from .backend import (
    CLUBHOUSE_AGORA_APP_ID,
    ActiveSpeaker,
    AudioBackend,
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
    resolve_app_id,
    validate_join,
)
from .errors import (
    AudioBackendUnavailable,
    AudioConnectionError,
    AudioError,
    AudioPermissionError,
    AudioStateError,
)
from .fake import FakeAudioBackend, RecordedCall, frequency_for
from .loader import BACKEND_NAMES, load_backend
from .speech import Sentence, SpeechSource, assign_voices
from .streams import DropOldestQueue
from .transcribe import (
    Segment,
    SpeechTranscriber,
    Transcriber,
    TranscriberStats,
    TranscriberUnavailable,
    TranscriptFiles,
    TranscriptionError,
    pocketsphinx_transcriber,
    write_transcript,
)
from .wav import WavRecorder, record

__all__ = [
    "BACKEND_NAMES",
    "CLUBHOUSE_AGORA_APP_ID",
    "ActiveSpeaker",
    "AudioBackend",
    "AudioBackendUnavailable",
    "AudioConnectionError",
    "AudioError",
    "AudioEvent",
    "AudioPermissionError",
    "AudioStateError",
    "AudioUserJoined",
    "AudioUserLeft",
    "ConnectionState",
    "DropOldestQueue",
    "FakeAudioBackend",
    "PcmFrame",
    "RecordedCall",
    "Role",
    "Segment",
    "Sentence",
    "SpeechSource",
    "SpeechTranscriber",
    "StateChanged",
    "TokenExpired",
    "TokenWillExpire",
    "Transcriber",
    "TranscriberStats",
    "TranscriberUnavailable",
    "TranscriptFiles",
    "TranscriptionError",
    "VolumeIndication",
    "WavRecorder",
    "assign_voices",
    "frequency_for",
    "load_backend",
    "pocketsphinx_transcriber",
    "record",
    "resolve_app_id",
    "validate_join",
    "write_transcript",
]
