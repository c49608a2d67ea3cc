"""The recognition worker: pocketsphinx decoding utterances in a process of its own.

Run as a script (``python sphinx_worker.py``) by :class:`~.sphinx.SphinxRecognizer`,
never imported by the SDK except for its wire format.  It imports only the standard
library, pocketsphinx and :mod:`.convert` (found beside it), so it starts in about the
time pocketsphinx takes to load its models rather than the SDK's whole import chain.

Why a process and not a thread: pocketsphinx holds the GIL for all of its C work
(measured: one ``process_raw`` of 12 s of speech stopped every other Python thread
for 9.6 s; ``end_utt``'s second pass for 0.7-1.5 s), so a decoding thread would
stall the event loop.  A process also decodes on another core.

The wire format, one exchange at a time:

* the worker first prints ``{"ready": true, "version": ...}`` (or ``{"fatal": ...}``);
* a job is a JSON header line ``{"id", "uid", "rate", "channels", "size"}`` on stdin
  followed by ``size`` bytes of s16le PCM; the worker answers one JSON line
  ``{"id", "text", "confidence", "words": [[word, start, end, p], ...], "cpu"}``
  or ``{"id", "error"}``;
* end of stdin ends the worker.

The first line on stdin is the decoder configuration (a JSON object of pocketsphinx
options).  Cepstral mean normalisation adapts to a voice as it decodes; the worker
keeps that state per speaker, so one speaker's voice never skews another's.
"""

from __future__ import annotations

import json
import sys
import time
from collections import OrderedDict
from typing import IO, Any

if __package__:
    from .convert import for_recognizer
else:  # run as a script: this file's directory is on sys.path
    from convert import for_recognizer  # type: ignore[import-not-found,no-redef]

__all__ = ["encode_job", "read_message"]

FRAMES_PER_SECOND = 100
"""pocketsphinx's default feature frame rate (``-frate``)."""

MAX_SPEAKERS_REMEMBERED = 1000
_SKIPPED_WORDS = {"<s>", "</s>", "<sil>"}


def encode_job(job_id: int, uid: int, rate: int, channels: int, pcm: bytes) -> bytes:
    """The bytes that ask the worker to recognise ``pcm``."""
    header = {"id": job_id, "uid": uid, "rate": rate, "channels": channels, "size": len(pcm)}
    return json.dumps(header).encode("ascii") + b"\n" + pcm


def read_message(line: bytes) -> dict[str, Any]:
    """One line the worker printed, decoded (a non-object is an error)."""
    message = json.loads(line)
    if not isinstance(message, dict):
        raise ValueError("worker message is not a JSON object")
    return message


def _word(name: str) -> str | None:
    """A word as printed, or None for silences and fillers (``<sil>``, ``[NOISE]``, ``++UM++``)."""
    if name in _SKIPPED_WORDS or name.startswith(("[", "++")):
        return None
    return name.split("(", 1)[0]  # "the(2)" is the second pronunciation of "the"


class _Worker:
    def __init__(self, options: dict[str, Any]) -> None:
        import pocketsphinx  # type: ignore[import-untyped]

        self._pocketsphinx = pocketsphinx
        self.decoder = pocketsphinx.Decoder(**{"loglevel": "FATAL", **options})
        self._initial_cmn = self.decoder.get_cmn()
        self._cmn: OrderedDict[int, str] = OrderedDict()
        self._rate = int(self.decoder.config["samprate"])

    def _use_rate(self, rate: int) -> None:
        """Compute features at ``rate`` from now on (nfft 0: pocketsphinx picks it)."""
        if rate != self._rate:
            config = self.decoder.config
            config["samprate"] = rate
            config["nfft"] = 0
            self.decoder.reinit_feat(config)
            self._rate = rate

    def recognise(self, uid: int, pcm: bytes, rate: int, channels: int) -> dict[str, Any]:
        """Text, words and confidence of one utterance; ``cpu`` counts converting it too."""
        started = time.process_time()
        pcm, rate = for_recognizer(pcm, rate, channels)
        self._use_rate(rate)
        decoder = self.decoder
        decoder.set_cmn(self._cmn.pop(uid, self._initial_cmn))
        decoder.start_utt()
        decoder.process_raw(pcm)
        decoder.end_utt()
        self._cmn[uid] = decoder.get_cmn(True)
        while len(self._cmn) > MAX_SPEAKERS_REMEMBERED:
            self._cmn.popitem(last=False)
        hypothesis = decoder.hyp()
        words = []
        for entry in decoder.seg() if hypothesis is not None else ():
            word = _word(entry.word)
            if word is not None:
                start = entry.start_frame / FRAMES_PER_SECOND
                end = (entry.end_frame + 1) / FRAMES_PER_SECOND
                words.append([word, start, end, float(entry.prob)])
        text = " ".join(word[0] for word in words)
        confidence = sum(word[3] for word in words) / len(words) if words else 0.0
        return {
            "text": text,
            "confidence": confidence,
            "words": words,
            "cpu": time.process_time() - started,
        }


def _send(out: IO[bytes], message: dict[str, Any]) -> None:
    out.write(json.dumps(message).encode("utf-8") + b"\n")
    out.flush()


def main() -> int:
    source, out = sys.stdin.buffer, sys.stdout.buffer
    try:
        options = json.loads(source.readline() or b"{}")
        worker = _Worker(options)
    except Exception as exc:  # report why, then stop: the parent raises a clear error
        _send(out, {"fatal": f"{type(exc).__name__}: {exc}"})
        return 1
    _send(out, {"ready": True, "version": getattr(worker._pocketsphinx, "__version__", "")})
    while True:
        line = source.readline()
        if not line:
            return 0
        job_id = None
        try:
            job = read_message(line)
            job_id = job["id"]
            pcm = source.read(int(job["size"]))
            result = worker.recognise(int(job["uid"]), pcm, int(job["rate"]), int(job["channels"]))
            _send(out, {"id": job_id, **result})
        except Exception as exc:  # one bad job must not end the worker
            _send(out, {"id": job_id, "error": f"{type(exc).__name__}: {exc}"})


if __name__ == "__main__":
    sys.exit(main())
