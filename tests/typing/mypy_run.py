"""Running ``mypy --strict`` from a test, with the project's settings and cache."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parents[2]
ERROR = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+): error: (?P<message>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)
EXPECTED = re.compile(r"#\s*error:\s*(?P<code>[\w-]+)\s*$")


def mypy_errors(paths: Sequence[Path]) -> list[tuple[str, int, str, str]]:
    """Every error mypy --strict reports on ``paths``: (file name, line, code, message)."""
    out, err, status = api.run(
        [
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "--no-error-summary",
            "--show-error-codes",
            "--hide-error-context",
            *map(str, paths),
        ]
    )
    assert status in (0, 1), err or out  # 2: mypy itself failed
    found = []
    for line in out.splitlines():
        match = ERROR.match(line)
        if match:
            found.append(
                (
                    Path(match["path"]).name,
                    int(match["line"]),
                    match["code"] or "",
                    match["message"],
                )
            )
    return found


def expected_errors(path: Path) -> set[tuple[str, int, str]]:
    """The ``# error: CODE`` marks of a checked file: (file name, line, code)."""
    marks = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECTED.search(line)
        if match:
            marks.add((path.name, number, match["code"]))
    return marks
