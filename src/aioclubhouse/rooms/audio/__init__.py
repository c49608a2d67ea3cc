"""Room audio behind one protocol: a fake backend offline, Agora adapters where they run.

``load_backend("fake" | "agora-server" | "agora-rtc", **options)`` gives an
:class:`AudioBackend`; :class:`WavRecorder` and :func:`record` turn its frames into WAV
files.  The Agora SDKs are imported only when their backend is asked for.
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
from .streams import DropOldestQueue
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
    "StateChanged",
    "TokenExpired",
    "TokenWillExpire",
    "VolumeIndication",
    "WavRecorder",
    "frequency_for",
    "load_backend",
    "record",
    "resolve_app_id",
    "validate_join",
]
