"""The pocketsphinx recognizer: offline English speech recognition in a worker process.

pocketsphinx 5 ships its en-us acoustic model, language model and dictionary inside
the wheel, so it works with no download; it comes with the optional extra
``aioclubhouse[transcribe]`` and is imported only when a transcriber is made, never by
``import aioclubhouse``.  Decoding runs in a child process (see
:mod:`.sphinx_worker` for why not a thread), spoken to over pipes with asyncio, so the
event loop only ever writes an utterance and reads back one line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections import deque
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ....redaction import get_logger
from .availability import import_pocketsphinx
from .engine import DEFAULT_MAX_BACKLOG, SpeechTranscriber
from .errors import TranscriptionError
from .models import Recognition, Utterance, Word
from .segmenter import SegmenterConfig, webrtc_detector
from .sphinx_worker import encode_job, read_message

__all__ = ["SphinxRecognizer", "pocketsphinx_transcriber"]

log = get_logger("aioclubhouse.rooms.audio.transcribe")

WORKER_SCRIPT = Path(__file__).with_name("sphinx_worker.py")

DEFAULT_START_TIMEOUT = 60.0
"""Seconds the worker may take to load its models (about 0.5 s on an idle core)."""

_STDERR_LINES_KEPT = 20


class SphinxRecognizer:
    """Recognises utterances with pocketsphinx in one child process, one at a time.

    ``decoder_options`` go to ``pocketsphinx.Decoder`` (e.g. ``hmm``, ``lm`` and
    ``dict`` for another language's models).  The process starts on :meth:`start`
    and ends on :meth:`close`; if it dies, the next utterance starts a new one.
    """

    def __init__(
        self,
        *,
        decoder_options: Mapping[str, Any] | None = None,
        python: str | None = None,
        start_timeout: float = DEFAULT_START_TIMEOUT,
    ) -> None:
        import_pocketsphinx()  # fail here, clearly, rather than in the child
        self._options = dict(decoder_options or {})
        try:
            json.dumps(self._options)
        except TypeError as exc:
            raise TranscriptionError(f"decoder_options must be JSON values: {exc}") from exc
        self._python = python or sys.executable
        self._start_timeout = start_timeout
        self._process: asyncio.subprocess.Process | None = None
        self._stderr_task: asyncio.Task[None] | None = None
        self._stderr_tail: deque[str] = deque(maxlen=_STDERR_LINES_KEPT)
        self._lock = asyncio.Lock()
        self._next_id = 0
        self._closed = False
        self.starts = 0
        """How many worker processes were started (more than one after a crash)."""
        self.version: str | None = None

    @property
    def pid(self) -> int | None:
        """The worker's process id while it runs."""
        return self._process.pid if self._process is not None else None

    async def start(self) -> None:
        """Start the worker and wait until its models are loaded."""
        async with self._lock:
            await self._ensure_started()

    async def recognize(self, utterance: Utterance) -> Recognition:
        """What was said in ``utterance``; :class:`TranscriptionError` if the worker failed."""
        async with self._lock:
            if self._closed:
                raise TranscriptionError("the recognizer is closed")
            process = await self._ensure_started()
            assert process.stdin is not None and process.stdout is not None
            self._next_id += 1
            job_id = self._next_id
            try:
                process.stdin.write(
                    encode_job(
                        job_id,
                        utterance.uid,
                        utterance.sample_rate,
                        utterance.channels,
                        utterance.pcm,
                    )
                )
                await process.stdin.drain()
                line = await process.stdout.readline()
            except (ConnectionError, BrokenPipeError) as exc:
                await self._reap()
                raise TranscriptionError(f"the recognition worker died: {self._tail()}") from exc
            if not line:
                await self._reap()
                raise TranscriptionError(f"the recognition worker died: {self._tail()}")
            try:
                message = read_message(line)
            except ValueError as exc:
                raise TranscriptionError(f"unreadable answer from the worker: {exc}") from exc
        if message.get("id") != job_id:
            raise TranscriptionError(f"the recognition worker answered job {message.get('id')}")
        if "error" in message:
            raise TranscriptionError(f"recognition failed: {message['error']}")
        try:
            return Recognition(
                text=str(message["text"]),
                confidence=float(message["confidence"]),
                words=tuple(
                    Word(text=str(text), start=float(start), end=float(end), confidence=float(p))
                    for text, start, end, p in message["words"]
                ),
                cpu_seconds=float(message["cpu"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise TranscriptionError(f"unreadable answer from the worker: {exc!r}") from exc

    async def close(self) -> None:
        """Stop the worker (it exits when its input ends); idempotent."""
        self._closed = True
        async with self._lock:
            await self._stop()

    # -- the process ---------------------------------------------------------------------

    async def _ensure_started(self) -> asyncio.subprocess.Process:
        process = self._process
        if process is not None and process.returncode is None:
            return process
        if process is not None:
            await self._reap()
        process = await asyncio.create_subprocess_exec(
            self._python,
            str(WORKER_SCRIPT),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        self._process = process
        self.starts += 1
        assert process.stdin is not None and process.stdout is not None
        self._stderr_task = asyncio.create_task(
            self._collect_stderr(process), name="sphinx-worker-stderr"
        )
        process.stdin.write(json.dumps(self._options).encode("utf-8") + b"\n")
        try:
            await process.stdin.drain()
            async with asyncio.timeout(self._start_timeout):
                line = await process.stdout.readline()
        except (TimeoutError, ConnectionError) as exc:
            await self._stop()
            raise TranscriptionError(f"the recognition worker did not start: {exc!r}") from exc
        message = read_message(line) if line else {"fatal": f"it exited: {self._tail()}"}
        if not message.get("ready"):
            await self._stop()
            raise TranscriptionError(f"the recognition worker failed: {message.get('fatal')}")
        self.version = str(message.get("version") or "")
        log.debug("pocketsphinx %s worker started, pid %d", self.version, process.pid)
        return process

    async def _collect_stderr(self, process: asyncio.subprocess.Process) -> None:
        assert process.stderr is not None
        while line := await process.stderr.readline():
            text = line.decode("utf-8", "replace").rstrip()
            self._stderr_tail.append(text)
            log.debug("sphinx worker: %s", text)

    def _tail(self) -> str:
        return " | ".join(self._stderr_tail) or "no output"

    async def _stop(self) -> None:
        process = self._process
        if process is None:
            return
        if process.stdin is not None and not process.stdin.is_closing():
            process.stdin.close()
        try:
            async with asyncio.timeout(5):
                await process.wait()
        except TimeoutError:
            process.kill()
        await self._reap()

    async def _reap(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
        if self._stderr_task is not None:
            task, self._stderr_task = self._stderr_task, None
            with contextlib.suppress(asyncio.CancelledError):
                await task


def pocketsphinx_transcriber(
    *,
    hangover: float = 0.6,
    max_backlog: float = DEFAULT_MAX_BACKLOG,
    max_utterance: float = 15.0,
    vad_mode: int = 1,
    idle_timeout: float | None = 1.5,
    decoder_options: Mapping[str, Any] | None = None,
    segmenter: SegmenterConfig | None = None,
) -> SpeechTranscriber:
    """A transcriber recognising English offline with pocketsphinx, not yet started.

    ``hangover``: seconds of silence that end an utterance; ``max_backlog``: seconds
    of speech that may wait for the recognizer before the oldest is dropped;
    ``vad_mode``: WebRTC voice detection from 0 (loose) to 3 (strict).  Pass a whole
    :class:`SegmenterConfig` as ``segmenter`` to tune every cut.  Raises
    :class:`TranscriberUnavailable` without the ``transcribe`` extra.
    """
    config = segmenter or SegmenterConfig(hangover=hangover, max_utterance=max_utterance)
    return SpeechTranscriber(
        SphinxRecognizer(decoder_options=decoder_options),
        detector=webrtc_detector(vad_mode),
        segmenter=config,
        max_backlog=max_backlog,
        idle_timeout=idle_timeout,
    )
