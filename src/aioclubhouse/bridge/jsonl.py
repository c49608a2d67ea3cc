"""The JSON lines sink: one record per line, appended, rotated by size, resumable.

    async with JsonLinesSink("events.jsonl", max_bytes=50_000_000) as sink:
        await bridge(room, sink)

**Flushing.**  Lines are written to the file's buffer and flushed to the operating
system every ``flush_every`` events and at most ``flush_interval`` seconds after a
line was written; with ``fsync=True`` each flush is also forced to the disk.  A clean
close flushes everything.

**Rotation.**  Before a line would take the file past ``max_bytes``, the file is
renamed ``PATH.1`` (an older ``PATH.1`` becomes ``PATH.2``, and so on up to
``backups``) and a new ``PATH`` is started.

**Resuming without duplicates.**  After each flush the sink writes a cursor file,
``PATH.cursor``: per PubNub channel the timetoken of the last message written, per
room the last one of any of its channels, and how far into which file that was.
A restarted sink reads the cursor, then reads the lines written after it (a process
killed between a flush and its cursor leaves a few), and cuts a torn last line.
From then on it skips every message already in the file: one PubNub channel
delivers in timetoken order, so a message whose timetoken is not newer than the
channel's cursor has been written.  :meth:`JsonLinesSink.resume_point` gives the
bridge the room's last timetoken, from which the room starts again
(``RoomOptions.start_at``), so what was published while the bridge was down is
fetched too, as far back as the realtime service keeps it.  Events the SDK makes
(``connected``, ``left``...) have ids of their own and are always written.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Final

from ..errors import InvalidArgumentError
from ..redaction import get_logger
from .sink import Outgoing, SinkContext, SinkError

__all__ = ["CURSOR_SUFFIX", "JsonLinesSink"]

log = get_logger("aioclubhouse.bridge")

CURSOR_SUFFIX: Final = ".cursor"
CURSOR_VERSION: Final = 1
MAX_CURSOR_ENTRIES: Final = 50_000
"""Channels and rooms remembered in the cursor; beyond that the least recent go."""


class JsonLinesSink(SinkContext):
    """Appends records to ``path``, one per line; see the module docs."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        flush_every: int = 100,
        flush_interval: float = 1.0,
        fsync: bool = False,
        max_bytes: int | None = None,
        backups: int = 5,
        cursor: bool = True,
    ) -> None:
        if isinstance(flush_every, bool) or not isinstance(flush_every, int) or flush_every < 1:
            raise InvalidArgumentError("flush_every", "must be a whole number of at least 1")
        if not isinstance(flush_interval, int | float) or not flush_interval > 0:
            raise InvalidArgumentError("flush_interval", "must be a positive number of seconds")
        if max_bytes is not None and (not isinstance(max_bytes, int) or max_bytes < 1024):
            raise InvalidArgumentError("max_bytes", "must be at least 1024 bytes, or None")
        if isinstance(backups, bool) or not isinstance(backups, int) or backups < 1:
            raise InvalidArgumentError("backups", "must be a whole number of at least 1")
        self.path = Path(path)
        self.flush_every = flush_every
        self.flush_interval = float(flush_interval)
        self.fsync = fsync
        self.max_bytes = max_bytes
        self.backups = backups
        self.keeps_cursor = cursor
        self.cursor_path = self.path.with_name(self.path.name + CURSOR_SUFFIX)
        self.written = 0
        """Lines written by this sink."""
        self.skipped = 0
        """Messages not written because the file already had them."""
        self._channels: dict[str, int] = {}
        self._rooms: dict[str, int] = {}
        self._file: IO[bytes] | None = None
        self._unflushed = 0
        self._lock = asyncio.Lock()
        self._timer: asyncio.TimerHandle | None = None
        self._flushing: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return f"jsonl:{self.path}"

    def __repr__(self) -> str:
        return f"<JsonLinesSink {self.path} written={self.written}>"

    # -- lifecycle -------------------------------------------------------------------------
    async def open(self) -> None:
        if self._file is not None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.keeps_cursor:
                self._recover()
            self._file = self.path.open("ab")
        except OSError as exc:
            raise SinkError(self.name, f"cannot open the file ({exc.strerror or exc})") from None

    async def close(self) -> None:
        async with self._lock:
            if self._file is None:
                return
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            await self._flush()
            self._file.close()
            self._file = None

    # -- sending ---------------------------------------------------------------------------
    def resume_point(self, room: str) -> int | None:
        """The timetoken of the last message of ``room`` in the file, if any."""
        return self._rooms.get(room)

    async def send(self, batch: Sequence[Outgoing]) -> None:
        async with self._lock:
            if self._file is None:
                raise SinkError(self.name, "not open")
            try:
                for item in batch:
                    if not self._is_new(item):
                        self.skipped += 1
                        continue
                    self._write(item.line + b"\n")
                    self._advance(item)
                    self.written += 1
                    self._unflushed += 1
                    if self._unflushed >= self.flush_every:
                        await self._flush()
            except OSError as exc:
                raise SinkError(self.name, f"cannot write ({exc.strerror or exc})") from None
            if self._unflushed and self._timer is None:
                loop = asyncio.get_running_loop()
                self._timer = loop.call_later(self.flush_interval, self._flush_soon)

    def _is_new(self, item: Outgoing) -> bool:
        if item.pubnub_channel is None:
            return True
        last = self._channels.get(item.pubnub_channel)
        return last is None or item.timetoken > last

    def _advance(self, item: Outgoing) -> None:
        if item.pubnub_channel is None:
            return
        self._channels[item.pubnub_channel] = item.timetoken
        if item.room is not None and item.timetoken > self._rooms.get(item.room, -1):
            self._rooms[item.room] = item.timetoken

    def _write(self, line: bytes) -> None:
        assert self._file is not None
        if self.max_bytes is not None:
            size = self._file.tell()
            if size and size + len(line) > self.max_bytes:
                self._rotate()
        assert self._file is not None
        self._file.write(line)

    def _rotate(self) -> None:
        assert self._file is not None
        self._file.flush()
        if self.fsync:
            os.fsync(self._file.fileno())
        self._file.close()
        for number in range(self.backups, 0, -1):
            older = self._backup(number)
            if older.exists():
                if number == self.backups:
                    older.unlink()
                else:
                    older.replace(self._backup(number + 1))
        self.path.replace(self._backup(1))
        self._file = self.path.open("ab")
        self._save_cursor()

    def _backup(self, number: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{number}")

    # -- flushing --------------------------------------------------------------------------
    def _flush_soon(self) -> None:
        self._timer = None
        if self._flushing is None or self._flushing.done():
            self._flushing = asyncio.ensure_future(self._flush_locked())

    async def _flush_locked(self) -> None:
        async with self._lock:
            if self._file is not None:
                try:
                    await self._flush()
                except OSError as exc:
                    log.error("%s: flush failed (%s)", self.name, exc)

    async def _flush(self) -> None:
        if self._file is None:
            return
        self._file.flush()
        if self.fsync:
            await asyncio.to_thread(os.fsync, self._file.fileno())
        self._unflushed = 0
        self._save_cursor()

    # -- the cursor ------------------------------------------------------------------------
    def _save_cursor(self) -> None:
        if not self.keeps_cursor or self._file is None:
            return
        _trim(self._channels)
        _trim(self._rooms)
        document = {
            "version": CURSOR_VERSION,
            "file": self.path.name,
            "inode": os.fstat(self._file.fileno()).st_ino,
            "offset": self._file.tell(),
            "channels": self._channels,
            "rooms": self._rooms,
        }
        fd, temporary = tempfile.mkstemp(prefix=".cursor-", dir=self.cursor_path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle, separators=(",", ":"))
                if self.fsync:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(temporary, self.cursor_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def _recover(self) -> None:
        """Read the cursor, then the lines written after it; cut a torn last line."""
        saved = _read_cursor(self.cursor_path)
        inode, offset = None, 0
        if saved is not None:
            self._channels = {k: v for k, v in saved.get("channels", {}).items() if _tt(v)}
            self._rooms = {k: v for k, v in saved.get("rooms", {}).items() if _tt(v)}
            inode, offset = saved.get("inode"), saved.get("offset", 0)
        files = [self._backup(n) for n in range(self.backups, 0, -1)] + [self.path]
        files = [path for path in files if path.exists()]
        start = 0
        if inode is not None:
            for index, path in enumerate(files):
                if path.stat().st_ino == inode:
                    start = index
                    break
            else:
                offset = 0
        for index, path in enumerate(files[start:]):
            self._read_after(path, offset if index == 0 else 0)
        if self.path.exists():
            _cut_torn_line(self.path)

    def _read_after(self, path: Path, offset: int) -> None:
        with path.open("rb") as handle:
            handle.seek(offset)
            for line in handle:
                if not line.endswith(b"\n"):
                    break  # torn: cut below, and not counted as written
                try:
                    item = Outgoing.from_record(json.loads(line))
                except ValueError:
                    log.warning("%s: a line that is not an event record was left as it is", path)
                    continue
                if self._is_new(item):
                    self._advance(item)


def _tt(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _trim(entries: dict[str, int]) -> None:
    excess = len(entries) - MAX_CURSOR_ENTRIES
    if excess > 0:
        for key, _ in sorted(entries.items(), key=lambda item: item[1])[:excess]:
            del entries[key]


def _read_cursor(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if not isinstance(document, dict) or document.get("version") != CURSOR_VERSION:
        log.warning("%s is not a cursor this release reads: the files are read instead", path)
        return None
    return document


def _cut_torn_line(path: Path) -> None:
    """A process killed mid-write can leave half a line at the end: remove it."""
    with path.open("rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size == 0:
            return
        handle.seek(size - 1)
        if handle.read(1) == b"\n":
            return
        position = size
        chunk = 4096
        while position > 0:
            start = max(0, position - chunk)
            handle.seek(start)
            data = handle.read(position - start)
            newline = data.rfind(b"\n")
            if newline >= 0:
                break
            position = start
        handle.truncate(start + newline + 1 if position > 0 else 0)
    log.warning("%s: a torn last line was cut", path)
