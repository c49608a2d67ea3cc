"""Every registry row says which references send the call, as docs/protocol.md A records.

The "Seen in" columns of the protocol page are read here independently of the
registry: an official app (A, A8) makes ``app``; otherwise two or more references
make ``clients``, one makes ``single``, and "none" makes ``none``. Parenthesised notes
("(A: model only)", "(P: **BUG**)") are remarks about a source, not evidence.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from aioclubhouse import ENDPOINTS, ClubhouseSession, Evidence

PROTOCOL = Path(__file__).resolve().parents[2] / "docs" / "protocol.md"
OFFICIAL_APPS = {"A", "A8"}


def documented_sources() -> dict[str, set[str]]:
    """Endpoint name -> the source keys in its "Seen in" cell, from sections A.1-A.5."""
    text = PROTOCOL.read_text(encoding="utf-8")
    section = text.split("## A. Endpoints", 1)[1].split("\n## B.", 1)[0]
    sources: dict[str, set[str]] = {}
    for block in re.split(r"^### ", section, flags=re.MULTILINE)[1:]:
        rows = [line for line in block.splitlines() if line.startswith("|")]
        if not rows:
            continue
        header = [cell.strip() for cell in rows[0].strip("|").split("|")]
        if "Seen in" not in header:
            continue
        column = header.index("Seen in")
        for row in rows[2:]:
            cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
            cited = re.sub(r"\([^)]*\)", " ", cells[column])
            keys = {key.rstrip("*") for key in cited.split()}
            for name in cells[0].split(","):
                assert name.strip() not in sources, f"{name} has two rows"
                sources[name.strip()] = keys
    return sources


def evidence_from(keys: set[str]) -> Evidence:
    if keys == {"none"}:
        return Evidence.NONE
    if keys & OFFICIAL_APPS:
        return Evidence.APP
    return Evidence.CLIENTS if len(keys) >= 2 else Evidence.SINGLE


def test_every_row_has_an_evidence_value() -> None:
    assert all(isinstance(row.evidence, Evidence) for row in ENDPOINTS.values())
    assert {row.evidence for row in ENDPOINTS.values()} == set(Evidence)


def test_the_evidence_is_what_the_protocol_page_records() -> None:
    documented = documented_sources()
    undocumented = sorted(set(ENDPOINTS) - set(documented))
    assert undocumented == [], "rows without a 'Seen in' cell in docs/protocol.md A"
    wrong = {
        name: (row.evidence.value, evidence_from(documented[name]).value)
        for name, row in ENDPOINTS.items()
        if row.evidence is not evidence_from(documented[name])
    }
    assert wrong == {}, "registry evidence vs docs/protocol.md"


def test_a_few_rows_by_name() -> None:
    assert ENDPOINTS["update_displayname"].evidence is Evidence.NONE
    assert ENDPOINTS["reject_club_nomination"].evidence is Evidence.APP  # A8 only
    assert ENDPOINTS["refresh_token"].evidence is Evidence.CLIENTS  # not in A
    assert ENDPOINTS["update_channel_flags"].evidence is Evidence.SINGLE
    assert ENDPOINTS["report_incident"].evidence is Evidence.APP


def test_unverified_calls_say_so_in_their_docstrings() -> None:
    for name, row in ENDPOINTS.items():
        doc = inspect.getdoc(getattr(ClubhouseSession, name)) or ""
        if row.evidence is Evidence.NONE:
            assert "Unverified" in doc and "evidence" in doc, name
    rejecting = inspect.getdoc(ClubhouseSession.reject_club_nomination) or ""
    assert "1.0.8" in rejecting
