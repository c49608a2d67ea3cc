"""Live transcripts: who said what in a room, per speaker, recognised offline.

    async with pocketsphinx_transcriber() as transcriber:   # needs aioclubhouse[transcribe]
        async for frame in backend.frames():
            transcriber.feed(frame)                          # never blocks the loop
        ...
        async for segment in transcriber.segments():         # uid, start, end, text, confidence
            print(segment.uid, segment.text)

The backends deliver audio per speaker, so attribution is exact: each speaker's audio
is cut into utterances by voice activity (silence never reaches the recognizer), and
pocketsphinx recognises them in a worker process, bounded so that a recognizer that
falls behind drops the oldest speech (and says so in ``stats``) instead of stalling.
:func:`write_transcript` writes segments as WebVTT, SRT and JSON lines;
``record(..., transcript=True)`` does it beside the WAV files.  Importing this
package does not import pocketsphinx; making a transcriber does.
"""

from .availability import EXTRA_HINT
from .engine import DEFAULT_MAX_BACKLOG, Recognizer, SpeechTranscriber, Transcriber
from .errors import TranscriberUnavailable, TranscriptionError
from .models import Recognition, Segment, TranscriberStats, Utterance, Word
from .segmenter import SegmenterConfig, VoiceDetector, webrtc_detector
from .sphinx import SphinxRecognizer, pocketsphinx_transcriber
from .writers import TranscriptFiles, format_timestamp, to_jsonl, to_srt, to_vtt, write_transcript

__all__ = [
    "DEFAULT_MAX_BACKLOG",
    "EXTRA_HINT",
    "Recognition",
    "Recognizer",
    "Segment",
    "SegmenterConfig",
    "SpeechTranscriber",
    "SphinxRecognizer",
    "Transcriber",
    "TranscriberStats",
    "TranscriberUnavailable",
    "TranscriptFiles",
    "TranscriptionError",
    "Utterance",
    "VoiceDetector",
    "Word",
    "format_timestamp",
    "pocketsphinx_transcriber",
    "to_jsonl",
    "to_srt",
    "to_vtt",
    "webrtc_detector",
    "write_transcript",
]
