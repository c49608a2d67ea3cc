"""The catalogue of Clarity API endpoints, one row per call the API offers.

Rows reuse the SDK's :class:`~aioclubhouse.endpoints.registry.Endpoint` (method,
idempotency, pagination) and add the route under ``/v1/``, where a ``{name}`` is
filled in per request. Each row is named like the :class:`ClaritySession` method that
sends it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from urllib.parse import quote

import attrs

from ..endpoints.registry import Endpoint

__all__ = ["CLARITY_ENDPOINTS", "ClarityEndpoint"]


@attrs.frozen(kw_only=True)
class ClarityEndpoint(Endpoint):
    """An endpoint whose path is a route template such as ``calls/{call_id}/connect``."""

    route: str

    @property
    def path(self) -> str:
        return self.route

    def format(self, **values: object) -> str:
        """The concrete path, each value percent-encoded as one path segment."""
        return self.route.format(**{k: quote(str(v), safe="") for k, v in values.items()})


# name, method, route, flags — P paginated, I idempotent (safe to resend)
_TABLE = """
members: me GET me I | get_member GET members/{id_or_screen_name} I | find_member GET members I
calls: requested_calls GET calls/requested I | callback_calls GET calls/callback I
  | completed_calls GET calls/completed I | canceled_calls GET calls/canceled I
  | get_call GET calls/{call_id} I | connect_call POST calls/{call_id}/connect
  | request_call POST calls
needs: needs GET needs I | create_need POST needs | fulfill_need POST needs/{need_id}/fulfill
organizations: organizations GET organizations I
  | get_organization GET organizations/{organization_id} I
messages: messages GET messages I | conversation GET messages/{member_id} I
  | send_message POST messages/{member_id}
search: search GET search PI
"""


def _parse(table: str) -> dict[str, ClarityEndpoint]:
    rows: dict[str, ClarityEndpoint] = {}
    lines: list[str] = []
    for line in table.strip().splitlines():
        if line.startswith(" ") and lines:
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    for line in lines:
        area, _, entries = line.partition(":")
        for entry in entries.split("|"):
            name, method, route, *flags = entry.split()
            flag = flags[0] if flags else ""
            if method not in ("GET", "POST"):
                raise ValueError(f"bad method for {name}: {method}")
            rows[name] = ClarityEndpoint(
                name=name,
                method="GET" if method == "GET" else "POST",
                area=area.strip(),
                route=route,
                paginated="P" in flag,
                idempotent="I" in flag,
            )
    return rows


CLARITY_ENDPOINTS: Mapping[str, ClarityEndpoint] = MappingProxyType(_parse(_TABLE))
