"""What an endpoint is, and the one table format every API's catalogue is written in.

An :class:`Endpoint` row says everything the HTTP core needs to send a request: the
method, the path (a route template whose ``{name}`` parts are filled per request),
whether a credential goes with it, and whether it is safe to send twice. It says
nothing about any one product; an API whose rows need more (the Clubhouse table marks
the 2022 additions) subclasses it.

Catalogues are short texts, one area per line, entries separated by ``|``::

    area: name METHOD [path] [FLAGS] | name METHOD [path] [FLAGS]
      | continued on an indented line

:func:`parse_table` reads them. The flags are capital letters; :data:`COMMON_FLAGS`
are understood in every table and a table may add its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal, TypeVar
from urllib.parse import quote

import attrs

__all__ = ["COMMON_FLAGS", "Endpoint", "HttpMethod", "parse_table"]

HttpMethod = Literal["GET", "POST"]


@attrs.frozen(kw_only=True)
class Endpoint:
    """How one endpoint is called.

    ``idempotent`` marks requests that are safe to send twice, and so to retry after a
    connection error or a 5xx; ``paginated`` ones are read page by page; ``auth`` ones
    carry the credential; ``multipart`` ones upload a form. ``path`` defaults to the
    name, which is how most Clubhouse paths are spelt.
    """

    name: str
    method: HttpMethod
    """The HTTP method."""
    area: str
    """The part of the API it belongs to (``account``, ``rooms``, ...)."""
    path: str = attrs.field(default=attrs.Factory(lambda self: self.name, takes_self=True))
    paginated: bool = False
    auth: bool = True
    idempotent: bool = False
    multipart: bool = False

    def format(self, **values: object) -> str:
        """The concrete path, each value percent-encoded as one path segment."""
        if not values:
            return self.path
        return self.path.format(**{k: quote(str(v), safe="") for k, v in values.items()})


E = TypeVar("E", bound=Endpoint)

COMMON_FLAGS: Mapping[str, tuple[str, bool]] = MappingProxyType(
    {
        "P": ("paginated", True),
        "N": ("auth", False),
        "I": ("idempotent", True),
        "M": ("multipart", True),
    }
)
"""Flag letter -> the row field it sets, and to what."""


def parse_table(
    table: str,
    row: type[E],
    *,
    with_paths: bool = False,
    flags: Mapping[str, tuple[str, bool]] = COMMON_FLAGS,
) -> Mapping[str, E]:
    """Read a catalogue into ``row`` objects by name.

    ``with_paths`` says whether every entry carries a path after its method (APIs
    whose paths differ from the names); otherwise the path is the name. A malformed
    entry, a method other than GET or POST, an unknown flag or a name given twice
    raises ``ValueError``: the tables are code, and a typo must fail at import.
    """
    rows: dict[str, E] = {}
    for line in _joined_lines(table):
        area, _, entries = line.partition(":")
        for entry in entries.split("|"):
            words = entry.split()
            expected = 3 if with_paths else 2
            if len(words) not in (expected, expected + 1):
                raise ValueError(f"malformed endpoint entry: {entry.strip()!r}")
            name, method = words[0], words[1]
            if method not in ("GET", "POST"):
                raise ValueError(f"bad method for {name}: {method}")
            if name in rows:
                raise ValueError(f"endpoint {name} is listed twice")
            fields: dict[str, object] = {}
            if with_paths:
                fields["path"] = words[2]
            for letter in words[expected] if len(words) > expected else "":
                if letter not in flags:
                    raise ValueError(f"unknown flag {letter!r} for {name}")
                field, value = flags[letter]
                fields[field] = value
            rows[name] = row(
                name=name,
                method="GET" if method == "GET" else "POST",
                area=area.strip(),
                **fields,  # type: ignore[arg-type]
            )
    return MappingProxyType(rows)


def _joined_lines(table: str) -> list[str]:
    """The table's lines, with each indented continuation joined onto its area line."""
    lines: list[str] = []
    for line in table.strip().splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return lines
