"""The files of ``export``: the output (JSON lines or CSV) and its resume cursor.

After each page is written and flushed, a sidecar file ``<out>.cursor`` records the
next page to fetch, the number of items so far and the output's size at that point.
An interrupted export (Ctrl-C, a failure, a crash) is resumed by running the same
command again: the output is cut back to the recorded size (dropping a half-written
page) and the walk goes on from the recorded page.  Items whose id is already in the
file are skipped, so a list that shifted between the runs still yields each item
once.  The cursor is removed when the export is complete.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import attrs

from .failures import EXIT_USAGE, CliError
from .output import dumps, to_jsonable

__all__ = ["FORMATS", "Cursor", "ExportFile"]

FORMATS = {".jsonl": "jsonl", ".csv": "csv"}
ITEM_ID = "user_id"
"""Every export lists users; this is the field that identifies one."""


@attrs.define(kw_only=True)
class Cursor:
    """Where an export stands, as saved beside its output."""

    export: str
    id: int
    format: str
    next_page: int = 1
    pages: int = 0
    items: int = 0
    size: int = 0
    total: int | None = None
    columns: list[str] = attrs.field(factory=list)

    @classmethod
    def load(cls, path: Path) -> Cursor:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**data)
        except (OSError, ValueError, TypeError) as error:
            raise CliError(
                f"{path} is not a readable export cursor ({error}); remove it to start over",
                EXIT_USAGE,
            ) from None

    def save(self, path: Path) -> None:
        """Replace the cursor file atomically, so a crash leaves the old or the new one."""
        fd, temporary = tempfile.mkstemp(prefix=".cursor-", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(attrs.asdict(self), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class ExportFile:
    """The output file of one export, opened to continue where its cursor says."""

    def __init__(self, path: Path, cursor: Cursor, handle: IO[str]) -> None:
        self.path = path
        self.cursor_path = path.with_name(path.name + ".cursor")
        self.cursor = cursor
        self._handle = handle
        self.seen: set[int] = set()

    @staticmethod
    def format_of(path: Path) -> str:
        kind = FORMATS.get(path.suffix.lower())
        if kind is None:
            raise CliError(f"--out must end in .jsonl or .csv, not {path.name!r}", EXIT_USAGE)
        return kind

    @classmethod
    def open(cls, path: Path, *, export: str, item_id: int, force: bool) -> ExportFile:
        """Start the export, or resume it from its cursor."""
        kind = cls.format_of(path)
        cursor_path = path.with_name(path.name + ".cursor")
        if cursor_path.exists():
            cursor = Cursor.load(cursor_path)
            if (cursor.export, cursor.id, cursor.format) != (export, item_id, kind):
                raise CliError(
                    f"{cursor_path} is the cursor of `export {cursor.export} {cursor.id}`: "
                    "finish that one, or remove the cursor to start over",
                    EXIT_USAGE,
                )
            handle = path.open("r+", encoding="utf-8", newline="")
            handle.truncate(cursor.size)
            handle.seek(cursor.size)
            opened = cls(path, cursor, handle)
            opened.seen = opened._read_ids()
            return opened
        if path.exists() and path.stat().st_size and not force:
            raise CliError(f"{path} already exists: pass --force to replace it", EXIT_USAGE)
        handle = path.open("w", encoding="utf-8", newline="")
        return cls(path, Cursor(export=export, id=item_id, format=kind), handle)

    @property
    def resumed(self) -> bool:
        return self.cursor.pages > 0

    def _read_ids(self) -> set[int]:
        self._handle.seek(0)
        text = self._handle.read()  # the file was cut back to the cursor's size
        self._handle.seek(self.cursor.size)
        seen: set[int] = set()
        if self.cursor.format == "jsonl":
            rows: Iterable[Any] = (json.loads(line) for line in text.splitlines() if line)
        else:
            rows = csv.DictReader(io.StringIO(text))
        for row in rows:
            try:
                seen.add(int(row[ITEM_ID]))
            except (KeyError, TypeError, ValueError):
                continue
        return seen

    def write_page(self, items: Iterable[Any], *, next_page: int | None, total: int | None) -> int:
        """Append the items not written before, then move the cursor past this page.

        Returns how many items were new.
        """
        records = []
        for item in items:
            record = to_jsonable(item)
            item_id = record.get(ITEM_ID) if isinstance(record, dict) else None
            if isinstance(item_id, int):
                if item_id in self.seen:
                    continue
                self.seen.add(item_id)
            records.append(record)
        if self.cursor.format == "jsonl":
            for record in records:
                self._handle.write(dumps(record) + "\n")
        elif records:
            self._write_csv(records)
        self._handle.flush()
        os.fsync(self._handle.fileno())
        cursor = self.cursor
        cursor.items += len(records)
        cursor.pages += 1
        cursor.size = self._handle.tell()
        cursor.total = total if total is not None else cursor.total
        if next_page is not None:
            cursor.next_page = next_page
        cursor.save(self.cursor_path)
        return len(records)

    def _write_csv(self, records: list[Any]) -> None:
        cursor = self.cursor
        if not cursor.columns:
            columns: dict[str, None] = {}
            for record in records:
                columns.update(dict.fromkeys(record))
            cursor.columns = list(columns)
            csv.writer(self._handle).writerow(cursor.columns)
        writer = csv.writer(self._handle)
        for record in records:
            redacted = json.loads(dumps(record))
            writer.writerow([_cell(redacted.get(column)) for column in cursor.columns])

    def finish(self) -> None:
        """Close the output; the export is complete, so its cursor goes."""
        self._handle.close()
        self.cursor_path.unlink(missing_ok=True)

    def close(self) -> None:
        """Close the output, keeping the cursor for a later resume."""
        self._handle.close()

    def discard(self) -> None:
        """Close and remove the output: not one page was written to it."""
        self._handle.close()
        self.path.unlink(missing_ok=True)
