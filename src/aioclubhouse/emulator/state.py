"""The emulator's saved state: one JSON document with one format version.

    {"version": 2, "world": {...}, "pubnub": {...}}

``world`` is what `World.to_state` gives (users, clubs, rooms, tokens), ``pubnub``
what `PubNubHub.to_state` gives (messages, grants, presence); `STATE_VERSION` is the
only version, the sections carry none of their own.  `read_state_file` reads the
current format and upgrades version 1, the format written before (each section
versioned again and the world nested as ``{"version": 1, "world": {...}}``), so that
existing ``--state`` files keep working; anything else is refused with a
`StateFileError` naming the file and the versions.

The file holds live tokens: `write_state_file` gives it mode 0600 and writes it
atomically (a temporary file in the same directory, renamed over the old one), so a
crash never leaves half a file and no other user can read it at any moment.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

__all__ = [
    "STATE_VERSION",
    "StateFileError",
    "read_state_file",
    "state_document",
    "upgrade",
    "write_state_file",
]

STATE_VERSION = 2
OLDEST_READABLE_VERSION = 1
SECTIONS = ("world", "pubnub")
FILE_MODE = 0o600

State = dict[str, Any]


class StateFileError(ValueError):
    """Saved state this emulator cannot use; the message names the file and why."""


def state_document(*, world: State, pubnub: State) -> State:
    """The document for the sections of a world and a hub."""
    return {"version": STATE_VERSION, "world": world, "pubnub": pubnub}


def _readable() -> str:
    return f"this emulator reads versions {OLDEST_READABLE_VERSION} to {STATE_VERSION}"


def upgrade(document: Any, source: str) -> State:
    """`document` in the current format, upgraded from an older one if need be.

    `source` (a file name) starts every error message.
    """
    if not isinstance(document, dict):
        raise StateFileError(f"{source}: not an emulator state (expected a JSON object)")
    version = document.get("version")
    if version is None:
        raise StateFileError(f"{source}: not an emulator state (no format version); {_readable()}")
    if isinstance(version, bool) or not isinstance(version, int):
        raise StateFileError(f"{source}: format version {version!r} is not a number; {_readable()}")
    if version > STATE_VERSION:
        raise StateFileError(
            f"{source}: format version {version} comes from a newer emulator; {_readable()}"
        )
    if version < OLDEST_READABLE_VERSION:
        raise StateFileError(f"{source}: format version {version} is too old; {_readable()}")
    current: State = _from_version_1(document, source) if version == 1 else document
    missing = [section for section in SECTIONS if not isinstance(current.get(section), dict)]
    if missing:
        raise StateFileError(
            f"{source}: format version {STATE_VERSION} state without its "
            + " and ".join(f"{section!r} section" for section in missing)
        )
    return current


def _from_version_1(document: State, source: str) -> State:
    """Version 1 nested a versioned world in a versioned section; flatten it."""
    world, pubnub = document.get("world"), document.get("pubnub")
    if not (isinstance(world, dict) and world.get("version") == 1):
        raise StateFileError(f"{source}: format version 1 state without a version 1 'world'")
    if not isinstance(world.get("world"), dict):
        raise StateFileError(f"{source}: format version 1 'world' section without its world")
    if not (isinstance(pubnub, dict) and pubnub.get("version") == 1):
        raise StateFileError(f"{source}: format version 1 state without a version 1 'pubnub'")
    sections = {key: value for key, value in pubnub.items() if key != "version"}
    return state_document(world=world["world"], pubnub=sections)


def read_state_file(path: Path) -> State | None:
    """The state saved in `path` in the current format; None if there is no such file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise StateFileError(f"{path}: cannot be read ({error})") from error
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise StateFileError(f"{path}: not valid JSON ({error})") from error
    return upgrade(document, str(path))


def write_state_file(path: Path, document: State) -> None:
    """Write `document` to `path` atomically, readable by its owner only (mode 0600)."""
    text = json.dumps(document)
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".partial", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            os.chmod(temporary, FILE_MODE)  # mkstemp makes it so; kept explicit
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
